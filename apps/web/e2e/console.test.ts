/**
 * The console as a supervisor uses it: Chromium (Debian's) against the real server on a free port, with a tiny
 * generated province (registry and returns) in a temporary data folder. Screenshots of every page go to
 * test-artifacts/console/. Run with `npm run test:e2e`.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateProvince } from "@beacon/core/generate/province";
import { createUser } from "@beacon/core/identity/create-user";
import { system } from "@beacon/core/identity/roles";
import { ingest } from "@beacon/core/intake/ingest";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildConsole, haveChromium, launchChromium, repoRoot, startServer } from "./harness.ts";

const artifacts = join(repoRoot, "test-artifacts", "console");
const password = "correct battery horse staple 42";
const run = haveChromium() ? describe : describe.skip;
if (!haveChromium())
  console.warn("console e2e skipped: /usr/bin/chromium is missing (apt-get install -y chromium)");

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let work: string;
let authRoutes = true;

/** What a laptop screen shows first, and the whole page. */
async function shot(name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
  await page.screenshot({ path: join(artifacts, `${name}-full.png`), fullPage: true });
}

async function signIn(username: string): Promise<void> {
  if (!authRoutes) return;
  await page.goto(`${server.url}/`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await page.getByRole("navigation").first().waitFor();
}

async function signOut(): Promise<void> {
  if (!authRoutes) return;
  await page.getByRole("button", { name: /退出登录|Sign out/ }).click();
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).waitFor();
}

run("console in a browser", () => {
  beforeAll(async () => {
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    if (process.env.BEACON_E2E_SKIP_BUILD !== "1") buildConsole();
    work = mkdtempSync(join(tmpdir(), "beacon-e2e-"));
    const full = join(work, "province");
    await generateProvince({ scale: "tiny", seed: 1, out: full, format: "csv", force: true, log: () => {} });
    // Registry and returns only: enough for levels, indicators and breaches, and quick to ingest.
    const subset = join(work, "subset");
    mkdirSync(subset);
    for (const part of ["institutions.csv", "licences.csv", "returns"]) {
      cpSync(join(full, part), join(subset, part), { recursive: true });
    }
    server = await startServer(join(work, "data"), async (beacon) => {
      const report = await ingest(
        { db: beacon.db, dataDir: beacon.config.dataDir, pseudonymKey: beacon.config.pseudonymKey },
        subset,
      );
      expect(report.status).toBe("accepted");
      await createUser(beacon.db, system("e2e"), { username: "e2e-admin", password, role: "admin" });
      await createUser(beacon.db, system("e2e"), {
        username: "e2e-finance",
        password,
        role: "finance_office",
        unit: "finance_office",
      });
    });
    const probe = await fetch(`${server.url}/api/auth/me`);
    authRoutes = probe.status !== 404;
    if (!authRoutes) console.warn("no /api/auth routes on this server: the sign-in steps are skipped");
    browser = await launchChromium();
    context = await browser.newContext({
      locale: "zh-CN",
      viewport: { width: 1366, height: 768 },
      acceptDownloads: true,
    });
    page = await context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("the sign-in page, then an administrator signs in", async () => {
    await page.goto(`${server.url}/`);
    if (authRoutes) {
      await page.getByRole("button", { name: /^(登录|Sign in)$/ }).waitFor();
      await shot("01-sign-in");
      await page.getByLabel(/用户名|Username/).fill("e2e-admin");
      await page.getByLabel(/密码|Password/).fill("wrong password entirely");
      await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
      await page.getByRole("alert").waitFor();
      await signIn("e2e-admin");
    }
    await page.getByRole("link", { name: "数据报送" }).waitFor({ state: "visible" });
  });

  test("uploading a bad file shows its errors by row and column", async () => {
    await page.getByRole("link", { name: "数据报送" }).click();
    await page.getByRole("heading", { name: "数据报送", level: 1 }).waitFor();
    const bad = join(work, "institutions.csv");
    writeFileSync(
      bad,
      "code,name_zh,name_en,type,district,bank_tier,total_assets,parent_code,group_code,status\n" +
        "NOT-A-CREDIT-CODE,坏机构,Bad Institution,bank,渝中区,3,100.00,,,active\n" +
        "91500103MA00000Z99,另一家,Another,no_such_type,渝中区,,,,,active\n",
    );
    await page.locator('input[type="file"]').setInputFiles(bad);
    await page.getByRole("button", { name: "上传并校验" }).click();
    await page.getByText("已拒收").first().waitFor();
    const problems = page.getByRole("table", { name: "问题" });
    await problems.waitFor({ state: "visible" });
    // Rows as [file, row, column, value, check, message].
    const rows = await problems
      .locator("tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? "")),
      );
    expect(rows).toContainEqual([
      "institutions.csv",
      "2",
      "code",
      "NOT-A-CREDIT-CODE",
      "credit_code",
      expect.stringMatching(/18 characters/),
    ]);
    expect(rows).toContainEqual([
      "institutions.csv",
      "3",
      "type",
      "no_such_type",
      "enum",
      expect.stringMatching(/must be one of/),
    ]);
    await shot("02-intake-rejected");
  });

  test("administrators see users and units", async () => {
    await page.getByRole("link", { name: "用户与单位" }).click();
    await page.getByRole("table", { name: "用户" }).waitFor();
    await page.getByText("e2e-finance").waitFor({ state: "visible" });
    await shot("03-users-and-units");
    await signOut();
  });

  test("a supervisor finds a red institution on the overview and opens it", async () => {
    await signIn("e2e-finance");
    await page.getByRole("heading", { name: "全市总览" }).waitFor();
    await page.getByRole("img", { name: "风险分布：行业 × 预警等级" }).waitFor();
    await shot("04-overview");
    const warnings = await fetch(`${server.url}/api/warnings`).then((r) => r.status);
    if (warnings === 404)
      console.warn("no /api/warnings yet: the overview lists this month's breaches instead");
    const red = page
      .locator(".list-row")
      .filter({ has: page.locator(".level-red") })
      .first();
    await red.waitFor({ state: "visible" });
    await red.locator("a").first().click();
    await page.getByRole("heading", { name: "指标走势（含预警线、监管线）" }).waitFor();
    await page.locator(".facts .level-red").waitFor({ state: "visible" });
    await page.getByRole("img").first().waitFor();
    // Network position: this province has no exposures submitted, so the card says so and links to the network view.
    const position = page.getByRole("region", { name: "网络地位" });
    await position.getByRole("heading", { name: "网络地位" }).waitFor();
    await position.getByText("尚无机构间敞口报送数据，暂无网络地位。").waitFor();
    expect(await position.getByRole("link", { name: "打开网络视图" }).getAttribute("href")).toBe(
      "/networks?tab=contagion",
    );
    await shot("05-institution");
  });

  test("a case is opened on that institution", async () => {
    await page.getByRole("button", { name: "立案" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("标题").fill("端到端测试立案");
    await dialog.getByLabel("优先级").selectOption("high");
    await dialog.getByRole("button", { name: "确认立案" }).click();
    await page.getByRole("heading", { name: /端到端测试立案/ }).waitFor();
    await page.getByText("已立案").first().waitFor({ state: "visible" });
    await shot("06-case");
    await page.getByRole("button", { name: /转为：调查中/ }).click();
    await page.locator(".badge", { hasText: "调查中" }).first().waitFor({ state: "visible" });
  });

  test("the language switches to English and back", async () => {
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("link", { name: "Overview" }).waitFor({ state: "visible" });
    await page.getByRole("link", { name: "Overview" }).click();
    await page.getByRole("heading", { name: "Province overview" }).waitFor();
    await shot("07-overview-en");
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("link", { name: "总览" }).waitFor({ state: "visible" });
  });

  test("the monthly report downloads as XLSX and PDF that open", async () => {
    await page.getByRole("link", { name: "报告" }).click();
    await page.getByRole("heading", { name: "月度监管报告" }).waitFor();
    await page.getByText(/关键指标，/).waitFor();
    await shot("08-reports");
    const [xlsx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "下载 XLSX" }).click(),
    ]);
    const xlsxPath = join(work, "report.xlsx");
    await xlsx.saveAs(xlsxPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toContain("概况");
    expect(names).toContain("违规情况");
    expect(wb.getWorksheet("违规情况")!.rowCount).toBeGreaterThan(1);
    const [pdf] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "下载 PDF" }).click(),
    ]);
    const pdfPath = join(work, "report.pdf");
    await pdf.saveAs(pdfPath);
    const bytes = readFileSync(pdfPath);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pages = bytes.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThan(1);
  });

  test("a table exports to XLSX and CSV", async () => {
    await page.getByRole("link", { name: "机构", exact: true }).click();
    await page.getByRole("table", { name: "机构" }).waitFor();
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "导出 CSV" }).click(),
    ]);
    const csvPath = join(work, "institutions.csv.out");
    await csv.saveAs(csvPath);
    const text = readFileSync(csvPath, "utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain("统一社会信用代码");
    const [xlsx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "导出 XLSX" }).click(),
    ]);
    const xlsxPath = join(work, "institutions-export.xlsx");
    await xlsx.saveAs(xlsxPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe("统一社会信用代码");
    const shown = await page.getByRole("table", { name: "机构" }).locator("tbody tr").count();
    expect(wb.worksheets[0]!.rowCount).toBe(shown + 1);
    await shot("09-institutions");
  });

  test("every other page renders, and tolerates routes not built yet", async () => {
    const pages: [string, string][] = [
      ["预警收件箱", "10-warnings"],
      ["规则", "11-rules"],
      ["识别模型与关联网络", "12-networks"],
      ["案件", "13-cases"],
      ["重大风险事件", "14-events"],
      ["整改", "15-rectifications"],
      ["备案台账", "16-filings"],
    ];
    for (const [link, name] of pages) {
      await page.getByRole("link", { name: link, exact: true }).click();
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.locator(".alert-error").count()).toBe(0);
      await shot(name);
    }
    await page.getByRole("link", { name: "识别模型与关联网络", exact: true }).click();
    await page.getByRole("tab", { name: "风险传染模拟" }).click();
    await page.getByRole("button", { name: "跳到结束" }).click();
    await page
      .getByText(/资本耗尽/)
      .first()
      .waitFor({ state: "visible" });
    await shot("17-contagion");
  });

  test("the warnings inbox scrolls through 100,000 warnings, rendering only the rows in view", async () => {
    // The inbox pages on the server; here the browser's requests are answered from 100,000 synthetic warnings
    // so the windowing is tested at full size whatever the warnings route holds today.
    const total = 100_000;
    const levels = ["red", "orange", "yellow", "blue"];
    let requests = 0;
    await page.route("**/api/warnings?**", async (route) => {
      requests++;
      const url = new URL(route.request().url());
      const p = Number(url.searchParams.get("page") ?? 1);
      const size = Number(url.searchParams.get("pageSize") ?? 50);
      const items = Array.from({ length: Math.max(0, Math.min(size, total - (p - 1) * size)) }, (_, k) => {
        const id = (p - 1) * size + k + 1;
        return {
          id,
          institution: {
            code: `91500000MA${String(id).padStart(8, "0")}`,
            nameZh: `测试机构${id}`,
            nameEn: `Institution ${id}`,
            sector: "banking",
          },
          status: "new",
          level: levels[id % 4],
          score: 100 - (id % 100),
          lastPeriod: "2026-09",
          contributions: [{ en: `Signal ${id}`, zh: `信号 ${id}`, points: 10 }],
          caseId: null,
        };
      });
      await route.fulfill({ json: { items, total, page: p, pageSize: size } });
    });
    await page.getByRole("link", { name: "预警收件箱", exact: true }).click();
    await page.getByText("共 100,000 条预警").waitFor();
    const table = page.getByRole("table", { name: "预警收件箱" });
    await table.getByText("测试机构1", { exact: true }).waitFor();
    const started = Date.now();
    await page.locator(".vtable-scroll").evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await table.getByText("测试机构50001", { exact: true }).waitFor();
    const jumpMs = Date.now() - started;
    const rendered = await table.locator("tbody tr").count();
    console.log(
      `inbox: jumped to row 50,000 in ${jumpMs} ms with ${rendered} rows in the DOM after ${requests} page requests`,
    );
    expect(rendered).toBeLessThan(80);
    expect(requests).toBeLessThan(6);
    await shot("18-warnings-100k");
    await page.unroute("**/api/warnings?**");
  });

  test("keyboard: the skip link and the navigation are reachable with Tab", async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { name: "全市总览" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("跳到正文");
    await page.keyboard.press("Enter");
    for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.tagName);
    expect(focused).toBeTruthy();
  });
});
