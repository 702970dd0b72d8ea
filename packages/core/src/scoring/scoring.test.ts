import { describe, expect, test } from "vitest";
import { toNumber } from "../metrics/decimal.ts";
import { findMetric } from "../metrics/index.ts";
import { prepareEntity } from "../rules/context.ts";
import { evaluatePack } from "../rules/engine.ts";
import { computeScores, type ScoreRow } from "./compute-scores.ts";
import { indicatorCatalog } from "./indicators.ts";
import { RuleJudgements } from "./judgements.ts";
import { levelOf, ratingGrade } from "./levels.ts";
import { addMonths, monthRange, parseMonth, periodLabelsFor } from "./months.ts";
import { buildPanel, type Panel } from "./panel.ts";
import { defaultScoringParams, type ScoringParams, scoringParamsSchema } from "./params.ts";
import type { RiskSignal } from "./signals.ts";
import { syntheticBanks, testCatalog } from "./test-support.ts";

const from = "2023-01";
const to = "2025-12";
const months = monthRange(from, to);

function score(
  panel: Panel,
  params: ScoringParams = defaultScoringParams,
  signals: RiskSignal[] = [],
  features = false,
) {
  const judgements = new RuleJudgements(panel, params).add(
    evaluatePack(testCatalog.entityRules, panel.entities),
  );
  return computeScores(panel, { params, judgements, rules: testCatalog.entityRules, signals, features });
}

// Bank 3 slides from 2024-07 to failure values at 2025-09; the others stay well inside every line.
const province = syntheticBanks({
  banks: 12,
  from,
  to,
  seed: 7,
  failing: [{ bank: 3, start: "2024-07", end: "2025-09" }],
  gaps: [{ bank: 5, month: "2025-11" }],
});
const panel = buildPanel(province.registry, province.facts, months);
const run = score(panel);
const failing = province.registry[3]!.code;
const rowsOf = (code: string) => run.rows.filter((r) => r.institution === code);

describe("levels and the rating comparison", () => {
  test("cut-offs split the score into five levels", () => {
    const c = defaultScoringParams.cutoffs;
    expect([0, 19.99, 20, 34.99, 35, 49.99, 50, 69.99, 70, 100].map((s) => levelOf(s, c))).toEqual([
      "green",
      "green",
      "blue",
      "blue",
      "yellow",
      "yellow",
      "orange",
      "orange",
      "red",
      "red",
    ]);
  });

  test("the central bank's scale: 1-5 green, 6-7 yellow, 8-10 and D red", () => {
    expect(ratingGrade(0, false)).toEqual({ grade: "1", zone: "green" });
    expect(ratingGrade(49.99, false)).toEqual({ grade: "5", zone: "green" });
    expect(ratingGrade(50, false)).toEqual({ grade: "6", zone: "yellow" });
    expect(ratingGrade(69.99, false)).toEqual({ grade: "7", zone: "yellow" });
    expect(ratingGrade(70, false)).toEqual({ grade: "8", zone: "red" });
    expect(ratingGrade(100, false)).toEqual({ grade: "10", zone: "red" });
    expect(ratingGrade(3, true)).toEqual({ grade: "D", zone: "red" });
  });
});

describe("parameters", () => {
  test("a partial set keeps the defaults of everything it does not name", () => {
    const p = scoringParamsSchema.parse({ trend: { weight: 5 } });
    expect(p.trend).toEqual({ ...defaultScoringParams.trend, weight: 5 });
    expect(p.breach).toEqual(defaultScoringParams.breach);
  });

  test("cut-offs must rise and unknown keys are refused", () => {
    expect(scoringParamsSchema.safeParse({ cutoffs: { blue: 60 } }).error?.issues[0]?.message).toBe(
      "cut-offs must rise: blue < yellow < orange < red",
    );
    expect(scoringParamsSchema.safeParse({ weights: {} }).success).toBe(false);
  });
});

describe("months", () => {
  test("quarters map to their closing month and ranges include both ends", () => {
    expect(parseMonth("2026-Q3")).toBe("2026-09");
    expect(addMonths("2026-01", -2)).toBe("2025-11");
    expect(monthRange("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(periodLabelsFor(["2026-02", "2026-03"])).toEqual(["2026-02", "2026-03", "2026-Q1"]);
    expect(() => parseMonth("2026-13", "--period")).toThrow(/--period must be YYYY-MM or YYYY-Qn/);
  });
});

describe("indicators", () => {
  test("float indicators agree with the exact metric of the same code", () => {
    const f = score(panel, defaultScoringParams, [], true).features!;
    let checked = 0;
    for (let row = 0; row < f.institution.length; row += 37) {
      const inst = panel.institutions[f.institution[row]!]!;
      const e = panel.entityAt[f.institution[row]! * months.length + f.month[row]!]!;
      if (e < 0) continue;
      const ctx = prepareEntity(panel.entities[e]!);
      for (const d of indicatorCatalog) {
        if (d.kind !== "ratio" || !d.metric || !(d.types as readonly string[]).includes(inst.type)) continue;
        const exact = findMetric(d.metric)!.compute((c) => ctx.item(c));
        if (exact.status !== "ok") continue;
        const mine = f.values[row * f.names.length + f.names.indexOf(`lvl:${d.code}`)]!;
        expect(mine).toBeCloseTo(toNumber(exact.value), 9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  test("quarterly capital ratios carry over the two months after their quarter, not longer", () => {
    const f = score(panel, defaultScoringParams, [], true).features!;
    const car = f.names.indexOf("lvl:BANK_CAR");
    const at = (m: string) => {
      const mi = months.indexOf(m);
      for (let r = 0; r < f.institution.length; r++)
        if (f.institution[r] === 0 && f.month[r] === mi) return f.values[r * f.names.length + car]!;
      return Number.NaN;
    };
    expect(at("2024-04")).toBe(at("2024-03"));
    expect(at("2024-05")).toBe(at("2024-03"));
    expect(at("2024-06")).not.toBe(at("2024-03"));
  });
});

describe("scores", () => {
  test("every score decomposes exactly into its contributions and components", () => {
    for (const r of run.rows) {
      const sum = r.contributions.reduce((a, c) => a + c.points, 0);
      expect(Math.abs(sum - r.score)).toBeLessThanOrEqual(0.01 * (r.contributions.length + 1));
      const comps = Object.values(r.components).reduce((a, c) => a + c, 0);
      expect(Math.abs(comps - r.score)).toBeLessThanOrEqual(0.05);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(100);
      expect(r.level).toBe(levelOf(r.score, defaultScoringParams.cutoffs));
    }
  });

  test("the sliding bank reaches orange or red well before the end of its slide; the others stay green", () => {
    const slide = rowsOf(failing);
    const firstOrange = slide.find((r) => r.level === "orange" || r.level === "red");
    expect(firstOrange).toBeDefined();
    expect(firstOrange!.period < "2025-07").toBe(true);
    expect(slide.find((r) => r.period === "2025-09")!.level).toBe("red");
    const others = run.rows.filter((r) => r.institution !== failing && !r.stale);
    expect(others.filter((r) => r.level !== "green")).toEqual([]);
  });

  test("a red score names the breaches, how far past their lines, and the deterioration", () => {
    const r = rowsOf(failing).find((x) => x.period === "2025-09")!;
    const keys = r.contributions.map((c) => `${c.component}:${c.key}`);
    expect(keys).toContain("breach:test.npl");
    expect(keys).toContain("breach:test.liquidity");
    const npl = r.contributions.find((c) => c.key === "test.npl")!;
    expect(npl.en).toMatch(/^NPL ratio 1\d\.\d\d% exceeds the regulatory maximum 5\.00%/);
    expect(r.components.trend).toBeGreaterThan(0);
    expect(r.rating?.zone).toBe("red");
  });

  test("a score never reads later months: scoring a shorter history gives the same scores", () => {
    const cut = "2025-01";
    const shortMonths = monthRange(from, cut);
    const short = score(buildPanel(province.registry, province.facts, shortMonths));
    const key = (r: ScoreRow) => `${r.institution}|${r.period}`;
    const full = new Map(run.rows.filter((r) => r.period <= cut).map((r) => [key(r), r]));
    expect(short.rows.length).toBe(full.size);
    for (const r of short.rows) expect(r).toEqual(full.get(key(r)));
  });

  test("a missing return is scored on the latest one and counted under timeliness", () => {
    const gap = run.rows.find((r) => r.institution === province.registry[5]!.code && r.period === "2025-11")!;
    expect(gap.stale).toBe(true);
    expect(gap.contributions.find((c) => c.key === "missing_return")?.points).toBe(
      defaultScoringParams.timeliness.weight,
    );
  });

  test("findings and anomalies add points with their severity, decaying from the second", () => {
    const code = province.registry[0]!.code;
    const signals: RiskSignal[] = [
      {
        institution: code,
        month: "2025-06",
        source: "finding",
        ref: "finding:1",
        severity: "high",
        en: "a",
        zh: "甲",
      },
      {
        institution: code,
        month: "2025-06",
        source: "finding",
        ref: "finding:2",
        severity: "high",
        en: "b",
        zh: "乙",
      },
      {
        institution: code,
        month: "2025-06",
        source: "anomaly",
        ref: "anomaly:x",
        severity: "medium",
        en: "c",
        zh: "丙",
      },
    ];
    const withSignals = score(panel, defaultScoringParams, signals).rows.find(
      (r) => r.institution === code && r.period === "2025-06",
    )!;
    const before = run.rows.find((r) => r.institution === code && r.period === "2025-06")!;
    const w = defaultScoringParams;
    expect(withSignals.components.findings).toBeCloseTo(w.findings.weight * (1 + w.findings.decay), 2);
    expect(withSignals.components.anomalies).toBeCloseTo(w.anomalies.weight * w.severity.medium, 2);
    expect(withSignals.score).toBeCloseTo(
      before.score + withSignals.components.findings + withSignals.components.anomalies,
      1,
    );
  });

  test("weights are parameters: without the breach component the sliding bank scores lower", () => {
    const p = scoringParamsSchema.parse({
      breach: { regulatoryBase: 0, regulatorySpan: 0, warningBase: 0, warningSpan: 0 },
    });
    const r = score(panel, p).rows.find((x) => x.institution === failing && x.period === "2025-06")!;
    const base = rowsOf(failing).find((x) => x.period === "2025-06")!;
    expect(r.components.breach).toBe(0);
    expect(r.score).toBeLessThan(base.score);
  });
});
