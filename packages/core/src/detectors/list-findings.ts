/**
 * Stored findings, filtered and paged, highest score first: by default those of each detector's latest successful
 * run per period, so a re-run replaces what is shown without deleting what was found before.
 */
import { z } from "zod";
import type { Sql } from "../db/client.ts";

const severities = ["low", "medium", "high", "critical"] as const;

export const listFindingsQuery = z.strictObject({
  detector: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, "expected a detector id")
    .optional(),
  period: z
    .string()
    .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM")
    .optional(),
  institution: z
    .string()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, "expected an 18-character credit code")
    .optional(),
  subjectKind: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional(),
  /** A subject id, or one of the finding's members (a person's hash, an enterprise in a circle, a sale). */
  subject: z.string().min(1).max(200).optional(),
  /** Lowest severity shown. */
  severity: z.enum(severities).optional(),
  /** A specific run instead of the latest ones. */
  run: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListFindingsQuery = z.input<typeof listFindingsQuery>;

export interface FindingRow {
  id: number;
  runId: number;
  detector: string;
  version: string;
  params: Record<string, unknown>;
  period: string;
  subject: { kind: string; id: string };
  memberKind: string;
  members: string[];
  institutions: string[];
  severity: (typeof severities)[number];
  score: number;
  explanation: { en: string; zh: string };
  evidence: Record<string, unknown>;
}

export interface FindingPage {
  items: FindingRow[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Which findings a caller may read, applied on top of a query's filters: those concerning one of `institutions`
 * or made by one of `detectors` (a unit reads what its detectors find, whomever it concerns). Absent: all.
 */
export interface FindingScope {
  institutions: readonly string[];
  detectors: readonly string[];
}

/** Lists findings, cut down to `scope` when one is given. */
export async function listFindings(
  db: Sql,
  query: ListFindingsQuery,
  scope: FindingScope | null = null,
): Promise<FindingPage> {
  const q = listFindingsQuery.parse(query);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (q.run !== undefined) add((n) => `f.run_id = ${n}`, q.run);
  else
    where.push(`f.run_id = (select max(d.run_id) from detector_runs d
      where d.detector = f.detector and d.period = f.period and d.status = 'ok')`);
  if (q.detector) add((n) => `f.detector = ${n}`, q.detector);
  if (q.period) add((n) => `f.period = ${n}`, q.period);
  if (q.institution) add((n) => `f.institutions @> array[${n}]::text[]`, q.institution);
  if (scope) {
    params.push([...scope.institutions], [...scope.detectors]);
    where.push(
      `(f.institutions && $${params.length - 1}::text[] or f.detector = any($${params.length}::text[]))`,
    );
  }
  if (q.subjectKind) add((n) => `f.subject_kind = ${n}`, q.subjectKind);
  if (q.subject) add((n) => `(f.subject_id = ${n} or f.members @> array[${n}]::text[])`, q.subject);
  if (q.severity)
    add((n) => `f.severity = any(${n}::text[])`, severities.slice(severities.indexOf(q.severity)));
  const filter = where.length > 0 ? `where ${where.join(" and ")}` : "";
  const [count] = await db.query<{ n: string }>(
    `select count(*)::text as n from findings f ${filter}`,
    params,
  );
  const offset = (q.page - 1) * q.pageSize;
  const rows = await db.query<FindingDbRow>(
    `select ${columns} from findings f ${filter}
     order by f.score desc, f.id
     limit ${q.pageSize} offset ${offset}`,
    params,
  );
  return { items: rows.map(toFinding), total: Number(count!.n), page: q.page, pageSize: q.pageSize };
}

/** One stored finding by id, of any run (null when there is none); the caller checks it against its scope. */
export async function getFinding(db: Sql, id: number): Promise<FindingRow | null> {
  const [row] = await db.query<FindingDbRow>(`select ${columns} from findings f where f.id = $1`, [id]);
  return row ? toFinding(row) : null;
}

/** Whether a finding lies within a scope (null: everything), as `listFindings` filters. */
export function findingInScope(f: FindingRow, scope: FindingScope | null): boolean {
  return (
    scope === null ||
    scope.detectors.includes(f.detector) ||
    f.institutions.some((i) => scope.institutions.includes(i))
  );
}

const columns = `f.id::text, f.run_id::text, f.detector, f.version, f.params, f.period, f.subject_kind, f.subject_id,
  f.member_kind, f.members, f.institutions, f.severity, f.score::text, f.explanation_en, f.explanation_zh, f.evidence`;

interface FindingDbRow {
  id: string;
  run_id: string;
  detector: string;
  version: string;
  params: Record<string, unknown>;
  period: string;
  subject_kind: string;
  subject_id: string;
  member_kind: string;
  members: string[];
  institutions: string[];
  severity: FindingRow["severity"];
  score: string;
  explanation_en: string;
  explanation_zh: string;
  evidence: Record<string, unknown>;
}

function toFinding(r: FindingDbRow): FindingRow {
  return {
    id: Number(r.id),
    runId: Number(r.run_id),
    detector: r.detector,
    version: r.version,
    params: r.params,
    period: r.period,
    subject: { kind: r.subject_kind, id: r.subject_id },
    memberKind: r.member_kind,
    members: r.members,
    institutions: r.institutions,
    severity: r.severity,
    score: Number(r.score),
    explanation: { en: r.explanation_en, zh: r.explanation_zh },
    evidence: r.evidence,
  };
}
