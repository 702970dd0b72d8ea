import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "./policy.ts";
import type { Principal } from "./roles.ts";

/** Revokes an API token at once; its holder's next request is refused. */
export async function revokeApiToken(
  db: Db,
  actor: Principal,
  id: number,
): Promise<{ id: number; revoked: boolean }> {
  return db.transaction(async (tx) => {
    const [t] = await tx.query<{ user_id: string; revoked: boolean }>(
      "select user_id::text, revoked_at is not null as revoked from api_tokens where id = $1",
      [id],
    );
    if (!t) throw new AppError("NOT_FOUND", `no API token ${id}`);
    assertAllowed(actor, "tokens.revoke", { kind: "data", ownerUserId: Number(t.user_id) });
    if (t.revoked) return { id, revoked: false };
    await tx.query("update api_tokens set revoked_at = now() where id = $1", [id]);
    await appendAudit(tx, { actor, action: "token.revoked", subjectKind: "token", subjectId: id });
    return { id, revoked: true };
  });
}
