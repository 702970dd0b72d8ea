import { existsSync } from "node:fs";
import { join } from "node:path";
import { latestLakePeriod } from "./detectors/lake.ts";
import { runDetection } from "./detectors/run-detection.ts";
import { system } from "./identity/roles.ts";
import { ingest } from "./intake/ingest.ts";
import type { RuleCatalog } from "./rules/catalog.ts";
import type { Beacon } from "./runtime.ts";
import { addMonths } from "./scoring/months.ts";
import { latestReturnMonth } from "./scoring/panel.ts";
import { runEarlyWarning } from "./warnings/run-early-warning.ts";

/**
 * On an empty store, generates the small demo province (seed 1) into the data folder, ingests it, runs every
 * detector on its latest month and scores its last twelve months, so that `npm start` on a fresh machine serves a
 * Beacon with findings, scores and warnings to look at, as a supervisor's first `beacon detect all` and
 * `beacon warn --from` would leave it. Does nothing once institutions are registered.
 */
export async function loadDemoProvince(
  beacon: Beacon,
  catalog: RuleCatalog,
  log: (line: string) => void,
): Promise<boolean> {
  const [row] = await beacon.db.query<{ n: string }>("select count(*)::text as n from institutions");
  if (Number(row?.n ?? 0) > 0) return false;
  const dir = join(beacon.config.dataDir, "demo-province");
  if (!existsSync(join(dir, "truth.json"))) {
    log("empty store: generating the small demo province (seed 1)...");
    const { generateProvince } = await import("./generate/province.ts");
    await generateProvince({ scale: "small", seed: 1, out: dir, format: "csv", force: true, log });
  }
  log("loading the demo province...");
  const report = await ingest(
    { db: beacon.db, dataDir: beacon.config.dataDir, pseudonymKey: beacon.config.pseudonymKey },
    dir,
    {
      submittedBy: "demo",
      log,
    },
  );
  if (report.status === "rejected")
    throw new Error(`the demo province was rejected: ${JSON.stringify(report.problems.slice(0, 5))}`);
  log(`demo province loaded: batch ${report.batchId}`);
  const period = await latestLakePeriod(beacon.db);
  if (period) {
    const run = await runDetection(
      beacon,
      { detectors: "all", period, params: {} },
      { requestedBy: "demo", log },
    );
    const findings = run.detectors.reduce((n, d) => n + d.findings, 0);
    log(`demo detection run ${run.runId}: ${findings} finding(s) for ${period}`);
  }
  const latest = await latestReturnMonth(beacon.db);
  if (latest) {
    const warned = await runEarlyWarning(beacon.db, system("demo"), {
      period: latest,
      from: addMonths(latest, -11),
      catalog,
      dataDir: beacon.config.dataDir,
      limit: 1,
      log,
    });
    log(`demo early warning: ${warned.scored} institutions scored, ${warned.warnings.total} open warnings`);
  }
  return true;
}
