import { buildNetwork } from "@beacon/core/network/network";
import { describe, expect, test } from "vitest";
import { cascadeRounds } from "./cascade.ts";
import { forceLayout, initialPositions } from "./force-layout.ts";

describe("force layout", () => {
  test("is deterministic, stays inside the box and pulls linked nodes closer than unlinked ones", () => {
    const ids = ["a", "b", "c", "d", "e", "f"];
    const edges = [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "c", target: "a" },
      { source: "d", target: "e" },
    ];
    const run = () => forceLayout(initialPositions(ids, 400, 300), edges, 400, 300);
    const one = run();
    expect(run()).toEqual(one);
    for (const n of one) {
      expect(n.x).toBeGreaterThanOrEqual(16);
      expect(n.x).toBeLessThanOrEqual(384);
      expect(n.y).toBeGreaterThanOrEqual(16);
      expect(n.y).toBeLessThanOrEqual(284);
    }
    const at = new Map(one.map((n) => [n.id, n]));
    const d = (a: string, b: string) => Math.hypot(at.get(a)!.x - at.get(b)!.x, at.get(a)!.y - at.get(b)!.y);
    expect(d("a", "b")).toBeLessThan(d("a", "f"));
    expect(d("d", "e")).toBeLessThan(d("d", "f"));
  });
});

describe("cascade rounds", () => {
  test("a default passes to lenders round by round until nothing moves", () => {
    // c owes b 30, b owes a 30; capitals 10 each: c's default wipes b, whose default wipes a.
    const net = buildNetwork({
      nodes: [
        { id: "a", capital: 10 },
        { id: "b", capital: 10 },
        { id: "c", capital: 10 },
      ],
      exposures: [
        { lender: "b", borrower: "c", amount: 30 },
        { lender: "a", borrower: "b", amount: 30 },
      ],
    });
    const rounds = cascadeRounds(net, new Set([2]), 1);
    expect(rounds.map((r) => r.defaulted)).toEqual([1, 2, 3]);
    expect(rounds[rounds.length - 1]!.loss).toBe(30);
    const half = cascadeRounds(net, new Set([2]), 0.1);
    // 10% of c's capital: stress 0.1 passes 3 to b (stress 0.3), which passes 9 to a (stress 0.9).
    expect([...half[half.length - 1]!.stress].map((s) => Number(s.toFixed(6)))).toEqual([0.9, 0.3, 0.1]);
  });
});
