import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "./policy.ts";
import type { Principal } from "./roles.ts";
import { toUser, type UserSummary, userColumns } from "./user-row.ts";

/** Disables a user (by username or id): their sessions end and their API tokens are revoked at once. */
export async function disableUser(db: Db, actor: Principal, who: string | number): Promise<UserSummary> {
  assertAllowed(actor, "users.disable", { kind: "none" });
  const id = await db.transaction(async (tx) => {
    const [u] = await tx.query<{ id: string; disabled: boolean }>(
      typeof who === "number"
        ? "select id::text, disabled_at is not null as disabled from users where id = $1"
        : "select id::text, disabled_at is not null as disabled from users where lower(username) = lower($1)",
      [who],
    );
    if (!u) throw new AppError("NOT_FOUND", `no user ${who}`);
    if (actor.kind === "user" && actor.userId === Number(u.id)) {
      throw new AppError("CONFLICT", "you cannot disable yourself");
    }
    if (u.disabled) return Number(u.id);
    await tx.query("update users set disabled_at = now() where id = $1", [u.id]);
    await tx.query("update sessions set revoked_at = now() where user_id = $1 and revoked_at is null", [
      u.id,
    ]);
    await tx.query("update api_tokens set revoked_at = now() where user_id = $1 and revoked_at is null", [
      u.id,
    ]);
    await appendAudit(tx, { actor, action: "user.disabled", subjectKind: "user", subjectId: u.id });
    return Number(u.id);
  });
  const [row] = await db.query(`select ${userColumns} from users where id = $1`, [id]);
  return toUser(row!);
}
