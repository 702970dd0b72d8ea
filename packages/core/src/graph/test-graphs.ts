import { buildCsr, type Csr } from "./csr.ts";

/** Builds a small CSR from [source, target] pairs, for tests. */
export function graphOf(nodeCount: number, edges: readonly (readonly [number, number])[]): Csr {
  return buildCsr(
    nodeCount,
    Int32Array.from(edges, (e) => e[0]),
    Int32Array.from(edges, (e) => e[1]),
  );
}

/** Deterministic 32-bit PRNG (mulberry32), so random test graphs are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Random directed edge list with nodeCount nodes and edgeCount edges (self-loops and repeats allowed). */
export function randomEdges(nodeCount: number, edgeCount: number, seed: number): [number, number][] {
  const next = seededRandom(seed);
  return Array.from({ length: edgeCount }, () => [next() % nodeCount, next() % nodeCount]);
}

/** A partition as sorted groups of sorted members, for order-independent comparison. */
export function groupsOf(componentOf: Int32Array): number[][] {
  const groups = new Map<number, number[]>();
  componentOf.forEach((c, v) => {
    const members = groups.get(c);
    if (members === undefined) groups.set(c, [v]);
    else members.push(v);
  });
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}
