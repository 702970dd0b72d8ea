import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import { sectors } from "../contract/institution-types.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed, type Resource } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { institutionResource } from "../identity/values.ts";

export const createSubscriptionInput = z.strictObject({
  targetKind: z.enum(["institution", "sector"]),
  target: z.string().trim().min(1).max(40),
});

/** Subscribes the signed-in supervisor to news of an institution or a sector it may see. */
export async function createSubscription(
  db: Db,
  actor: Principal,
  input: z.input<typeof createSubscriptionInput>,
): Promise<{ id: number; targetKind: string; target: string }> {
  const s = createSubscriptionInput.parse(input);
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "only users subscribe");
  let resource: Resource;
  let target = s.target;
  if (s.targetKind === "sector") {
    if (!(sectors as readonly string[]).includes(target)) {
      throw new AppError("INVALID_INPUT", `target: unknown sector "${target}"`);
    }
    resource = { kind: "data", sector: target as never };
  } else {
    if (!/^[0-9A-Za-z]{18}$/.test(target)) throw new AppError("INVALID_INPUT", "target: not a credit code");
    target = target.toUpperCase();
    resource = await institutionResource(db, target);
  }
  assertAllowed(actor, "subscriptions.create", resource);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `insert into subscriptions (user_id, target_kind, target) values ($1, $2, $3)
       on conflict (user_id, target_kind, target) do update set target = excluded.target returning id::text`,
      [actor.userId, s.targetKind, target],
    );
    await appendAudit(tx, {
      actor,
      action: "subscription.created",
      subjectKind: "subscription",
      subjectId: row!.id,
      detail: { targetKind: s.targetKind, target },
    });
    return { id: Number(row!.id), targetKind: s.targetKind, target };
  });
}
