import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { ingest } from "../intake/ingest.ts";
import { testDb } from "../testing/db.ts";
import { bankA, bankB, csv, smallLoanC, writeTinyProvince } from "../testing/fixtures.ts";
import { loadStoredNetwork } from "./load-stored.ts";
import { buildNetwork } from "./network.ts";
import { runContagion } from "./run-contagion.ts";

let db: Db;
let dataDir: string;
beforeAll(async () => {
  db = await testDb();
  dataDir = mkdtempSync(join(tmpdir(), "net-data-"));
  const dir = mkdtempSync(join(tmpdir(), "net-province-"));
  writeTinyProvince(dir);
  mkdirSync(join(dir, "exposures"));
  mkdirSync(join(dir, "returns"));
  const header = [
    "exposure_id",
    "lender_code",
    "period",
    "borrower_code",
    "exposure_type",
    "amount",
    "maturity_date",
  ];
  writeFileSync(
    join(dir, "exposures", "2026-09.csv"),
    csv([
      header,
      ["E1", bankA, "2026-09", bankB, "interbank_lending", "600.00", "2026-12-01"],
      ["E2", bankA, "2026-09", bankB, "repo", "400.00", null],
      ["E3", bankB, "2026-09", bankA, "deposit", "300.00", null],
      ["E4", bankA, "2026-09", smallLoanC, "interbank_lending", "100.00", null],
    ]),
  );
  const r = (inst: string, item: string, value: string) => [inst, "2026-09", item, value, "CNY"];
  writeFileSync(
    join(dir, "returns", "2026-09.csv"),
    csv([
      ["institution_code", "period", "item", "value", "unit"],
      r(bankA, "BANK_TOTAL_ASSETS", "5000"),
      r(bankA, "BANK_TOTAL_LIABILITIES", "4600"),
      r(bankB, "BANK_TOTAL_ASSETS", "2000"),
      r(bankB, "BANK_TOTAL_LIABILITIES", "1900"),
    ]),
  );
  const report = await ingest({ db, dataDir, pseudonymKey: Buffer.from("k".repeat(32)) }, dir);
  expect(report.status).toBe("accepted");
});
afterAll(async () => db.close());

test("a stored period becomes a network with balance sheets from returns and traced provenance", async () => {
  const { input, provenance } = await loadStoredNetwork(db, dataDir, "2026-09");
  expect(input.exposures).toEqual([
    { lender: bankA, borrower: bankB, amount: 1000 },
    { lender: bankA, borrower: smallLoanC, amount: 100 },
    { lender: bankB, borrower: bankA, amount: 300 },
  ]);
  const a = input.nodes.find((n) => n.id === bankA)!;
  // External assets: 5000 total less 1100 interbank; external liabilities: 4600 less 300; capital 400.
  expect(a).toEqual({
    id: bankA,
    capital: 400,
    externalAssets: 3900,
    externalLiabilities: 4300,
    weight: 5000,
  });
  const c = provenance.nodes.find((n) => n.id === smallLoanC)!;
  expect(c.equitySource).toMatch(/none reported/);
  expect(provenance.exposureSubmissions).toHaveLength(2);
  // The network runs: bank B's default costs bank A its 1,000 claim, more than its capital of 400.
  const result = runContagion(buildNetwork(input), {
    method: "debtrank",
    shock: { kind: "default", ids: [bankB] },
  });
  const outcome = result.scenarios[0]!.nodes?.find((n) => n.id === bankA);
  expect(outcome?.finalStress).toBeGreaterThanOrEqual(1);
  expect(outcome?.defaulted).toBe(true);
});

test("a malformed period or one with no exposures is a clear error", async () => {
  await expect(loadStoredNetwork(db, dataDir, "2026-9")).rejects.toThrow(/YYYY-MM/);
  await expect(loadStoredNetwork(db, dataDir, "2026-08")).rejects.toThrow(
    /no exposures are stored for period 2026-08/,
  );
});
