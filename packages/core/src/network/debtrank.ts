import { AppError } from "../errors.ts";
import { type CapitalShock, initialLoss } from "./capital-shock.ts";
import type { Network } from "./network.ts";

export interface StressOptions {
  /** Capital buffers; default the network's. Nodes without positive capital start (and stay) at stress 1. */
  capital?: Float64Array;
  /**
   * Stop when the Euclidean norm of a round's stress change falls below this (NetworkRiskMeasures' rule;
   * its default is eps^0.2, about 7e-4). Default 1e-15, machine precision: a cascade that ends in finitely
   * many rounds runs to its end, and a geometric tail stops once what is left is rounding noise (without a
   * floor, last-bit rounding can keep feeding a cycle of small banks forever). 0: stop only when no stress moves.
   */
  tolerance?: number;
  /** Cap on propagation rounds; default 10000. A run that hits it reports converged: false. */
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

/**
 * How stress passes on. linear: Bardoscia et al. (2015) differential DebtRank; single-hit: Battiston et al.
 * (2012); threshold: a node passes on its full default once its stress reaches the threshold.
 */
export type StressRule = "linear" | "single-hit" | "threshold";

/** A node counts as defaulted at stress >= 1 - this, so rounding cannot hide an exhausted buffer. */
const defaultSlack = 1e-12;

/**
 * Differential (linear) DebtRank of Bardoscia et al. (2015): every round each node passes on the increase
 * of its capped stress since the previous round, h_i += sum_j (A_ij / E_i) (min(1,h_j) - prior_j).
 * The fixed point is h = h0 + V min(1, h); the rounds are synchronous, as NetworkRiskMeasures runs them.
 */
export function debtRank(net: Network, shock: CapitalShock, options: StressOptions = {}): StressResult {
  return propagateOne(net, shock, "linear", options);
}

/**
 * Single-hit DebtRank of Battiston et al. (2012): a node distressed in round t passes on its stress
 * once, in round t + 1, and is inactive afterwards (it still accumulates losses).
 */
export function debtRankSingleHit(
  net: Network,
  shock: CapitalShock,
  options: StressOptions = {},
): StressResult {
  return propagateOne(net, shock, "single-hit", options);
}

/** Threshold (default) cascade: a node passes on full stress, once, when its stress reaches the threshold. */
export function thresholdCascade(
  net: Network,
  shock: CapitalShock,
  options: ThresholdOptions = {},
): StressResult {
  return propagateOne(net, shock, "threshold", options);
}

function propagateOne(
  net: Network,
  shock: CapitalShock,
  rule: StressRule,
  options: ThresholdOptions,
): StressResult {
  let out: StressResult | undefined;
  propagateStress(
    net,
    1,
    () => shock,
    rule,
    options,
    (_, r) => {
      out = r;
    },
  );
  return out!;
}

/**
 * Runs `count` scenarios of one stress rule and hands each result to `each` as soon as it is done, so thousands
 * of scenarios (one per institution) never sit in memory together.
 */
export function propagateStress(
  net: Network,
  count: number,
  shockAt: (k: number) => CapitalShock,
  rule: StressRule,
  options: ThresholdOptions,
  each: (k: number, result: StressResult) => void,
): void {
  const n = net.size;
  const capital = options.capital ?? net.capital;
  if (capital.length !== n)
    throw new AppError("INVALID_INPUT", `capital has ${capital.length} entries, expected ${n}`);
  const tolerance = options.tolerance ?? 1e-15;
  const maxIterations = options.maxIterations ?? 10_000;
  const threshold = options.threshold ?? 1;
  if (!(tolerance >= 0))
    throw new AppError("INVALID_INPUT", `tolerance must be non-negative (got ${tolerance})`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new AppError("INVALID_INPUT", `maxIterations must be a positive integer (got ${maxIterations})`);
  }
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    throw new AppError("INVALID_INPUT", `threshold must be in (0, 1] (got ${threshold})`);
  }
  // inverse[i] = 1 / E_i; 0 marks a node without capital, whose stress is pinned at 1.
  const inverse = new Float64Array(n);
  for (let i = 0; i < n; i++) inverse[i] = capital[i]! > 0 ? 1 / capital[i]! : 0;
  const params: Params = { net, capital, inverse, rule, threshold, tolerance, maxIterations };
  // One scenario runs alone; several run four at a time, sharing each pass over the exposures.
  const width = count === 1 ? 1 : lanes;
  const work = new Workspace(n, width);
  for (let first = 0; first < count; first += width) {
    const starts: Float64Array[] = [];
    for (let k = first; k < Math.min(count, first + width); k++)
      starts.push(initialLoss(net, shockAt(k), capital));
    propagateLanes(params, starts, work).forEach((result, s) => {
      each(first + s, result);
    });
  }
}

const lanes = 4;

interface Params {
  net: Network;
  capital: Float64Array;
  inverse: Float64Array;
  rule: StressRule;
  threshold: number;
  tolerance: number;
  maxIterations: number;
}

/** Scratch arrays reused across blocks; per-node values are interleaved by lane (entry i * width + s). */
class Workspace {
  readonly width: number;
  readonly loss: Float64Array;
  readonly passed: Float64Array;
  readonly delta: Float64Array;
  readonly before: Float64Array;
  readonly activeList: Int32Array[];
  constructor(n: number, width: number) {
    this.width = width;
    this.loss = new Float64Array(n * width);
    this.passed = new Float64Array(n * width);
    this.delta = new Float64Array(n * width);
    this.before = new Float64Array(n);
    this.activeList = Array.from({ length: width }, () => new Int32Array(n));
  }
}

/**
 * Synchronous rounds for up to `width` scenarios side by side. Per scenario and round: with few active
 * nodes, push their increments to their creditors; otherwise pull, creditor by creditor, in a pass that serves
 * every lane at once. The choice depends on the scenario alone and every lane adds its terms in the same
 * order as a lone run, so a scenario's numbers never depend on its neighbours in the block.
 */
function propagateLanes(p: Params, starts: Float64Array[], work: Workspace): StressResult[] {
  const { net, capital, inverse, rule, threshold, tolerance, maxIterations } = p;
  const n = net.size;
  const { debtStart, debtLender, debtAmount } = net;
  const b = work.width;
  const used = starts.length;
  const pullAbove = net.exposureCount / 4;
  const { loss, passed, delta, before, activeList } = work;
  loss.fill(0);
  passed.fill(0); // linear: capped stress already passed on; others: 1 once passed on
  delta.fill(0);
  for (let s = 0; s < used; s++) for (let i = 0; i < n; i++) loss[i * b + s] = starts[s]![i]!;
  const running = new Uint8Array(b);
  running.fill(1, 0, used);
  const iterations = new Int32Array(b);
  const converged = new Uint8Array(b);
  const active = new Int32Array(b);
  const activeEdges = new Float64Array(b);
  const pulling = new Uint8Array(b);
  const change = new Float64Array(b);

  for (;;) {
    active.fill(0);
    activeEdges.fill(0);
    for (let j = 0; j < n; j++) {
      const inv = inverse[j]!;
      for (let s = 0; s < used; s++) {
        if (!running[s]) continue;
        const at = j * b + s;
        const h = inv === 0 ? 1 : loss[at]! * inv;
        let d = 0;
        if (rule === "linear") {
          // Store the capped level itself (not passed + d) so an unchanged node yields exactly zero next round.
          const level = Math.min(h, 1);
          d = level - passed[at]!;
          if (d > 0) passed[at] = level;
          else d = 0;
        } else if (passed[at] === 0) {
          if (rule === "single-hit") d = h > 0 ? Math.min(h, 1) : 0;
          else d = h >= threshold ? 1 : 0;
          if (d > 0) passed[at] = 1;
        }
        delta[at] = d;
        if (d > 0) {
          activeList[s]![active[s]!++] = j;
          activeEdges[s]! += debtStart[j + 1]! - debtStart[j]!;
        }
      }
    }
    let anyPull = false;
    let anyRunning = false;
    for (let s = 0; s < used; s++) {
      if (!running[s]) continue;
      if (active[s] === 0) {
        running[s] = 0;
        converged[s] = 1;
        continue;
      }
      if (iterations[s]! >= maxIterations) {
        // Out of rounds: this round's increments are not applied.
        running[s] = 0;
        for (let a = 0; a < active[s]!; a++) delta[activeList[s]![a]! * b + s] = 0;
        continue;
      }
      iterations[s]!++;
      anyRunning = true;
      pulling[s] = activeEdges[s]! > pullAbove ? 1 : 0;
      if (pulling[s]) anyPull = true;
    }
    if (!anyRunning) break;
    change.fill(0);
    for (let s = 0; s < used; s++) {
      if (!running[s] || pulling[s]) continue;
      if (tolerance > 0) for (let i = 0; i < n; i++) before[i] = loss[i * b + s]!;
      const list = activeList[s]!;
      for (let a = 0; a < active[s]!; a++) {
        const j = list[a]!;
        const d = delta[j * b + s]!;
        delta[j * b + s] = 0; // keep it out of the shared pull pass below
        const end = debtStart[j + 1]!;
        for (let k = debtStart[j]!; k < end; k++) loss[debtLender[k]! * b + s]! += debtAmount[k]! * d;
      }
      if (tolerance > 0) {
        for (let i = 0; i < n; i++) {
          const ds = (loss[i * b + s]! - before[i]!) * inverse[i]!;
          change[s]! += ds * ds;
        }
      }
    }
    if (anyPull) {
      if (b === 1) pullOne(net, inverse, delta, loss, change);
      else pullFour(net, inverse, delta, loss, change);
    }
    if (tolerance > 0) {
      for (let s = 0; s < used; s++) {
        if (running[s] && Math.sqrt(change[s]!) < tolerance) {
          running[s] = 0;
          converged[s] = 1;
          // A stopped lane must add nothing more in later shared passes.
          for (let a = 0; a < active[s]!; a++) delta[activeList[s]![a]! * b + s] = 0;
        }
      }
    }
  }

  return starts.map((start, s) => {
    const initialStress = new Float64Array(n);
    const stress = new Float64Array(n);
    const finalLoss = new Float64Array(n);
    const equity = new Float64Array(n);
    const defaulted = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const inv = inverse[i]!;
      const l = loss[i * b + s]!;
      finalLoss[i] = l;
      initialStress[i] = inv === 0 ? 1 : start[i]! * inv;
      stress[i] = inv === 0 ? 1 : l * inv;
      equity[i] = capital[i]! - l;
      defaulted[i] = stress[i]! >= 1 - defaultSlack ? 1 : 0;
    }
    return {
      initialStress,
      stress,
      initialLoss: start,
      loss: finalLoss,
      equity,
      defaulted,
      iterations: iterations[s]!,
      converged: converged[s] === 1,
    };
  });
}

/** loss_i += sum_j A_ij delta_j for one lane; accumulates the squared stress change. */
function pullOne(
  net: Network,
  inverse: Float64Array,
  delta: Float64Array,
  loss: Float64Array,
  change: Float64Array,
) {
  const { assetStart, assetBorrower, assetAmount } = net;
  let sum = 0;
  for (let i = 0; i < net.size; i++) {
    let acc = 0;
    const end = assetStart[i + 1]!;
    for (let k = assetStart[i]!; k < end; k++) acc += assetAmount[k]! * delta[assetBorrower[k]!]!;
    loss[i]! += acc;
    const ds = acc * inverse[i]!;
    sum += ds * ds;
  }
  change[0]! += sum;
}

/** The same for four interleaved lanes: one pass over the exposures feeds four independent sums. */
function pullFour(
  net: Network,
  inverse: Float64Array,
  delta: Float64Array,
  loss: Float64Array,
  change: Float64Array,
) {
  const { assetStart, assetBorrower, assetAmount } = net;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let i = 0; i < net.size; i++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const end = assetStart[i + 1]!;
    for (let k = assetStart[i]!; k < end; k++) {
      const a = assetAmount[k]!;
      const j = assetBorrower[k]! << 2;
      a0 += a * delta[j]!;
      a1 += a * delta[j + 1]!;
      a2 += a * delta[j + 2]!;
      a3 += a * delta[j + 3]!;
    }
    const o = i << 2;
    loss[o]! += a0;
    loss[o + 1]! += a1;
    loss[o + 2]! += a2;
    loss[o + 3]! += a3;
    const inv = inverse[i]!;
    c0 += a0 * inv * (a0 * inv);
    c1 += a1 * inv * (a1 * inv);
    c2 += a2 * inv * (a2 * inv);
    c3 += a3 * inv * (a3 * inv);
  }
  change[0]! += c0;
  change[1]! += c1;
  change[2]! += c2;
  change[3]! += c3;
}
