import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { networkFromMatrix } from "./network.ts";
import { capitalLossOf, expandShock, externalAssetsOf, formatShock, parseShock } from "./shock.ts";

describe("parseShock", () => {
  it("reads every form and writes it back", () => {
    for (const text of [
      "default:a",
      "default:a,b",
      "uniform:0.1",
      "external:0.25",
      "external:0.5:a,c",
      "each",
      "none",
    ]) {
      expect(formatShock(parseShock(text))).toBe(text);
    }
    expect(parseShock(" default: a , b ")).toEqual({ kind: "default", ids: ["a", "b"] });
    expect(parseShock("EACH")).toEqual({ kind: "each" });
  });

  it("explains what is wrong with a malformed shock", () => {
    const cases: Array<[string, RegExp]> = [
      ["default", /name the defaulting ids/],
      ["default:", /comma-separated list/],
      ["default:a,,b", /comma-separated list/],
      ["uniform:abc", /between 0 and 1/],
      ["uniform:1.5", /between 0 and 1/],
      ["uniform:", /between 0 and 1/],
      ["external:0.1:", /comma-separated list/],
      ["each:3", /takes no argument/],
      ["crash:0.1", /is not a shock; expected default:ID/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseShock(text)).toThrow(AppError);
      expect(() => parseShock(text)).toThrow(message);
    }
    expect(() => parseShock("bad", "--shock")).toThrow(/^--shock "bad"/);
  });
});

describe("expandShock", () => {
  const net = networkFromMatrix({
    ids: ["a", "b", "c"],
    matrix: [
      [0, 1, 0],
      [0, 0, 2],
      [3, 0, 0],
    ],
    orientation: "liabilities",
    externalAssets: [10, 20, 30],
    externalLiabilities: [5, 5, 5],
    capital: [4, 8, 12],
  });

  it("checks ids and lists one scenario per institution for each", () => {
    expect(() => expandShock(net, { kind: "default", ids: ["a", "z"] })).toThrow(
      /unknown institution id "z"/,
    );
    expect(() => expandShock(net, { kind: "external", fraction: 0.1, nodeIds: ["q"] })).toThrow(/"q"/);
    expect(() => expandShock(net, { kind: "uniform", fraction: -0.1 })).toThrow(/between 0 and 1/);
    expect(expandShock(net, { kind: "each" }).map((s) => s.name)).toEqual(["a", "b", "c"]);
  });

  it("turns scenarios into capital losses and into shocked external assets", () => {
    const [external] = expandShock(net, { kind: "external", fraction: 0.5, nodeIds: ["b"] });
    expect(Array.from(capitalLossOf(net, external!, net.capital).loss)).toEqual([0, 10, 0]);
    expect(Array.from(externalAssetsOf(net, external!, net.capital))).toEqual([10, 10, 30]);
    const [uniform] = expandShock(net, { kind: "uniform", fraction: 0.25 });
    expect(Array.from(capitalLossOf(net, uniform!, net.capital).loss)).toEqual([1, 2, 3]);
    expect(Array.from(externalAssetsOf(net, uniform!, net.capital))).toEqual([9, 18, 27]);
    const [fail] = expandShock(net, { kind: "default", ids: ["c"] });
    const loss = capitalLossOf(net, fail!, net.capital);
    expect(Array.from(loss.forced)).toEqual([0, 0, 1]);
    expect(Array.from(loss.loss)).toEqual([0, 0, 12]);
    expect(Array.from(externalAssetsOf(net, fail!, net.capital))).toEqual([10, 20, 0]);
  });
});
