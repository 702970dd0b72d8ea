import { existsSync } from "node:fs";
import { join } from "node:path";
import { ingest } from "./intake/ingest.ts";
import type { Beacon } from "./runtime.ts";

/**
 * On an empty store, generates the small demo province (seed 1) into the data folder and ingests it, so that
 * `npm start` on a fresh machine serves a populated Beacon. Does nothing once institutions are registered.
 */
export async function loadDemoProvince(beacon: Beacon, log: (line: string) => void): Promise<boolean> {
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
  return true;
}
