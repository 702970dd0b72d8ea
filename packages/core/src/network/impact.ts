import { expm } from "./dense.ts";
import type { Network } from "./network.ts";

/**
 * Impact susceptibility, fluidity and diffusion (Silva, Souza and Tabak 2015), as NetworkRiskMeasures defines
 * them: all read the communicability exp(M) of the impact matrix M, where M_ij is the share of j's capital
 * that i's default wipes out (capped at 1, or 0/1 when binary). These are dense n x n computations; diffusion
 * takes one matrix exponential per institution, so keep it to networks of a few hundred nodes.
 */
export interface ImpactOptions {
  /** 0/1 impacts (default, as NetworkRiskMeasures): an edge counts only if it alone exhausts the capital. */
  binary?: boolean;
  /** Weight by the network's node weights instead of normalising by direct in-degree. */
  weighted?: boolean;
  /** Truncate exp(M) to this many Taylor terms; default the exact exponential. */
  terms?: number;
  /** Capital buffers; default the network's. */
  capital?: Float64Array;
}

export interface ImpactDiffusion {
  id: string;
  /** Fall in communicability along paths that start at the node. */
  start: number;
  /** Fall along paths the node relays between others. */
  intermediate: number;
  total: number;
}

/** Vulnerability matrix, row-major: V[i][j] = exposure of i to j / capital of i (Infinity without capital). */
export function vulnerabilityMatrix(net: Network, capital: Float64Array = net.capital): Float64Array {
  const n = net.size;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const e = capital[i]!;
    for (let k = net.assetStart[i]!; k < net.assetStart[i + 1]!; k++) {
      v[i * n + net.assetBorrower[k]!] = e > 0 ? net.assetAmount[k]! / e : Number.POSITIVE_INFINITY;
    }
  }
  return v;
}

/** Impact matrix, row-major: M[i][j] = V[j][i], the impact of i's default on j's capital. */
export function impactMatrix(net: Network, capital: Float64Array = net.capital): Float64Array {
  const n = net.size;
  const v = vulnerabilityMatrix(net, capital);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = v[j * n + i]!;
  return m;
}

function cappedImpact(net: Network, options: ImpactOptions): Float64Array {
  const m = impactMatrix(net, options.capital ?? net.capital);
  const binary = options.binary ?? true;
  for (let k = 0; k < m.length; k++) m[k] = binary ? (m[k]! >= 1 ? 1 : 0) : Math.min(1, m[k]!);
  return m;
}

function communicability(m: Float64Array, n: number, terms: number | undefined): Float64Array {
  const c = expm(m, n, terms);
  for (let i = 0; i < n; i++) c[i * n + i] = 0;
  return c;
}

/**
 * Impact susceptibility of each node: the communicability paths that reach it over its direct ones
 * (column sums of exp(M) off the diagonal divided by the node's in-degree in M); above 1 means the node is
 * also exposed to institutions it has no direct claim on.
 */
export function impactSusceptibility(net: Network, options: ImpactOptions = {}): Float64Array {
  const n = net.size;
  const m = cappedImpact(net, options);
  const c = communicability(m, n, options.terms);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let reach = 0;
    let direct = 0;
    for (let i = 0; i < n; i++) {
      reach += c[i * n + j]!;
      direct += m[i * n + j]!;
    }
    if (options.weighted) out[j] = reach * net.weight[j]!;
    else out[j] = direct === 0 ? 0 : reach / direct;
  }
  return out;
}

/** Impact fluidity: the mean impact susceptibility of the network. */
export function impactFluidity(net: Network, options: ImpactOptions = {}): number {
  const s = impactSusceptibility(net, options);
  return net.size === 0 ? 0 : s.reduce((a, b) => a + b, 0) / net.size;
}

/**
 * Impact diffusion of each node: how much the network's communicability falls when the node can no longer
 * pass on impacts (its row of M removed). `start` is the fall along paths starting at the node, `intermediate`
 * along paths it relays; both per unit of the node's direct out-degree (or weighted).
 */
export function impactDiffusion(net: Network, options: ImpactOptions = {}): ImpactDiffusion[] {
  const n = net.size;
  const m = cappedImpact(net, options);
  const c = communicability(m, n, options.terms);
  return net.ids.map((id, q) => {
    let degree = 0;
    for (let j = 0; j < n; j++) degree += m[q * n + j]!;
    if (degree === 0) return { id, start: 0, intermediate: 0, total: 0 };
    const without = m.slice();
    without.fill(0, q * n, (q + 1) * n);
    const c1 = communicability(without, n, options.terms);
    let start = 0;
    let intermediate = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) {
        const drop = c[i * n + j]! - c1[i * n + j]!;
        if (drop > 0) row += options.weighted ? drop * net.weight[j]! : drop;
      }
      if (!options.weighted) row /= degree;
      if (i === q) start = row;
      else intermediate += row;
    }
    return { id, start, intermediate, total: start + intermediate };
  });
}
