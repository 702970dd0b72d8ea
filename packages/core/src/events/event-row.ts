import type { Sector, SupervisoryUnit } from "../contract/institution-types.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type Action, assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { iso, isoOrNull } from "../identity/values.ts";

export interface RiskEvent {
  id: number;
  type: string;
  title: string;
  description: string;
  institution: string | null;
  institutionName: string | null;
  sector: string;
  district: string | null;
  amount: string | null;
  peopleAffected: number | null;
  occurredAt: string;
  filedBy: string;
  filedByUnit: string | null;
  filedByInstitution: string | null;
  filedAt: string;
  reportDueAt: string;
  reportedLate: boolean;
  nextFollowUpDueAt: string | null;
  followUpOverdue: boolean;
  ackDueAt: string;
  escalationLevel: number;
  status: "open" | "closed";
  closedAt: string | null;
  units: { unit: string; level: number; acknowledgedAt: string | null; acknowledgedBy: string | null }[];
}

export const eventColumns = `e.id::text, e.type, e.title, e.description, trim(e.institution_code) as institution, i.name_en as institution_name,
  e.sector, e.district, e.amount::text, e.people_affected, e.occurred_at, e.filed_by, e.filed_by_unit,
  trim(e.filed_by_institution) as filed_by_institution, e.filed_at, e.report_due_at, e.filed_at > e.report_due_at as reported_late,
  e.next_follow_up_due_at, e.status = 'open' and e.next_follow_up_due_at < now() as follow_up_overdue, e.ack_due_at,
  e.escalation_level, e.status, e.closed_at,
  coalesce((select json_agg(json_build_object('unit', u.unit, 'level', u.level, 'acknowledgedAt', u.acknowledged_at,
    'acknowledgedBy', u.acknowledged_by) order by u.level, u.unit) from risk_event_units u where u.event_id = e.id), '[]') as units`;

export const eventFrom = "risk_events e left join institutions i on i.code = e.institution_code";

export function toEvent(r: Record<string, unknown>): RiskEvent {
  const units = (typeof r.units === "string" ? JSON.parse(r.units) : r.units) as {
    unit: string;
    level: number;
    acknowledgedAt: string | null;
    acknowledgedBy: string | null;
  }[];
  return {
    id: Number(r.id),
    type: String(r.type),
    title: String(r.title),
    description: String(r.description),
    institution: (r.institution as string | null) ?? null,
    institutionName: (r.institution_name as string | null) ?? null,
    sector: String(r.sector),
    district: (r.district as string | null) ?? null,
    amount: (r.amount as string | null) ?? null,
    peopleAffected: r.people_affected == null ? null : Number(r.people_affected),
    occurredAt: iso(r.occurred_at),
    filedBy: String(r.filed_by),
    filedByUnit: (r.filed_by_unit as string | null) ?? null,
    filedByInstitution: (r.filed_by_institution as string | null) ?? null,
    filedAt: iso(r.filed_at),
    reportDueAt: iso(r.report_due_at),
    reportedLate: Boolean(r.reported_late),
    nextFollowUpDueAt: isoOrNull(r.next_follow_up_due_at),
    followUpOverdue: Boolean(r.follow_up_overdue),
    ackDueAt: iso(r.ack_due_at),
    escalationLevel: Number(r.escalation_level),
    status: r.status as RiskEvent["status"],
    closedAt: isoOrNull(r.closed_at),
    units: units.map((u) => ({ ...u, acknowledgedAt: isoOrNull(u.acknowledgedAt) })),
  };
}

/** The event's policy resource: its institution, sector, district and every unit in its chain so far. */
export function eventResource(e: RiskEvent) {
  return {
    kind: "data" as const,
    institution: e.institution,
    sector: e.sector as Sector,
    district: e.district,
    units: e.units.map((u) => u.unit as SupervisoryUnit),
  };
}

/** Loads an event (locked when asked) and checks the principal may do `action` to it. */
export async function loadEvent(
  db: Sql,
  actor: Principal,
  action: Action,
  id: number,
  forUpdate = false,
): Promise<RiskEvent> {
  const [row] = await db.query<Record<string, unknown>>(
    `select ${eventColumns} from ${eventFrom} where e.id = $1${forUpdate ? " for update of e" : ""}`,
    [id],
  );
  if (!row) throw new AppError("NOT_FOUND", `no risk event ${id}`);
  const e = toEvent(row);
  assertAllowed(actor, action, eventResource(e));
  return e;
}
