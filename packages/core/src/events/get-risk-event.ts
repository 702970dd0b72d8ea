import type { Sql } from "../db/client.ts";
import type { Principal } from "../identity/roles.ts";
import { iso, isoOrNull } from "../identity/values.ts";
import { loadEvent, type RiskEvent } from "./event-row.ts";
import { type EventTypeCode, eventTypes } from "./event-types.ts";

export interface RiskEventDetail extends RiskEvent {
  timeline: { id: number; kind: string; body: string; actor: string; at: string }[];
  checklist: { step: string; text: string; doneAt: string | null; doneBy: string | null }[];
}

/** One major-risk event with its chain of units, its timeline and its playbook checklist. */
export async function getRiskEvent(db: Sql, actor: Principal, id: number): Promise<RiskEventDetail> {
  const e = await loadEvent(db, actor, "events.read", id);
  const timeline = await db.query<Record<string, unknown>>(
    "select id::text, kind, body, actor, at from risk_event_updates where event_id = $1 order by risk_event_updates.at, risk_event_updates.id",
    [id],
  );
  const done = await db.query<{ step: string; done_at: unknown; done_by: string | null }>(
    "select step, done_at, done_by from risk_event_checklist where event_id = $1",
    [id],
  );
  const byStep = new Map(done.map((d) => [d.step, d]));
  const playbook = eventTypes[e.type as EventTypeCode]?.playbook ?? [];
  return {
    ...e,
    timeline: timeline.map((t) => ({
      id: Number(t.id),
      kind: String(t.kind),
      body: String(t.body),
      actor: String(t.actor),
      at: iso(t.at),
    })),
    checklist: playbook.map((s) => ({
      step: s.step,
      text: s.text,
      doneAt: isoOrNull(byStep.get(s.step)?.done_at),
      doneBy: byStep.get(s.step)?.done_by ?? null,
    })),
  };
}
