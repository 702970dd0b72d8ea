import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bankA, bankB, csv, writeTinyProvince } from "@beacon/core/testing/fixtures";
import { beforeAll, describe, expect, test } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "beacon.js");

function beacon(args: string[], dataDir: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, BEACON_DATA_DIR: dataDir, USER: "tester" },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dataDir: string;
let dir: string;

// Each test runs the CLI as a separate process, twice at most; timeouts allow for a loaded machine.
// Bank A reports an NPL ratio of 6% (above the 5% line); bank B 1%.
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "evaluate-cli-"));
  dir = mkdtempSync(join(tmpdir(), "evaluate-cli-province-"));
  writeTinyProvince(dir);
  const loans = (bank: string, bad: number) =>
    (
      [
        ["BANK_LOANS_NORMAL", String(96 - bad)],
        ["BANK_LOANS_SPECIAL_MENTION", "4"],
        ["BANK_LOANS_SUBSTANDARD", String(bad - 2)],
        ["BANK_LOANS_DOUBTFUL", "1"],
        ["BANK_LOANS_LOSS", "1"],
        ["BANK_LOANS_TOTAL", "100"],
      ] as const
    ).map(([item, value]) => [bank, "2026-09", item, value, "CNY"]);
  writeFileSync(
    join(dir, "returns.csv"),
    csv([["institution_code", "period", "item", "value", "unit"], ...loans(bankA, 6), ...loans(bankB, 3)]),
  );
  expect(beacon(["ingest", dir], dataDir).code).toBe(0);
}, 240_000);

const npl = (value: number) => ({
  "2026-09": [{ metric: "BANK_NPL_RATIO", value, limit: 0.05, line: "regulatory" }],
});

function truthFile(name: string, plants: unknown[], clean: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ seed: 1, scale: "tiny", periods: ["2026-09"], plants, clean }));
  return file;
}

describe("beacon evaluate --rules", () => {
  test("a planted return breach reported by its rule counts as recalled; a clean institution stays clean", () => {
    const file = truthFile(
      "truth-ok.json",
      [
        {
          kind: "return_breach",
          subjectType: "institution",
          subjects: [bankA],
          periods: ["2026-09"],
          flaggedBy: ["rule:BANK_NPL_RATIO"],
          details: { crossingsByPeriod: npl(0.06) },
        },
      ],
      [bankB],
    );
    const r = beacon(["evaluate", "--truth", file, "--rules", "--json"], dataDir);
    expect(r.code, r.stderr).toBe(0);
    const rules = JSON.parse(r.stdout).rules;
    expect(rules).toMatchObject({
      expected: 1,
      reported: 1,
      recall: 1,
      missedCount: 0,
      cleanFlaggedCount: 0,
    });
    expect(rules.kinds).toEqual([{ kind: "return_breach", expected: 1, reported: 1, recall: 1 }]);
    const text = beacon(["evaluate", "--truth", file, "--rules"], dataDir).stdout;
    expect(text).toMatch(/1 of 1 planted rule signals reported \(recall 1\.000\)/);
  }, 240_000);

  test("a plant no rule reports is missed, and a breach of a clean institution is listed", () => {
    const file = truthFile(
      "truth-bad.json",
      [
        {
          kind: "return_breach",
          subjectType: "institution",
          subjects: [bankB],
          periods: ["2026-09"],
          flaggedBy: ["rule:BANK_NPL_RATIO"],
          details: { crossingsByPeriod: npl(0.06) },
        },
      ],
      [bankA],
    );
    const r = beacon(["evaluate", "--truth", file, "--rules", "--json"], dataDir);
    expect(r.code, r.stderr).toBe(0);
    const rules = JSON.parse(r.stdout).rules;
    expect(rules).toMatchObject({ expected: 1, reported: 0, recall: 0, missedCount: 1 });
    expect(rules.missed[0]).toMatchObject({ institution: bankB, period: "2026-09" });
    expect(rules.cleanFlaggedCount).toBeGreaterThanOrEqual(1);
    expect(rules.cleanFlagged[0]).toMatchObject({ institution: bankA, period: "2026-09" });
  }, 240_000);
});
