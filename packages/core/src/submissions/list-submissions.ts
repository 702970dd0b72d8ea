import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";

export const listSubmissionsQuery = z.strictObject({
  dataset: z
    .string()
    .regex(/^[a-z_]+$/)
    .max(40)
    .optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, "must be an 18-character credit code")
    .optional(),
  period: z
    .string()
    .regex(/^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$/, "must be YYYY-MM or YYYY-Qn")
    .optional(),
  asOf: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Show the submissions that were current at this instant."),
  includeSuperseded: z.enum(["true", "false"]).default("false"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListSubmissionsQuery = z.infer<typeof listSubmissionsQuery>;

export interface SubmissionRow {
  id: number;
  batchId: number;
  institution: string;
  dataset: string;
  period: string;
  rows: number;
  receivedAt: string;
  supersededAt: string | null;
  supersededBy: number | null;
}

const columns = `id::text, batch_id::text as "batchId", trim(institution_code) as institution, dataset, period, row_count::text as rows,
  received_at as "receivedAt", superseded_at as "supersededAt", superseded_by::text as "supersededBy"`;

/** Submissions, current ones by default, or those current at `asOf`, or every version. */
export async function listSubmissions(db: Sql, query: ListSubmissionsQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (query.dataset) where.push(`dataset = ${bind(query.dataset)}`);
  if (query.institution) where.push(`institution_code = ${bind(query.institution)}`);
  if (query.period) where.push(`period = ${bind(query.period)}`);
  if (query.asOf) {
    const t = bind(query.asOf);
    where.push(
      `received_at <= ${t}::timestamptz and (superseded_at is null or superseded_at > ${t}::timestamptz)`,
    );
  } else if (query.includeSuperseded === "false") where.push("superseded_at is null");
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const [count] = await db.query<{ n: string }>(
    `select count(*)::text as n from submissions ${whereSql}`,
    params,
  );
  const rows = await db.query<Record<string, unknown>>(
    `select ${columns} from submissions ${whereSql} order by id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return {
    items: rows.map(toSubmission),
    total: Number(count?.n ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

function toSubmission(r: Record<string, unknown>): SubmissionRow {
  return {
    id: Number(r.id),
    batchId: Number(r.batchId),
    institution: String(r.institution),
    dataset: String(r.dataset),
    period: String(r.period),
    rows: Number(r.rows),
    receivedAt: new Date(r.receivedAt as string).toISOString(),
    supersededAt: r.supersededAt ? new Date(r.supersededAt as string).toISOString() : null,
    supersededBy: r.supersededBy ? Number(r.supersededBy) : null,
  };
}

/** One submission with the validation report of the intake that brought it. */
export async function getSubmission(db: Sql, id: number) {
  const [row] = await db.query<Record<string, unknown>>(`select ${columns} from submissions where id = $1`, [
    id,
  ]);
  if (!row) throw new AppError("NOT_FOUND", `no submission ${id}`);
  const sub = toSubmission(row);
  const [report] = await db.query<{ id: string; report: unknown }>(
    "select id::text, report from intake_reports where batch_id = $1 order by id desc limit 1",
    [sub.batchId],
  );
  return { ...sub, intakeReportId: report ? Number(report.id) : null, report: report?.report ?? null };
}

export const listIntakeReportsQuery = z.strictObject({
  status: z.enum(["accepted", "rejected", "unchanged"]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** Intake attempts, newest first, with their validation reports (rejected ones included). */
export async function listIntakeReports(db: Sql, query: z.infer<typeof listIntakeReportsQuery>) {
  const params: unknown[] = query.status ? [query.status] : [];
  const where = query.status ? "where status = $1" : "";
  const [count] = await db.query<{ n: string }>(
    `select count(*)::text as n from intake_reports ${where}`,
    params,
  );
  const items = await db.query<Record<string, unknown>>(
    `select id::text, received_at as "receivedAt", source_name as source, dataset, status, batch_id::text as "batchId",
            error_count::text as "problemCount", report
     from intake_reports ${where} order by id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return {
    items: items.map((r) => ({
      ...r,
      id: Number(r.id),
      batchId: r.batchId ? Number(r.batchId) : null,
      problemCount: Number(r.problemCount),
    })),
    total: Number(count?.n ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}
