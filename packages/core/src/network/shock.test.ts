import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { buildNetwork, networkFromMatrix } from "./network.ts";
import {
  capitalLossOf,
  expandShock,
  externalAssetsOf,
  formatShock,
  parseShock,
  parseShocks,
} from "./shock.ts";

describe("parseShock", () => {
  it("reads every form and writes it back", () => {
    for (const text of [
      "default:a",
      "default:a,b",
      "uniform:0.1",
      "external:0.25",
      "external:0.5:a,c",
      "sector:trust=0.2",
      "asset:real_estate=0.3",
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
      ["sector:trust", /write sector:NAME=FRACTION, e\.g\. sector:trust=0\.2/],
      ["sector", /write sector:NAME=FRACTION/],
      ["sector:=0.2", /name the sector/],
      ["asset:real_estate=1.2", /between 0 and 1/],
      ["asset:real_estate=-0.1", /between 0 and 1/],
      ["asset:real_estate=x", /between 0 and 1/],
      ["asset:=0.1", /name the asset class/],
      ["crash:0.1", /is not a shock; expected default:ID/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseShock(text)).toThrow(AppError);
      expect(() => parseShock(text)).toThrow(message);
    }
    expect(() => parseShock("bad", "--shock")).toThrow(/^--shock "bad"/);
  });

  it("combines several shocks into one scenario, but not each or none", () => {
    const shock = parseShocks(["default:a", "Sector:Trust=0.2", "asset:equity=0.5"]);
    expect(shock).toEqual({
      kind: "combined",
      parts: [
        { kind: "default", ids: ["a"] },
        { kind: "sector", sector: "trust", fraction: 0.2 },
        { kind: "asset", assetClass: "equity", fraction: 0.5 },
      ],
    });
    expect(formatShock(shock)).toBe("default:a + sector:trust=0.2 + asset:equity=0.5");
    expect(parseShocks(["uniform:0.1"])).toEqual({ kind: "uniform", fraction: 0.1 });
    expect(() => parseShocks(["each", "default:a"])).toThrow(/"each" cannot be combined/);
    expect(() => parseShocks([])).toThrow(AppError);
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

describe("sector, asset-class and combined scenarios", () => {
  const net = buildNetwork({
    nodes: [
      { id: "a", capital: 4, externalAssets: 10, sector: "banking", holdings: { real_estate: 6 } },
      { id: "b", capital: 8, externalAssets: 20, sector: "trust", holdings: { real_estate: 30 } },
      { id: "c", capital: 12, externalAssets: 30, sector: "trust" },
    ],
    exposures: [{ lender: "a", borrower: "b", amount: 1 }],
  });

  it("hits the external assets of a sector, and the holdings of an asset class up to the external assets", () => {
    const [sector] = expandShock(net, { kind: "sector", sector: "trust", fraction: 0.5 });
    expect(Array.from(sector!.externalLoss!)).toEqual([0, 10, 15]);
    const [asset] = expandShock(net, { kind: "asset", assetClass: "real_estate", fraction: 0.5 });
    // b holds more real estate (30) than its external assets (20): the loss stops at what it has.
    expect(Array.from(asset!.externalLoss!)).toEqual([3, 15, 0]);
    expect(Array.from(externalAssetsOf(net, asset!, net.capital))).toEqual([7, 5, 30]);
  });

  it("adds the parts of a combination: defaults, capital shares and external losses", () => {
    const [s] = expandShock(
      net,
      parseShocks(["default:c", "sector:banking=0.5", "asset:real_estate=0.5", "uniform:0.25"]),
    );
    expect(s!.name).toBe("default:c + sector:banking=0.5 + asset:real_estate=0.5 + uniform:0.25");
    expect(Array.from(s!.externalLoss!)).toEqual([8, 15, 0]);
    const loss = capitalLossOf(net, s!, net.capital);
    expect(Array.from(loss.loss)).toEqual([4 * 0.25 + 8, 8 * 0.25 + 15, 12]);
    expect(Array.from(loss.forced)).toEqual([0, 0, 1]);
  });

  it("names what a scenario refers to that the network does not have", () => {
    expect(() => expandShock(net, parseShock("sector:insurance=0.1"))).toThrow(
      /sector shock "insurance": no institution of that sector in this network \(sectors present: banking, trust\)/,
    );
    expect(() => expandShock(net, parseShock("asset:equity=0.1"))).toThrow(
      /asset shock "equity": no institution in this network holds that asset class \(classes held: real_estate\)/,
    );
    expect(() => expandShock(net, parseShocks(["default:a", "default:zz"]))).toThrow(
      /unknown institution id "zz"/,
    );
    expect(() => expandShock(net, parseShocks(["uniform:0.7", "uniform:0.6"]))).toThrow(/add up to 1.3/);
  });
});
