import type { Sql } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { resolveRun, type StoredScore, scoreColumns, toStoredScore } from "./score-row.ts";

/** A company's disposal card from one run: score, contributions, the legal elements and all the evidence. */
export interface DisposalCard extends StoredScore {
  disposal: { card: string; referTo: string; en: string; zh: string };
  legalElements: Record<string, boolean>;
  evidence: Record<string, unknown>;
  run: {
    id: number;
    period: string;
    asOf: string;
    version: string;
    phraseListVersion: number;
    params: unknown;
  };
}

/** The disposal card of one company from the latest run of a period (or a given run). */
export async function getFundraisingCard(
  db: Sql,
  code: string,
  sel: { runId?: number; period?: string } = {},
): Promise<DisposalCard> {
  const run = await resolveRun(db, sel);
  const [row] = await db.query<Record<string, unknown>>(
    `select ${scoreColumns}, to_json(r.as_of) #>> '{}' as as_of, r.version, r.phrase_list_version, r.params
     from lf_fundraising_scores s join lf_fundraising_runs r on r.id = s.run_id where s.run_id = $1 and s.company_code = $2`,
    [run.id, code],
  );
  if (!row)
    throw new AppError("NOT_FOUND", `company ${code} is not in fund-raising run ${run.id} (${run.period})`);
  const base = toStoredScore(row);
  const evidence = (typeof row.evidence === "string" ? JSON.parse(row.evidence) : row.evidence) as Record<
    string,
    unknown
  >;
  const { disposal, legalElements, ...rest } = evidence;
  return {
    ...base,
    disposal: disposal as DisposalCard["disposal"],
    legalElements: legalElements as Record<string, boolean>,
    evidence: rest,
    run: {
      id: run.id,
      period: run.period,
      asOf: String(row.as_of),
      version: String(row.version),
      phraseListVersion: Number(row.phrase_list_version),
      params: typeof row.params === "string" ? JSON.parse(row.params) : row.params,
    },
  };
}
