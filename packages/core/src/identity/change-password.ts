import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { checkPasswordPolicy, hashPassword, verifyPassword } from "./passwords.ts";
import { assertAllowed } from "./policy.ts";
import type { Principal } from "./roles.ts";

/** Changes the signed-in user's password (the current one is required); the user's other sessions end. */
export async function changePassword(
  db: Db,
  actor: Principal,
  input: { current: string; next: string },
): Promise<void> {
  assertAllowed(actor, "auth.password", { kind: "none" });
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "only a signed-in user has a password");
  const [u] = await db.query<{ password_hash: string }>("select password_hash from users where id = $1", [
    actor.userId,
  ]);
  if (!u || !(await verifyPassword(u.password_hash, String(input.current)))) {
    throw new AppError("UNAUTHENTICATED", "the current password is wrong");
  }
  checkPasswordPolicy(actor.username, String(input.next));
  if (input.next === input.current)
    throw new AppError("VALIDATION_FAILED", "the new password is the current one");
  const hash = await hashPassword(input.next);
  await db.transaction(async (tx) => {
    await tx.query("update users set password_hash = $2, password_changed_at = now() where id = $1", [
      actor.userId,
      hash,
    ]);
    await tx.query(
      "update sessions set revoked_at = now() where user_id = $1 and revoked_at is null and id <> $2",
      [actor.userId, actor.sessionId ?? -1],
    );
    await appendAudit(tx, {
      actor,
      action: "user.password_changed",
      subjectKind: "user",
      subjectId: actor.userId,
    });
  });
}
