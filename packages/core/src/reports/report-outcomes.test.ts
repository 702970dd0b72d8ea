import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chinaPack } from "@beacon/packs/china/index";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../config.ts";
import type { Db } from "../db/client.ts";
import { ingest } from "../intake/ingest.ts";
import { testDb } from "../testing/db.ts";
import { bankA, csv, writeTinyProvince } from "../testing/fixtures.ts";
import { buildMonthlyReport, precomputeMonthlyReport } from "./build-monthly-report.ts";
import {
  clearOutcomeMemory,
  dataVersion,
  decodeOutcomes,
  encodeOutcomes,
  monthOutcomes,
  packVersionOf,
} from "./report-outcomes.ts";

let db: Db;
let dataDir: string;
let province: string;

/** Bank A's NPL ratio for a month: 2% passes, 8% breaches the regulatory line (at most 5%). */
function writeReturns(month: string, bad: string) {
  const items: [string, string][] = [
    ["BANK_LOANS_NORMAL", String(1000 - 100 - Number(bad))],
    ["BANK_LOANS_SPECIAL_MENTION", "100.00"],
    ["BANK_LOANS_SUBSTANDARD", bad],
    ["BANK_LOANS_DOUBTFUL", "0.00"],
    ["BANK_LOANS_LOSS", "0.00"],
    ["BANK_LOANS_TOTAL", "1000.00"],
  ];
  writeFileSync(
    join(province, "returns", `${month}.csv`),
    csv([
      ["institution_code", "period", "item", "value", "unit"],
      ...items.map(([i, v]) => [bankA, month, i, v, "CNY"]),
    ]),
  );
}

beforeAll(async () => {
  db = await testDb();
  dataDir = mkdtempSync(join(tmpdir(), "report-outcomes-data-"));
  province = mkdtempSync(join(tmpdir(), "report-outcomes-province-"));
  writeTinyProvince(province);
  mkdirSync(join(province, "returns"));
  writeReturns("2026-08", "20.00");
  writeReturns("2026-09", "80.00");
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  const report = await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, province);
  expect(report.status).toBe("accepted");
});

afterAll(async () => {
  await db.close();
});

describe("the monthly report's stored rule outcomes", () => {
  test("encoding keeps every field a report reads, and the explanation of breaches only", () => {
    const outcomes = [
      {
        ruleId: "r1",
        institution: bankA,
        kind: "breach_regulatory" as const,
        severity: "high",
        number: 0.08,
        display: "percent",
        thresholds: [{ line: "regulatory", comparator: "<=", number: 0.05 }],
        explanation: { zh: "超过", en: "above" },
      },
      {
        ruleId: "r2",
        institution: bankA,
        kind: "not_computable" as const,
        severity: "low",
        number: null,
        display: null,
        thresholds: [],
        explanation: null,
      },
    ];
    expect(decodeOutcomes(encodeOutcomes(outcomes))).toEqual(outcomes);
  });

  test("precomputing stores each month once per data version; a later read comes from the table", async () => {
    const first = await precomputeMonthlyReport(db, chinaPack, 2);
    expect(first).toMatchObject({ period: "2026-09", months: 2, computed: 2 });
    const batch = await dataVersion(db);
    const rows = await db.query<{ period: string; batch_id: string; pack_version: string; outcomes: number }>(
      "select period, batch_id::text, pack_version, outcomes from report_outcomes order by period",
    );
    expect(rows.map((r) => [r.period, r.batch_id, r.pack_version])).toEqual([
      ["2026-08", batch, packVersionOf(chinaPack)],
      ["2026-09", batch, packVersionOf(chinaPack)],
    ]);
    expect(rows.every((r) => r.outcomes > 0)).toBe(true);
    // A new process (no memory) reads what was stored, and finds the same breaches.
    const computed = (await monthOutcomes(db, chinaPack, "2026-09", batch)).outcomes;
    clearOutcomeMemory();
    const stored = await monthOutcomes(db, chinaPack, "2026-09", batch);
    expect(stored.source).toBe("stored");
    expect(stored.outcomes).toEqual(computed);
    expect(
      stored.outcomes.some((o) => o.ruleId === "cn.bank.npl_ratio" && o.kind === "breach_regulatory"),
    ).toBe(true);
    expect((await precomputeMonthlyReport(db, chinaPack, 2)).computed).toBe(0);
  });

  test("the report from stored outcomes shows the breach with its legal basis and the month's levels", async () => {
    clearOutcomeMemory();
    const report = await buildMonthlyReport(db, { all: true }, { period: "2026-09" }, chinaPack, 2);
    const npl = report.breaches.find((b) => b.ruleId === "cn.bank.npl_ratio");
    expect(npl).toMatchObject({ institution: bankA, kind: "breach_regulatory" });
    expect(npl!.explanation.en).not.toBe("");
    expect(npl!.legalBasis.zh).not.toBe("");
    expect(report.submissions.byInstitution.find((i) => i.code === bankA)?.level).toMatch(/red|orange/);
    expect(report.indicators.find((i) => i.ruleId === "cn.bank.npl_ratio")?.medians).toEqual([
      expect.closeTo(0.02, 6),
      expect.closeTo(0.08, 6),
    ]);
  });

  test("a new batch makes a new data version: its outcomes are computed and the older ones deleted", async () => {
    const before = await dataVersion(db);
    writeReturns("2026-09", "30.00");
    const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
    const r = await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, join(province, "returns"), {
      dataset: "returns",
    });
    expect(r.status).toBe("accepted");
    const after = await dataVersion(db);
    expect(after).not.toBe(before);
    const now = await monthOutcomes(db, chinaPack, "2026-09", after);
    expect(now.source).toBe("computed");
    expect(now.outcomes.some((o) => o.ruleId === "cn.bank.npl_ratio" && o.kind === "breach_regulatory")).toBe(
      false,
    );
    const versions = await db.query<{ batch_id: string }>(
      "select batch_id::text from report_outcomes where period = '2026-09'",
    );
    expect(versions.map((v) => v.batch_id)).toEqual([after]);
  });
});
