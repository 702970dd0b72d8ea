import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { ingest } from "../intake/ingest.ts";
import { testDb } from "../testing/db.ts";
import { bankA, bankB, csv, smallLoanC, testCreditCode, writeTinyProvince } from "../testing/fixtures.ts";
import { loadStoredNetwork } from "./load-stored.ts";
import { buildNetwork } from "./network.ts";
import { runContagion } from "./run-contagion.ts";
import { parseShock, parseShocks } from "./shock.ts";

/** A second small-loan company: it borrows from C, which reports the total it lent but no bilateral amounts. */
const smallLoanD = testCreditCode(4);
/** A trust company that reports no balance sheet: left out of the network. */
const trustE = testCreditCode(5);
let db: Db;
let dataDir: string;
beforeAll(async () => {
  db = await testDb();
  dataDir = mkdtempSync(join(tmpdir(), "net-data-"));
  const dir = mkdtempSync(join(tmpdir(), "net-province-"));
  writeTinyProvince(dir);
  appendFileSync(
    join(dir, "institutions.csv"),
    `${smallLoanD},重庆另一测试小额贷款有限公司,Another Test Small Loan Co.,small_loan,渝北区,,,,,active\n`,
  );
  appendFileSync(
    join(dir, "licences.csv"),
    `SLC-0004,${smallLoanD},small_loan,2016-01-01,2027-01-01,active\n`,
  );
  appendFileSync(
    join(dir, "institutions.csv"),
    `${trustE},重庆测试信托有限责任公司,Test Trust Co.,trust,渝中区,,,,,active\n`,
  );
  appendFileSync(join(dir, "licences.csv"), `T-0005,${trustE},trust,2010-01-01,,active\n`);
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
      ["E5", bankA, "2026-09", trustE, "product_channel", "70.00", null],
    ]),
  );
  const r = (inst: string, item: string, value: string) => [inst, "2026-09", item, value, "CNY"];
  writeFileSync(
    join(dir, "returns", "2026-09.csv"),
    csv([
      ["institution_code", "period", "item", "value", "unit"],
      r(bankA, "BANK_TOTAL_ASSETS", "5000"),
      r(bankA, "BANK_TOTAL_LIABILITIES", "4600"),
      r(bankA, "BANK_RE_LOANS", "800"),
      r(bankA, "BANK_LOANS_TOTAL", "3000"),
      r(bankB, "BANK_TOTAL_ASSETS", "2000"),
      r(bankB, "BANK_TOTAL_LIABILITIES", "1900"),
      r(smallLoanC, "SLC_INTER_SLC_LENT", "50"),
      r(smallLoanC, "SLC_NET_ASSETS", "40"),
      r(smallLoanD, "SLC_NET_ASSETS", "30"),
      r(smallLoanD, "SLC_INTER_SLC_BORROWED", "80"),
    ]),
  );
  const report = await ingest({ db, dataDir, pseudonymKey: Buffer.from("k".repeat(32)) }, dir);
  expect(report.status, JSON.stringify(report).slice(0, 1500)).toBe("accepted");
});
afterAll(async () => db.close());

test("a stored period becomes a network with balance sheets from returns and traced provenance", async () => {
  const { input, provenance } = await loadStoredNetwork(db, dataDir, "2026-09");
  expect(input.exposures).toEqual([
    { lender: bankA, borrower: bankB, amount: 1000 },
    { lender: bankA, borrower: smallLoanC, amount: 100 },
    { lender: bankB, borrower: bankA, amount: 300 },
    { lender: smallLoanC, borrower: smallLoanD, amount: 50 },
  ]);
  // C's 50 lent to small-loan companies is reported only as a total: estimated, and said so.
  expect(provenance.estimated).toEqual([
    {
      market: "small-loan interbank",
      method: "max-entropy",
      lenders: [smallLoanC],
      links: [{ lender: smallLoanC, borrower: smallLoanD, amount: 50 }],
      unallocated: 0,
      iterations: expect.any(Number),
      converged: true,
    },
  ]);
  const without = await loadStoredNetwork(db, dataDir, "2026-09", undefined, "none");
  expect(without.input.exposures).toHaveLength(3);
  expect(without.provenance.estimated).toEqual([]);
  const a = input.nodes.find((n) => n.id === bankA)!;
  // External assets: 5000 total less 1100 interbank; external liabilities: 4600 less 300; capital 400.
  expect(a).toEqual({
    id: bankA,
    capital: 400,
    externalAssets: 3900,
    externalLiabilities: 4300,
    weight: 5000,
    sector: "banking",
    holdings: { real_estate: 800, loans: 3000 },
  });
  const c = provenance.nodes.find((n) => n.id === smallLoanC)!;
  expect(c.equitySource).toBe("reported net assets");
  // The trust reports no balance sheet: left out, and bank A's 70 lent to it stays an external asset.
  expect(provenance.excluded).toEqual([
    {
      id: trustE,
      type: "trust",
      sector: "trust",
      reason: expect.stringMatching(/no balance sheet/),
      lent: 0,
      borrowed: 70,
    },
  ]);
  expect(provenance.nodes.map((n) => n.id)).not.toContain(trustE);
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

test("stress scenarios on a stored period: asset classes from returns, sectors from the registry", async () => {
  const { input } = await loadStoredNetwork(db, dataDir, "2026-09");
  const net = buildNetwork(input);
  // Half of bank A's real-estate loans (400) take its whole capital (400); the small-loan sector loses 10%.
  const result = runContagion(net, {
    method: "debtrank",
    shock: parseShocks(["asset:real_estate=0.5", "sector:local_finance=0.1"]),
  });
  const [s] = result.scenarios;
  expect(s!.scenario).toBe("asset:real_estate=0.5 + sector:local_finance=0.1");
  expect(s!.nodes!.find((n) => n.id === bankA)).toMatchObject({ sector: "banking", initialStress: 1 });
  expect(s!.sectors!.map((x) => [x.sector, x.institutions])).toEqual([
    ["banking", 2],
    ["local_finance", 2],
  ]);
  const banking = s!.sectors!.find((x) => x.sector === "banking")!;
  expect(banking.institutions).toBe(2);
  expect(banking.originalLosses).toBeCloseTo(400, 9);
  expect(banking.initialDefaults).toBe(1);
  expect(() => runContagion(net, { method: "debtrank", shock: parseShock("asset:equity=0.2") })).toThrow(
    /classes held: loans, real_estate/,
  );
  expect(() => runContagion(net, { method: "debtrank", shock: parseShock("sector:trust=0.2") })).toThrow(
    /sectors present: banking, local_finance/,
  );
});

test("a malformed period or one with no exposures is a clear error", async () => {
  await expect(loadStoredNetwork(db, dataDir, "2026-9")).rejects.toThrow(/YYYY-MM/);
  await expect(loadStoredNetwork(db, dataDir, "2026-08")).rejects.toThrow(
    /no exposures are stored for period 2026-08/,
  );
});
