import { invalidInput } from "../errors.ts";
import { buildCsr, type Csr } from "./csr.ts";

/** Transactions as parallel columns: edge i moves amount[i] from src[i] to dst[i] at time[i]. */
export interface FlowEdges {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly amount?: Float64Array;
  /** Any ordered number: a step, a day number, epoch seconds. Needed only with a window. */
  readonly time?: ArrayLike<number>;
}

/** Half-open time window [from, to); a missing bound is open. */
export interface FlowWindow {
  readonly from?: number;
  readonly to?: number;
}

/** Per-node transaction figures; counterparties are distinct other nodes (self-transfers count as transactions only). */
export interface NodeFlows {
  readonly inCount: Int32Array;
  readonly outCount: Int32Array;
  readonly inCounterparties: Int32Array;
  readonly outCounterparties: Int32Array;
  /** Sums of amount; zero when no amounts were given. */
  readonly inTotal: Float64Array;
  readonly outTotal: Float64Array;
}

function distinctNeighbours(csr: Csr): Int32Array {
  const n = csr.nodeCount;
  const counts = new Int32Array(n);
  // stamp[w] === v + 1 marks w as already counted for v, so no clearing between nodes.
  const stamp = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    let distinct = 0;
    for (let e = csr.offsets[v]!; e < csr.offsets[v + 1]!; e++) {
      const w = csr.targets[e]!;
      if (w === v || stamp[w] === v + 1) continue;
      stamp[w] = v + 1;
      distinct++;
    }
    counts[v] = distinct;
  }
  return counts;
}

/** Fan-in / fan-out figures per node over the transactions inside an optional time window. */
export function nodeFlows(nodeCount: number, edges: FlowEdges, window: FlowWindow = {}): NodeFlows {
  const { src, dst, amount, time } = edges;
  const m = src.length;
  if (amount !== undefined && amount.length !== m) throw invalidInput("amount and src differ in length");
  if (time !== undefined && time.length !== m) throw invalidInput("time and src differ in length");
  const from = window.from ?? Number.NEGATIVE_INFINITY;
  const to = window.to ?? Number.POSITIVE_INFINITY;
  if ((window.from !== undefined || window.to !== undefined) && time === undefined) {
    throw invalidInput("a time window needs the time column");
  }

  let kept = 0;
  const keep = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const t = time === undefined ? 0 : time[i]!;
    if (time === undefined || (t >= from && t < to)) {
      keep[i] = 1;
      kept++;
    }
  }
  const s = new Int32Array(kept);
  const d = new Int32Array(kept);
  const inTotal = new Float64Array(nodeCount);
  const outTotal = new Float64Array(nodeCount);
  const inCount = new Int32Array(nodeCount);
  const outCount = new Int32Array(nodeCount);
  for (let i = 0, k = 0; i < m; i++) {
    if (keep[i] === 0) continue;
    s[k] = src[i]!;
    d[k++] = dst[i]!;
  }
  // Building the CSRs validates the node ids before they index the per-node arrays.
  const out = buildCsr(nodeCount, s, d);
  const into = buildCsr(nodeCount, d, s);
  for (let k = 0; k < kept; k++) {
    outCount[s[k]!]!++;
    inCount[d[k]!]!++;
  }
  if (amount !== undefined) {
    for (let i = 0; i < m; i++) {
      if (keep[i] === 0) continue;
      outTotal[src[i]!]! += amount[i]!;
      inTotal[dst[i]!]! += amount[i]!;
    }
  }
  return {
    inCount,
    outCount,
    inCounterparties: distinctNeighbours(into),
    outCounterparties: distinctNeighbours(out),
    inTotal,
    outTotal,
  };
}

/** Nodes whose figure (e.g. inCounterparties for fan-in) is at least min, largest first, ties by node. */
export function fanNodes(figure: Int32Array, min: number): Int32Array {
  const picked: number[] = [];
  for (let v = 0; v < figure.length; v++) if (figure[v]! >= min) picked.push(v);
  picked.sort((a, b) => figure[b]! - figure[a]! || a - b);
  return Int32Array.from(picked);
}
