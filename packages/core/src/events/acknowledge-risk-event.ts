import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { loadEvent } from "./event-row.ts";
import { getRiskEvent, type RiskEventDetail } from "./get-risk-event.ts";

/** The caller's unit acknowledges an event it is in the chain of; once per unit. */
export async function acknowledgeRiskEvent(db: Db, actor: Principal, id: number): Promise<RiskEventDetail> {
  if (actor.kind !== "user" || !actor.unit)
    throw new AppError("FORBIDDEN", "a unit acknowledges, through one of its supervisors");
  const unit = actor.unit;
  await db.transaction(async (tx) => {
    await loadEvent(tx, actor, "events.acknowledge", id, true);
    const done = await tx.query(
      `update risk_event_units set acknowledged_at = now(), acknowledged_by = $3
       where event_id = $1 and unit = $2 and acknowledged_at is null returning 1`,
      [id, unit, actorName(actor)],
    );
    if (done.length === 0) throw new AppError("CONFLICT", `${unit} has already acknowledged event ${id}`);
    await tx.query(
      "insert into risk_event_updates (event_id, kind, body, actor) values ($1, 'acknowledged', $2, $3)",
      [id, `acknowledged by ${unit}`, actorName(actor)],
    );
    await appendAudit(tx, {
      actor,
      action: "event.acknowledged",
      subjectKind: "event",
      subjectId: id,
      detail: { unit },
    });
  });
  return getRiskEvent(db, actor, id);
}
