import { describe, expect, test } from "vitest";
import { componentMembers, largestComponent } from "./components.ts";
import { buildCsr, type Csr } from "./csr.ts";
import { stronglyConnectedComponents } from "./scc.ts";
import { graphOf, groupsOf, randomEdges } from "./test-graphs.ts";

// 0-1-2 cycle feeding the 3-4 pair feeding a self-looped 5; 6 isolated; the 7-8 pair feeds 0;
// 9..13 is one component made of two triangles sharing node 11 plus a mutual pair 9-10.
const sample = graphOf(14, [
  [0, 1],
  [1, 2],
  [2, 0],
  [2, 3],
  [3, 4],
  [4, 3],
  [4, 5],
  [5, 5],
  [7, 8],
  [8, 7],
  [7, 0],
  [9, 10],
  [10, 11],
  [11, 9],
  [10, 9],
  [11, 12],
  [12, 13],
  [13, 11],
]);

/** Brute-force oracle: u and v share a component iff each reaches the other. */
function reachability(g: Csr): boolean[][] {
  return Array.from({ length: g.nodeCount }, (_, s) => {
    const seen = new Array<boolean>(g.nodeCount).fill(false);
    seen[s] = true;
    const queue = [s];
    while (queue.length > 0) {
      const v = queue.pop()!;
      for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) {
        const w = g.targets[e]!;
        if (!seen[w]) {
          seen[w] = true;
          queue.push(w);
        }
      }
    }
    return seen;
  });
}

describe("stronglyConnectedComponents", () => {
  test("finds nested components, self-loops and isolated nodes, sinks first", () => {
    const scc = stronglyConnectedComponents(sample);
    expect(scc.count).toBe(6);
    expect([...scc.componentOf]).toEqual([2, 2, 2, 1, 1, 0, 3, 4, 4, 5, 5, 5, 5, 5]);
    expect([...scc.sizes]).toEqual([1, 2, 3, 1, 2, 5]);
    expect(largestComponent(scc)).toBe(5);
    const { offsets, members } = componentMembers(scc);
    expect([...offsets]).toEqual([0, 1, 3, 6, 7, 9, 14]);
    expect([...members]).toEqual([5, 3, 4, 0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  test("every edge between components goes from a higher id to a lower one", () => {
    const g = graphOf(300, randomEdges(300, 420, 7));
    const { componentOf } = stronglyConnectedComponents(g);
    for (let v = 0; v < g.nodeCount; v++) {
      for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) {
        expect(componentOf[v]!).toBeGreaterThanOrEqual(componentOf[g.targets[e]!]!);
      }
    }
  });

  test.each([
    [1, 40, 50],
    [2, 60, 70],
    [3, 60, 120],
    [4, 80, 90],
  ])("agrees with mutual reachability on random graph %i", (seed, n, m) => {
    const g = graphOf(n, randomEdges(n, m, seed));
    const reach = reachability(g);
    const { componentOf, count, sizes } = stronglyConnectedComponents(g);
    for (let u = 0; u < n; u++) {
      for (let v = 0; v < n; v++) {
        expect(componentOf[u] === componentOf[v]).toBe(reach[u]![v]! && reach[v]![u]!);
      }
    }
    expect(groupsOf(componentOf).length).toBe(count);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
  });

  test("handles a path and a ring of a million nodes without recursion", () => {
    const n = 1_000_000;
    const src = new Int32Array(n - 1).map((_, i) => i);
    const path = stronglyConnectedComponents(
      buildCsr(
        n,
        src,
        src.map((v) => v + 1),
      ),
    );
    expect(path.count).toBe(n);
    // The far end finishes first, so it is component 0.
    expect(path.componentOf[0]).toBe(n - 1);
    expect(path.componentOf[n - 1]).toBe(0);

    const ringSrc = new Int32Array(n).map((_, i) => i);
    const ring = stronglyConnectedComponents(
      buildCsr(
        n,
        ringSrc,
        ringSrc.map((v) => (v + 1) % n),
      ),
    );
    expect(ring.count).toBe(1);
    expect([...ring.sizes]).toEqual([n]);
  });

  test("an empty graph has no components", () => {
    const scc = stronglyConnectedComponents(graphOf(0, []));
    expect(scc.count).toBe(0);
    expect(largestComponent(scc)).toBe(-1);
  });
});
