import { describe, expect, test } from "vitest";
import type { Csr } from "./csr.ts";
import { shortCycles } from "./cycles.ts";
import { graphOf, randomEdges } from "./test-graphs.ts";

/** Edges of a ring visiting nodes in the given order. */
function ring(nodes: readonly number[]): [number, number][] {
  return nodes.map((v, i) => [v, nodes[(i + 1) % nodes.length]!]);
}

function lexicographic(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Brute-force oracle: every sequence of distinct nodes led by its smallest that closes into a cycle. */
function bruteForceCycles(g: Csr, minLength: number, maxLength: number): number[][] {
  const has = (u: number, v: number) => {
    for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) if (g.targets[e] === v) return true;
    return false;
  };
  const found: number[][] = [];
  const extend = (seq: number[]) => {
    if (seq.length >= minLength && has(seq[seq.length - 1]!, seq[0]!)) {
      const closesByItself = seq.length > 1 || has(seq[0]!, seq[0]!);
      if (closesByItself) found.push([...seq]);
    }
    if (seq.length === maxLength) return;
    for (let v = seq[0]! + 1; v < g.nodeCount; v++) {
      if (!seq.includes(v) && has(seq[seq.length - 1]!, v)) extend([...seq, v]);
    }
  };
  for (let s = 0; s < g.nodeCount; s++) extend([s]);
  return found.sort(lexicographic);
}

const complete4 = graphOf(
  4,
  [0, 1, 2, 3].flatMap((u) => [0, 1, 2, 3].filter((v) => v !== u).map((v): [number, number] => [u, v])),
);

describe("shortCycles", () => {
  test("reports one ring of each length 2..8, rotated to start at its smallest node", () => {
    const rings = [
      [1, 0],
      [4, 2, 3],
      [8, 7, 5, 6],
      [13, 12, 9, 11, 10],
      [19, 14, 18, 15, 17, 16],
      [26, 25, 20, 24, 21, 23, 22],
      [34, 27, 33, 28, 32, 29, 31, 30],
    ];
    const g = graphOf(35, rings.flatMap(ring));
    const result = shortCycles(g);
    expect(result.cycles).toEqual([
      [0, 1],
      [2, 3, 4],
      [5, 6, 8, 7],
      [9, 11, 10, 13, 12],
      [14, 18, 15, 17, 16, 19],
      [20, 24, 21, 23, 22, 26, 25],
      [27, 33, 28, 32, 29, 31, 30, 34],
    ]);
    expect(result.total).toBe(7);
    expect(result.omitted).toBe(0);
    expect(result.exhaustive).toBe(true);
  });

  test("respects the length bounds", () => {
    const g = graphOf(9, ring([0, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect(shortCycles(g).total).toBe(0);
    const rings = graphOf(9, [...ring([0, 1]), ...ring([2, 3, 4]), ...ring([5, 6, 7, 8])]);
    expect(shortCycles(rings, { minLength: 3, maxLength: 3 }).cycles).toEqual([[2, 3, 4]]);
    expect(shortCycles(rings, { maxLength: 2 }).cycles).toEqual([[0, 1]]);
  });

  test("enumerates every cycle of a complete digraph once, in lexicographic order", () => {
    const result = shortCycles(complete4);
    expect(result.cycles).toEqual([
      [0, 1],
      [0, 1, 2],
      [0, 1, 2, 3],
      [0, 1, 3],
      [0, 1, 3, 2],
      [0, 2],
      [0, 2, 1],
      [0, 2, 1, 3],
      [0, 2, 3],
      [0, 2, 3, 1],
      [0, 3],
      [0, 3, 1],
      [0, 3, 1, 2],
      [0, 3, 2],
      [0, 3, 2, 1],
      [1, 2],
      [1, 2, 3],
      [1, 3],
      [1, 3, 2],
      [2, 3],
    ]);
  });

  test("caps the cycles returned and counts the rest", () => {
    const result = shortCycles(complete4, { maxCycles: 5 });
    expect(result.cycles).toEqual([
      [0, 1],
      [0, 1, 2],
      [0, 1, 2, 3],
      [0, 1, 3],
      [0, 1, 3, 2],
    ]);
    expect(result.total).toBe(20);
    expect(result.omitted).toBe(15);
    expect(result.exhaustive).toBe(true);
  });

  test("stops when the step budget is spent and says so", () => {
    const result = shortCycles(complete4, { maxSteps: 10 });
    expect(result.exhaustive).toBe(false);
    expect(result.total).toBeLessThan(20);
    expect(result.cycles).toEqual(shortCycles(complete4).cycles.slice(0, result.total));
  });

  test("counts parallel edges once and reports self-loops only when asked", () => {
    const g = graphOf(4, [
      [0, 1],
      [0, 1],
      [1, 0],
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
    ]);
    expect(shortCycles(g).cycles).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(shortCycles(g, { minLength: 1 }).cycles).toEqual([[0, 1], [2], [2, 3], [3]]);
    expect(shortCycles(g, { minLength: 1, maxLength: 1 }).cycles).toEqual([[2], [3]]);
  });

  test("only looks inside strongly connected components", () => {
    // Two triangles joined one way, plus a dangling tail: only the triangles are cycles.
    const g = graphOf(8, [...ring([0, 1, 2]), [2, 3], ...ring([3, 4, 5]), [5, 6], [6, 7]]);
    expect(shortCycles(g).cycles).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  test("rejects lengths outside 1..8", () => {
    const invalid = expect.objectContaining({ code: "INVALID_INPUT" });
    expect(() => shortCycles(complete4, { maxLength: 9 })).toThrow(invalid);
    expect(() => shortCycles(complete4, { minLength: 0 })).toThrow(invalid);
    expect(() => shortCycles(complete4, { minLength: 4, maxLength: 3 })).toThrow(invalid);
  });

  test.each([
    [1, 7, 20, 1, 8],
    [2, 8, 24, 2, 8],
    [3, 8, 30, 2, 5],
    [4, 9, 22, 3, 6],
    [5, 10, 25, 1, 4],
  ])("matches brute force on random graph %i", (seed, n, m, minLength, maxLength) => {
    const g = graphOf(n, randomEdges(n, m, seed));
    const expected = bruteForceCycles(g, minLength, maxLength);
    const result = shortCycles(g, { minLength, maxLength });
    expect(result.cycles).toEqual(expected);
    expect(result.total).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });
});
