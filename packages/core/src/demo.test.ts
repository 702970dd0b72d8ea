import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadConfig } from "./config.ts";
import { loadDemoProvince } from "./demo.ts";
import { generate } from "./generate/generate.ts";
import { type Beacon, openBeacon } from "./runtime.ts";

// The demo on an empty store: a province is loaded and worked through, so the console opens on findings, scores
// and warnings. A tiny province stands in for the small one (the demo reuses a province already in its folder).
let beacon: Beacon;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "demo-data-"));
  await generate({ scale: "tiny", seed: 5, out: join(dataDir, "demo-province"), threads: 1 });
  beacon = await openBeacon(loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" }));
}, 120_000);
afterAll(async () => beacon.close());

async function count(table: string): Promise<number> {
  const [r] = await beacon.db.query<{ n: string }>(`select count(*)::text as n from ${table}`);
  return Number(r?.n);
}

test("the demo loads the province, runs every detector and scores a year of months, once", async () => {
  const lines: string[] = [];
  expect(await loadDemoProvince(beacon, chinaCatalog, (l) => lines.push(l))).toBe(true);
  expect(await count("detection_runs")).toBe(1);
  expect(await count("findings")).toBeGreaterThan(0);
  const [months] = await beacon.db.query<{ n: string }>(
    "select count(distinct period)::text as n from risk_scores",
  );
  expect(Number(months?.n)).toBe(12);
  expect(await count("warnings")).toBeGreaterThan(0);
  expect(lines.some((l) => /demo early warning: \d+ institutions scored/.test(l))).toBe(true);

  const before = await Promise.all(["findings", "risk_scores", "warnings"].map(count));
  expect(await loadDemoProvince(beacon, chinaCatalog, () => {})).toBe(false);
  expect(await Promise.all(["findings", "risk_scores", "warnings"].map(count))).toEqual(before);
}, 180_000);
