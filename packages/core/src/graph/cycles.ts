import { invalidInput } from "../errors.ts";
import type { Components } from "./components.ts";
import { buildCsr, type Csr, reverseCsr, simplifyCsr } from "./csr.ts";
import { stronglyConnectedComponents } from "./scc.ts";

/** Longest cycle length the enumerator accepts: the number of cycles grows exponentially with it. */
export const MAX_CYCLE_LENGTH = 8;

export interface ShortCycleOptions {
  /** Longest cycle to report, in edges (= nodes), 1..8; default 8. */
  readonly maxLength?: number;
  /** Shortest cycle to report; default 2 (mutual pairs). Set 1 to report self-loops as cycles [v]. */
  readonly minLength?: number;
  /** How many cycles to return; the rest are only counted. Default 10,000. */
  readonly maxCycles?: number;
  /** Work budget in examined edges; when spent the search stops and `exhaustive` is false. Default 50M. */
  readonly maxSteps?: number;
  /** Strongly connected components of the same graph, when already computed. */
  readonly components?: Components;
}

export interface ShortCycles {
  /** Each elementary cycle once, as its node sequence starting at its smallest node; ordered lexicographically. */
  readonly cycles: number[][];
  /** Cycles found, including those beyond maxCycles. */
  readonly total: number;
  /** total - cycles.length: found but not returned because of maxCycles. */
  readonly omitted: number;
  /** False when maxSteps ran out; total is then a lower bound. */
  readonly exhaustive: boolean;
}

function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidInput(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/**
 * Enumerates the elementary directed cycles of length minLength..maxLength. Each search starts at a node s of a
 * non-trivial strongly connected component and only walks nodes greater than s inside that component, so every
 * cycle is found once, from its smallest node. A backward breadth-first search from s gives each node's distance
 * back to s, which prunes paths that could not close within maxLength. Parallel edges count once.
 */
export function shortCycles(csr: Csr, options: ShortCycleOptions = {}): ShortCycles {
  const maxLength = checkCount("maxLength", options.maxLength ?? MAX_CYCLE_LENGTH, 1, MAX_CYCLE_LENGTH);
  const minLength = checkCount("minLength", options.minLength ?? 2, 1, maxLength);
  const maxCycles = checkCount("maxCycles", options.maxCycles ?? 10_000, 0, 0x7fffffff);
  const maxSteps = checkCount("maxSteps", options.maxSteps ?? 50_000_000, 0, Number.MAX_SAFE_INTEGER);
  const n = csr.nodeCount;
  const scc = options.components ?? stronglyConnectedComponents(csr);
  if (scc.componentOf.length !== n) throw invalidInput("components do not belong to this graph");
  const { componentOf, sizes } = scc;

  // Keep only edges inside non-trivial components (the only ones on cycles of length >= 2); note self-loops.
  const selfLoop = new Uint8Array(n);
  let inner = 0;
  for (let v = 0; v < n; v++) {
    const cv = componentOf[v]!;
    for (let e = csr.offsets[v]!; e < csr.offsets[v + 1]!; e++) {
      const w = csr.targets[e]!;
      if (w === v) selfLoop[v] = 1;
      else if (componentOf[w] === cv) inner++;
    }
  }
  const src = new Int32Array(inner);
  const dst = new Int32Array(inner);
  inner = 0;
  for (let v = 0; v < n; v++) {
    const cv = componentOf[v]!;
    for (let e = csr.offsets[v]!; e < csr.offsets[v + 1]!; e++) {
      const w = csr.targets[e]!;
      if (w !== v && componentOf[w] === cv) {
        src[inner] = v;
        dst[inner++] = w;
      }
    }
  }
  const forward = simplifyCsr(buildCsr(n, src, dst));
  const backward = reverseCsr(forward);
  const { offsets, targets } = forward;

  const cycles: number[][] = [];
  let total = 0;
  let steps = 0;
  let exhaustive = true;
  const record = (path: Int32Array, length: number): void => {
    total++;
    if (cycles.length < maxCycles) cycles.push(Array.from(path.subarray(0, length)));
  };

  // dist[w] = edges from w back to s through nodes > s, or -1 when more than maxLength - 1 (or unreachable).
  const dist = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const onPath = new Uint8Array(n);
  const path = new Int32Array(maxLength);
  const pathEdge = new Int32Array(maxLength);

  search: for (let s = 0; s < n; s++) {
    if (minLength === 1 && selfLoop[s] === 1) record(Int32Array.of(s), 1);
    if (maxLength < 2 || sizes[componentOf[s]!]! < 2) continue;

    // Backward BFS from s, bounded by depth maxLength - 1.
    dist[s] = 0;
    queue[0] = s;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const x = queue[head++]!;
      const dx = dist[x]!;
      if (dx === maxLength - 1) continue;
      for (let e = backward.offsets[x]!; e < backward.offsets[x + 1]!; e++) {
        const u = backward.targets[e]!;
        if (u > s && dist[u] === -1) {
          dist[u] = dx + 1;
          queue[tail++] = u;
        }
      }
      steps += backward.offsets[x + 1]! - backward.offsets[x]!;
    }

    // Depth-first search over paths s -> ... of at most maxLength nodes.
    let depth = 1;
    path[0] = s;
    pathEdge[0] = offsets[s]!;
    onPath[s] = 1;
    while (depth > 0) {
      const v = path[depth - 1]!;
      const e = pathEdge[depth - 1]!;
      if (e === offsets[v + 1]) {
        onPath[v] = 0;
        depth--;
        continue;
      }
      pathEdge[depth - 1] = e + 1;
      if (++steps > maxSteps) {
        exhaustive = false;
        break search;
      }
      const w = targets[e]!;
      if (w === s) {
        if (depth >= minLength) record(path, depth);
        continue;
      }
      const dw = dist[w]!;
      // w qualifies when it is > s (dist is only set for those), off the path, and can close in time.
      if (dw > 0 && onPath[w] === 0 && depth + dw <= maxLength) {
        path[depth] = w;
        pathEdge[depth] = offsets[w]!;
        onPath[w] = 1;
        depth++;
      }
    }

    for (let i = 0; i < tail; i++) dist[queue[i]!] = -1;
  }

  return { cycles, total, omitted: total - cycles.length, exhaustive };
}
