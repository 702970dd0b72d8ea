import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { type SystemicImportance, storeSystemicImportance } from "../network/systemic.ts";
import { evaluatePack } from "../rules/engine.ts";
import { testDb } from "../testing/db.ts";
import { computeScores } from "./compute-scores.ts";
import { RuleJudgements } from "./judgements.ts";
import { monthRange } from "./months.ts";
import { buildPanel } from "./panel.ts";
import { defaultScoringParams } from "./params.ts";
import { loadSystemicSignals, type SystemicSignal, systemicPoints } from "./systemic.ts";
import { syntheticBanks, testCatalog } from "./test-support.ts";

const months = monthRange("2025-01", "2025-06");
const province = syntheticBanks({ banks: 6, from: "2025-01", to: "2025-06", seed: 3, failing: [] });
const panel = buildPanel(province.registry, province.facts, months);
const params = defaultScoringParams;
const judgements = new RuleJudgements(panel, params).add(
  evaluatePack(testCatalog.entityRules, panel.entities),
);

describe("systemic importance in the risk score", () => {
  test("adds points in proportion to the impact, between start and full, and nothing else changes", () => {
    const code = province.registry[2]!.code;
    const signal: SystemicSignal = { impact: 0.135, rank: 1, of: 6, period: "2025-05", runId: 9 };
    const systemic = new Map([[`${code}|2025-06`, signal]]);
    const base = computeScores(panel, { params, judgements, months: ["2025-06"] }).rows;
    const withSys = computeScores(panel, { params, judgements, months: ["2025-06"], systemic }).rows;
    // (0.135 - 0.02) / (0.25 - 0.02) = 0.5 of the weight 10.
    expect(systemicPoints(signal, params.systemic)).toBeCloseTo(5, 12);
    for (const [k, row] of withSys.entries()) {
      const before = base[k]!;
      if (row.institution !== code) {
        expect(row).toEqual(before);
        continue;
      }
      expect(row.components.systemic).toBe(5);
      expect(row.score).toBeCloseTo(Math.min(100, before.score + 5), 9);
      const c = row.contributions.find((x) => x.component === "systemic")!;
      expect(c.key).toBe("systemic:2025-05");
      expect(c.en).toMatch(/13\.5% of the rest of the system.*rank 1 of 6.*contagion run 9/);
      expect(c.zh).toMatch(/系统重要性/);
    }
    // Below the start: nothing.
    expect(systemicPoints({ ...signal, impact: 0.01 }, params.systemic)).toBe(0);
    expect(systemicPoints({ ...signal, impact: 0.9 }, params.systemic)).toBe(10);
  });
});

describe("stored rankings feed the months after their period", () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
  });
  afterAll(async () => db.close());

  const ranking = (impacts: Record<string, number>): SystemicImportance => ({
    period: "2025-03",
    asOf: null,
    method: "debtrank",
    version: 2,
    parameters: { estimate: "max-entropy" },
    network: { nodes: 2, exposures: 1, exposureSubmissions: [], estimated: [] },
    ranking: Object.entries(impacts).map(([id, s], k) => ({
      rank: k + 1,
      id,
      additionalStress: s,
      additionalLosses: 0,
      additionalDefaults: 0,
    })),
    runId: null,
  });

  test("the latest run of the nearest period within validMonths counts", async () => {
    await storeSystemicImportance(db, ranking({ A: 0.3, B: 0.1 }), "test");
    const second = await storeSystemicImportance(db, ranking({ A: 0.2, B: 0.05 }), "test");
    const signals = await loadSystemicSignals(db, ["2025-02", "2025-03", "2025-06", "2025-07"], 3);
    expect(signals.get("A|2025-02")).toBeUndefined();
    expect(signals.get("A|2025-03")).toEqual({
      impact: 0.2,
      rank: 1,
      of: 2,
      period: "2025-03",
      runId: second,
    });
    expect(signals.get("B|2025-06")?.impact).toBe(0.05);
    expect(signals.get("A|2025-07")).toBeUndefined();
    await expect(db.query("delete from systemic_importance")).rejects.toThrow();
  });
});
