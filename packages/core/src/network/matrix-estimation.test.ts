import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import {
  type EstimatedMatrix,
  estimateMaxEntropy,
  estimateMinDensity,
  estimateMissingRows,
  matrixToExposures,
} from "./matrix-estimation.ts";
import { seededRandom } from "./random-network.ts";

function margins(m: EstimatedMatrix): { rows: number[]; cols: number[] } {
  const n = m.size;
  const rows = Array.from({ length: n }, (_, i) =>
    m.values.slice(i * n, (i + 1) * n).reduce((a, b) => a + b, 0),
  );
  const cols = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += m.values[i * n + j]!;
    return s;
  });
  return { rows, cols };
}

function expectMargins(m: EstimatedMatrix, rows: number[], cols: number[]): void {
  const got = margins(m);
  rows.forEach((r, i) => {
    expect(Math.abs(got.rows[i]! - r)).toBeLessThanOrEqual(1e-9 * Math.max(1, r));
  });
  cols.forEach((c, j) => {
    expect(Math.abs(got.cols[j]! - c)).toBeLessThanOrEqual(1e-9 * Math.max(1, c));
  });
  for (let i = 0; i < m.size; i++) expect(m.values[i * m.size + i]).toBe(0);
}

/** Random margins with equal totals, every institution both lending and borrowing. */
function randomMargins(n: number, seed: number): { rows: number[]; cols: number[] } {
  const rand = seededRandom(seed);
  const rows = Array.from({ length: n }, () => 0.1 + rand() ** 3 * 10);
  const cols = Array.from({ length: n }, () => 0.1 + rand() ** 3 * 10);
  const scale = rows.reduce((a, b) => a + b, 0) / cols.reduce((a, b) => a + b, 0);
  return { rows, cols: cols.map((c) => c * scale) };
}

describe("maximum entropy (RAS)", () => {
  it("meets random margins with a zero diagonal", () => {
    const { rows, cols } = randomMargins(60, 4);
    const me = estimateMaxEntropy(rows, cols);
    expect(me.converged).toBe(true);
    expectMargins(me, rows, cols);
    expect(me.links).toBe(60 * 59);
  });

  it("reports a run cut short", () => {
    const { rows, cols } = randomMargins(30, 9);
    const me = estimateMaxEntropy(rows, cols, { maxIterations: 1 });
    expect(me.iterations).toBe(1);
    expect(me.converged).toBe(false);
    expect(me.error).toBeGreaterThan(0);
  });

  it("rejects margins that cannot be met", () => {
    expect(() => estimateMaxEntropy([1, 2], [1, 1])).toThrow(/must be equal/);
    expect(() => estimateMaxEntropy([1], [1, 0])).toThrow(/same institutions/);
    expect(() => estimateMaxEntropy([1, -1], [0, 0])).toThrow(AppError);
    // Institution 1 lends 3 and borrows 2 of a total 4: it would have to lend to itself.
    expect(() => estimateMaxEntropy([3, 1, 0], [2, 1, 1])).toThrow(/self-exposure/);
  });
});

describe("minimum density", () => {
  it("meets random margins with far fewer links than maximum entropy", () => {
    const { rows, cols } = randomMargins(60, 7);
    const md = estimateMinDensity(rows, cols);
    expect(md.converged).toBe(true);
    expectMargins(md, rows, cols);
    expect(md.links).toBeLessThanOrEqual(2 * 60 - 1);
    expect(md.links).toBeLessThan(estimateMaxEntropy(rows, cols).links / 10);
  });

  it("splits an existing link when only one institution's own lending and borrowing remain", () => {
    // Greedy pairs 1 -> 0 first; what is left is institution 2 lending 1 and borrowing 1.
    const rows = [0, 1, 1];
    const cols = [1, 0, 1];
    const md = estimateMinDensity(rows, cols);
    expectMargins(md, rows, cols);
    expect(md.links).toBe(2);
  });

  it("turns an estimate into exposures", () => {
    const md = estimateMinDensity([0, 1, 1], [1, 0, 1]);
    const exposures = matrixToExposures(["a", "b", "c"], md);
    expect(exposures.map((e) => `${e.lender}>${e.borrower}:${e.amount}`).sort()).toEqual(["b>c:1", "c>a:1"]);
    expect(() => matrixToExposures(["a"], md)).toThrow(/3 rows but 1 ids/);
  });
});

describe("estimateMissingRows", () => {
  const ids = ["a", "b", "c", "d"];
  const sums = (
    links: { lender: string; borrower: string; amount: number }[],
    key: "lender" | "borrower",
  ) => {
    const out = new Map<string, number>();
    for (const l of links) out.set(l[key], (out.get(l[key]) ?? 0) + l.amount);
    return out;
  };

  for (const method of ["max-entropy", "min-density"] as const) {
    it(`${method}: each missing row adds up to its total, spread like the residual liabilities, nobody lends to itself`, () => {
      // a and b report totals but no bilateral amounts; c and d owe 300 and 100 that reporters do not show.
      const est = estimateMissingRows(
        ids,
        new Map([
          ["a", 60],
          ["b", 20],
        ]),
        new Map([
          ["c", 300],
          ["d", 100],
        ]),
        method,
      );
      expect(est.lenders).toEqual(["a", "b"]);
      expect(est.unallocated).toBe(0);
      expect(est.converged).toBe(true);
      const lent = sums(est.links, "lender");
      expect(lent.get("a")).toBeCloseTo(60, 9);
      expect(lent.get("b")).toBeCloseTo(20, 9);
      // 80 to place, in the ratio 3:1 of the residual liabilities.
      const borrowed = sums(est.links, "borrower");
      expect(borrowed.get("c")).toBeCloseTo(60, 9);
      expect(borrowed.get("d")).toBeCloseTo(20, 9);
      for (const l of est.links) expect(l.lender).not.toBe(l.borrower);
    });
  }

  it("keeps a lender's own liabilities out of its row, and reports what cannot be placed", () => {
    // a lends 50 and is the main borrower: at most 0 of its own lending can go to itself, so b takes it all.
    const est = estimateMissingRows(
      ids,
      new Map([["a", 50]]),
      new Map([
        ["a", 1000],
        ["b", 1],
      ]),
    );
    expect(est.links).toEqual([{ lender: "a", borrower: "b", amount: expect.closeTo(50, 9) }]);
    // Only the lender itself has room: nothing can be placed.
    const none = estimateMissingRows(ids, new Map([["a", 50]]), new Map([["a", 10]]));
    expect(none.links).toEqual([]);
    expect(none.unallocated).toBe(50);
  });
});
