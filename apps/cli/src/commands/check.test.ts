import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bankA, csv, writeTinyProvince } from "@beacon/core/testing/fixtures";
import { beforeAll, describe, expect, test } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "beacon.js");

function beacon(args: string[], dataDir: string, user = "tester") {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, BEACON_DATA_DIR: dataDir, USER: user },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "check-cli-"));
  const province = mkdtempSync(join(tmpdir(), "check-cli-province-"));
  writeTinyProvince(province);
  writeFileSync(
    join(province, "returns.csv"),
    csv([
      ["institution_code", "period", "item", "value", "unit"],
      ...(
        [
          ["BANK_LOANS_NORMAL", "90"],
          ["BANK_LOANS_SPECIAL_MENTION", "4"],
          ["BANK_LOANS_SUBSTANDARD", "3"],
          ["BANK_LOANS_DOUBTFUL", "2"],
          ["BANK_LOANS_LOSS", "1"],
          ["BANK_LOANS_TOTAL", "100"],
        ] as const
      ).map(([item, value]) => [bankA, "2026-09", item, value, "CNY"]),
    ]),
  );
  expect(beacon(["ingest", province], dataDir).code).toBe(0);
});

describe("beacon check, rules and params", () => {
  test("bad input names the flag and why, exits 2, and stores nothing", () => {
    const cases: [string[], RegExp][] = [
      [["check"], /check needs --period/],
      [["check", "--period", "2026-13"], /--period "2026-13" is malformed: expected YYYY-MM or YYYY-Qn/],
      [["check", "--period", "2026-09", "--as-of", "soon"], /--as-of "soon" is neither a date/],
      [
        ["check", "--period", "2026-09", "--set", "npl=0.1"],
        /--set: Expected rule.param=value, got "npl=0.1"/,
      ],
      [
        ["check", "--period", "2026-09", "--set", "cn.bank.nope.maximum=0.1"],
        /--set: Invalid parameters: cn.bank.nope: unknown rule/,
      ],
      [
        ["check", "--period", "2026-09", "--set", "cn.bank.npl_ratio.max=0.1"],
        /--set: Invalid parameters: cn.bank.npl_ratio.max: unknown parameter/,
      ],
      [
        ["check", "--period", "2026-09", "--set", "cn.bank.npl_ratio.maximum=lots"],
        /--set: Invalid parameters: cn.bank.npl_ratio.maximum: expected a non-negative decimal/,
      ],
      [
        ["check", "--period", "2026-09", "--set", "cn.bank.npl_ratio.maximum=0.1", "--store"],
        /--store cannot be combined with --set/,
      ],
      [
        ["check", "--period", "2001-01", "--store"],
        /--period 2001-01: no returns and no .* data stored for it/,
      ],
      [["check", "--period", "2026-09", "--rule", "cn.nope"], /--rule: unknown rule "cn.nope"/],
      [["rules", "show", "cn.nope"], /rule id: unknown rule "cn.nope"/],
      [
        [
          "params",
          "propose",
          "--rule",
          "cn.bank.npl_ratio",
          "--param",
          "maximum",
          "--value",
          "0.06",
          "--reason",
          "r",
          "--effective",
          "2099-01-01",
        ],
        /reason: give a reason/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = beacon(args, dataDir);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    const none = beacon(["check", "--run", "1"], dataDir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no stored check run 1/);
  }, 120_000);

  test("check lists breaches; a what-if lists the changes; --store saves the run", () => {
    const r = beacon(["check", "--period", "2026-09", "--json"], dataDir);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(
      result.breaches.map((b: { ruleId: string; institution: string }) => [b.ruleId, b.institution]),
    ).toEqual([["cn.bank.npl_ratio", bankA]]);
    expect(r.stdout).not.toMatch(/"runId": [0-9]/);
    const text = beacon(["check", "--period", "2026-Q3"], dataDir);
    expect(text.stdout).toContain("REGULATORY high     cn.bank.npl_ratio v1");
    expect(text.stdout).toContain("NPL ratio 6.00% exceeds the regulatory maximum 5.00%");
    expect(text.stdout).toContain("不良贷款率为6.00%，高于监管上限5.00%");

    const whatIf = JSON.parse(
      beacon(["check", "--period", "2026-09", "--set", "cn.bank.npl_ratio.maximum=0.07", "--json"], dataDir)
        .stdout,
    );
    expect(whatIf.whatIf.changes).toMatchObject([
      { ruleId: "cn.bank.npl_ratio", before: { kind: "breach_regulatory" }, after: { kind: "pass" } },
    ]);
    expect(whatIf.breaches).toEqual([]);

    const stored = JSON.parse(beacon(["check", "--period", "2026-09", "--store", "--json"], dataDir).stdout);
    expect(stored.runId).toBe(1);
    const shown = JSON.parse(beacon(["check", "--run", "1", "--json"], dataDir).stdout);
    expect(shown).toMatchObject({ source: "stored", runId: 1, breaches: stored.breaches });
  }, 120_000);

  test("params: the proposer cannot approve; another user can; rules show the value and history", () => {
    const proposed = beacon(
      [
        "params",
        "propose",
        "--rule",
        "cn.bank.npl_ratio",
        "--param",
        "maximum",
        "--value",
        "0.07",
        "--reason",
        "Test of the command",
        "--effective",
        "2099-01-01",
        "--json",
      ],
      dataDir,
      "wang",
    );
    expect(proposed.code).toBe(0);
    const id = String(JSON.parse(proposed.stdout).id);
    const self = beacon(["params", "approve", id], dataDir, "wang");
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(
      /wang proposed change \d+ and cannot approve it: another user must \(maker-checker\)/,
    );
    expect(beacon(["params", "approve", id, "--by", "li"], dataDir, "wang").code).toBe(0);
    const diff = beacon(["rules", "diff", "--from", "2098-12-31", "--to", "2099-01-01"], dataDir);
    expect(diff.stdout).toContain("cn.bank.npl_ratio.maximum: 0.05 (default) -> 0.07");
    const show = beacon(["rules", "show", "cn.bank.npl_ratio", "--as-of", "2099-01-01"], dataDir);
    expect(show.stdout).toMatch(
      /maximum = 0.07 \[confirmed\] \(proposal \d+, effective 2099-01-01, approved by li\)/,
    );
    const list = JSON.parse(beacon(["rules", "list", "--json"], dataDir).stdout);
    expect(list.rules.find((r: { id: string }) => r.id === "cn.bank.npl_ratio").params[0].value).toBe("0.05");
  }, 120_000);
});
