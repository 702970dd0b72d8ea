import type { Sql } from "../db/client.ts";
import { assertAllowed, scopeOf } from "./policy.ts";
import type { Principal } from "./roles.ts";
import { isoOrNull } from "./values.ts";

/** API tokens (never the token itself): one's own, or every one for operators and auditors. */
export async function listApiTokens(db: Sql, actor: Principal) {
  assertAllowed(actor, "tokens.list", { kind: "collection" });
  const scope = scopeOf(actor, "tokens.list");
  const rows = await db.query<Record<string, unknown>>(
    `select t.id::text, t.name, t.prefix, t.scopes, u.username, t.created_at, t.created_by, t.expires_at, t.revoked_at, t.last_used_at
     from api_tokens t join users u on u.id = t.user_id
     where $1::bigint is null or t.user_id = $1 order by t.id`,
    [scope.all ? null : (scope.userId ?? -1)],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    prefix: String(r.prefix),
    scopes: r.scopes as string[],
    username: String(r.username),
    createdAt: isoOrNull(r.created_at),
    createdBy: String(r.created_by),
    expiresAt: isoOrNull(r.expires_at),
    revokedAt: isoOrNull(r.revoked_at),
    lastUsedAt: isoOrNull(r.last_used_at),
  }));
}
