import { describe, expect, test } from "vitest";
import { graphOf, groupsOf, randomEdges } from "./test-graphs.ts";
import { UnionFind, weaklyConnectedComponents } from "./union-find.ts";

describe("UnionFind", () => {
  test("merges sets and tracks their sizes", () => {
    const uf = new UnionFind(6);
    expect(uf.union(0, 1)).toBe(true);
    expect(uf.union(2, 3)).toBe(true);
    expect(uf.union(1, 3)).toBe(true);
    expect(uf.union(0, 2)).toBe(false);
    expect(uf.find(3)).toBe(uf.find(0));
    expect(uf.find(4)).toBe(4);
    expect(uf.sizeOf(2)).toBe(4);
    expect(uf.sizeOf(5)).toBe(1);
    const c = uf.components();
    expect(c.count).toBe(3);
    expect([...c.componentOf]).toEqual([0, 0, 0, 0, 1, 2]);
    expect([...c.sizes]).toEqual([4, 1, 1]);
  });

  test("stays shallow on a long chain of unions", () => {
    const n = 1_000_000;
    const uf = new UnionFind(n);
    for (let i = 1; i < n; i++) uf.union(i - 1, i);
    expect(uf.sizeOf(0)).toBe(n);
    expect(uf.components().count).toBe(1);
  });
});

describe("weaklyConnectedComponents", () => {
  test("ignores direction, keeps isolated and self-looped nodes, labels by smallest node", () => {
    const g = graphOf(9, [
      [1, 0],
      [1, 2],
      [3, 3],
      [5, 4],
      [6, 4],
      [8, 6],
    ]);
    const wcc = weaklyConnectedComponents(g);
    expect(wcc.count).toBe(4);
    expect([...wcc.componentOf]).toEqual([0, 0, 0, 1, 2, 2, 2, 3, 2]);
    expect([...wcc.sizes]).toEqual([3, 1, 4, 1]);
  });

  test("agrees with a breadth-first search over the undirected graph", () => {
    const n = 200;
    const edges = randomEdges(n, 150, 11);
    const neighbours = Array.from({ length: n }, () => [] as number[]);
    for (const [a, b] of edges) {
      neighbours[a]!.push(b);
      neighbours[b]!.push(a);
    }
    const label = new Int32Array(n).fill(-1);
    let count = 0;
    for (let s = 0; s < n; s++) {
      if (label[s] !== -1) continue;
      const queue = [s];
      label[s] = count;
      while (queue.length > 0) {
        for (const w of neighbours[queue.pop()!]!) {
          if (label[w] === -1) {
            label[w] = count;
            queue.push(w);
          }
        }
      }
      count++;
    }
    const wcc = weaklyConnectedComponents(graphOf(n, edges));
    expect(wcc.count).toBe(count);
    expect(groupsOf(wcc.componentOf)).toEqual(groupsOf(label));
  });
});
