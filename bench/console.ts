/**
 * The console's overview, first load and after, in Chromium against a populated data folder (the medium
 * province): each case starts a fresh server process, so its first run is cold (process, caches, browser) and the
 * runs after it are warm.
 *   - stored: the monthly report's rule outcomes were stored at ingest (what `beacon ingest` and a server start do);
 *   - peer, recompute: the same data with the stored outcomes removed, so the first request evaluates the pack over
 *     six months of returns, as every first request did before they were stored.
 * Also times storing the outcomes (the cost moved to ingest).
 *
 * Make a data folder (registry and returns are all the overview reads):
 *   npx beacon generate --scale medium --seed 5 --out /tmp/med5
 *   mkdir /tmp/med5-sub && cp -r /tmp/med5/{institutions.csv,licences.csv,returns} /tmp/med5-sub
 *   BEACON_DATA_DIR=/tmp/med5-data npx beacon ingest /tmp/med5-sub
 * Run: npm run bench -- console /tmp/med5-data [--runs=3]
 * Prints one JSON object on stdout (milliseconds): wall time to the risk map and indicator table, the report
 * request's own time, the server process's CPU and the Chromium renderer's main-thread busy time.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../packages/core/src/config.ts";
import { openPglite } from "../packages/core/src/db/client.ts";
import { precomputeMonthlyReport } from "../packages/core/src/reports/build-monthly-report.ts";
import { openBeacon } from "../packages/core/src/runtime.ts";
import { chinaPack } from "../packages/packs/src/china/index.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "3" }, "store-only": { type: "boolean", default: false } },
});
const dataDir = positionals[0];
if (!dataDir || !existsSync(join(dataDir, "pg"))) {
  process.stderr.write(
    "usage: npm run bench -- console DATA_DIR [--runs=3]  (a data folder with a province)\n",
  );
  process.exit(2);
}
// Child mode: store the outcomes in the folder, as `beacon ingest` does after an accepted submission.
if (values["store-only"]) {
  const t0 = Date.now();
  const beacon = await openBeacon(loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" }));
  const openMs = Date.now() - t0;
  const cpu = process.cpuUsage();
  const r = await precomputeMonthlyReport(beacon.db, chinaPack);
  const used = process.cpuUsage(cpu);
  await beacon.close();
  const storeCpuMs = Math.round((used.user + used.system) / 1000);
  console.log(JSON.stringify({ openMs, storeMs: r.ms, storeCpuMs, months: r.computed }));
  process.exit(0);
}
const root = new URL("..", import.meta.url).pathname;
const node = process.execPath;
if (!existsSync(join(root, "apps/web/dist/index.html"))) {
  process.stderr.write("building the console\n");
  execFileSync(join(root, "node_modules/.bin/vite"), ["build", "--config", "apps/web/vite.config.ts"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
}

const work = mkdtempSync(join(tmpdir(), "bench-console-"));
const run = (script: string, args: string[]) => {
  const t0 = Date.now();
  const out = execFileSync(node, [join(root, script), ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 << 20,
  });
  return { wallMs: Date.now() - t0, out };
};

try {
  // Storing the outcomes, timed in its own process (as at the end of an ingest).
  const stored = join(work, "stored");
  cpSync(dataDir, stored, { recursive: true });
  const clear = async (dir: string) => {
    const db = await openPglite(dir);
    await db.exec("delete from report_outcomes; delete from report_snapshots");
    await db.close();
  };
  await clear(stored);
  process.stderr.write("storing the report's outcomes\n");
  const pre = run("bench/console.ts", [stored, "--store-only"]);
  const precompute = JSON.parse(pre.out) as Record<string, number>;

  const recompute = join(work, "recompute");
  cpSync(dataDir, recompute, { recursive: true });
  await clear(recompute);

  const measure = (dir: string) =>
    JSON.parse(run("apps/web/e2e/measure-overview.ts", [dir, values.runs!]).out) as {
      results: {
        run: number;
        ms: number;
        serverReportMs: number;
        cpuMs: number;
        rendererTaskMs: number;
      }[];
    };
  process.stderr.write("overview with stored outcomes\n");
  const withStored = measure(stored);
  process.stderr.write("peer: overview recomputing the outcomes\n");
  const peer = measure(recompute);
  const summary = (m: typeof withStored) => ({
    coldMs: m.results[0]!.ms,
    coldServerReportMs: m.results[0]!.serverReportMs,
    coldServerCpuMs: m.results[0]!.cpuMs,
    coldRendererBusyMs: m.results[0]!.rendererTaskMs,
    warmMs: m.results.slice(1).map((r) => r.ms),
    warmServerReportMs: m.results.slice(1).map((r) => r.serverReportMs),
    warmServerCpuMs: m.results.slice(1).map((r) => r.cpuMs),
    warmRendererBusyMs: m.results.slice(1).map((r) => r.rendererTaskMs),
  });
  console.log(
    JSON.stringify(
      {
        dataDir,
        machine: { cpus: cpus().length, load: loadavg().map((l) => Number(l.toFixed(2))) },
        precompute: { ...precompute, processWallMs: pre.wallMs },
        overview: { stored: summary(withStored), peerRecompute: summary(peer) },
      },
      null,
      1,
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
