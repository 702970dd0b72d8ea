import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { loadEvent } from "./event-row.ts";
import { getRiskEvent, type RiskEventDetail } from "./get-risk-event.ts";

export const closeEventInput = z.strictObject({ summary: z.string().trim().min(1).max(20_000) });

/** Closes an event once every unit in its chain has acknowledged it; the summary is the final report. */
export async function closeRiskEvent(
  db: Db,
  actor: Principal,
  id: number,
  input: z.input<typeof closeEventInput>,
): Promise<RiskEventDetail> {
  const { summary } = closeEventInput.parse(input);
  await db.transaction(async (tx) => {
    const e = await loadEvent(tx, actor, "events.manage", id, true);
    if (e.status !== "open") throw new AppError("CONFLICT", `event ${id} is already closed`);
    const waiting = e.units.filter((u) => !u.acknowledgedAt).map((u) => u.unit);
    if (waiting.length > 0) throw new AppError("CONFLICT", `not yet acknowledged by ${waiting.join(", ")}`);
    await tx.query(
      "update risk_events set status = 'closed', closed_at = now(), next_follow_up_due_at = null where id = $1",
      [id],
    );
    await tx.query(
      "insert into risk_event_updates (event_id, kind, body, actor) values ($1, 'closed', $2, $3)",
      [id, summary, actorName(actor)],
    );
    await notify(
      tx,
      {
        units: e.units.map((u) => u.unit),
        institutions: e.institution ? [e.institution] : [],
        except: actor.kind === "user" ? actor.userId : null,
      },
      { kind: "event.closed", title: `Event ${id} closed: ${e.title}`, link: `/events/${id}` },
    );
    await appendAudit(tx, {
      actor,
      action: "event.closed",
      subjectKind: "event",
      subjectId: id,
      detail: { summary },
    });
  });
  return getRiskEvent(db, actor, id);
}
