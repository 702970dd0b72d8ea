import type { Sql } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import type { Card } from "./score-company.ts";

/** A stored score as lists show it. */
export interface StoredScore {
  runId: number;
  period: string;
  code: string;
  name: string;
  district: string | null;
  kind: string;
  rank: number;
  score: number;
  card: Card;
  referTo: string;
  contributions: Record<string, { signal: number; points: number; figure: string; explanation: string }>;
}

export const scoreColumns = `s.run_id::text as run_id, r.period, trim(s.company_code) as code, s.name, s.district, s.kind, s.rank,
  s.score::text as score, s.card, s.contributions, s.evidence`;

const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown>;

export function toStoredScore(r: Record<string, unknown>): StoredScore {
  const evidence = parse(r.evidence);
  return {
    runId: Number(r.run_id),
    period: String(r.period),
    code: String(r.code),
    name: String(r.name),
    district: (r.district as string | null) ?? null,
    kind: String(r.kind),
    rank: Number(r.rank),
    score: Number(r.score),
    card: r.card as Card,
    referTo: String((evidence.disposal as { referTo?: string } | undefined)?.referTo ?? ""),
    contributions: parse(r.contributions) as StoredScore["contributions"],
  };
}

/** The run to read: the given id, else the latest run of the period, else the latest run. */
export async function resolveRun(
  db: Sql,
  sel: { runId?: number; period?: string },
): Promise<{ id: number; period: string }> {
  const rows = sel.runId
    ? await db.query<{ id: string; period: string }>(
        "select id::text, period from lf_fundraising_runs where id = $1",
        [sel.runId],
      )
    : sel.period
      ? await db.query<{ id: string; period: string }>(
          "select id::text, period from lf_fundraising_runs where period = $1 order by id desc limit 1",
          [sel.period],
        )
      : await db.query<{ id: string; period: string }>(
          "select id::text, period from lf_fundraising_runs order by id desc limit 1",
        );
  const run = rows[0];
  if (!run) {
    throw new AppError(
      "NOT_FOUND",
      sel.runId
        ? `no fund-raising run ${sel.runId}`
        : `no fund-raising run${sel.period ? ` for ${sel.period}` : ""}; run \`beacon fundraising --period P\` first`,
    );
  }
  return { id: Number(run.id), period: run.period };
}
