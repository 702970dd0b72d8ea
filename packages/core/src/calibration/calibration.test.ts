import { describe, expect, test } from "vitest";
import { AppError } from "../errors.ts";
import { rng } from "../scoring/test-support.ts";
import { testCreditCode } from "../testing/fixtures.ts";
import { parseLabels } from "./labels.ts";
import { fitLogistic, predictLogistic } from "./logistic.ts";
import { precisionAtK, rocAuc } from "./metrics.ts";

/** Pairs (positive, negative) ordered right, ties counting a half: the definition of the AUC. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!labels[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j]) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe("ROC-AUC and precision at k", () => {
  test("the rank formula equals the pairwise definition, ties included", () => {
    const r = rng(3);
    const scores = Array.from({ length: 400 }, () => Math.round(r() * 20));
    const labels = scores.map((s) => (r() < s / 30 ? 1 : 0));
    expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    expect(rocAuc([1, 2, 3], [0, 0, 1])).toBe(1);
    expect(rocAuc([1, 2, 3], [1, 0, 0])).toBe(0);
    expect(rocAuc([1, 1], [1, 0])).toBe(0.5);
    expect(rocAuc([1, 2], [0, 0])).toBeNaN();
  });

  test("precision and recall at k per month, over the months with a positive", () => {
    // Month 1: the top two hold one of two positives; month 2 has no positive and does not count.
    const scores = [9, 8, 7, 1, 5, 4];
    const labels = [1, 0, 1, 0, 0, 0];
    const months = [1, 1, 1, 1, 2, 2];
    expect(precisionAtK(scores, labels, months, 2)).toEqual({ k: 2, precision: 0.5, recall: 0.5, groups: 1 });
    expect(precisionAtK(scores, labels, months, 3)).toEqual({ k: 3, precision: 2 / 3, recall: 1, groups: 1 });
  });
});

describe("L2 logistic regression by IRLS", () => {
  const n = 3000;
  const p = 3;
  const r = rng(11);
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++)
      x[i * p + j] = Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
    const eta = -1 + 1.5 * x[i * p]! - 0.8 * x[i * p + 1]!;
    y[i] = r() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }

  /** Gradient of the penalised objective at the fitted coefficients (zero at the optimum). */
  function gradient(lambda: number) {
    const m = fitLogistic(x, y, n, p, { lambda });
    const g = new Float64Array(p + 1);
    for (let i = 0; i < n; i++) {
      const d = predictLogistic(m, x, i, p) - y[i]!;
      for (let j = 0; j < p; j++) g[j]! += (d * x[i * p + j]!) / n;
      g[p]! += d / n;
    }
    for (let j = 0; j < p; j++) g[j]! += lambda * m.weights[j]!;
    return { m, g };
  }

  test("converges to the optimum: the penalised gradient vanishes", () => {
    for (const lambda of [0, 0.01, 1]) {
      const { m, g } = gradient(lambda);
      expect(m.converged).toBe(true);
      for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-8);
    }
  });

  test("recovers the signs and order of the generating coefficients; a larger penalty shrinks them", () => {
    const weak = fitLogistic(x, y, n, p, { lambda: 0.001 });
    const strong = fitLogistic(x, y, n, p, { lambda: 1 });
    expect(weak.weights[0]!).toBeGreaterThan(1);
    expect(weak.weights[1]!).toBeLessThan(-0.4);
    expect(Math.abs(weak.weights[2]!)).toBeLessThan(0.2);
    for (let j = 0; j < p; j++) expect(Math.abs(strong.weights[j]!)).toBeLessThan(Math.abs(weak.weights[j]!));
  });

  test("is deterministic", () => {
    expect(fitLogistic(x, y, n, p, { lambda: 0.1 })).toEqual(fitLogistic(x, y, n, p, { lambda: 0.1 }));
  });
});

describe("labels", () => {
  const office = testCreditCode(900);
  const bank = testCreditCode(901);
  const header = "reporter_code,period,institution_code,event,event_date";

  test("a labels file in the outcomes columns is read, in any column order", () => {
    const text = `institution_code,event,event_date,period,reporter_code\n${bank},failed,2026-06-16,2026-06,${office}\n`;
    expect(parseLabels(text, "labels.csv")).toEqual([
      { reporter: office, period: "2026-06", institution: bank, event: "failed", date: "2026-06-16" },
    ]);
  });

  test("every bad field is reported as file:row:column with the value and why", async () => {
    const text = [
      header,
      `${office},2026-13,${bank},failed,2026-06-16`,
      `${office},2026-06,91500000000000000X,bankrupt,2026-02-30`,
      `${office},2026-06,${bank},failed,2026-06-16`,
      `${office},2026-06,${bank},failed,2026-06-17`,
      `${office},2026-06,${bank},high_risk_rating,2026-05-31`,
      `${office},2026-06,${bank},high_risk_rating,2026-05-31`,
      `${office},2026-09,${bank},high_risk_rating,2026-08-31`,
    ].join("\n");
    const e = (() => {
      try {
        parseLabels(text, "labels.csv");
      } catch (err) {
        return err as AppError;
      }
      throw new Error("expected a validation error");
    })();
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("VALIDATION_FAILED");
    expect((e.details as { problems: string[] }).problems).toEqual([
      'labels.csv:2:period: not a period (YYYY-MM or YYYY-Qn) (value "2026-13")',
      'labels.csv:3:institution_code: not a valid 18-character credit code (GB 32100-2015) (value "91500000000000000X")',
      'labels.csv:3:event: not one of failed, taken_over, high_risk_rating, merged, licence_revoked (value "bankrupt")',
      'labels.csv:3:event_date: not a date written YYYY-MM-DD (value "2026-02-30")',
      "labels.csv:5: duplicate of row 4 (the same reporter and institution: failed is given once)",
      "labels.csv:7: duplicate of row 6 (the same reporter, institution, event and date)",
    ]);
  });

  test("a file without the outcomes header is refused before any row is read", () => {
    expect(() => parseLabels("code,event\nx,failed\n", "l.csv")).toThrow(
      /l\.csv:1: the header must name the outcomes columns .*; missing reporter_code, period, institution_code, event_date; unknown code/,
    );
    expect(() => parseLabels("", "l.csv")).toThrow(/empty file/);
    expect(() => parseLabels(`${header}\n`, "l.csv")).toThrow(/no labels after the header/);
  });
});
