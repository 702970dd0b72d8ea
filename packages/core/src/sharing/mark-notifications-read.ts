import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";

export const markReadInput = z.union([
  z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(1000) }),
  z.strictObject({ all: z.literal(true) }),
]);

/** Marks some or all of the user's own notifications read; other users' ids are ignored. */
export async function markNotificationsRead(
  db: Sql,
  actor: Principal,
  input: z.input<typeof markReadInput>,
): Promise<{ marked: number }> {
  assertAllowed(actor, "notifications.update", { kind: "none" });
  const m = markReadInput.parse(input);
  const userId = actor.kind === "user" ? actor.userId : -1;
  const rows = await db.query(
    `update notifications set read_at = now() where user_id = $1 and read_at is null
       and ($2::bigint[] is null or id = any($2::bigint[])) returning 1`,
    [userId, "ids" in m ? m.ids : null],
  );
  return { marked: rows.length };
}
