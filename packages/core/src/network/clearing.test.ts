import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { clearPayments, eisenbergNoe, rogersVeraart } from "./clearing.ts";
import type { Network } from "./network.ts";
import { networkFromMatrix } from "./network.ts";
import { randomNetwork } from "./random-network.ts";

/** Receipts of every bank at payments p: sum over its borrowers j of A_ij * p_j / nominal_j. */
function receipts(net: Network, payments: Float64Array, nominal: Float64Array): Float64Array {
  const out = new Float64Array(net.size);
  for (let i = 0; i < net.size; i++) {
    for (let k = net.assetStart[i]!; k < net.assetStart[i + 1]!; k++) {
      const j = net.assetBorrower[k]!;
      out[i]! += (net.assetAmount[k]! * payments[j]!) / nominal[j]!;
    }
  }
  return out;
}

/** Independent check: Picard iteration from full payment, which converges to the greatest clearing vector. */
function picard(net: Network, ea: Float64Array): Float64Array {
  const nominal = net.interbankLiabilities.map((x, i) => x + net.externalLiabilities[i]!);
  let p = nominal.slice();
  for (let sweep = 0; sweep < 100_000; sweep++) {
    const got = receipts(net, p, nominal);
    const next = nominal.map((l, i) => Math.min(l, Math.max(0, ea[i]! + got[i]!)));
    const moved = next.some((x, i) => Math.abs(x - p[i]!) > 1e-15 * Math.max(1, nominal[i]!));
    p = next;
    if (!moved) break;
  }
  return p;
}

const shocked = (net: Network, fraction: number) => net.externalAssets.map((x) => x * (1 - fraction));
const maxRelative = (a: Float64Array, b: Float64Array, scale: Float64Array) =>
  Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!) / Math.max(1, scale[i]!)));

describe("Eisenberg-Noe clearing", () => {
  const net = randomNetwork({ nodes: 300, exposures: 3000, seed: 11 });
  const ea = shocked(net, 0.08);

  it("finds the greatest clearing vector: a fixed point that Picard iteration from above also reaches", () => {
    const r = eisenbergNoe(net, { externalAssets: ea });
    const defaults = r.defaulted.reduce((a, b) => a + b, 0);
    expect(defaults).toBeGreaterThan(10);
    expect(r.rounds).toBeGreaterThan(1);
    const got = receipts(net, r.payments, r.nominal);
    for (let i = 0; i < net.size; i++) {
      const due = Math.min(r.nominal[i]!, Math.max(0, ea[i]! + got[i]!));
      expect(Math.abs(r.payments[i]! - due)).toBeLessThanOrEqual(1e-12 * Math.max(1, r.nominal[i]!));
      expect(r.defaulted[i]).toBe(r.equity[i]! < 0 ? 1 : 0);
    }
    expect(maxRelative(r.payments, picard(net, ea), r.nominal)).toBeLessThan(1e-12);
  });

  it("gives the same answer exactly (elimination) and iteratively (Gauss-Seidel)", () => {
    const exact = eisenbergNoe(net, { externalAssets: ea, denseLimit: 10_000 });
    const iterative = eisenbergNoe(net, { externalAssets: ea, denseLimit: 0 });
    expect(exact.exact).toBe(true);
    expect(iterative.exact).toBe(false);
    expect(iterative.sweeps).toBeGreaterThan(0);
    expect(maxRelative(exact.payments, iterative.payments, exact.nominal)).toBeLessThan(1e-12);
    expect(Array.from(exact.defaultRound)).toEqual(Array.from(iterative.defaultRound));
  });

  it("pays in full when nothing is lost", () => {
    const r = eisenbergNoe(net);
    const solvent = Array.from(r.equity).every((e) => e >= 0);
    expect(solvent).toBe(true);
    expect(Array.from(r.payments)).toEqual(Array.from(r.nominal));
    expect(r.rounds).toBe(0);
  });

  it("with external liabilities senior, a bank whose resources go negative pays its interbank creditors nothing", () => {
    // x owes y 4 and outsiders 10 but holds 9 outside and is owed 1 by y: 0 left for y after outsiders.
    const n = networkFromMatrix({
      ids: ["x", "y"],
      matrix: [
        [0, 4],
        [1, 0],
      ],
      orientation: "liabilities",
      externalAssets: [9, 3],
      externalLiabilities: [10, 1],
    });
    const senior = eisenbergNoe(n, { seniority: "external-senior" });
    expect(senior.interbankPayments[0]).toBe(0);
    // y still covers its own debts from outside assets: 3 + 0 - 1 - 1.
    expect(senior.equity[1]).toBe(1);
    expect(Array.from(senior.defaulted)).toEqual([1, 0]);
    // Pari passu spreads x's shortfall over all its creditors, so y recovers something.
    const pariPassu = eisenbergNoe(n);
    expect(pariPassu.interbankPayments[0]).toBeGreaterThan(0);
    expect(pariPassu.equity[1]!).toBeGreaterThan(senior.equity[1]!);
  });

  it("records the fictitious-default sequence on request", () => {
    const r = eisenbergNoe(net, { externalAssets: ea, trace: true });
    expect(r.trace).toHaveLength(r.rounds + 1);
    expect(Array.from(r.trace![0]!)).toEqual(Array.from(r.nominal));
    // Payments only fall from one round to the next.
    for (let k = 1; k < r.trace!.length; k++) {
      for (let i = 0; i < net.size; i++)
        expect(r.trace![k]![i]!).toBeLessThanOrEqual(r.trace![k - 1]![i]! + 1e-12);
    }
    expect(eisenbergNoe(net, { externalAssets: ea }).trace).toBeUndefined();
  });
});

describe("Rogers-Veraart clearing", () => {
  const net = randomNetwork({ nodes: 200, exposures: 2000, seed: 5 });
  const ea = shocked(net, 0.06);

  it("defaulting banks pay alpha of external assets plus beta of receipts; the rest pay in full", () => {
    const alpha = 0.6;
    const beta = 0.8;
    const r = rogersVeraart(net, alpha, beta, { externalAssets: ea });
    const got = receipts(net, r.payments, r.nominal);
    let defaults = 0;
    for (let i = 0; i < net.size; i++) {
      const tol = 1e-12 * Math.max(1, r.nominal[i]!);
      if (r.defaulted[i]) {
        defaults++;
        expect(ea[i]! + got[i]!).toBeLessThan(r.nominal[i]!);
        expect(Math.abs(r.payments[i]! - (alpha * ea[i]! + beta * got[i]!))).toBeLessThanOrEqual(tol);
      } else {
        expect(ea[i]! + got[i]!).toBeGreaterThanOrEqual(r.nominal[i]! - tol);
        expect(r.payments[i]).toBe(r.nominal[i]);
      }
    }
    expect(defaults).toBeGreaterThan(0);
  });

  it("default costs never raise payments, and alpha = beta = 1 is Eisenberg-Noe", () => {
    const rv = rogersVeraart(net, 0.5, 0.5, { externalAssets: ea });
    const en = eisenbergNoe(net, { externalAssets: ea });
    for (let i = 0; i < net.size; i++) expect(rv.payments[i]!).toBeLessThanOrEqual(en.payments[i]! + 1e-12);
    const same = rogersVeraart(net, 1, 1, { externalAssets: ea });
    expect(maxRelative(same.payments, en.payments, en.nominal)).toBeLessThan(1e-13);
  });

  it("rejects recovery shares outside [0, 1] and default costs with senior external debt", () => {
    expect(() => rogersVeraart(net, 1.5, 0.5)).toThrow(AppError);
    expect(() => rogersVeraart(net, 0.5, -0.1)).toThrow(/beta must be between 0 and 1/);
    expect(() => clearPayments(net, { alpha: 0.5, seniority: "external-senior" })).toThrow(/pari-passu/);
  });
});
