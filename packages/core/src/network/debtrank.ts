import { AppError } from "../errors.ts";
import { type CapitalShock, initialLoss } from "./capital-shock.ts";
import type { Network } from "./network.ts";
import { type LaneKernel, laneKernel } from "./stress-kernel.ts";

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
 * of scenarios (one per institution) never sit in memory together. Scenarios run side by side (see
 * propagateLanes) and finish in any order; every result is exactly that of the scenario run alone.
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
  if (count <= 0) return;
  // inverse[i] = 1 / E_i; 0 marks a node without capital, whose stress is pinned at 1.
  const inverse = new Float64Array(n);
  for (let i = 0; i < n; i++) inverse[i] = capital[i]! > 0 ? 1 / capital[i]! : 0;
  const params: Params = { net, capital, inverse, rule, threshold, tolerance, maxIterations };
  // One scenario runs alone; several run side by side, up to `maxLanes` at a time.
  let width = 1;
  while (width < Math.min(count, maxLanes)) width *= 2;
  const kernel = laneKernel(net, inverse, width, { rule, threshold });
  propagateLanes(params, kernel, count, (k) => initialLoss(net, shockAt(k), capital), each);
}

/**
 * Scenarios per pull pass: each exposure is loaded once for this many, and their sums (eight SIMD pairs) still
 * fit in registers; 8 and 32 measured slower.
 */
const maxLanes = 16;

interface Params {
  net: Network;
  capital: Float64Array;
  inverse: Float64Array;
  rule: StressRule;
  threshold: number;
  tolerance: number;
  maxIterations: number;
}

/**
 * Synchronous rounds for many scenarios side by side, one per lane of the kernel (see stress-kernel.ts).
 *
 * What a round adds to the losses is fixed per scenario, as a lone run does it: while its active nodes owe on
 * at most a quarter of the exposures, their increments are pushed along their debt rows, each term straight
 * onto the creditor's loss; otherwise every creditor's terms are summed apart, then added to its loss. How
 * the round is computed is chosen for speed across lanes: when the kernel's pull runs (one pass over all the
 * exposures that serves every lane at once), a pushing lane rides it too, adding its terms onto its losses in
 * the same order as its push would (by borrower), so a scenario's numbers are those of its lone run, bit for
 * bit. A lane whose scenario ends takes the next scenario at the next round, so the pass stays full.
 */
function propagateLanes(
  p: Params,
  kernel: LaneKernel,
  count: number,
  startAt: (k: number) => Float64Array,
  each: (k: number, result: StressResult) => void,
): void {
  const lanes = new Lanes(p, kernel);
  const b = kernel.lanes;
  const n = p.net.size;
  const m = p.net.exposureCount;
  const { scenario, iterations, pushing } = lanes;
  const { active, activeEdges, change } = kernel;
  // The lone run's rule: push while the active nodes owe on at most this many exposures.
  const pushAtMost = m / 4;
  // Pushes that cost more than the pull (per exposure and per node touched) ride the pull instead.
  const pullCost = kernel.engine === "wasm" ? pullRatio * b * m : Number.POSITIVE_INFINITY;
  let next = 0;
  for (;;) {
    for (let s = 0; s < b && next < count; s++) {
      if (scenario[s] === -1) lanes.load(s, next, startAt(next++));
    }
    if (lanes.occupied === 0) break;
    kernel.scan();
    let anySum = false;
    let pushCost = 0;
    let stepping = 0;
    for (let s = 0; s < b; s++) {
      if (scenario[s]! < 0) continue;
      if (active[s] === 0) lanes.finish(s, true, each);
      // Out of rounds: this round's increments are not applied.
      else if (iterations[s]! >= p.maxIterations) lanes.finish(s, false, each);
      else {
        iterations[s]!++;
        stepping++;
        const push = activeEdges[s]! <= pushAtMost;
        pushing[s] = push ? 1 : 0;
        kernel.accumulate(s, push ? "onto" : "sum");
        if (push) pushCost += activeEdges[s]! + n;
        else anySum = true;
      }
    }
    if (stepping === 0) continue;
    change.fill(0);
    if (anySum || pushCost > pullCost) kernel.pull();
    else for (let s = 0; s < b; s++) if (scenario[s]! >= 0) lanes.push(s);
    if (p.tolerance > 0) {
      for (let s = 0; s < b; s++) {
        if (scenario[s]! >= 0 && Math.sqrt(change[s]!) < p.tolerance) lanes.finish(s, true, each);
      }
    }
  }
}

/** Cost of the SIMD pull per exposure and lane, in pushed exposures (measured on 1,000 nodes, 100,000 exposures). */
const pullRatio = 0.05;

/** Which scenario each lane holds, and the per-lane steps outside the kernel. */
class Lanes {
  readonly p: Params;
  readonly kernel: LaneKernel;
  readonly b: number;
  readonly before: Float64Array;
  readonly starts: Float64Array[];
  /** Scenario in each lane; -1: free. */
  readonly scenario: Int32Array;
  readonly iterations: Int32Array;
  /** 1 where this round's increments are pushed (added onto the losses term by term). */
  readonly pushing: Uint8Array;
  occupied = 0;

  constructor(p: Params, kernel: LaneKernel) {
    const b = kernel.lanes;
    this.p = p;
    this.kernel = kernel;
    this.b = b;
    this.before = new Float64Array(p.net.size);
    this.starts = Array.from({ length: b }, () => empty);
    this.scenario = new Int32Array(b).fill(-1);
    this.iterations = new Int32Array(b);
    this.pushing = new Uint8Array(b);
  }

  load(s: number, k: number, start: Float64Array): void {
    const { loss, passed } = this.kernel;
    const b = this.b;
    this.scenario[s] = k;
    this.starts[s] = start;
    this.iterations[s] = 0;
    this.occupied++;
    this.kernel.occupy(s, true);
    for (let i = 0; i < start.length; i++) {
      loss[i * b + s] = start[i]!;
      passed[i * b + s] = 0;
    }
  }

  /**
   * Pushes lane s's increments from its active nodes, in increasing order, along their debt rows, each term
   * straight onto the creditor's loss, and records the squared stress change.
   */
  push(s: number): void {
    const { loss, delta, change } = this.kernel;
    const { before, b } = this;
    const { net, inverse, tolerance } = this.p;
    const { debtStart, debtLender, debtAmount } = net;
    const n = net.size;
    if (tolerance > 0) for (let i = 0; i < n; i++) before[i] = loss[i * b + s]!;
    for (let j = 0; j < n; j++) {
      const d = delta[j * b + s]!;
      if (d === 0) continue;
      const end = debtStart[j + 1]!;
      for (let k = debtStart[j]!; k < end; k++) loss[debtLender[k]! * b + s]! += debtAmount[k]! * d;
    }
    if (tolerance > 0) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const ds = (loss[i * b + s]! - before[i]!) * inverse[i]!;
        sum += ds * ds;
      }
      change[s]! += sum;
    }
  }

  /** Hands lane s's scenario to `each` and frees the lane. */
  finish(s: number, converged: boolean, each: (k: number, result: StressResult) => void): void {
    const { loss, delta } = this.kernel;
    const b = this.b;
    const { net, inverse, capital } = this.p;
    const n = net.size;
    const k = this.scenario[s]!;
    const start = this.starts[s]!;
    this.scenario[s] = -1;
    this.starts[s] = empty;
    this.occupied--;
    this.kernel.occupy(s, false);
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
      // A free lane adds nothing to later shared passes (a run cut short still holds this round's increments).
      delta[i * b + s] = 0;
    }
    each(k, {
      initialStress,
      stress,
      initialLoss: start,
      loss: finalLoss,
      equity,
      defaulted,
      iterations: this.iterations[s]!,
      converged,
    });
  }
}

const empty = new Float64Array(0);
