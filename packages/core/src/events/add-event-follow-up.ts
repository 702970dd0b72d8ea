import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { loadEvent } from "./event-row.ts";
import { type EventTypeCode, eventTypes } from "./event-types.ts";
import { getRiskEvent, type RiskEventDetail } from "./get-risk-event.ts";

export const followUpInput = z.strictObject({
  body: z.string().trim().min(1).max(20_000),
  amount: z
    .string()
    .regex(/^[0-9]{1,20}(\.[0-9]{1,2})?$/)
    .optional()
    .describe("The amount as now known."),
  peopleAffected: z.number().int().min(0).max(100_000_000).optional(),
});

/** A follow-up report on an open event: updates the figures when given and sets the next follow-up due date. */
export async function addEventFollowUp(
  db: Db,
  actor: Principal,
  id: number,
  input: z.input<typeof followUpInput>,
): Promise<RiskEventDetail> {
  const f = followUpInput.parse(input);
  await db.transaction(async (tx) => {
    const e = await loadEvent(tx, actor, "events.follow_up", id, true);
    if (e.status !== "open") throw new AppError("CONFLICT", `event ${id} is closed`);
    const days = eventTypes[e.type as EventTypeCode]?.followUpDays ?? 3;
    await tx.query(
      `update risk_events set amount = coalesce($2, amount), people_affected = coalesce($3, people_affected),
         next_follow_up_due_at = now() + make_interval(days => $4), follow_up_alerted_at = null where id = $1`,
      [id, f.amount ?? null, f.peopleAffected ?? null, days],
    );
    const figures = [
      f.amount ? `amount ${f.amount}` : null,
      f.peopleAffected !== undefined ? `${f.peopleAffected} people affected` : null,
    ].filter(Boolean);
    await tx.query(
      "insert into risk_event_updates (event_id, kind, body, actor) values ($1, 'follow_up', $2, $3)",
      [id, figures.length ? `${f.body}\n(${figures.join(", ")})` : f.body, actorName(actor)],
    );
    await notify(
      tx,
      {
        units: e.units.map((u) => u.unit),
        institutions: e.institution ? [e.institution] : [],
        except: actor.kind === "user" ? actor.userId : null,
      },
      { kind: "event.follow_up", title: `Follow-up on event ${id}: ${e.title}`, link: `/events/${id}` },
    );
    await appendAudit(tx, {
      actor,
      action: "event.followed_up",
      subjectKind: "event",
      subjectId: id,
      detail: { amount: f.amount ?? null, peopleAffected: f.peopleAffected ?? null },
    });
  });
  return getRiskEvent(db, actor, id);
}
