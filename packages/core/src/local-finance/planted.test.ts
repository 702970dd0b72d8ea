import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { generate } from "../generate/generate.ts";
import type { Truth } from "../generate/truth.ts";
import { ingest } from "../intake/ingest.ts";
import { seedLpr } from "../rates/lpr.ts";
import { testDb } from "../testing/db.ts";
import { runFundraisingIndex } from "./fundraising/run-fundraising-index.ts";
import { checkVenues } from "./venues/check-venues.ts";

/**
 * The planted fund-raising companies and venue violations of a generated province are found from the data alone:
 * the truth file is read only to score the result. Only the datasets these checks read are ingested (and of the
 * returns only the venues' items), which keeps the test to a minute.
 */
const seed = 31;
const needed = [
  "institutions.csv",
  "licences.csv",
  "complaints",
  "watched_companies",
  "company_transactions",
  "venue_listings",
  "venue_trades",
  "venue_holdings",
];

let db: Db;
let dataDir: string;
let truth: Truth;
let endPeriod: string;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), "lf-planted-"));
  await generate({ scale: "tiny", seed, out, threads: 1 });
  truth = JSON.parse(readFileSync(join(out, "truth.json"), "utf8")) as Truth;
  endPeriod = truth.periods
    .filter((p) => /^\d{4}-\d{2}$/.test(p))
    .sort()
    .at(-1)!;
  const sub = mkdtempSync(join(tmpdir(), "lf-planted-sub-"));
  for (const name of needed) cpSync(join(out, name), join(sub, name), { recursive: true });
  cpSync(join(out, "returns"), join(sub, "returns"), { recursive: true });
  for (const f of readdirSync(join(sub, "returns"))) {
    const lines = readFileSync(join(sub, "returns", f), "utf8").split("\n");
    writeFileSync(
      join(sub, "returns", f),
      lines.filter((l, i) => i === 0 || l.split(",")[2]?.startsWith("VEN_")).join("\n"),
    );
  }
  db = await testDb();
  dataDir = mkdtempSync(join(tmpdir(), "lf-planted-data-"));
  await seedLpr(db);
  const report = await ingest(
    { db, dataDir, pseudonymKey: Buffer.from("planted test pseudonym key of 32+ characters") },
    sub,
  );
  expect(report.status, JSON.stringify(report.problems?.slice(0, 3))).toBe("accepted");
});
afterAll(async () => db?.close());

describe(`planted local-finance problems of a generated province (tiny, seed ${seed})`, () => {
  test("every planted fund-raising company ranks in the top decile with a red or yellow card", async () => {
    const run = await runFundraisingIndex({ db, dataDir }, "test", { period: endPeriod, top: 100_000 });
    const planted = truth.plants.filter((p) => p.kind === "fundraising_company").map((p) => p.subjects[0]!);
    expect(planted.length).toBeGreaterThan(0);
    const decile = Math.ceil(run.companies / 10);
    for (const code of planted) {
      const s = run.top.find((x) => x.code === code);
      expect(s, code).toBeDefined();
      expect(s!.rank, `${code} rank`).toBeLessThanOrEqual(decile);
      expect(["red", "yellow"]).toContain(s!.card);
    }
  });

  test("every planted venue violation is reported with its evidence", async () => {
    const result = await checkVenues({ db, dataDir }, { period: endPeriod });
    const checkOf: Record<string, string> = {
      holders_over_200: "holders_over_200",
      round_trip_within_5_days: "t_plus_5",
      centralised_trading: "centralised_trading",
      standardised_units: "standardised_units",
      leverage_trading: "leverage_trading",
      fund_pool: "fund_pool",
      deposit_taking: "deposit_taking",
      lending_intermediary: "lending_intermediary",
    };
    const plants = truth.plants.filter((p) => p.kind === "venue_violation");
    expect(plants.length).toBeGreaterThan(0);
    for (const p of plants) {
      if (p.subjectType === "listing") {
        for (const v of p.details.violations as string[]) {
          const hit = result.violations.find((x) => x.listing === p.subjects[0] && x.check === checkOf[v]);
          expect(hit, `${p.subjects[0]} ${v}`).toBeDefined();
          expect(Object.keys(hit!.evidence).length).toBeGreaterThan(0);
        }
      } else {
        for (const flag of p.details.flags as string[]) {
          expect(
            result.violations.some(
              (x) => x.venue === p.subjects[0] && x.check === "returns_flag" && x.evidence.item === flag,
            ),
            flag,
          ).toBe(true);
        }
      }
    }
  });
});
