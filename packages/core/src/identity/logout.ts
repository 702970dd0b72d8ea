import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import type { Principal } from "./roles.ts";

/** Ends the principal's current session; signing out twice is harmless. */
export async function logout(db: Db, actor: Principal): Promise<void> {
  if (actor.kind !== "user" || actor.sessionId === undefined) return;
  await db.transaction(async (tx) => {
    const ended = await tx.query(
      "update sessions set revoked_at = now() where id = $1 and revoked_at is null returning 1",
      [actor.sessionId],
    );
    if (ended.length > 0) {
      await appendAudit(tx, {
        actor,
        action: "session.ended",
        subjectKind: "session",
        subjectId: actor.sessionId,
      });
    }
  });
}
