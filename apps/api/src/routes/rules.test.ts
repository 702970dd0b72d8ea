/**
 * The rule routes in process, on a small stored province. The platform's authentication layer is not part of this
 * test: a stand-in sets the principal the way it does (signed-in user from a test header), so the routes' own
 * behaviour (maker-checker by the signed-in user, errors, what-if) is what is tested.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@beacon/core/config";
import { isAppError } from "@beacon/core/errors";
import type { UserPrincipal } from "@beacon/core/identity/roles";
import { ingest } from "@beacon/core/intake/ingest";
import type { Beacon } from "@beacon/core/runtime";
import { testDb } from "@beacon/core/testing/db";
import { bankA, csv, smallLoanC, writeTinyProvince } from "@beacon/core/testing/fixtures";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerRuleRoutes } from "./rules.ts";

let beacon: Beacon;
let app: Hono;

// "auditor" reads everything; any other name is a banking supervisor (check results are cut to what one sees).
const principal = (username: string): UserPrincipal => ({
  kind: "user",
  userId: username.length,
  username,
  role: username === "auditor" ? "auditor" : "lead_supervisor",
  unit: username === "auditor" ? null : "cbrc_cq",
  institution: null,
  districts: null,
  via: "session",
});

beforeAll(async () => {
  const db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "rules-api-data-"));
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  beacon = { db, config, close: () => db.close() };
  const province = mkdtempSync(join(tmpdir(), "rules-api-province-"));
  writeTinyProvince(province);
  // A loan whose 10% upfront fee lifts its true rate above the small-loan warning line.
  appendFileSync(
    join(province, "loans", "2026-09.csv"),
    `${csv([
      [
        "LFEE",
        smallLoanC,
        "2026-09",
        "individual",
        "11010519491231002X",
        null,
        "90000.00",
        "100000.00",
        "95000.00",
        "2026-08-01",
        "2027-08-01",
        "0.1000",
        "10000.00",
        "0.00",
        "0.00",
        "equal_instalment",
        12,
        null,
        null,
        "normal",
        "K",
        "false",
        "false",
        "false",
      ],
    ])}`,
  );
  // Bank A's loan book: 6% non-performing.
  writeFileSync(
    join(province, "returns.csv"),
    csv([
      ["institution_code", "period", "item", "value", "unit"],
      [bankA, "2026-09", "BANK_LOANS_NORMAL", "90", "CNY"],
      [bankA, "2026-09", "BANK_LOANS_SPECIAL_MENTION", "4", "CNY"],
      [bankA, "2026-09", "BANK_LOANS_SUBSTANDARD", "3", "CNY"],
      [bankA, "2026-09", "BANK_LOANS_DOUBTFUL", "2", "CNY"],
      [bankA, "2026-09", "BANK_LOANS_LOSS", "1", "CNY"],
      [bankA, "2026-09", "BANK_LOANS_TOTAL", "100", "CNY"],
    ]),
  );
  const report = await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, province);
  expect(report.status, JSON.stringify(report).slice(0, 1500)).toBe("accepted");
  app = new Hono();
  // Stand-in for the authentication middleware: it stores the signed-in principal under the same key.
  app.use("/api/*", async (c, next) => {
    const user = c.req.header("x-test-user");
    if (user) c.set("principal" as never, principal(user) as never);
    await next();
  });
  registerRuleRoutes(app, beacon);
  app.onError((err, c) =>
    isAppError(err)
      ? c.json({ error: { code: err.code, message: err.message } }, err.httpStatus as 400)
      : c.json({ error: { code: "INTERNAL", message: String(err) } }, 500),
  );
});
afterAll(async () => beacon.close());

async function call(path: string, init: { method?: string; body?: unknown; user?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.user) headers["x-test-user"] = init.user;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(path, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in tests.
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe("rule routes", () => {
  test("GET /api/rules lists every rule with parameters, status and legal basis", async () => {
    const r = await call("/api/rules");
    expect(r.status).toBe(200);
    const cap = r.body.rules.find((x: { id: string }) => x.id === "cn.loan.true_rate_cap");
    expect(cap).toMatchObject({ level: "record", version: 1, applicability: { datasets: ["loans"] } });
    expect(cap.params.find((p: { name: string }) => p.name === "small_loan")).toMatchObject({
      value: "0.24/0.36",
      status: "to_confirm",
      pending: [],
    });
    expect((await call("/api/rules/cn.bank.npl_ratio")).body).toMatchObject({
      id: "cn.bank.npl_ratio",
      history: [],
    });
    expect((await call("/api/rules/cn.nope")).status).toBe(404);
  });

  test("GET /api/checks computes the period when nothing is stored, with entity and record breaches", async () => {
    const r = await call("/api/checks?period=2026-09", { user: "auditor" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ source: "computed", runId: null, period: "2026-09" });
    const byRule = Object.fromEntries(
      r.body.breaches.map((b: { ruleId: string; institution: string; line: string }) => [
        b.ruleId,
        [b.institution, b.line],
      ]),
    );
    expect(byRule["cn.bank.npl_ratio"]).toEqual([bankA, "regulatory"]);
    expect(byRule["cn.loan.true_rate_cap"]).toEqual([smallLoanC, "warning"]);
    const detail = await call(`/api/checks?period=2026-09&rule=cn.loan.true_rate_cap&detail=true`, {
      user: "auditor",
    });
    expect(detail.body.records.map((x: { subject: string }) => x.subject)).toEqual(["LFEE"]);
    expect((await call("/api/checks?period=2026-9")).status).toBe(400);
    expect((await call("/api/checks?period=2001-01")).body.error.message).toMatch(
      /^period 2001-01: no returns/,
    );
    // The banking unit's supervisor gets bank A's breaches only, with counts over them.
    const banking = await call("/api/checks?period=2026-09", { user: "wang" });
    expect(banking.body.breaches.map((b: { institution: string }) => b.institution)).toEqual([bankA]);
    expect(banking.body.counts).toMatchObject({ breaches: 1, institutionsFlagged: 1 });
    const hidden = await call(`/api/checks?period=2026-09&rule=cn.loan.true_rate_cap&detail=true`, {
      user: "wang",
    });
    expect(hidden.body.records).toEqual([]);
  });

  test("POST /api/checks/what-if lists the outcomes that change and stores nothing", async () => {
    const whatIf = (user: string) =>
      call("/api/checks/what-if", {
        method: "POST",
        user,
        body: {
          period: "2026-09",
          overrides: ["cn.bank.npl_ratio.maximum=0.07", "cn.loan.true_rate_cap.small_loan=0.4"],
        },
      });
    const r = await whatIf("auditor");
    expect(r.status).toBe(200);
    expect(
      r.body.whatIf.changes.map(
        (c: { ruleId: string; institution: string; before: { kind: string }; after: { kind: string } }) => [
          c.ruleId,
          c.institution,
          c.before.kind,
          c.after.kind,
        ],
      ),
    ).toEqual([
      ["cn.bank.npl_ratio", bankA, "breach_regulatory", "pass"],
      ["cn.loan.true_rate_cap", smallLoanC, "breach_warning", "pass"],
    ]);
    // A banking supervisor sees the change at bank A only.
    expect(
      (await whatIf("wang")).body.whatIf.changes.map((c: { institution: string }) => c.institution),
    ).toEqual([bankA]);
    const bad = await call("/api/checks/what-if", {
      method: "POST",
      body: { period: "2026-09", overrides: { "cn.bank.npl_ratio": { maximum: "x" } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^overrides: Invalid parameters: cn.bank.npl_ratio.maximum: expected a non-negative decimal/,
    );
    const runs = await beacon.db.query<{ n: string }>("select count(*)::text as n from check_runs");
    expect(runs[0]!.n).toBe("0");
  });

  test("maker-checker through the API: the signed-in proposer cannot approve; another user can", async () => {
    const [today] = await beacon.db.query<{ d: string }>(
      "select ((now() at time zone 'UTC')::date)::text as d",
    );
    const proposal = {
      ruleId: "cn.bank.npl_ratio",
      param: "maximum",
      value: "0.07",
      reason: "Loosened for the test",
      effectiveFrom: today!.d,
    };
    expect((await call("/api/params/proposals", { method: "POST", body: proposal })).status).toBe(401);
    const made = await call("/api/params/proposals", { method: "POST", body: proposal, user: "wang" });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ status: "pending", proposedBy: "wang" });
    const id = made.body.id as number;
    const self = await call(`/api/params/proposals/${id}/approve`, {
      method: "POST",
      body: {},
      user: "wang",
    });
    expect(self.status).toBe(403);
    // A signed-in caller cannot speak for someone else.
    const spoof = await call(`/api/params/proposals/${id}/approve`, {
      method: "POST",
      body: { user: "li" },
      user: "wang",
    });
    expect(spoof.status).toBe(400);
    const ok = await call(`/api/params/proposals/${id}/approve`, {
      method: "POST",
      body: { note: "agreed" },
      user: "li",
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "approved", decidedBy: "li", note: "agreed" });
    expect(
      (await call(`/api/params/proposals/${id}/reject`, { method: "POST", body: {}, user: "zhao" })).status,
    ).toBe(409);
    expect(
      (await call("/api/params/proposals?status=approved")).body.map((p: { id: number }) => p.id),
    ).toEqual([id]);

    // Stored under the governed value now in force: bank A's 6% passes the approved 7% line.
    const stored = await call("/api/checks", { method: "POST", body: { period: "2026-09" }, user: "li" });
    expect(stored.status).toBe(201);
    expect(stored.body.params["cn.bank.npl_ratio"]).toEqual({
      version: 1,
      params: { maximum: "0.07" },
      governed: { maximum: id },
    });
    const read = await call("/api/checks?period=2026-09", { user: "auditor" });
    expect(read.body).toMatchObject({ source: "stored", runId: stored.body.runId });
    expect(read.body.breaches.some((b: { ruleId: string }) => b.ruleId === "cn.bank.npl_ratio")).toBe(false);
    const diff = await call(`/api/params/diff?from=2020-01-01&to=${today!.d}`);
    expect(diff.body).toEqual([
      {
        ruleId: "cn.bank.npl_ratio",
        param: "maximum",
        from: "0.05",
        to: "0.07",
        fromProposal: null,
        toProposal: id,
      },
    ]);
  });
});
