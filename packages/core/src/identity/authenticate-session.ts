import type { Db } from "../db/client.ts";
import { principalColumns, toPrincipal } from "./principal-row.ts";
import type { UserPrincipal } from "./roles.ts";
import { sha256 } from "./secrets.ts";
import { authSettings } from "./settings.ts";

export interface SessionAuth {
  principal: UserPrincipal;
  /** SHA-256 of the session's CSRF token, for the write check. */
  csrfHash: string;
}

/**
 * The principal behind a session cookie, or null when the session is unknown, revoked, idle too long, past its
 * absolute lifetime, or its user disabled. An expired session is revoked on the spot.
 */
export async function authenticateSession(db: Db, token: string): Promise<SessionAuth | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const s = authSettings;
  const [row] = await db.query<Record<string, unknown>>(
    `select s.id::text as session_id, s.csrf_hash, ${principalColumns},
            s.expires_at <= now() or s.last_seen_at + make_interval(mins => $2) <= now() as expired,
            s.last_seen_at + make_interval(secs => $3) <= now() as stale
     from sessions s join users u on u.id = s.user_id
     where s.token_hash = $1 and s.revoked_at is null and u.disabled_at is null`,
    [sha256(token), s.idleMinutes, s.touchSeconds],
  );
  if (!row) return null;
  if (row.expired) {
    await db.query("update sessions set revoked_at = now() where id = $1 and revoked_at is null", [
      row.session_id,
    ]);
    return null;
  }
  if (row.stale) await db.query("update sessions set last_seen_at = now() where id = $1", [row.session_id]);
  return {
    principal: { ...toPrincipal(row, "session"), sessionId: Number(row.session_id) },
    csrfHash: String(row.csrf_hash),
  };
}
