import type { Db } from "../db/client.ts";
import { principalColumns, toPrincipal } from "./principal-row.ts";
import type { TokenScope, UserPrincipal } from "./roles.ts";
import { sha256 } from "./secrets.ts";

/** API tokens look like `bcn_<8-character prefix>_<secret>`; the prefix is shown in lists, the whole is hashed. */
export const tokenPattern = /^bcn_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{30,100}$/;

/** The principal behind a Bearer token, or null when it is unknown, revoked, expired, or its user disabled. */
export async function authenticateToken(db: Db, token: string): Promise<UserPrincipal | null> {
  if (!tokenPattern.test(token)) return null;
  const [row] = await db.query<Record<string, unknown>>(
    `select t.id::text as token_id, t.scopes, ${principalColumns},
            t.last_used_at is null or t.last_used_at + interval '1 minute' <= now() as stale
     from api_tokens t join users u on u.id = t.user_id
     where t.token_hash = $1 and t.revoked_at is null and t.expires_at > now() and u.disabled_at is null`,
    [sha256(token)],
  );
  if (!row) return null;
  if (row.stale) await db.query("update api_tokens set last_used_at = now() where id = $1", [row.token_id]);
  return {
    ...toPrincipal(row, "token"),
    tokenId: Number(row.token_id),
    tokenScopes: row.scopes as TokenScope[],
  };
}
