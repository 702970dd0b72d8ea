import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bankA,
  bankB,
  csv,
  smallLoanC,
  testResidentId,
  writeTinyProvince,
} from "@beacon/core/testing/fixtures";
import { beforeAll, describe, expect, test } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "beacon.js");
const key = "cli-detect-test-key-cli-detect-test-key";

function beacon(args: string[], dataDir: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, BEACON_DATA_DIR: dataDir, BEACON_PSEUDONYM_KEY: key },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dataDir: string;
let truthFile: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "cli-detect-"));
  const province = mkdtempSync(join(tmpdir(), "cli-detect-province-"));
  writeTinyProvince(province);
  const who = testResidentId(777);
  appendFileSync(
    join(province, "loans", "2026-09.csv"),
    csv(
      [bankA, bankB, smallLoanC].map((lender, i) => [
        `M${i}`,
        lender,
        "2026-09",
        "individual",
        who,
        null,
        "90000.00",
        "100000.00",
        "90000.00",
        "2026-03-15",
        "2028-03-15",
        "0.0435",
        "0.00",
        "0.00",
        "0.00",
        "equal_instalment",
        24,
        null,
        null,
        "normal",
        "K",
        "false",
        "false",
        "false",
      ]),
    ),
  );
  // A truth with one plant: the borrower above, as the generator would write it (raw resident id).
  truthFile = join(province, "truth.json");
  writeFileSync(
    truthFile,
    JSON.stringify({
      seed: 0,
      scale: "tiny",
      periods: ["2026-09"],
      plants: [
        {
          kind: "multiple_loans",
          subjectType: "person",
          subjects: [who],
          periods: ["2026-09"],
          flaggedBy: ["detector:multiple_loans"],
          details: {},
        },
      ],
    }),
  );
  expect(beacon(["ingest", province], dataDir).code).toBe(0);
}, 120_000);

describe("beacon detect, findings and evaluate", () => {
  test("detect stores a run; findings lists it; evaluate scores it against the truth with the configured key", () => {
    const run = beacon(
      ["detect", "multiple_loans", "--param", "multiple_loans.min_lenders_individual=3", "--json"],
      dataDir,
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      period: string;
      detectors: { detector: string; findings: number }[];
    };
    expect(result.period).toBe("2026-09");
    expect(result.detectors).toEqual([expect.objectContaining({ detector: "multiple_loans", findings: 1 })]);

    const list = beacon(["findings", "--detector", "multiple_loans"], dataDir);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^1 finding\(s\); page 1 of 1/);
    expect(list.stdout).toContain("has loans at 3 distinct lenders (threshold 3 for individuals)");

    const evaluation = beacon(["evaluate", "--truth", truthFile, "--json"], dataDir);
    expect(evaluation.code).toBe(0);
    const e = JSON.parse(evaluation.stdout) as {
      kinds: { kind: string; recall: number; precision: number }[];
    };
    expect(e.kinds).toEqual([expect.objectContaining({ kind: "multiple_loans", recall: 1, precision: 1 })]);
  });

  test("an approved detector parameter applies to later runs; a run's --param still overrides it", () => {
    const today = new Date().toISOString().slice(0, 10);
    const proposed = beacon(
      [
        "params",
        "propose",
        "--detector",
        "multiple_loans",
        "--param",
        "min_lenders_individual",
        "--value",
        "3",
        "--reason",
        "Three lenders flag an individual in this province",
        "--effective",
        today,
        "--by",
        "alice",
        "--json",
      ],
      dataDir,
    );
    expect(proposed.code, proposed.stderr).toBe(0);
    const id = (JSON.parse(proposed.stdout) as { id: number }).id;
    const self = beacon(["params", "approve", String(id), "--by", "alice"], dataDir);
    expect(self.code).toBe(2);
    expect(beacon(["params", "approve", String(id), "--by", "bob"], dataDir).code).toBe(0);

    const governed = JSON.parse(beacon(["detect", "multiple_loans", "--json"], dataDir).stdout) as {
      detectors: { detector: string; findings: number }[];
    };
    expect(governed.detectors).toEqual([
      expect.objectContaining({ detector: "multiple_loans", findings: 1 }),
    ]);
    const whatIf = JSON.parse(
      beacon(
        ["detect", "multiple_loans", "--param", "multiple_loans.min_lenders_individual=4", "--json"],
        dataDir,
      ).stdout,
    ) as { detectors: { detector: string; findings: number }[] };
    expect(whatIf.detectors).toEqual([expect.objectContaining({ detector: "multiple_loans", findings: 0 })]);
    const wrong = beacon(
      [
        "params",
        "propose",
        "--detector",
        "nope",
        "--param",
        "k",
        "--value",
        "1",
        "--reason",
        "No such detector",
        "--effective",
        today,
        "--by",
        "alice",
      ],
      dataDir,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--detector: "nope" is not a detector');
  }, 300_000);

  test("usage problems exit with code 2 and say what is wrong", () => {
    const unknown = beacon(["detect", "nope"], dataDir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown detector(s): nope");
    const badParam = beacon(["detect", "all", "--param", "multiple_loans"], dataDir);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toContain('"multiple_loans" is not detector.key=value');
    const noTruth = beacon(["evaluate"], dataDir);
    expect(noTruth.code).toBe(2);
    expect(noTruth.stderr).toContain("--truth is required");
  });
});
