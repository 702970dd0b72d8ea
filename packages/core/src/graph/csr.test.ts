import { describe, expect, test } from "vitest";
import { buildCsr, csrEdges, inducedSubgraph, reverseCsr, simplifyCsr } from "./csr.ts";

const src = Int32Array.of(2, 0, 0, 2, 1, 0);
const dst = Int32Array.of(0, 2, 1, 0, 1, 2);
const weight = Float64Array.of(1, 2, 3, 4, 5, 6);

describe("buildCsr", () => {
  test("groups out-edges by source, keeping input order and edge ids", () => {
    const g = buildCsr(4, src, dst, weight);
    expect(g.nodeCount).toBe(4);
    expect(g.edgeCount).toBe(6);
    expect([...g.offsets]).toEqual([0, 3, 4, 6, 6]);
    expect([...g.targets]).toEqual([2, 1, 2, 1, 0, 0]);
    expect([...g.edgeIds]).toEqual([1, 2, 5, 4, 0, 3]);
    expect([...g.weights!]).toEqual([2, 3, 6, 5, 1, 4]);
  });

  test("sortTargets orders each node's targets ascending, ties in input order", () => {
    const g = buildCsr(4, src, dst, undefined, { sortTargets: true });
    expect([...g.targets]).toEqual([1, 2, 2, 1, 0, 0]);
    expect([...g.edgeIds]).toEqual([2, 1, 5, 4, 0, 3]);
    expect(g.weights).toBeUndefined();
  });

  test("an empty graph and isolated nodes are fine", () => {
    const g = buildCsr(3, new Int32Array(0), new Int32Array(0));
    expect([...g.offsets]).toEqual([0, 0, 0, 0]);
    expect(g.edgeCount).toBe(0);
  });

  test("rejects endpoints out of range and mismatched columns with INVALID_INPUT", () => {
    const invalid = expect.objectContaining({ code: "INVALID_INPUT" });
    expect(() => buildCsr(2, Int32Array.of(0), Int32Array.of(2))).toThrow(invalid);
    expect(() => buildCsr(2, Int32Array.of(-1), Int32Array.of(0))).toThrow(invalid);
    expect(() => buildCsr(2, Int32Array.of(0, 1), Int32Array.of(0))).toThrow(invalid);
    expect(() => buildCsr(2, Int32Array.of(0), Int32Array.of(1), Float64Array.of())).toThrow(invalid);
  });
});

describe("reverseCsr", () => {
  test("transposes edges and carries edge ids and weights", () => {
    const r = reverseCsr(buildCsr(4, src, dst, weight));
    expect([...r.offsets]).toEqual([0, 2, 4, 6, 6]);
    expect([...r.targets]).toEqual([2, 2, 0, 1, 0, 0]);
    expect([...r.edgeIds]).toEqual([0, 3, 2, 4, 1, 5]);
    expect([...r.weights!]).toEqual([1, 4, 3, 5, 2, 6]);
  });
});

describe("csrEdges", () => {
  test("expands back to the edge list in slot order", () => {
    const { src: s, dst: d } = csrEdges(buildCsr(4, src, dst));
    expect([...s]).toEqual([0, 0, 0, 1, 2, 2]);
    expect([...d]).toEqual([2, 1, 2, 1, 0, 0]);
  });
});

describe("simplifyCsr", () => {
  test("merges parallel edges, sums weights and keeps the first edge id", () => {
    const g = simplifyCsr(buildCsr(4, src, dst, weight));
    expect([...g.offsets]).toEqual([0, 2, 3, 4, 4]);
    expect([...g.targets]).toEqual([1, 2, 1, 0]);
    expect([...g.weights!]).toEqual([3, 8, 5, 5]);
    expect([...g.edgeIds]).toEqual([2, 1, 4, 0]);
  });

  test("can drop self-loops", () => {
    const g = simplifyCsr(buildCsr(4, src, dst), { dropSelfLoops: true });
    expect([...g.offsets]).toEqual([0, 2, 2, 3, 3]);
    expect([...g.targets]).toEqual([1, 2, 0]);
  });
});

describe("inducedSubgraph", () => {
  test("keeps edges between kept nodes, renumbers densely and maps edge ids to the input", () => {
    const keep = Uint8Array.of(1, 0, 1, 1);
    const { csr, nodeIds } = inducedSubgraph(buildCsr(4, src, dst, weight), keep);
    expect([...nodeIds]).toEqual([0, 2, 3]);
    expect(csr.nodeCount).toBe(3);
    expect([...csr.offsets]).toEqual([0, 2, 4, 4]);
    expect([...csr.targets]).toEqual([1, 1, 0, 0]);
    expect([...csr.edgeIds]).toEqual([1, 5, 0, 3]);
    expect([...csr.weights!]).toEqual([2, 6, 1, 4]);
  });
});
