/**
 * Times the overview's first load in Chromium against a populated data folder (e.g. a medium province):
 *   node apps/web/e2e/measure-overview.ts DATA_DIR [runs]
 * Builds nothing: run `npm run build:web` first. Prints JSON: per run, milliseconds from navigation to the risk map
 * and the key-indicator table being shown, with a cold browser cache each time.
 */
import { createUser } from "@beacon/core/identity/create-user";
import { system } from "@beacon/core/identity/roles";
import { launchChromium, startServer } from "./harness.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: node apps/web/e2e/measure-overview.ts DATA_DIR [runs]");
const runs = Number(process.argv[3] ?? 5);
const password = "correct battery horse staple 42";
// "test" mode skips the report warm-up a served console does at start: the first run then shows the cold cost.
const mode = process.env.BEACON_MODE ?? "test";
const server = await startServer(
  dataDir,
  async (b) => {
    const [x] = await b.db.query("select 1 from users where username = 'measure-admin'");
    if (!x) await createUser(b.db, system("measure"), { username: "measure-admin", password, role: "admin" });
  },
  mode,
);
const browser = await launchChromium();
const results: {
  run: number;
  ms: number;
  inPageMs: number;
  serverReportMs: number;
  reportRequestAt: number;
  /** CPU of this process (the server and the browser driver; Chromium's own excluded). */
  cpuMs: number;
  /** Chromium renderer's main thread: busy time, and the part running script. */
  rendererTaskMs: number;
  rendererScriptMs: number;
  marks: Record<string, number>;
}[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    // A fresh context each run: empty cache, a new session.
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    // The renderer's main-thread busy time: on a contended machine, what the page cost apart from waiting.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const login = await context.request.post(`${server.url}/api/auth/login`, {
      data: { username: "measure-admin", password },
    });
    if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
    let reportMs = 0;
    let reportStart = 0;
    let t0 = Date.now();
    page.on("requestfinished", (r) => {
      if (r.url().includes("/api/reports/monthly")) {
        reportMs = r.timing().responseEnd;
        reportStart = r.timing().startTime - t0;
      }
    });
    t0 = Date.now();
    const cpu = process.cpuUsage();
    const marks: Record<string, number> = {};
    const mark = (name: string, selector: string) =>
      page
        .locator(selector)
        .first()
        .waitFor()
        .then(() => {
          marks[name] = Date.now() - t0;
        });
    const watched = Promise.all([
      mark("stats", ".stat"),
      mark("districts", `svg[aria-label="区县风险地图"]`),
      mark("table", "section.card-wide table"),
    ]);
    await page.goto(`${server.url}/`);
    // CSS selectors, not roles: computing roles over a page of a thousand rows would be the test's own cost.
    await page.locator('svg[aria-label="风险分布：行业 × 预警等级"]').waitFor();
    await page.locator('section[aria-label="关键指标与预警线、监管线对照"] table').waitFor();
    // The browser's own clock: from navigation start to now, as the page saw it.
    const inPage = await page.evaluate(() => Math.round(performance.now()));
    await watched;
    const used = process.cpuUsage(cpu);
    const { metrics } = await cdp.send("Performance.getMetrics");
    const metric = (name: string) => Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 1000);
    results.push({
      run,
      ms: Date.now() - t0,
      inPageMs: inPage,
      serverReportMs: Math.round(reportMs),
      reportRequestAt: Math.round(reportStart),
      cpuMs: Math.round((used.user + used.system) / 1000),
      rendererTaskMs: metric("TaskDuration"),
      rendererScriptMs: metric("ScriptDuration"),
      marks,
    });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify({ dataDir, results }, null, 1));
