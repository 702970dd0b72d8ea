import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";

/** Ends one of the user's own subscriptions. */
export async function deleteSubscription(db: Db, actor: Principal, id: number): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ user_id: string }>(
      "select user_id::text from subscriptions where id = $1",
      [id],
    );
    if (!row) throw new AppError("NOT_FOUND", `no subscription ${id}`);
    assertAllowed(actor, "subscriptions.delete", { kind: "data", ownerUserId: Number(row.user_id) });
    await tx.query("delete from subscriptions where id = $1", [id]);
    await appendAudit(tx, {
      actor,
      action: "subscription.deleted",
      subjectKind: "subscription",
      subjectId: id,
    });
    return { id };
  });
}
