import type { Sql } from "../../db/client.ts";
import { AppError } from "../../errors.ts";

export const findingCategories = [
  "illegal_fundraising",
  "unlawful_rates",
  "illegal_collection",
  "provisioning",
  "liquidity",
  "governance",
  "related_party",
  "leverage",
  "reporting",
  "other",
] as const;

export interface InspectionFinding {
  id: number;
  category: string;
  severity: "low" | "medium" | "high";
  description: string;
  rectificationDue: string | null;
  createdBy: string;
  createdAt: string;
}

export interface Inspection {
  id: number;
  institution: { code: string; name: string; type: string; district: string };
  kind: "routine" | "special" | "risk";
  scope: string;
  leadUnit: string;
  inspectors: string[];
  plannedStart: string;
  plannedEnd: string;
  status: "planned" | "in_progress" | "completed" | "cancelled";
  startedOn: string | null;
  completedOn: string | null;
  conclusion: string | null;
  createdBy: string;
  findings: InspectionFinding[];
}

/** Loads inspections (all, or those matching `where` over alias i and institution n) with their findings. */
export async function loadInspections(db: Sql, where: string, params: unknown[]): Promise<Inspection[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select i.id::text as id, trim(i.institution_code) as code, n.name_zh as name, n.type, n.district, i.kind, i.scope, i.lead_unit,
       i.inspectors, i.planned_start::text as planned_start, i.planned_end::text as planned_end, i.status,
       i.started_on::text as started_on, i.completed_on::text as completed_on, i.conclusion, i.created_by
     from lf_inspections i join institutions n on n.code = i.institution_code
     ${where ? `where ${where}` : ""} order by i.planned_start, i.id`,
    params,
  );
  const ids = rows.map((r) => String(r.id));
  const findings = ids.length
    ? await db.query<Record<string, unknown>>(
        `select id::text as id, inspection_id::text as inspection_id, category, severity, description,
           rectification_due::text as rectification_due, created_by, to_json(created_at) #>> '{}' as created_at
         from lf_inspection_findings where inspection_id = any($1::bigint[]) order by id`,
        [ids],
      )
    : [];
  return rows.map((r) => ({
    id: Number(r.id),
    institution: {
      code: String(r.code),
      name: String(r.name),
      type: String(r.type),
      district: String(r.district),
    },
    kind: r.kind as Inspection["kind"],
    scope: String(r.scope),
    leadUnit: String(r.lead_unit),
    inspectors: (r.inspectors as string[] | null) ?? [],
    plannedStart: String(r.planned_start),
    plannedEnd: String(r.planned_end),
    status: r.status as Inspection["status"],
    startedOn: (r.started_on as string | null) ?? null,
    completedOn: (r.completed_on as string | null) ?? null,
    conclusion: (r.conclusion as string | null) ?? null,
    createdBy: String(r.created_by),
    findings: findings
      .filter((f) => f.inspection_id === r.id)
      .map((f) => ({
        id: Number(f.id),
        category: String(f.category),
        severity: f.severity as InspectionFinding["severity"],
        description: String(f.description),
        rectificationDue: (f.rectification_due as string | null) ?? null,
        createdBy: String(f.created_by),
        createdAt: String(f.created_at),
      })),
  }));
}

/** One inspection, or NOT_FOUND. */
export async function loadInspection(db: Sql, id: number): Promise<Inspection> {
  const [one] = await loadInspections(db, "i.id = $1", [id]);
  if (!one) throw new AppError("NOT_FOUND", `no inspection ${id}`);
  return one;
}
