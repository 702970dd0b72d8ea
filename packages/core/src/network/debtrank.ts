import { AppError } from "../errors.ts";
import { type CapitalShock, initialLoss } from "./capital-shock.ts";
import type { Network } from "./network.ts";

export interface StressOptions {
  /** Capital buffers; default the network's. Nodes without positive capital start (and stay) at stress 1. */
  capital?: Float64Array;
  /**
   * Stop when the Euclidean norm of a round's stress change falls below this (NetworkRiskMeasures' rule;
   * its default is eps^0.2, about 7e-4). Default 0: run until no stress changes at all.
   */
  tolerance?: number;
  /** Cap on propagation rounds; default 100000. */
  maxIterations?: number;
}

export interface ThresholdOptions extends StressOptions {
  /** Stress at which a node passes on its full default; default 1. */
  threshold?: number;
}

/**
 * Stress of every node, h_i = loss_i / capital_i. Stress is not capped at 1: a value above 1 is a loss
 * beyond capital (NetworkRiskMeasures reports losses this way); what propagates is always min(1, h).
 */
export interface StressResult {
  initialStress: Float64Array;
  stress: Float64Array;
  /** Money lost before contagion (the shock) and at the end. */
  initialLoss: Float64Array;
  loss: Float64Array;
  /** capital - loss. */
  equity: Float64Array;
  /** Stress of at least 1 (within 1e-12), i.e. capital exhausted. */
  defaulted: Uint8Array;
  iterations: number;
  converged: boolean;
}

type Rule = "linear" | "single-hit" | "threshold";

const defaultTolerance = 1e-12;

/**
 * Differential (linear) DebtRank of Bardoscia et al. (2015): every round each node passes on the increase
 * of its capped stress since the previous round, h_i += sum_j (A_ij / E_i) (min(1,h_j) - prior_j).
 * The fixed point is h = h0 + V min(1, h); the rounds are synchronous, as NetworkRiskMeasures runs them.
 */
export function debtRank(net: Network, shock: CapitalShock, options: StressOptions = {}): StressResult {
  return propagate(net, shock, options, "linear", 1);
}

/**
 * Single-hit DebtRank of Battiston et al. (2012): a node distressed in round t passes on its stress
 * once, in round t + 1, and is inactive afterwards (it still accumulates losses).
 */
export function debtRankSingleHit(net: Network, shock: CapitalShock, options: StressOptions = {}): StressResult {
  return propagate(net, shock, options, "single-hit", 1);
}

/** Threshold (default) cascade: a node passes on full stress, once, when its stress reaches the threshold. */
export function thresholdCascade(net: Network, shock: CapitalShock, options: ThresholdOptions = {}): StressResult {
  const threshold = options.threshold ?? 1;
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    throw new AppError("INVALID_INPUT", `threshold must be in (0, 1] (got ${threshold})`);
  }
  return propagate(net, shock, options, "threshold", threshold);
}

function propagate(
  net: Network,
  shock: CapitalShock,
  options: StressOptions,
  rule: Rule,
  threshold: number,
): StressResult {
  const n = net.size;
  const capital = options.capital ?? net.capital;
  if (capital.length !== n) throw new AppError("INVALID_INPUT", `capital has ${capital.length} entries, expected ${n}`);
  const tolerance = options.tolerance ?? 0;
  const maxIterations = options.maxIterations ?? 100_000;
  if (!(tolerance >= 0)) throw new AppError("INVALID_INPUT", `tolerance must be non-negative (got ${tolerance})`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new AppError("INVALID_INPUT", `maxIterations must be a positive integer (got ${maxIterations})`);
  }
  const loss = initialLoss(net, shock, capital);
  const startLoss = loss.slice();
  // inverse[i] = 1 / E_i; 0 marks a node without capital, whose stress is pinned at 1.
  const inverse = new Float64Array(n);
  for (let i = 0; i < n; i++) inverse[i] = capital[i]! > 0 ? 1 / capital[i]! : 0;
  const stressOf = (i: number): number => (inverse[i] === 0 ? 1 : loss[i]! * inverse[i]!);
  const initialStress = new Float64Array(n);
  for (let i = 0; i < n; i++) initialStress[i] = stressOf(i);

  const { debtStart, debtLender, debtAmount } = net;
  const passed = new Float64Array(n); // linear: capped stress already passed on
  const state = new Uint8Array(n); // single-hit / threshold: 1 once the node has propagated
  const delta = new Float64Array(n);
  const before = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  for (;;) {
    let active = 0;
    for (let j = 0; j < n; j++) {
      const h = stressOf(j);
      let d = 0;
      if (rule === "linear") {
        // Store the capped level itself (not passed + d) so an unchanged node yields exactly zero next round.
        const level = h < 1 ? h : 1;
        d = level - passed[j]!;
        if (d > 0) passed[j] = level;
      } else if (state[j] === 0) {
        if (rule === "single-hit") d = h > 0 ? (h < 1 ? h : 1) : 0;
        else d = h >= threshold ? 1 : 0;
      }
      if (d > 0) {
        delta[j] = d;
        active++;
      } else delta[j] = 0;
    }
    if (active === 0) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    iterations++;
    if (tolerance > 0) before.set(loss);
    for (let j = 0; j < n; j++) {
      const d = delta[j]!;
      if (d === 0) continue;
      state[j] = 1;
      for (let k = debtStart[j]!; k < debtStart[j + 1]!; k++) loss[debtLender[k]!]! += debtAmount[k]! * d;
    }
    if (tolerance > 0) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const ds = (loss[i]! - before[i]!) * inverse[i]!;
        sum += ds * ds;
      }
      if (Math.sqrt(sum) < tolerance) {
        converged = true;
        break;
      }
    }
  }

  const stress = new Float64Array(n);
  const equity = new Float64Array(n);
  const defaulted = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    stress[i] = stressOf(i);
    equity[i] = capital[i]! - loss[i]!;
    defaulted[i] = stress[i]! >= 1 - defaultTolerance ? 1 : 0;
  }
  return {
    initialStress,
    stress,
    initialLoss: startLoss,
    loss,
    equity,
    defaulted,
    iterations,
    converged,
  };
}
