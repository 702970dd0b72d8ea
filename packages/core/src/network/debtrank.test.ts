import { describe, expect, it } from "vitest";
import type { CapitalShock } from "./capital-shock.ts";
import {
  debtRank,
  debtRankSingleHit,
  propagateStress,
  type StressResult,
  type StressRule,
  type ThresholdOptions,
  thresholdCascade,
} from "./debtrank.ts";
import { furfineCascade } from "./furfine.ts";
import { buildNetwork, type Network } from "./network.ts";
import { randomNetwork } from "./random-network.ts";

/** sum_j A_ij * f(j) for every lender i. */
function exposureTo(net: Network, f: (j: number) => number): Float64Array {
  const out = new Float64Array(net.size);
  for (let i = 0; i < net.size; i++) {
    for (let k = net.assetStart[i]!; k < net.assetStart[i + 1]!; k++)
      out[i]! += net.assetAmount[k]! * f(net.assetBorrower[k]!);
  }
  return out;
}

const defaultOf = (net: Network, ...ids: number[]): CapitalShock => {
  const forced = new Uint8Array(net.size);
  for (const i of ids) forced[i] = 1;
  return { loss: new Float64Array(net.size), forced };
};

const uniform = (net: Network, fraction: number): CapitalShock => ({
  loss: net.capital.map((c) => fraction * Math.max(0, c)),
});

// Interbank books near the size of capital: shocks cascade to some banks, not all.
const net = randomNetwork({
  nodes: 200,
  exposures: 3000,
  seed: 21,
  interbankShare: 0.08,
  capitalShare: [0.04, 0.12],
});
// Few, large exposures: single defaults cascade.
const concentrated = randomNetwork({
  nodes: 200,
  exposures: 500,
  seed: 21,
  interbankShare: 0.15,
  capitalShare: [0.03, 0.1],
});
const biggestBorrower = concentrated.interbankLiabilities.indexOf(
  Math.max(...concentrated.interbankLiabilities),
);
const count = (flags: Uint8Array) => flags.reduce((a, b) => a + b, 0);

describe("linear (differential) DebtRank", () => {
  it("converges to the fixed point h = h0 + V min(1, h)", () => {
    const r = debtRank(net, uniform(net, 0.05));
    expect(r.converged).toBe(true);
    const pushed = exposureTo(net, (j) => Math.min(1, r.stress[j]!));
    let defaults = 0;
    for (let i = 0; i < net.size; i++) {
      const expected = r.initialLoss[i]! + pushed[i]!;
      expect(Math.abs(r.loss[i]! - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, expected));
      expect(r.equity[i]).toBe(net.capital[i]! - r.loss[i]!);
      defaults += r.defaulted[i]!;
    }
    expect(defaults).toBeGreaterThan(0);
    expect(defaults).toBeLessThan(net.size);
  });

  it("stops early at a loose tolerance, from below, and flags a run cut short by maxIterations", () => {
    const full = debtRank(net, uniform(net, 0.02));
    const loose = debtRank(net, uniform(net, 0.02), { tolerance: 1e-2 });
    expect(loose.converged).toBe(true);
    expect(loose.iterations).toBeLessThan(full.iterations);
    for (let i = 0; i < net.size; i++) expect(loose.stress[i]!).toBeLessThanOrEqual(full.stress[i]!);
    const cut = debtRank(net, uniform(net, 0.02), { maxIterations: 1 });
    expect(cut.converged).toBe(false);
    expect(cut.iterations).toBe(1);
    // One round: every node passes on min(1, h0) once.
    const oneRound = exposureTo(net, (j) => Math.min(1, cut.initialStress[j]!));
    for (let i = 0; i < net.size; i++)
      expect(cut.loss[i]).toBeCloseTo(cut.initialLoss[i]! + oneRound[i]!, 10);
  });

  it("runs many scenarios four at a time with exactly the numbers of lone runs", () => {
    const lone: StressResult[] = [];
    for (let k = 0; k < 9; k++) lone.push(debtRank(net, defaultOf(net, k * 7), { tolerance: 1e-9 }));
    let seen = 0;
    propagateStress(
      net,
      9,
      (k) => defaultOf(net, k * 7),
      "linear",
      { tolerance: 1e-9 },
      (k, r) => {
        expect(Array.from(r.stress)).toEqual(Array.from(lone[k]!.stress));
        expect(r.iterations).toBe(lone[k]!.iterations);
        seen++;
      },
    );
    expect(seen).toBe(9);
  });

  it("pins nodes without capital at stress 1", () => {
    const small = buildNetwork({
      nodes: [
        { id: "x", capital: 0 },
        { id: "y", capital: 10 },
      ],
      exposures: [{ lender: "y", borrower: "x", amount: 4 }],
    });
    const r = debtRank(small, { loss: new Float64Array(2) });
    expect(Array.from(r.initialStress)).toEqual([1, 0]);
    expect(Array.from(r.stress)).toEqual([1, 0.4]);
    expect(Array.from(r.defaulted)).toEqual([1, 0]);
  });
});

describe("single-hit DebtRank and threshold cascades", () => {
  it("single-hit passes each node's stress on once, so it never exceeds the linear version", () => {
    const shock = defaultOf(concentrated, biggestBorrower);
    const single = debtRankSingleHit(concentrated, shock);
    const linear = debtRank(concentrated, shock);
    expect(single.converged).toBe(true);
    expect(single.iterations).toBeLessThanOrEqual(concentrated.size);
    expect(count(single.defaulted)).toBeGreaterThan(1);
    let below = 0;
    for (let i = 0; i < concentrated.size; i++) {
      expect(single.stress[i]!).toBeLessThanOrEqual(linear.stress[i]! + 1e-12);
      if (single.stress[i]! < linear.stress[i]! - 1e-9) below++;
    }
    expect(below).toBeGreaterThan(0);
  });

  it("threshold: only nodes at or above the threshold pass on, and they pass on everything", () => {
    const shock = { ...uniform(concentrated, 0.2), forced: defaultOf(concentrated, biggestBorrower).forced };
    const passingAt: number[] = [];
    for (const threshold of [1, 0.5]) {
      const r = thresholdCascade(concentrated, shock, { threshold });
      const passing = Array.from(r.stress).filter((h) => h >= threshold).length;
      passingAt.push(passing);
      expect(passing).toBeGreaterThan(1);
      const pushed = exposureTo(concentrated, (j) => (r.stress[j]! >= threshold ? 1 : 0));
      for (let i = 0; i < concentrated.size; i++) {
        expect(r.loss[i]).toBeCloseTo(r.initialLoss[i]! + pushed[i]!, 9);
      }
    }
    expect(passingAt[1]!).toBeGreaterThan(passingAt[0]!);
    expect(() => thresholdCascade(net, uniform(net, 0.1), { threshold: 0 })).toThrow(/threshold must be in/);
  });

  it("matches Furfine with zero recovery when defaults are what propagates", () => {
    // Threshold at 1 passes on A_ij for each defaulted j, Furfine with recovery 0 loses A_ij: same final loss.
    const shock = defaultOf(concentrated, biggestBorrower);
    const threshold = thresholdCascade(concentrated, shock);
    const furfine = furfineCascade(concentrated, shock, { recoveryRate: 0 });
    expect(count(furfine.defaulted)).toBeGreaterThan(1);
    // Furfine defaults at equity < 0, the threshold cascade at stress >= 1 (equity <= 0): equal unless a bank
    // lands exactly on zero, which random amounts never do.
    expect(Array.from(furfine.defaulted)).toEqual(Array.from(threshold.defaulted));
    for (let i = 0; i < concentrated.size; i++)
      expect(furfine.equity[i]).toBeCloseTo(threshold.equity[i]!, 9);
  });
});

describe("Furfine cascade", () => {
  it("loses (1 - recovery) of every exposure to a defaulted borrower, in waves", () => {
    const shock = defaultOf(concentrated, biggestBorrower);
    const defaults: number[] = [];
    for (const recoveryRate of [0, 0.4, 1]) {
      const r = furfineCascade(concentrated, shock, { recoveryRate });
      const lost = exposureTo(concentrated, (j) => (r.defaulted[j] ? 1 - recoveryRate : 0));
      for (let i = 0; i < concentrated.size; i++) {
        expect(r.equity[i]).toBeCloseTo(r.initialEquity[i]! - lost[i]!, 9);
        expect(r.defaulted[i]).toBe(i === biggestBorrower || r.equity[i]! < 0 ? 1 : 0);
        expect(r.defaultRound[i]).toBeLessThanOrEqual(r.rounds);
      }
      defaults.push(count(r.defaulted));
    }
    // More recovery, fewer defaults; full recovery stops the cascade at the trigger.
    expect(defaults[0]!).toBeGreaterThan(1);
    expect(defaults[0]!).toBeGreaterThanOrEqual(defaults[1]!);
    expect(defaults[2]).toBe(1);
    expect(() => furfineCascade(net, shock, { recoveryRate: 2 })).toThrow(/recovery rate/);
  });
});

describe("all scenarios at once", () => {
  /** Every field of a batched result is the lone run's, bit for bit. */
  function expectSame(batched: StressResult, lone: StressResult): void {
    for (const key of ["initialStress", "stress", "initialLoss", "loss", "equity", "defaulted"] as const) {
      const a = batched[key];
      const b = lone[key];
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) {
        if (!Object.is(a[i], b[i])) expect.fail(`${key}[${i}]: ${a[i]} batched, ${b[i]} alone`);
      }
    }
    expect(batched.iterations).toBe(lone.iterations);
    expect(batched.converged).toBe(lone.converged);
  }

  const cases: Array<[string, Network, StressRule, ThresholdOptions]> = [
    ["linear", net, "linear", {}],
    ["linear, concentrated", concentrated, "linear", { tolerance: 1e-9 }],
    ["linear, no tolerance", concentrated, "linear", { tolerance: 0 }],
    ["single-hit", concentrated, "single-hit", {}],
    ["threshold 0.5", concentrated, "threshold", { threshold: 0.5 }],
    ["linear, cut short", net, "linear", { maxIterations: 4 }],
  ];
  const lone = { linear: debtRank, "single-hit": debtRankSingleHit, threshold: thresholdCascade };

  for (const [name, network, rule, options] of cases) {
    it(`${name}: every single default, run side by side, equals its lone run`, () => {
      // Linear runs on `net` take hundreds of rounds to reach machine precision: check every fifth alone.
      const every = network === net && rule === "linear" && options.maxIterations === undefined ? 5 : 1;
      // More scenarios than lanes, so lanes are refilled as scenarios end at different rounds.
      const seen = new Uint8Array(network.size);
      const rounds = new Set<number>();
      propagateStress(
        network,
        network.size,
        (k) => defaultOf(network, k),
        rule,
        options,
        (k, r) => {
          expect(seen[k]).toBe(0);
          seen[k] = 1;
          rounds.add(r.iterations);
          if (k % every === 0) expectSame(r, lone[rule](network, defaultOf(network, k), options));
        },
      );
      expect(count(seen)).toBe(network.size);
      if (options.maxIterations === undefined) expect(rounds.size).toBeGreaterThan(1);
    });
  }

  it("mixed shocks, nodes without capital and a capital override", () => {
    const capital = net.capital.map((c, i) => (i % 23 === 4 ? 0 : c));
    const shocks = Array.from({ length: 40 }, (_, k) =>
      k % 2 === 0 ? defaultOf(net, k, 3 * k + 1) : uniform(net, 0.01 * k),
    );
    for (const rule of ["linear", "single-hit", "threshold"] as const) {
      const options = { capital, threshold: 0.7 };
      let seen = 0;
      propagateStress(
        net,
        shocks.length,
        (k) => shocks[k]!,
        rule,
        options,
        (k, r) => {
          expectSame(r, lone[rule](net, shocks[k]!, options));
          seen++;
        },
      );
      expect(seen).toBe(shocks.length);
    }
  });

  it("handles a handful of scenarios and an empty network", () => {
    for (const count of [2, 3, 5]) {
      propagateStress(
        net,
        count,
        (k) => defaultOf(net, k),
        "linear",
        {},
        (k, r) => {
          expectSame(r, debtRank(net, defaultOf(net, k)));
        },
      );
    }
    const empty = buildNetwork({ nodes: [], exposures: [] });
    const results: StressResult[] = [];
    propagateStress(
      empty,
      3,
      () => ({ loss: new Float64Array(0) }),
      "linear",
      {},
      (_, r) => {
        results.push(r);
      },
    );
    expect(results.map((r) => [r.iterations, r.converged])).toEqual([
      [0, true],
      [0, true],
      [0, true],
    ]);
  });
});
