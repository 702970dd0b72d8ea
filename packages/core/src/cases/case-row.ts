import type { Sector, SupervisoryUnit } from "../contract/institution-types.ts";
import type { Resource } from "../identity/policy.ts";
import { iso, isoOrNull } from "../identity/values.ts";

export const caseStatuses = [
  "open",
  "investigating",
  "rectification_required",
  "rectified",
  "closed",
  "referred",
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** Where each status may go next; closed and referred are final. */
export const caseTransitions: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ["investigating", "rectification_required", "closed", "referred"],
  investigating: ["rectification_required", "closed", "referred"],
  rectification_required: ["rectified", "investigating", "referred"],
  rectified: ["closed", "rectification_required", "investigating"],
  closed: [],
  referred: [],
};

export const sourceKinds = ["warning", "finding", "breach", "manual"] as const;
export const priorities = ["low", "normal", "high", "urgent"] as const;

export interface CaseSummary {
  id: number;
  title: string;
  source: { kind: (typeof sourceKinds)[number]; ref: string };
  institution: string | null;
  institutionName: string | null;
  sector: string;
  district: string | null;
  ownerUnit: string;
  coordinatingUnits: string[];
  status: CaseStatus;
  priority: string;
  dueAt: string | null;
  overdue: boolean;
  referredTo: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export const caseColumns = `c.id::text, c.title, c.description, c.source_kind, c.source_ref, trim(c.institution_code) as institution,
  i.name_en as institution_name, c.sector, c.district, c.owner_unit, c.coordinating_units, c.status, c.priority, c.due_at,
  (c.due_at < now() and c.status not in ('closed', 'referred')) as overdue, c.referred_to, c.created_by, c.created_at,
  c.updated_at, c.closed_at`;

export const caseFrom = "cases c left join institutions i on i.code = c.institution_code";

export function toCase(r: Record<string, unknown>): CaseSummary {
  return {
    id: Number(r.id),
    title: String(r.title),
    source: { kind: r.source_kind as CaseSummary["source"]["kind"], ref: String(r.source_ref) },
    institution: (r.institution as string | null) ?? null,
    institutionName: (r.institution_name as string | null) ?? null,
    sector: String(r.sector),
    district: (r.district as string | null) ?? null,
    ownerUnit: String(r.owner_unit),
    coordinatingUnits: (r.coordinating_units as string[]) ?? [],
    status: r.status as CaseStatus,
    priority: String(r.priority),
    dueAt: isoOrNull(r.due_at),
    overdue: Boolean(r.overdue),
    referredTo: (r.referred_to as string | null) ?? null,
    createdBy: String(r.created_by),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    closedAt: isoOrNull(r.closed_at),
  };
}

/** The policy resource of a case: its institution, sector, district, owner and coordinating units. */
export function caseResource(c: {
  institution: string | null;
  sector: string;
  district: string | null;
  ownerUnit: string;
  coordinatingUnits: string[];
}): Resource {
  return {
    kind: "data",
    institution: c.institution,
    sector: c.sector as Sector,
    district: c.district,
    ownerUnit: c.ownerUnit as SupervisoryUnit,
    units: c.coordinatingUnits as SupervisoryUnit[],
  };
}
