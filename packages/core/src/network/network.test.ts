import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { bookEquity, buildNetwork, capitalMismatches, networkFromMatrix } from "./network.ts";
import { randomNetwork } from "./random-network.ts";

const nodes = [
  { id: "a", capital: 1, externalAssets: 10, externalLiabilities: 8 },
  { id: "b", capital: 2, externalAssets: 5, externalLiabilities: 1 },
  { id: "c", externalAssets: 3, externalLiabilities: 0 },
];

describe("buildNetwork", () => {
  it("stores exposures by lender and by borrower, summing duplicate pairs", () => {
    const net = buildNetwork({
      nodes,
      exposures: [
        { lender: "b", borrower: "a", amount: 2 },
        { lender: "a", borrower: "c", amount: 1 },
        { lender: "b", borrower: "a", amount: 0.5 },
        { lender: "a", borrower: "b", amount: 0 },
        { lender: "c", borrower: "a", amount: 4 },
      ],
    });
    expect(net.exposureCount).toBe(3);
    const row = (i: number) =>
      Array.from({ length: net.assetStart[i + 1]! - net.assetStart[i]! }, (_, k) => [
        net.ids[net.assetBorrower[net.assetStart[i]! + k]!],
        net.assetAmount[net.assetStart[i]! + k],
      ]);
    expect(row(0)).toEqual([["c", 1]]);
    expect(row(1)).toEqual([["a", 2.5]]);
    expect(row(2)).toEqual([["a", 4]]);
    const debts = (i: number) =>
      Array.from({ length: net.debtStart[i + 1]! - net.debtStart[i]! }, (_, k) => [
        net.ids[net.debtLender[net.debtStart[i]! + k]!],
        net.debtAmount[net.debtStart[i]! + k],
      ]);
    expect(debts(0)).toEqual([
      ["b", 2.5],
      ["c", 4],
    ]);
    expect(Array.from(net.interbankAssets)).toEqual([1, 2.5, 4]);
    expect(Array.from(net.interbankLiabilities)).toEqual([6.5, 0, 1]);
    // c gave no capital: it is its book equity, 3 + 4 - 0 - 1.
    expect(net.capital[2]).toBe(6);
    expect(Array.from(bookEquity(net))).toEqual([10 + 1 - 8 - 6.5, 5 + 2.5 - 1, 6]);
    expect(capitalMismatches(net)).toEqual(["a", "b"]);
    expect(Array.from(net.weight)).toEqual([1, 1, 1]);
  });

  it("rejects bad nodes and exposures with the offending entry named", () => {
    const bad = (input: Parameters<typeof buildNetwork>[0], message: RegExp) => {
      expect(() => buildNetwork(input)).toThrow(AppError);
      expect(() => buildNetwork(input)).toThrow(message);
    };
    bad({ nodes: [...nodes, { id: "a" }], exposures: [] }, /"a" appears twice/);
    bad({ nodes: [{ id: " " }], exposures: [] }, /node #1 has an empty id/);
    bad({ nodes: [{ id: "x", externalAssets: -1 }], exposures: [] }, /external assets must not be negative/);
    bad({ nodes: [{ id: "x", capital: Number.NaN }], exposures: [] }, /capital must be a finite number/);
    bad(
      { nodes, exposures: [{ lender: "a", borrower: "z", amount: 1 }] },
      /exposure #1: unknown borrower "z"/,
    );
    bad({ nodes, exposures: [{ lender: "q", borrower: "a", amount: 1 }] }, /unknown lender "q"/);
    bad({ nodes, exposures: [{ lender: "a", borrower: "b", amount: -2 }] }, /must not be negative/);
    bad({ nodes, exposures: [{ lender: "a", borrower: "a", amount: 2 }] }, /cannot lend to itself/);
  });

  it("builds the same network from a liabilities matrix and from its transpose as assets", () => {
    const liabilities = [
      [0, 1, 2],
      [3, 0, 0],
      [0, 4, 0],
    ];
    const assets = liabilities[0]!.map((_, j) => liabilities.map((row) => row[j]!));
    const a = networkFromMatrix({ matrix: liabilities, orientation: "liabilities" });
    const b = networkFromMatrix({ matrix: assets, orientation: "assets" });
    expect(Array.from(a.assetAmount)).toEqual(Array.from(b.assetAmount));
    expect(Array.from(a.assetBorrower)).toEqual(Array.from(b.assetBorrower));
    expect(() => networkFromMatrix({ matrix: [[1]], orientation: "assets" })).toThrow(/diagonal/);
  });

  it("generates balanced random networks deterministically", () => {
    const a = randomNetwork({ nodes: 50, exposures: 400, seed: 3 });
    const b = randomNetwork({ nodes: 50, exposures: 400, seed: 3 });
    expect(a.exposureCount).toBe(400);
    expect(Array.from(a.assetAmount)).toEqual(Array.from(b.assetAmount));
    expect(capitalMismatches(a)).toEqual([]);
  });
});
