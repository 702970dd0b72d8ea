import type { Sql } from "../db/client.ts";
import { assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { iso } from "../identity/values.ts";

/** The signed-in user's subscriptions. */
export async function listSubscriptions(db: Sql, actor: Principal) {
  assertAllowed(actor, "subscriptions.list", { kind: "collection" });
  const rows = await db.query<Record<string, unknown>>(
    "select id::text, target_kind, target, created_at from subscriptions where user_id = $1 order by subscriptions.id",
    [actor.kind === "user" ? actor.userId : -1],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    targetKind: String(r.target_kind),
    target: String(r.target),
    createdAt: iso(r.created_at),
  }));
}
