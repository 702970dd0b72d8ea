import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { generate } from "../generate/generate.ts";
import { ingest } from "../intake/ingest.ts";
import { defineParams } from "../rules/params.ts";
import { testDb } from "../testing/db.ts";
import { detectorCatalog } from "./catalog.ts";
import { evaluateFindings } from "./evaluate-findings.ts";
import { latestLakePeriod } from "./lake.ts";
import { listFindings } from "./list-findings.ts";
import { runDetection } from "./run-detection.ts";
import { rows } from "./support.ts";
import { defineDetector } from "./types.ts";

// A generated province end to end: generate, ingest, detect, store, list and evaluate against its truth.
let db: Db;
let dataDir: string;
let truth: unknown;
let beacon: { db: Db; config: { dataDir: string } };
const key = Buffer.from("province-test-key-province-test-key!");

beforeAll(async () => {
  db = await testDb();
  dataDir = mkdtempSync(join(tmpdir(), "detect-data-"));
  const out = mkdtempSync(join(tmpdir(), "detect-province-"));
  await generate({ scale: "tiny", seed: 3, out, threads: 1, force: true });
  const report = await ingest({ db, dataDir, pseudonymKey: key }, out);
  expect(report.status).toBe("accepted");
  truth = JSON.parse(readFileSync(join(out, "truth.json"), "utf8"));
  beacon = { db, config: { dataDir } };
}, 240_000);
afterAll(async () => db.close());

describe("detectors on a generated province", () => {
  test("every detector runs, and every planted kind a detector owns is found, with few false alarms", async () => {
    const period = await latestLakePeriod(db);
    expect(period).toMatch(/^[0-9]{4}-[0-9]{2}$/);
    const run = await runDetection(beacon, { detectors: "all", period: period! }, { requestedBy: "test" });
    expect(run.detectors.map((d) => d.detector)).toEqual(detectorCatalog.map((d) => d.id));
    expect(run.detectors.filter((d) => d.status !== "ok")).toEqual([]);

    const evaluation = await evaluateFindings(db, key, truth);
    const ours = new Set(detectorCatalog.map((d) => d.id));
    const scored = evaluation.kinds.filter(
      (k) => k.detector !== null && ours.has(k.detector) && k.plants > 0,
    );
    // The tiny province plants at least one case of each kind these detectors own.
    expect(scored.map((k) => k.kind).sort()).toEqual(
      expect.arrayContaining([
        "bill_arbitrage",
        "circular_endorsement",
        "claim_ring",
        "disguised_debt",
        "flying_order",
        "guarantee_circle",
        "hidden_fee_rate",
        "maturity_wall",
        "multiple_loans",
        "online_loan_cap",
        "product_leverage",
        "product_nesting",
        "product_tiering",
        "suitability_breach",
        "unrecorded_sale",
      ]),
    );
    for (const k of scored) {
      expect({ kind: k.kind, recall: k.recall }).toEqual({ kind: k.kind, recall: 1 });
      expect(k.precision, k.kind).toBeGreaterThanOrEqual(0.9);
    }
  });

  test("each stored finding carries its detector's version and full parameter set; a what-if run records its override", async () => {
    const run = await runDetection(
      beacon,
      {
        detectors: ["multiple_loans"],
        period: "2026-09",
        params: { multiple_loans: { min_lenders_individual: "7" } },
      },
      { requestedBy: "what-if" },
    );
    const stored = await db.query<{ detector: string; version: string; params: Record<string, unknown> }>(
      "select distinct detector, version, params from findings where run_id = $1",
      [run.runId],
    );
    for (const s of stored) {
      expect(s.version).toBe("1.0.0");
      expect(s.params).toMatchObject({
        min_lenders_individual: 7,
        min_lenders_enterprise: 8,
        new_lender_months: 12,
      });
    }
    const [dr] = await db.query<{ params: Record<string, unknown>; finding_count: number }>(
      "select params, finding_count from detector_runs where run_id = $1 and detector = 'multiple_loans'",
      [run.runId],
    );
    expect(dr!.params.min_lenders_individual).toBe(7);
    // Every flagged borrower now has at least seven lenders (or four new ones within the year).
    const page = await listFindings(db, { detector: "multiple_loans", run: run.runId, pageSize: 500 });
    for (const f of page.items) {
      const e = f.evidence as { distinctLenders: number; newLenders: number };
      expect(e.distinctLenders >= 7 || e.newLenders >= 4).toBe(true);
    }
  });

  test("listing shows each detector's latest run, filtered and paged, highest score first", async () => {
    const all = await listFindings(db, { period: "2026-09", pageSize: 500 });
    expect(all.total).toBeGreaterThan(0);
    const scores = all.items.map((f) => f.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The what-if run above is the latest for multiple_loans: listing shows it, not the first run.
    const latest = await db.query<{ run_id: string }>(
      "select max(run_id)::text as run_id from detector_runs where detector = 'multiple_loans'",
    );
    const ml = await listFindings(db, { detector: "multiple_loans" });
    expect(ml.items.every((f) => f.runId === Number(latest[0]!.run_id))).toBe(true);
    const circle = (await listFindings(db, { detector: "guarantee_circle" })).items[0]!;
    const member = circle.members[0]!;
    const bySubject = await listFindings(db, { subject: member });
    expect(bySubject.items.map((f) => f.id)).toContain(circle.id);
    const inst = circle.institutions[0]!;
    const byInstitution = await listFindings(db, { institution: inst, pageSize: 500 });
    expect(byInstitution.items.every((f) => f.institutions.includes(inst))).toBe(true);
    const paged = await listFindings(db, { period: "2026-09", page: 2, pageSize: 3 });
    expect(paged.items.map((f) => f.id)).toEqual(all.items.slice(3, 6).map((f) => f.id));
    const scoped = await listFindings(db, { pageSize: 500 }, { institutions: [inst], detectors: [] });
    expect(scoped.items.every((f) => f.institutions.includes(inst))).toBe(true);
  });

  test("a detector that fails is stored as an error outcome and the others still run", async () => {
    const broken = defineDetector({
      id: "broken",
      version: "0.0.1",
      en: "Broken",
      zh: "故障",
      description: { en: "Reads a view that does not exist", zh: "读取不存在的视图" },
      leadUnit: "pbc_cq",
      datasets: [],
      params: defineParams({}),
      async run(ctx) {
        await rows(ctx.duck, "SELECT * FROM no_such_view");
        return [];
      },
    });
    const run = await runDetection(
      beacon,
      { detectors: "all", period: "2026-09" },
      { requestedBy: "test", catalog: [broken, detectorCatalog.find((d) => d.id === "product_tiering")!] },
    );
    expect(run.detectors.map((d) => [d.detector, d.status])).toEqual([
      ["broken", "error"],
      ["product_tiering", "ok"],
    ]);
    expect(run.detectors[0]!.error).toContain("no_such_view");
    expect(run.detectors[1]!.findings).toBeGreaterThan(0);
  });

  test("unknown detectors, unknown parameters and bad values are refused before any work", async () => {
    await expect(
      runDetection(beacon, { detectors: ["nope"], period: "2026-09" }, { requestedBy: "t" }),
    ).rejects.toThrow(/unknown detector\(s\): nope/);
    await expect(
      runDetection(
        beacon,
        { detectors: ["multiple_loans"], period: "2026-09", params: { multiple_loans: { k: 3 } } },
        { requestedBy: "t" },
      ),
    ).rejects.toThrow(/multiple_loans\.k: unknown parameter/);
    await expect(
      runDetection(
        beacon,
        {
          detectors: ["multiple_loans"],
          period: "2026-09",
          params: { multiple_loans: { min_lenders_individual: "many" } },
        },
        { requestedBy: "t" },
      ),
    ).rejects.toThrow(/multiple_loans\.min_lenders_individual/);
    await expect(
      runDetection(beacon, { detectors: "all", period: "2026-Q3" }, { requestedBy: "t" }),
    ).rejects.toThrow(/YYYY-MM/);
  });
});
