import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "../identity/policy.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { type ListEntry, listEntryColumns, toListEntry } from "./list-entry-row.ts";

/** Takes an entry off its list (the unit that added it, or the finance office); the entry itself is kept. */
export async function revokeListEntry(
  db: Db,
  actor: Principal,
  id: number,
  reason: string,
): Promise<ListEntry> {
  if (!reason.trim()) throw new AppError("INVALID_INPUT", "reason: say why the entry is revoked");
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Record<string, unknown>>(
      `select ${listEntryColumns} from shared_list_entries where id = $1 for update`,
      [id],
    );
    if (!row) throw new AppError("NOT_FOUND", `no list entry ${id}`);
    const entry = toListEntry(row);
    assertAllowed(actor, "lists.revoke", { kind: "data", ownerUnit: entry.addedByUnit as never });
    if (entry.revokedAt) throw new AppError("CONFLICT", `list entry ${id} is already revoked`);
    const [updated] = await tx.query<Record<string, unknown>>(
      `update shared_list_entries set revoked_at = now(), revoked_by = $2 where id = $1 returning ${listEntryColumns}`,
      [id, actorName(actor)],
    );
    await appendAudit(tx, {
      actor,
      action: "list_entry.revoked",
      subjectKind: "list_entry",
      subjectId: id,
      detail: { reason: reason.trim().slice(0, 2000) },
    });
    return toListEntry(updated!);
  });
}
