import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseNetworkCsv } from "@beacon/core/network/load-csv";
import { buildNetwork } from "@beacon/core/network/network";
import { runContagion } from "@beacon/core/network/run-contagion";
import { parseShock } from "@beacon/core/network/shock";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..", "..");
const node = join(root, "node_modules", ".bin", "node");
const bin = join(root, "apps", "cli", "bin", "beacon.js");

function beacon(args: string[]) {
  const r = spawnSync(node, [bin, "contagion", ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The NetworkRiskMeasures three-bank example, with balance sheets that match the capital column.
const nodesCsv = `id,capital,external_assets,external_liabilities,weight
a,2,20,6,10
b,5,20,25,100
"c",2,8,8,30
`;
const exposuresCsv = `lender,borrower,amount
a,b,1
b,a,10
b,c,3
c,a,3
c,b,2
`;

describe("beacon contagion", () => {
  let dir: string;
  let nodes: string;
  let exposures: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "beacon-contagion-"));
    nodes = join(dir, "nodes.csv");
    exposures = join(dir, "exposures.csv");
    writeFileSync(nodes, nodesCsv);
    writeFileSync(exposures, exposuresCsv);
  });

  /** What the core computes for the same files, to compare the command's output with. */
  const expected = (method: "debtrank" | "eisenberg-noe", shock: string) =>
    JSON.parse(
      JSON.stringify(
        runContagion(
          buildNetwork(
            parseNetworkCsv({ name: nodes, text: nodesCsv }, { name: exposures, text: exposuresCsv }),
          ),
          { method, shock: parseShock(shock) },
        ),
      ),
    );

  it("runs DebtRank for every single default and prints the ranking as JSON", () => {
    const r = beacon([
      "--nodes",
      nodes,
      "--exposures",
      exposures,
      "--method",
      "debtrank",
      "--shock",
      "each",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const { top, ...result } = out;
    expect(top).toBe(20);
    expect(result).toEqual(expected("debtrank", "each"));
    expect(out.ranking.map((e: { id: string }) => e.id)).toHaveLength(3);
    expect(r.stderr).toContain("3 institutions, 5 exposures");
  });

  it("runs Eisenberg-Noe for a named default, with per-node payments, and renders a table", () => {
    const args = [
      "--nodes",
      nodes,
      "--exposures",
      exposures,
      "--method",
      "eisenberg-noe",
      "--shock",
      "default:b",
    ];
    const json = beacon([...args, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const { top: _top, ...result } = JSON.parse(json.stdout);
    expect(result).toEqual(expected("eisenberg-noe", "default:b"));
    expect(result.scenarios[0].nodes.map((n: { payment: number }) => typeof n.payment)).toEqual([
      "number",
      "number",
      "number",
    ]);
    // The capital column is each bank's book equity, so there is nothing to warn about.
    expect(json.stderr).not.toContain("differs from the book equity");
    const text = beacon(args);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("eisenberg-noe (seniority pari-passu), shock default:b");
    expect(text.stdout).toMatch(/^b\s/m);
  });

  it("exits with code 2 and names file, row and column for a bad exposures file", () => {
    const bad = join(dir, "bad-exposures.csv");
    writeFileSync(bad, "lender,borrower,amount\na,b,1\nb,c,lots\n");
    const r = beacon([
      "--nodes",
      nodes,
      "--exposures",
      bad,
      "--method",
      "debtrank",
      "--shock",
      "each",
      "--json",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad} row 2 (line 3), column "amount": "lots" is not a number`);
    expect(JSON.parse(r.stdout).error.code).toBe("INVALID_INPUT");
  });

  it("exits with code 2 for a missing file, an unknown method, a malformed shock, a stray parameter and --period", () => {
    const base = ["--nodes", nodes, "--exposures", exposures];
    const cases: Array<[string[], string]> = [
      [
        [
          "--nodes",
          join(dir, "missing.csv"),
          "--exposures",
          exposures,
          "--method",
          "debtrank",
          "--shock",
          "each",
        ],
        "no such file",
      ],
      [[...base, "--method", "domino", "--shock", "each"], '--method "domino" is not a method'],
      [[...base, "--method", "debtrank", "--shock", "uniform:lots"], '--shock "uniform:lots"'],
      [[...base, "--method", "debtrank", "--shock", "default:zz"], 'unknown institution id "zz"'],
      [
        [...base, "--method", "debtrank", "--shock", "each", "--recovery", "0.4"],
        "recoveryRate does not apply to debtrank",
      ],
      [
        [...base, "--method", "furfine", "--shock", "each", "--recovery", "x"],
        '--recovery "x" is not a number',
      ],
      [
        ["--period", "2024-13", "--method", "debtrank", "--shock", "each"],
        '--period "2024-13" must be a month written YYYY-MM',
      ],
    ];
    for (const [args, message] of cases) {
      const r = beacon(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it("exits with code 2 for bad shock syntax, combinations, --store, --estimate and a nodes file without totals", () => {
    const base = ["--nodes", nodes, "--exposures", exposures];
    const cases: Array<[string[], string]> = [
      [[...base, "--method", "debtrank", "--shock", "sector:trust"], "write sector:NAME=FRACTION"],
      [[...base, "--method", "debtrank", "--shock", "asset:real_estate=1.5"], "between 0 and 1"],
      [[...base, "--method", "debtrank", "--shock", "sector:trust=0.2"], "the network gives no sectors"],
      [[...base, "--method", "debtrank", "--shock", "each", "--shock", "default:a"], "cannot be combined"],
      [[...base, "--method", "debtrank", "--shock", "each", "--store"], "--store keeps a period's"],
      [[...base, "--method", "debtrank", "--shock", "each", "--estimate", "guess"], '--estimate "guess"'],
      [
        ["--nodes", nodes, "--method", "debtrank", "--shock", "each"],
        "without --exposures, give interbank_assets",
      ],
    ];
    for (const [args, message] of cases) {
      const r = beacon(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  }, 120_000);

  it("combines shocks by sector, asset class and default in one scenario, and lists the estimated links", () => {
    const withTotals = join(dir, "nodes-sectors.csv");
    writeFileSync(
      withTotals,
      `id,capital,external_assets,external_liabilities,sector,asset_real_estate,interbank_assets,interbank_liabilities
a,2,20,6,banking,5,,
b,5,20,25,banking,2,,20
c,2,8,8,trust,,,4
d,3,10,5,trust,,6,
`,
    );
    const r = beacon([
      "--nodes",
      withTotals,
      "--exposures",
      exposures,
      "--method",
      "debtrank",
      "--shock",
      "sector:trust=0.5",
      "--shock",
      "asset:real_estate=0.2",
      "--shock",
      "default:a",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scenarios[0].scenario).toBe("sector:trust=0.5 + asset:real_estate=0.2 + default:a");
    expect(out.scenarios[0].sectors.map((x: { sector: string }) => x.sector)).toEqual(["banking", "trust"]);
    // d reports 6 lent but no exposures: spread 17:1 over b and c, what their liabilities totals leave.
    expect(out.estimated.lenders).toEqual(["d"]);
    expect(out.estimated.links.map((l: { borrower: string }) => l.borrower)).toEqual(["b", "c"]);
    expect(out.estimated.links[0].amount).toBeCloseTo((6 * 17) / 18, 9);
    expect(r.stderr).toContain("estimated: 2 link(s) by max-entropy");
  });
});
