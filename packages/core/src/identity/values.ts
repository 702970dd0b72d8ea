import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { Resource } from "./policy.ts";

/** A timestamp from either driver (Date or text) as an ISO-8601 string. */
export function iso(v: unknown): string {
  return new Date(v as string).toISOString();
}

/** As `iso`, keeping null. */
export function isoOrNull(v: unknown): string | null {
  return v == null ? null : iso(v);
}

/** The policy resource of an institution's data: its code, sector and district. */
export async function institutionResource(db: Sql, code: string): Promise<Resource & { kind: "data" }> {
  const [row] = await db.query<{ code: string; sector: string; district: string }>(
    "select trim(code) as code, sector, district from institutions where code = $1",
    [code.toUpperCase()],
  );
  if (!row) throw new AppError("NOT_FOUND", `no institution with credit code ${code}`);
  return { kind: "data", institution: row.code, sector: row.sector as never, district: row.district };
}

/** An 18-character credit code, upper-cased, or a 400. */
export function creditCode(value: unknown, field = "institution"): string {
  if (typeof value !== "string" || !/^[0-9A-Za-z]{18}$/.test(value)) {
    throw new AppError("INVALID_INPUT", `${field} must be an 18-character Unified Social Credit Code`);
  }
  return value.toUpperCase();
}
