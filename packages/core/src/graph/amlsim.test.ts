import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { buildCsr, type Csr, inducedSubgraph, simplifyCsr } from "./csr.ts";
import { shortCycles } from "./cycles.ts";
import { type AmlsimSample, loadAmlsim } from "./load-amlsim.ts";
import { stronglyConnectedComponents } from "./scc.ts";
import { weaklyConnectedComponents } from "./union-find.ts";

// The shared reference data sits beside the checkout (see shared/data/README.md for the expected counts).
const folder = fileURLToPath(new URL("../../../../../shared/data/amlsim-sample", import.meta.url));

describe("AMLSim sample (20K accounts, fan-in and cycle typologies)", () => {
  let sample: AmlsimSample;
  let graph: Csr;

  beforeAll(() => {
    sample = loadAmlsim(folder);
    graph = buildCsr(sample.nodeCount, sample.src, sample.dst, sample.amount);
  });

  test("loads every account and transaction", () => {
    expect(sample.nodeCount).toBe(20_000);
    expect(sample.src.length).toBe(120_558);
    expect(sample.accounts.idOf(0)).toBe("0");
    expect(sample.time.every((t) => t >= 0)).toBe(true);
  });

  test("has 199 strongly connected components, the largest of 19,802 accounts", () => {
    const scc = stronglyConnectedComponents(graph);
    expect(scc.count).toBe(199);
    expect(Math.max(...scc.sizes)).toBe(19_802);
  });

  test("has 21 weakly connected components: 20 isolated accounts and one of 19,980", () => {
    const wcc = weaklyConnectedComponents(graph);
    expect(wcc.count).toBe(21);
    const sizes = [...wcc.sizes].sort((a, b) => b - a);
    expect(sizes[0]).toBe(19_980);
    expect(sizes.slice(1)).toEqual(new Array(20).fill(1));
  });

  describe("subgraph induced by the isFraud accounts", () => {
    let fraud: Csr;
    beforeAll(() => {
      fraud = inducedSubgraph(graph, sample.isFraud).csr;
    });

    test("has 4,668 distinct edges", () => {
      expect(simplifyCsr(fraud).edgeCount).toBe(4_668);
    });

    test("has 20 non-trivial strongly connected components", () => {
      const scc = stronglyConnectedComponents(fraud);
      expect(scc.sizes.filter((size) => size > 1).length).toBe(20);
    });

    test("has 6 weakly connected components, the largest of 1,799 accounts", () => {
      const wcc = weaklyConnectedComponents(fraud);
      expect(wcc.count).toBe(6);
      expect(Math.max(...wcc.sizes)).toBe(1_799);
    });

    test("every short cycle found is a real elementary cycle in canonical rotation", () => {
      const simple = simplifyCsr(fraud);
      const hasEdge = (u: number, v: number) =>
        simple.targets.subarray(simple.offsets[u]!, simple.offsets[u + 1]!).includes(v);
      const result = shortCycles(fraud, { maxLength: 6, maxCycles: 100_000 });
      expect(result.exhaustive).toBe(true);
      expect(result.omitted).toBe(0);
      expect(result.total).toBeGreaterThan(0);
      const seen = new Set<string>();
      for (const cycle of result.cycles) {
        expect(cycle.length).toBeGreaterThanOrEqual(2);
        expect(new Set(cycle).size).toBe(cycle.length);
        expect(Math.min(...cycle)).toBe(cycle[0]);
        cycle.forEach((v, i) => {
          expect(hasEdge(v, cycle[(i + 1) % cycle.length]!)).toBe(true);
        });
        seen.add(cycle.join(","));
      }
      expect(seen.size).toBe(result.cycles.length);
    });
  });
});
