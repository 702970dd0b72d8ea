import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type Action, assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { type CaseSummary, caseColumns, caseFrom, caseResource, toCase } from "./case-row.ts";

/** Loads a case (locked for update when asked) and checks the principal may do `action` to it. */
export async function loadCase(
  db: Sql,
  actor: Principal,
  action: Action,
  id: number,
  forUpdate = false,
): Promise<CaseSummary & { description: string }> {
  const [row] = await db.query<Record<string, unknown>>(
    `select ${caseColumns} from ${caseFrom} where c.id = $1${forUpdate ? " for update of c" : ""}`,
    [id],
  );
  if (!row) throw new AppError("NOT_FOUND", `no case ${id}`);
  const c = toCase(row);
  assertAllowed(actor, action, caseResource(c));
  return { ...c, description: String(row.description) };
}
