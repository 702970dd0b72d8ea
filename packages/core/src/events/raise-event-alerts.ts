import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { raiseLevel } from "./escalate-risk-event.ts";
import { eventColumns, eventFrom, toEvent } from "./event-row.ts";
import { topLevel } from "./event-types.ts";

/**
 * Escalates open events whose chain has not acknowledged in time (one level per run), and tells the filer and the
 * chain of follow-up reports that are overdue (once per due date).
 */
export async function raiseEventAlerts(
  db: Db,
  actor: Principal,
): Promise<{ escalated: number; followUpsOverdue: number }> {
  assertAllowed(actor, "workflow.scan", { kind: "none" });
  return db.transaction(async (tx) => {
    const late = (
      await tx.query<Record<string, unknown>>(
        `select ${eventColumns} from ${eventFrom}
         where e.status = 'open' and e.ack_due_at < now() and e.escalation_level < $1
           and exists (select 1 from risk_event_units u where u.event_id = e.id and u.acknowledged_at is null)
         for update of e`,
        [topLevel],
      )
    ).map(toEvent);
    for (const e of late) {
      const waiting = e.units.filter((u) => !u.acknowledgedAt).map((u) => u.unit);
      await raiseLevel(tx, actor, e, `not acknowledged in time by ${waiting.join(", ")}`);
    }
    const overdue = await tx.query<{
      id: string;
      title: string;
      institution: string | null;
      units: string[];
    }>(
      `update risk_events e set follow_up_alerted_at = now()
       where e.status = 'open' and e.next_follow_up_due_at < now() and e.follow_up_alerted_at is null
       returning e.id::text, e.title, trim(e.filed_by_institution) as institution,
         array(select u.unit from risk_event_units u where u.event_id = e.id) as units`,
    );
    for (const o of overdue) {
      await tx.query(
        "insert into risk_event_updates (event_id, kind, body, actor) values ($1, 'overdue', $2, 'system')",
        [o.id, "follow-up report overdue"],
      );
      await notify(
        tx,
        { units: o.units, institutions: o.institution ? [o.institution] : [] },
        {
          kind: "event.follow_up_overdue",
          title: `Follow-up report overdue on event ${o.id}: ${o.title}`,
          link: `/events/${o.id}`,
        },
      );
    }
    if (overdue.length > 0) {
      await appendAudit(tx, {
        actor,
        action: "event.follow_up_overdue",
        subjectKind: "workflow",
        detail: { events: overdue.map((o) => Number(o.id)) },
      });
    }
    return { escalated: late.length, followUpsOverdue: overdue.length };
  });
}
