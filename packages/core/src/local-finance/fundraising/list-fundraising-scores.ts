import { z } from "zod";
import type { Sql } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { resolveRun, type StoredScore, scoreColumns, toStoredScore } from "./score-row.ts";

export const listScoresQuery = z.strictObject({
  runId: z.coerce.number().int().positive().optional(),
  period: z
    .string()
    .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM")
    .optional(),
  card: z.enum(["red", "yellow", "green"]).optional(),
  district: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListScoresQuery = z.input<typeof listScoresQuery>;

/** Scores of one fund-raising run (the latest of the period by default), highest first, filtered by card or district. */
export async function listFundraisingScores(
  db: Sql,
  query: ListScoresQuery,
): Promise<{ runId: number; period: string; total: number; items: StoredScore[] }> {
  const parsed = listScoresQuery.safeParse(query);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  const q = parsed.data;
  const run = await resolveRun(db, {
    ...(q.runId ? { runId: q.runId } : {}),
    ...(q.period ? { period: q.period } : {}),
  });
  const where = ["s.run_id = $1"];
  const params: unknown[] = [run.id];
  if (q.card) {
    params.push(q.card);
    where.push(`s.card = $${params.length}`);
  }
  if (q.district) {
    params.push(q.district);
    where.push(`s.district = $${params.length}`);
  }
  const [count] = await db.query<{ n: string }>(
    `select count(*)::text as n from lf_fundraising_scores s where ${where.join(" and ")}`,
    params,
  );
  const rows = await db.query<Record<string, unknown>>(
    `select ${scoreColumns} from lf_fundraising_scores s join lf_fundraising_runs r on r.id = s.run_id
     where ${where.join(" and ")} order by s.rank limit ${q.limit} offset ${q.offset}`,
    params,
  );
  return { runId: run.id, period: run.period, total: Number(count?.n ?? 0), items: rows.map(toStoredScore) };
}
