import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type Action, assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { toWarning, type Warning, warningColumns, warningFrom } from "./warning-row.ts";

/** Loads a warning the caller may act on under `action` (NOT_FOUND, or the policy's refusal). */
export async function loadWarning(
  db: Sql,
  actor: Principal,
  action: Action,
  id: number,
  forUpdate = false,
): Promise<Warning> {
  const [row] = await db.query<Record<string, unknown>>(
    `select ${warningColumns} from ${warningFrom} where w.id = $1${forUpdate ? " for update of w" : ""}`,
    [id],
  );
  if (!row) throw new AppError("NOT_FOUND", `no warning ${id}`);
  const w = toWarning(row);
  assertAllowed(actor, action, {
    kind: "data",
    institution: w.institution.code,
    sector: w.institution.sector as never,
    district: w.institution.district,
  });
  return w;
}
