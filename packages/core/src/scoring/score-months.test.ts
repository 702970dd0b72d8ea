import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anomalySignals, detectAnomalies } from "../anomalies/detect-anomalies.ts";
import type { Db } from "../db/client.ts";
import { evaluatePack } from "../rules/engine.ts";
import { testDb } from "../testing/db.ts";
import { computeScores, type ScoreRow } from "./compute-scores.ts";
import { RuleJudgements } from "./judgements.ts";
import { levelRank } from "./levels.ts";
import { monthRange } from "./months.ts";
import { buildPanel } from "./panel.ts";
import { defaultScoringParams } from "./params.ts";
import { scoreMonths } from "./score-months.ts";
import { insertReturns, syntheticBanks, testCatalog } from "./test-support.ts";

const months = monthRange("2024-01", "2025-12");
const province = syntheticBanks({
  banks: 8,
  from: months[0]!,
  to: months.at(-1)!,
  seed: 5,
  failing: [{ bank: 1, start: "2024-10", end: "2025-09" }],
  gaps: [{ bank: 6, month: "2025-03" }],
});

let db: Db;
beforeAll(async () => {
  db = await testDb();
  await insertReturns(db, province.registry, province.facts);
});
afterAll(async () => db.close());

/** The stored rows of a run, as scoring returns them. */
async function storedRows(runId: number) {
  const rows = await db.query<{
    i: string;
    p: string;
    score: string;
    level: string;
    rank: number;
    grade: string | null;
    zone: string | null;
    stale: boolean;
    components: ScoreRow["components"];
    contributions: ScoreRow["contributions"];
  }>(
    `select trim(institution_code) as i, period as p, score::text as score, level, level_rank as rank, rating_grade as grade,
       rating_zone as zone, stale, components, contributions
     from risk_scores where run_id = $1 order by 1, 2`,
    [runId],
  );
  return rows.map((s) => ({
    institution: s.i,
    period: s.p,
    score: Number(s.score),
    level: s.level,
    rank: s.rank,
    rating: s.grade === null ? null : { grade: s.grade, zone: s.zone },
    stale: s.stale,
    components: s.components,
    contributions: s.contributions,
  }));
}

const byKey = (rows: readonly ScoreRow[]) =>
  [...rows].sort((a, b) => a.institution.localeCompare(b.institution) || a.period.localeCompare(b.period));

describe("scoring through the system of record", () => {
  test("loading, scoring and storing gives the scores of the same returns scored in memory", async () => {
    const panel = buildPanel(province.registry, province.facts, months);
    const judgements = new RuleJudgements(panel, defaultScoringParams).add(
      evaluatePack(testCatalog.entityRules, panel.entities),
    );
    const memory = computeScores(panel, {
      params: defaultScoringParams,
      judgements,
      rules: testCatalog.entityRules,
      signals: anomalySignals(detectAnomalies(panel, new Map(), { months })),
      months,
    }).rows;
    const run = await scoreMonths(db, { months, catalog: testCatalog, store: true, historyMonths: 0 });
    expect(memory.length).toBe(8 * months.length);
    expect(memory.some((r) => r.level !== "green")).toBe(true);
    expect(byKey(run.rows)).toEqual(byKey(memory));
    // What was stored is what was computed.
    const expected = byKey(memory).map((r) => ({
      institution: r.institution,
      period: r.period,
      score: r.score,
      level: r.level,
      rank: levelRank(r.level),
      rating: r.rating ?? null,
      stale: r.stale,
      components: r.components,
      contributions: r.contributions,
    }));
    expect(expected.some((r) => r.rating !== null)).toBe(true);
    expect(await storedRows(run.runId!)).toEqual(expected);
    // A second run over the same months replaces every row with the same values under its own run.
    const again = await scoreMonths(db, { months, catalog: testCatalog, store: true, historyMonths: 0 });
    expect(again.runId).not.toBe(run.runId);
    expect(await storedRows(again.runId!)).toEqual(expected);
    const [left] = await db.query<{ n: string }>(
      "select count(*)::text as n from risk_scores where run_id = $1",
      [run.runId],
    );
    expect(left!.n).toBe("0");
  });
});
