import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@beacon/core/config";
import { seedUser, testPassword } from "@beacon/core/identity/test-support";
import { ingest } from "@beacon/core/intake/ingest";
import type { InstitutionProfile } from "@beacon/core/reports/build-institution-profile";
import type { MonthlyReport } from "@beacon/core/reports/build-monthly-report";
import type { Beacon } from "@beacon/core/runtime";
import { testDb } from "@beacon/core/testing/db";
import { bankA, csv, writeTinyProvince } from "@beacon/core/testing/fixtures";
import ExcelJS from "exceljs";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../app.ts";
import { registerConsole } from "./console.ts";

let beacon: Beacon;
let app: ReturnType<typeof createApp>;
const cookies: Record<string, string> = {};

async function signIn(username: string): Promise<string> {
  const res = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: testPassword }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
const getAs = (who: string, path: string) => app.request(path, { headers: { cookie: cookies[who]! } });

beforeAll(async () => {
  const db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "reports-data-"));
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  beacon = { db, config, close: () => db.close() };
  const province = mkdtempSync(join(tmpdir(), "reports-province-"));
  writeTinyProvince(province);
  // Bank A reports an NPL ratio of 8% (regulatory line: at most 5%).
  mkdirSync(join(province, "returns"));
  const items: [string, string][] = [
    ["BANK_LOANS_NORMAL", "900.00"],
    ["BANK_LOANS_SPECIAL_MENTION", "20.00"],
    ["BANK_LOANS_SUBSTANDARD", "40.00"],
    ["BANK_LOANS_DOUBTFUL", "20.00"],
    ["BANK_LOANS_LOSS", "20.00"],
    ["BANK_LOANS_TOTAL", "1000.00"],
  ];
  writeFileSync(
    join(province, "returns", "2026-09.csv"),
    csv([
      ["institution_code", "period", "item", "value", "unit"],
      ...items.map(([i, v]) => [bankA, "2026-09", i, v, "CNY"]),
    ]),
  );
  const report = await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, province);
  expect(report.problems).toEqual([]);
  app = createApp(beacon);
  await seedUser(db, "admin", "admin");
  await seedUser(db, "cbrc", "lead_supervisor", { unit: "cbrc_cq" });
  cookies.admin = await signIn("admin");
  cookies.cbrc = await signIn("cbrc");
});
afterAll(async () => beacon.close());

describe("monthly report", () => {
  test("JSON: levels, the NPL breach with its legal basis, submissions and indicators", async () => {
    const res = await getAs("admin", "/api/reports/monthly");
    expect(res.status).toBe(200);
    const r = (await res.json()) as MonthlyReport;
    expect(r.period).toBe("2026-09");
    expect(r.wholeProvince).toBe(true);
    expect(r.institutions.total).toBe(3);
    const npl = r.breaches.find(
      (b) => b.institution === bankA && /NPL|不良/.test(`${b.rule.en}${b.rule.zh}`),
    )!;
    expect(npl).toMatchObject({ kind: "breach_regulatory", value: 0.08 });
    expect(npl.legalBasis.en).toMatch(/Core Indicators/);
    expect(npl.explanation.en).toMatch(/8(\.00)?%/);
    const banking = r.riskGrid.find((g) => g.sector === "banking")!;
    expect(banking.counts.red + banking.counts.orange).toBe(1);
    const ind = r.indicators.find((i) => i.ruleId === npl.ruleId);
    expect(ind).toMatchObject({ assessed: 1, regulatory: 1, regulatoryLine: 0.05, median: 0.08 });
    expect(r.submissions.byInstitution.map((i) => i.reported)).toEqual([true, true, true]);
  });

  test("XLSX: a workbook with every section, in the language asked", async () => {
    const res = await getAs("admin", "/api/reports/monthly?format=xlsx&lang=en&period=2026-09");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/spreadsheetml/);
    expect(res.headers.get("content-disposition")).toContain("beacon-monthly-2026-09-province-en.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Summary",
      "Level",
      "Trend",
      "Sectors",
      "Indicators",
      "Breaches",
      "Submissions",
    ]);
    const breaches = wb.getWorksheet("Breaches")!;
    expect(breaches.getRow(1).getCell(1).value).toBe("Credit code");
    expect(breaches.getRow(2).getCell(1).value).toBe(bankA);
    expect(breaches.getRow(2).getCell(5).value).toBe("Regulatory line");
  });

  test("PDF: a document with pages, or a clear error naming the font package when no CJK font is installed", async () => {
    const res = await getAs("admin", "/api/reports/monthly?format=pdf&lang=zh");
    if (res.status === 500) {
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /fonts-wqy-microhei/,
      );
      return;
    }
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect((bytes.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThan(1);
  });

  test("a unit's report covers its sectors only; another sector is refused", async () => {
    const r = (await (await getAs("cbrc", "/api/reports/monthly")).json()) as MonthlyReport;
    expect(r.wholeProvince).toBe(false);
    expect(r.institutions.bySector.map((s) => s.sector)).toEqual(["banking"]);
    expect((await getAs("cbrc", "/api/reports/monthly?sector=local_finance")).status).toBe(403);
    expect((await getAs("cbrc", "/api/reports/monthly?format=doc")).status).toBe(400);
  });

  test("an institution's profile: the indicator series with its lines and the latest breaches", async () => {
    const res = await getAs("cbrc", `/api/reports/institutions/${bankA}`);
    expect(res.status).toBe(200);
    const p = (await res.json()) as InstitutionProfile;
    expect(p.latestPeriod).toBe("2026-09");
    const npl = p.series.find((s) => s.regulatoryLine === 0.05 && s.values.at(-1) === 0.08)!;
    expect(npl.kinds.at(-1)).toBe("breach_regulatory");
    expect(p.breaches[0]!.legalBasis.zh).toMatch(/《/);
    expect((await getAs("admin", "/api/reports/institutions/NOTACODE")).status).toBe(400);
  });
});

describe("console files", () => {
  const dist = mkdtempSync(join(tmpdir(), "console-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(
    join(dist, "index.html"),
    '<!doctype html><script type="module" src="/assets/app-1.js"></script>',
  );
  writeFileSync(join(dist, "assets", "app-1.js"), `console.log(${JSON.stringify("x".repeat(4000))});`);
  const web = new Hono();
  web.get("/api/health", (c) => c.json({ ok: true }));
  registerConsole(web, dist);
  web.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: "no route" } }, 404));

  test("pages get index.html with a strict CSP; client routes survive a reload", async () => {
    for (const path of ["/", "/cases/12", "/institutions/91500103MA000001X5?tab=x"]) {
      const res = await web.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain("/assets/app-1.js");
    }
  });

  test("hashed assets are cached for good and gzipped when asked; a missing one is a 404", async () => {
    const res = await web.request("/assets/app-1.js", { headers: { "accept-encoding": "gzip, br" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect((await web.request("/assets/gone-2.js")).status).toBe(404);
  });

  test("never answers for /api, and never serves outside its folder", async () => {
    expect(await (await web.request("/api/health")).json()).toEqual({ ok: true });
    const missing = await web.request("/api/no-such-route");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/json/);
    for (const path of [
      "/..%2f..%2fetc%2fpasswd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/assets/..%2f..%2findex.html%00",
    ]) {
      const res = await web.request(path);
      expect(await res.text()).not.toContain("root:");
    }
  });
});
