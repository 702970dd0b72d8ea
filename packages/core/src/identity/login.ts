import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { verifyNothing, verifyPassword } from "./passwords.ts";
import { principalColumns, toPrincipal } from "./principal-row.ts";
import type { UserPrincipal } from "./roles.ts";
import { newSecret, sha256 } from "./secrets.ts";
import { authSettings } from "./settings.ts";

/** Too many failed sign-ins from one client address: answered 429 with Retry-After. */
export class SignInThrottled extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super("RATE_LIMITED", "too many failed sign-ins from this address; wait and try again", {
      retryAfterSeconds,
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface LoginInput {
  username: string;
  password: string;
  /** The client's address, for the per-address limit. */
  client: string;
  /** A session id the client already presented: it is ended, never reused (no session fixation). */
  presentedSession?: string | undefined;
}

export interface LoginResult {
  /** The new session id, for an httpOnly cookie; shown nowhere else. */
  sessionToken: string;
  /** The CSRF token writes must echo in the X-CSRF-Token header. */
  csrfToken: string;
  expiresAt: string;
  principal: UserPrincipal;
}

const failed = () =>
  new AppError("UNAUTHENTICATED", "invalid username or password (an account locks after repeated failures)");

/**
 * Checks a username and password and opens a new session. Unknown names cost the same time as wrong passwords;
 * repeated failures lock the account for a while, and too many from one address are throttled.
 */
export async function login(db: Db, input: LoginInput): Promise<LoginResult> {
  const s = authSettings;
  const [recent] = await db.query<{ n: string; oldest: string | null }>(
    `select count(*)::text as n, extract(epoch from (min(at) + make_interval(mins => $2) - now()))::int::text as oldest
     from login_attempts where client = $1 and not succeeded and at > now() - make_interval(mins => $2)`,
    [input.client, s.clientWindowMinutes],
  );
  if (Number(recent?.n ?? 0) >= s.clientFailures) {
    throw new SignInThrottled(Math.max(1, Number(recent?.oldest ?? 60)));
  }
  const username = input.username.slice(0, 64);
  const record = (ok: boolean) =>
    db.query("insert into login_attempts (client, username, succeeded) values ($1, $2, $3)", [
      input.client,
      username,
      ok,
    ]);
  const [user] = await db.query<Record<string, unknown>>(
    `select ${principalColumns}, u.password_hash, u.disabled_at is not null as disabled,
            coalesce(u.locked_until > now(), false) as locked
     from users u where lower(u.username) = lower($1)`,
    [username],
  );
  if (
    !user ||
    user.disabled ||
    user.locked ||
    typeof input.password !== "string" ||
    input.password.length > 1024
  ) {
    await verifyNothing(String(input.password).slice(0, 1024));
    await record(false);
    throw failed();
  }
  if (!(await verifyPassword(String(user.password_hash), input.password))) {
    await db.transaction(async (tx) => {
      const [u] = await tx.query<{ failed_logins: number }>(
        "update users set failed_logins = failed_logins + 1 where id = $1 returning failed_logins",
        [user.user_id],
      );
      if ((u?.failed_logins ?? 0) >= s.lockoutFailures) {
        await tx.query(
          "update users set failed_logins = 0, locked_until = now() + make_interval(mins => $2) where id = $1",
          [user.user_id, s.lockoutMinutes],
        );
        await appendAudit(tx, {
          actor: "system:sign-in",
          action: "user.locked",
          subjectKind: "user",
          subjectId: String(user.user_id),
          detail: { username: user.username, minutes: s.lockoutMinutes },
        });
      }
      await tx.query("insert into login_attempts (client, username, succeeded) values ($1, $2, false)", [
        input.client,
        username,
      ]);
    });
    throw failed();
  }
  const principal = toPrincipal(user, "session");
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const result = await db.transaction(async (tx) => {
    if (input.presentedSession) {
      await tx.query("update sessions set revoked_at = now() where token_hash = $1 and revoked_at is null", [
        sha256(input.presentedSession),
      ]);
    }
    await tx.query(
      "update users set failed_logins = 0, locked_until = null, last_login_at = now() where id = $1",
      [principal.userId],
    );
    const [row] = await tx.query<{ id: string; expires_at: unknown }>(
      `insert into sessions (token_hash, csrf_hash, user_id, expires_at, client)
       values ($1, $2, $3, now() + make_interval(hours => $4), $5) returning id::text, expires_at`,
      [sha256(sessionToken), sha256(csrfToken), principal.userId, s.absoluteHours, input.client],
    );
    await tx.query("insert into login_attempts (client, username, succeeded) values ($1, $2, true)", [
      input.client,
      username,
    ]);
    await appendAudit(tx, {
      actor: principal,
      action: "session.started",
      subjectKind: "session",
      subjectId: row!.id,
      detail: { client: input.client },
    });
    return { id: Number(row!.id), expiresAt: new Date(row!.expires_at as string).toISOString() };
  });
  // Old attempts are only needed for the window; dropping them here keeps the table small without a job.
  await db.query("delete from login_attempts where at < now() - make_interval(mins => $1)", [
    s.clientWindowMinutes * 4,
  ]);
  return {
    sessionToken,
    csrfToken,
    expiresAt: result.expiresAt,
    principal: { ...principal, sessionId: result.id },
  };
}
