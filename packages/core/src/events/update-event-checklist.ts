import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { loadEvent } from "./event-row.ts";
import { getRiskEvent, type RiskEventDetail } from "./get-risk-event.ts";

export const checklistInput = z.strictObject({
  step: z.string().regex(/^[a-z_]{1,40}$/),
  done: z.boolean(),
});

/** Ticks (or unticks) a step of the event's emergency playbook. */
export async function updateEventChecklist(
  db: Db,
  actor: Principal,
  id: number,
  input: z.input<typeof checklistInput>,
): Promise<RiskEventDetail> {
  const c = checklistInput.parse(input);
  await db.transaction(async (tx) => {
    const e = await loadEvent(tx, actor, "events.manage", id, true);
    if (e.status !== "open") throw new AppError("CONFLICT", `event ${id} is closed`);
    const changed = await tx.query(
      `update risk_event_checklist set done_at = case when $3 then now() end, done_by = case when $3 then $4 end
       where event_id = $1 and step = $2 and (done_at is null) = $3 returning 1`,
      [id, c.step, c.done, actorName(actor)],
    );
    if (changed.length === 0) {
      const [exists] = await tx.query(
        "select 1 from risk_event_checklist where event_id = $1 and step = $2",
        [id, c.step],
      );
      if (!exists) throw new AppError("INVALID_INPUT", `step: "${c.step}" is not in this event's playbook`);
      return;
    }
    await tx.query(
      "insert into risk_event_updates (event_id, kind, body, actor) values ($1, 'checklist', $2, $3)",
      [id, `${c.done ? "done" : "reopened"}: ${c.step}`, actorName(actor)],
    );
    await appendAudit(tx, {
      actor,
      action: "event.checklist",
      subjectKind: "event",
      subjectId: id,
      detail: c,
    });
  });
  return getRiskEvent(db, actor, id);
}
