import { describe, expect, test } from "vitest";
import { fanNodes, nodeFlows } from "./flows.ts";

// Node 0 collects from 1, 2 and 3 (3 pays twice); 0 pays 4 at step 9; 4 pays itself.
const edges = {
  src: Int32Array.of(1, 2, 3, 3, 0, 4),
  dst: Int32Array.of(0, 0, 0, 0, 4, 4),
  amount: Float64Array.of(10, 20, 30, 5, 60, 1),
  time: Int32Array.of(1, 2, 3, 4, 9, 5),
};

describe("nodeFlows", () => {
  test("counts transactions, distinct counterparties and totals per node", () => {
    const f = nodeFlows(6, edges);
    expect([...f.inCount]).toEqual([4, 0, 0, 0, 2, 0]);
    expect([...f.outCount]).toEqual([1, 1, 1, 2, 1, 0]);
    expect([...f.inCounterparties]).toEqual([3, 0, 0, 0, 1, 0]);
    expect([...f.outCounterparties]).toEqual([1, 1, 1, 1, 0, 0]);
    expect([...f.inTotal]).toEqual([65, 0, 0, 0, 61, 0]);
    expect([...f.outTotal]).toEqual([60, 10, 20, 35, 1, 0]);
  });

  test("restricts to a half-open time window", () => {
    const f = nodeFlows(6, edges, { from: 2, to: 9 });
    expect([...f.inCount]).toEqual([3, 0, 0, 0, 1, 0]);
    expect([...f.inCounterparties]).toEqual([2, 0, 0, 0, 0, 0]);
    expect([...f.inTotal]).toEqual([55, 0, 0, 0, 1, 0]);
    expect([...f.outTotal]).toEqual([0, 0, 20, 35, 1, 0]);
  });

  test("a window without a time column is an input error", () => {
    expect(() => nodeFlows(6, { src: edges.src, dst: edges.dst }, { from: 1 })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });
});

describe("fanNodes", () => {
  test("lists nodes at or over the threshold, largest first", () => {
    expect([...fanNodes(Int32Array.of(3, 0, 5, 3, 1), 3)]).toEqual([2, 0, 3]);
    expect([...fanNodes(Int32Array.of(1, 2), 9)]).toEqual([]);
  });
});
