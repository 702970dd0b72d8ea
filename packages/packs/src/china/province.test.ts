/**
 * The China catalog on a generated province: every planted rule breach in truth.json is reported by its rule, no
 * institution the truth keeps clean is flagged; what-if, storage, as-of reproduction and bad input end to end.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCheckRun } from "@beacon/core/checks/get-check-run";
import { readChecks } from "@beacon/core/checks/read-checks";
import { runCheck } from "@beacon/core/checks/run-check";
import { testRule } from "@beacon/core/checks/test-rule";
import { whatIfCheck } from "@beacon/core/checks/what-if-check";
import { loadConfig } from "@beacon/core/config";
import type { Db } from "@beacon/core/db/client";
import { generate } from "@beacon/core/generate/generate";
import { decideParamProposal } from "@beacon/core/governance/decide-param-proposal";
import { proposeParamChange } from "@beacon/core/governance/propose-param-change";
import { ingest } from "@beacon/core/intake/ingest";
import { testDb } from "@beacon/core/testing/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chinaCatalog } from "./catalog.ts";
import { compareWithTruth, type Truth } from "./truth-support.ts";

// A seed picked for this test, not tuned: the same assertions hold on others (see the report of issue 3).
const seed = 20_260_311;

let db: Db;
let deps: { db: Db; dataDir: string };
let truth: Truth;
let end: string;

const runs = async () =>
  Number((await db.query<{ n: string }>("select count(*)::text as n from check_runs"))[0]!.n);

beforeAll(async () => {
  db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "province-data-"));
  const out = mkdtempSync(join(tmpdir(), "province-"));
  await generate({ scale: "tiny", seed, out, threads: 1 });
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  const report = await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, out);
  expect(report.status, JSON.stringify(report).slice(0, 2000)).toBe("accepted");
  deps = { db, dataDir };
  truth = JSON.parse(readFileSync(join(out, "truth.json"), "utf8")) as Truth;
  end = truth.periods
    .filter((p) => /^\d{4}-\d{2}$/.test(p))
    .sort()
    .at(-1)!;
}, 300_000);
afterAll(async () => db.close());

describe("the China catalog on a generated province", () => {
  test("reports every planted rule breach with its rule and flags no clean institution", async () => {
    const c = await compareWithTruth(deps, chinaCatalog, truth);
    const kinds = new Set(truth.plants.map((p) => p.kind));
    expect(kinds).toContain("return_breach");
    expect(kinds).toContain("hidden_fee_rate");
    expect(kinds).toContain("online_loan_cap");
    expect(truth.clean.length).toBeGreaterThan(0);
    expect(c.checked).toBeGreaterThan(10);
    expect(c.missed).toEqual([]);
    expect(c.cleanFlagged).toEqual([]);
  }, 300_000);

  test("a what-if lists the institutions whose outcome changes and stores nothing", async () => {
    const stored = await runCheck(deps, chinaCatalog, { period: end, store: true }, { name: "tester" });
    expect(stored.runId).not.toBeNull();
    const before = await getCheckRun(db, chinaCatalog, stored.runId!, { detail: true });
    const count = await runs();

    const governed = await runCheck(deps, chinaCatalog, { period: end });
    const breachedNpl = new Set(
      governed.breaches.filter((b) => b.ruleId === "cn.bank.npl_ratio").map((b) => b.institution),
    );
    const whatIf = await whatIfCheck(deps, chinaCatalog, {
      period: end,
      overrides: { "cn.bank.npl_ratio": { maximum: "0.001" }, "cn.loan.true_rate_cap": { pawn: "0.5" } },
    });
    const changed = whatIf.whatIf!.changes;
    const npl = changed.filter((c) => c.ruleId === "cn.bank.npl_ratio");
    expect(npl.length).toBeGreaterThan(0);
    for (const c of npl) {
      expect(breachedNpl.has(c.institution)).toBe(false);
      expect(c.before.kind).toBe("pass");
      expect(c.after.kind).toBe("breach_regulatory");
      expect(c.thresholdsAfter.find((t) => t.line === "regulatory")?.exact).toBe("0.001");
    }
    // Every bank that passed now breaches the tightened line, as the list of breaches shows.
    const nplAfter = whatIf.breaches
      .filter((b) => b.ruleId === "cn.bank.npl_ratio")
      .map((b) => b.institution);
    expect(new Set(nplAfter)).toEqual(new Set([...breachedNpl, ...npl.map((c) => c.institution)]));
    expect(whatIf.params["cn.bank.npl_ratio"]!.params.maximum).toBe("0.001");

    // Record detail of a rule the what-if leaves alone is the governed one.
    const rateDetail = { period: end, rule: "cn.loan.true_rate_cap", detail: true };
    const loosened = await whatIfCheck(deps, chinaCatalog, {
      ...rateDetail,
      overrides: {
        "cn.osl.borrower_balance_cap": { naturalPersonMaximum: "1000000000", incomeShare: "100" },
      },
    });
    expect(loosened.records!.length).toBeGreaterThan(0);
    expect(loosened.records).toEqual((await runCheck(deps, chinaCatalog, rateDetail)).records);
    expect(loosened.whatIf!.changes).toEqual([]);

    expect(await runs()).toBe(count);
    expect(await getCheckRun(db, chinaCatalog, stored.runId!, { detail: true })).toEqual(before);
    // What the console reads: the stored run, unchanged.
    expect((await readChecks(deps, chinaCatalog, { period: end })).runId).toBe(stored.runId);
  }, 120_000);

  test("a stored run keeps its breaches, parameters and record detail, and an as-of re-run reproduces it", async () => {
    const a = await runCheck(
      deps,
      chinaCatalog,
      { period: end, store: true, detail: true },
      { name: "tester" },
    );
    const storedA = await getCheckRun(db, chinaCatalog, a.runId!, { detail: true });
    expect(storedA.breaches).toEqual(a.breaches);
    expect(storedA.params).toEqual(a.params);
    expect(storedA.records).toEqual(a.records);
    expect(storedA.params["cn.bank.npl_ratio"]).toEqual({
      version: 1,
      params: { maximum: "0.05" },
      governed: {},
    });

    const [today] = await db.query<{ d: string }>("select ((now() at time zone 'UTC')::date)::text as d");
    const p = await proposeParamChange(
      db,
      chinaCatalog,
      { name: "maker" },
      {
        ruleId: "cn.bank.npl_ratio",
        param: "maximum",
        value: "0.001",
        reason: "Test of reproduction under a later change",
        effectiveFrom: today!.d,
      },
    );
    await decideParamProposal(db, chinaCatalog, { name: "checker" }, p.id, { decision: "approve" });

    const b = await runCheck(deps, chinaCatalog, { period: end });
    expect(b.params["cn.bank.npl_ratio"]).toEqual({
      version: 1,
      params: { maximum: "0.001" },
      governed: { maximum: p.id },
    });
    expect(b.breaches.filter((x) => x.ruleId === "cn.bank.npl_ratio").length).toBeGreaterThan(
      a.breaches.filter((x) => x.ruleId === "cn.bank.npl_ratio").length,
    );
    const again = await runCheck(deps, chinaCatalog, { period: end, asOf: a.asOf, detail: true });
    expect(again.asOf).toBe(a.asOf);
    expect(again.params).toEqual(a.params);
    expect(again.breaches).toEqual(a.breaches);
    expect(again.records).toEqual(a.records);
  }, 120_000);

  test("a rule can be tried alone on stored data", async () => {
    const t = await testRule(deps, chinaCatalog, { ruleId: "cn.loan.true_rate_cap" });
    expect(t.period).toBe(end);
    const planted = truth.plants.filter((x) => x.kind === "hidden_fee_rate");
    expect(t.counts.records).toBeGreaterThanOrEqual(planted.length);
    const loose = await testRule(deps, chinaCatalog, {
      ruleId: "cn.loan.true_rate_cap",
      overrides: {
        "cn.loan.true_rate_cap": Object.fromEntries(
          ["small_loan", "online_small_loan", "pawn"].map((k) => [k, "9"]),
        ),
      },
    });
    expect(loose.counts.records).toBeLessThan(t.counts.records!);
  }, 60_000);

  test("bad input is refused with the field and why, and nothing is stored", async () => {
    const count = await runs();
    await expect(runCheck(deps, chinaCatalog, { period: "2026-13", store: true })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: 'period "2026-13" is malformed: expected YYYY-MM or YYYY-Qn',
    });
    await expect(runCheck(deps, chinaCatalog, { period: "2001-01", store: true })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringMatching(/^period 2001-01: no returns and no .* data stored for it/),
    });
    await expect(
      whatIfCheck(deps, chinaCatalog, { period: end, overrides: { "cn.bank.nope": { maximum: "0.1" } } }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: "overrides: Invalid parameters: cn.bank.nope: unknown rule",
    });
    await expect(
      whatIfCheck(deps, chinaCatalog, {
        period: end,
        overrides: { "cn.bank.npl_ratio": { minimum: "0.1" } },
      }),
    ).rejects.toMatchObject({
      message: "overrides: Invalid parameters: cn.bank.npl_ratio.minimum: unknown parameter",
    });
    await expect(
      whatIfCheck(deps, chinaCatalog, { period: end, overrides: { "cn.bank.npl_ratio": { maximum: "-1" } } }),
    ).rejects.toMatchObject({
      message: expect.stringContaining("cn.bank.npl_ratio.maximum: expected a non-negative decimal"),
    });
    await expect(runCheck(deps, chinaCatalog, { period: end, asOf: "soon" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining('asOf "soon" is neither a date'),
    });
    await expect(runCheck(deps, chinaCatalog, { period: end, rule: "cn.nope" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: 'rule "cn.nope" is not a rule of the china catalog',
    });
    expect(await runs()).toBe(count);
  }, 60_000);
});
