import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Sector } from "../contract/institution-types.ts";
import type { Db, Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { loadEvent, type RiskEvent } from "./event-row.ts";
import { type EventTypeCode, escalationChain, eventTypes, topLevel } from "./event-types.ts";
import { getRiskEvent, type RiskEventDetail } from "./get-risk-event.ts";

export const escalateInput = z.strictObject({ reason: z.string().trim().min(1).max(5000) });

/** Inside a transaction: raises a loaded event one level and brings the next units in. */
export async function raiseLevel(tx: Sql, actor: Principal, e: RiskEvent, reason: string): Promise<void> {
  if (e.escalationLevel >= topLevel)
    throw new AppError("CONFLICT", `event ${e.id} is already at the top of the chain`);
  const level = e.escalationLevel + 1;
  const present = new Set(e.units.map((u) => u.unit));
  const added = (escalationChain(e.sector as Sector)[level] ?? []).filter((u) => !present.has(u));
  const hours = eventTypes[e.type as EventTypeCode]?.ackHours ?? 24;
  await tx.query(
    "update risk_events set escalation_level = $2, ack_due_at = now() + make_interval(hours => $3) where id = $1",
    [e.id, level, hours],
  );
  for (const u of added) {
    await tx.query("insert into risk_event_units (event_id, unit, level) values ($1, $2, $3)", [
      e.id,
      u,
      level,
    ]);
  }
  const body = `escalated to level ${level}${added.length ? ` (${added.join(", ")})` : ""}: ${reason}`;
  await tx.query(
    "insert into risk_event_updates (event_id, kind, body, actor) values ($1, 'escalated', $2, $3)",
    [e.id, body, actorName(actor)],
  );
  await notify(
    tx,
    { units: [...present, ...added] },
    { kind: "event.escalated", title: `Event ${e.id} escalated: ${e.title}`, body, link: `/events/${e.id}` },
  );
  await appendAudit(tx, {
    actor,
    action: "event.escalated",
    subjectKind: "event",
    subjectId: e.id,
    detail: { level, added, reason },
  });
}

/** A leading unit (or the finance office) escalates an event one level up its chain. */
export async function escalateRiskEvent(
  db: Db,
  actor: Principal,
  id: number,
  input: z.input<typeof escalateInput>,
): Promise<RiskEventDetail> {
  const { reason } = escalateInput.parse(input);
  await db.transaction(async (tx) => {
    const e = await loadEvent(tx, actor, "events.manage", id, true);
    if (e.status !== "open") throw new AppError("CONFLICT", `event ${id} is closed`);
    await raiseLevel(tx, actor, e, reason);
  });
  return getRiskEvent(db, actor, id);
}
