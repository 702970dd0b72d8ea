import { AppError } from "../errors.ts";
import { solveDense } from "./dense.ts";
import type { Network } from "./network.ts";

/**
 * Who is paid first when a bank cannot pay everything.
 * - "pari-passu": external creditors share pro rata with interbank creditors (Eisenberg-Noe as extended by
 *   Glasserman-Young, and as systemicrisk and NEVA implement it). This is the default: unsecured interbank
 *   and other unsecured creditors rank equally in a liquidation, and it is the convention both
 *   cross-checked reference implementations use.
 * - "external-senior": external liabilities are paid in full before any interbank creditor (Barucca's
 *   eisenbergnoe.m). Interbank creditors then absorb all of a bank's shortfall, so it bounds interbank
 *   contagion from above; use it when external liabilities are mostly preferred claims such as retail
 *   deposits (PRC Commercial Bank Law art. 71 pays personal savings deposits first in a liquidation).
 */
export type Seniority = "pari-passu" | "external-senior";

export interface ClearingOptions {
  /** External assets after the shock; default the network's own. */
  externalAssets?: Float64Array;
  seniority?: Seniority;
  /** Rogers-Veraart recovery on external assets of a defaulting bank (1 = Eisenberg-Noe). */
  alpha?: number;
  /** Rogers-Veraart recovery on interbank receivables of a defaulting bank (1 = Eisenberg-Noe). */
  beta?: number;
  /** Iterative inner solves stop when no recovery rate moves more than this; default 1e-14. */
  tolerance?: number;
  /** Cap on Gauss-Seidel sweeps per round; default 100000. */
  maxIterations?: number;
  /** Defaulted sets up to this size are solved exactly by Gaussian elimination; default 400. */
  denseLimit?: number;
  /** Record the payment vector after every round (the fictitious-default sequence). */
  trace?: boolean;
}

export interface ClearingResult {
  /** What each bank pays in total: all creditors under pari passu, interbank creditors only when external is senior. */
  payments: Float64Array;
  /** Part of the payments that goes to interbank creditors. */
  interbankPayments: Float64Array;
  /** The nominal amount behind `payments` (Lbar). */
  nominal: Float64Array;
  /** External assets + interbank receipts - all nominal liabilities (negative: a shortfall). */
  equity: Float64Array;
  /** Interbank receipts at the clearing payments. */
  received: Float64Array;
  /** 1 when the bank cannot pay its liabilities in full (equity < 0). */
  defaulted: Uint8Array;
  /** Round of the fictitious default algorithm in which the bank defaulted (1-based), 0 when it did not. */
  defaultRound: Int32Array;
  rounds: number;
  /** Gauss-Seidel sweeps spent in rounds too large for the exact solve. */
  sweeps: number;
  /** False when an iterative solve hit maxIterations. */
  converged: boolean;
  /** True when every round was solved exactly (Gaussian elimination) rather than iteratively. */
  exact: boolean;
  trace?: Float64Array[];
}

function checkUnit(name: string, x: number): void {
  if (!Number.isFinite(x) || x < 0 || x > 1) {
    throw new AppError("INVALID_INPUT", `${name} must be between 0 and 1 (got ${x})`);
  }
}

/**
 * Greatest clearing vector by the fictitious default algorithm (Eisenberg-Noe 2001; Rogers-Veraart 2013 GA):
 * start from full payment, find who cannot pay, solve the payments of that set with everyone else paying in
 * full, and repeat until the set stops growing. Each round is exact (Gaussian elimination) when the set is
 * small, otherwise a monotone Gauss-Seidel solve from above to `tolerance`.
 */
export function clearPayments(net: Network, options: ClearingOptions = {}): ClearingResult {
  const n = net.size;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 1;
  checkUnit("alpha", alpha);
  checkUnit("beta", beta);
  const seniority = options.seniority ?? "pari-passu";
  const tolerance = options.tolerance ?? 1e-14;
  const maxIterations = options.maxIterations ?? 100_000;
  const denseLimit = options.denseLimit ?? 400;
  const ea = options.externalAssets ?? net.externalAssets;
  if (ea.length !== n)
    throw new AppError("INVALID_INPUT", `externalAssets has ${ea.length} entries, expected ${n}`);
  const senior = seniority === "external-senior";
  if (senior && (alpha !== 1 || beta !== 1)) {
    throw new AppError(
      "INVALID_INPUT",
      "default costs (alpha, beta < 1) are defined for pari-passu seniority only",
    );
  }

  const { assetStart, assetBorrower, assetAmount } = net;
  // nominal[i]: what i must pay to the claims that share its payments; cash[i]: its own resources.
  const nominal = new Float64Array(n);
  const cash = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nominal[i] = senior
      ? net.interbankLiabilities[i]!
      : net.interbankLiabilities[i]! + net.externalLiabilities[i]!;
    cash[i] = senior ? ea[i]! - net.externalLiabilities[i]! : ea[i]!;
  }
  // r[j] = share of its nominal liabilities that j pays; claims on j are worth A_ij r_j.
  const r = new Float64Array(n).fill(1);
  const received = new Float64Array(n);
  const inDefault = new Uint8Array(n);
  const defaultRound = new Int32Array(n);
  const trace: Float64Array[] | undefined = options.trace ? [] : undefined;
  const snapshot = () => {
    if (!trace) return;
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = r[i]! * nominal[i]!;
    trace.push(p);
  };
  snapshot();

  const receipts = (i: number): number => {
    let s = 0;
    for (let k = assetStart[i]!; k < assetStart[i + 1]!; k++) s += assetAmount[k]! * r[assetBorrower[k]!]!;
    return s;
  };

  let rounds = 0;
  let sweeps = 0;
  let converged = true;
  let exact = true;
  const defaulted: number[] = [];
  for (;;) {
    let grew = false;
    for (let i = 0; i < n; i++) {
      if (inDefault[i] || nominal[i] === 0) continue;
      if (cash[i]! + receipts(i) < nominal[i]!) {
        inDefault[i] = 1;
        defaultRound[i] = rounds + 1;
        defaulted.push(i);
        grew = true;
      }
    }
    if (!grew) break;
    rounds++;
    const solved = defaulted.length <= denseLimit && solveExactly(defaulted);
    if (!solved) {
      exact = false;
      const used = gaussSeidel(defaulted);
      sweeps += used;
      if (used >= maxIterations) converged = false;
      if (defaulted.length <= denseLimit && polish(defaulted)) exact = true;
    }
    snapshot();
  }

  /** What a defaulted bank can pay at the current r: alpha * own cash + beta * receipts. */
  function rhs(i: number): number {
    return alpha * cash[i]! + beta * receipts(i);
  }

  /** Exact solve of nominal_i r_i - beta sum_{j in D} A_ij r_j = rhs_i over the set minus the banks paying nothing. */
  function solveExactly(set: number[], zero?: Uint8Array): boolean {
    // Banks whose resources are already non-positive pay nothing at the answer (values only fall).
    const isZero = zero ?? new Uint8Array(n);
    if (!zero) for (const i of set) if (rhs(i) <= 0) isZero[i] = 1;
    const active = set.filter((i) => !isZero[i]);
    const d = active.length;
    const pos = new Map<number, number>();
    active.forEach((i, k) => {
      pos.set(i, k);
    });
    const a = new Float64Array(d * d);
    const b = new Float64Array(d);
    for (let row = 0; row < d; row++) {
      const i = active[row]!;
      a[row * d + row] = nominal[i]!;
      let outside = 0;
      for (let k = assetStart[i]!; k < assetStart[i + 1]!; k++) {
        const j = assetBorrower[k]!;
        if (!inDefault[j]) outside += assetAmount[k]! * r[j]!;
        else {
          const col = pos.get(j);
          if (col !== undefined) a[row * d + col]! -= beta * assetAmount[k]!;
        }
      }
      b[row] = alpha * cash[i]! + beta * outside;
    }
    const x = solveDense(a, b, d);
    if (!x) return false;
    for (let k = 0; k < d; k++) if (x[k]! < 0) return false;
    // Consistency: banks held at zero must still have non-positive resources at the solution.
    const previous = new Float64Array(set.length);
    set.forEach((i, k) => {
      previous[k] = r[i]!;
    });
    for (let k = 0; k < d; k++) r[active[k]!] = Math.min(1, x[k]!);
    for (const i of set) if (isZero[i]) r[i] = 0;
    for (const i of set) {
      if (isZero[i] && rhs(i) > 0) {
        set.forEach((j, k) => {
          r[j] = previous[k]!;
        });
        return false;
      }
    }
    return true;
  }

  /** Monotone Gauss-Seidel from above on the defaulted set, with payments floored at zero. */
  function gaussSeidel(set: number[]): number {
    for (let sweep = 1; sweep <= maxIterations; sweep++) {
      let change = 0;
      for (const i of set) {
        const next = Math.min(1, Math.max(0, rhs(i)) / nominal[i]!);
        const delta = Math.abs(next - r[i]!);
        if (delta > change) change = delta;
        r[i] = next;
      }
      if (change <= tolerance) return sweep;
    }
    return maxIterations;
  }

  /** After an iterative solve, redo the round exactly with the zero set it found. */
  function polish(set: number[]): boolean {
    const zero = new Uint8Array(n);
    for (const i of set) if (r[i] === 0) zero[i] = 1;
    return solveExactly(set, zero);
  }

  const payments = new Float64Array(n);
  const interbankPayments = new Float64Array(n);
  const equity = new Float64Array(n);
  const defaultedOut = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    payments[i] = r[i]! * nominal[i]!;
    interbankPayments[i] = r[i]! * net.interbankLiabilities[i]!;
    received[i] = receipts(i);
    equity[i] = ea[i]! + received[i]! - net.interbankLiabilities[i]! - net.externalLiabilities[i]!;
    // A bank with no claims sharing its payments can still end with a shortfall (external-senior).
    defaultedOut[i] = inDefault[i] || (nominal[i] === 0 && equity[i]! < 0) ? 1 : 0;
  }
  const result: ClearingResult = {
    payments,
    interbankPayments,
    nominal,
    equity,
    received,
    defaulted: defaultedOut,
    defaultRound,
    rounds,
    sweeps,
    converged,
    exact,
  };
  if (trace) result.trace = trace;
  return result;
}

/** Eisenberg-Noe clearing (no default costs); pari passu unless `seniority` says otherwise. */
export function eisenbergNoe(
  net: Network,
  options: Omit<ClearingOptions, "alpha" | "beta"> = {},
): ClearingResult {
  return clearPayments(net, { ...options, alpha: 1, beta: 1 });
}

/** Rogers-Veraart clearing: a defaulting bank realises alpha of its external assets and beta of its receivables. */
export function rogersVeraart(
  net: Network,
  alpha: number,
  beta: number,
  options: Omit<ClearingOptions, "alpha" | "beta" | "seniority"> = {},
): ClearingResult {
  return clearPayments(net, { ...options, alpha, beta, seniority: "pari-passu" });
}

/**
 * Equity implied by a candidate payment vector, for banks that pay in full (zero for the others):
 * external assets + receipts - own payment. FinNetValu calls this the Rogers model valuation.
 */
export function clearingValuation(
  net: Network,
  payments: ArrayLike<number>,
  externalAssets: ArrayLike<number> = net.externalAssets,
): Float64Array {
  const n = net.size;
  const nominal = new Float64Array(n);
  for (let i = 0; i < n; i++) nominal[i] = net.interbankLiabilities[i]! + net.externalLiabilities[i]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (payments[i]! < nominal[i]!) continue;
    let s = 0;
    for (let k = net.assetStart[i]!; k < net.assetStart[i + 1]!; k++) {
      const j = net.assetBorrower[k]!;
      if (nominal[j]! > 0) s += (net.assetAmount[k]! / nominal[j]!) * payments[j]!;
    }
    out[i] = externalAssets[i]! + s - payments[i]!;
  }
  return out;
}
