/**
 * Runs detectors over the lake for one period and stores what they find. The run reads the submissions current at
 * one instant, records them, and stores each detector's version and full parameter set with its findings, so any
 * finding can be traced and the run repeated as of that instant. A detector that fails is recorded as an error
 * outcome; the others still run.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { ParamOverrides } from "../rules/params.ts";
import { detectorCatalog, detectorsWithDependencies } from "./catalog.ts";
import { detectorParamsInForce } from "./governed-params.ts";
import { detectorContext, openDetectionLake } from "./lake.ts";
import { resolveDetectorParams } from "./params.ts";
import { boundEvidence } from "./support.ts";
import type { AnyDetector, FindingDraft, Severity } from "./types.ts";

export const runDetectionInput = z.strictObject({
  detectors: z
    .union([
      z.literal("all"),
      z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a detector id")).min(1),
    ])
    .default("all"),
  period: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM"),
  /** detector id -> parameter -> value (a what-if run); absent parameters take their defaults. */
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});
export type RunDetectionInput = z.input<typeof runDetectionInput>;

export interface DetectorOutcome {
  detector: string;
  version: string;
  status: "ok" | "error";
  error?: string;
  findings: number;
  bySeverity: Record<Severity, number>;
  millis: number;
}

export interface DetectionRun {
  runId: number;
  period: string;
  asOf: string;
  detectors: DetectorOutcome[];
}

export interface RunOptions {
  requestedBy: string;
  log?: (line: string) => void;
  /** DuckDB memory limit (default 3GB) and threads (default: all cores). */
  memoryLimit?: string;
  threads?: number;
  /** Detector list to use instead of the catalog (tests). */
  catalog?: readonly AnyDetector[];
}

interface Done {
  detector: AnyDetector;
  params: Record<string, unknown>;
  status: "ok" | "error";
  error?: string;
  findings: FindingDraft[];
  millis: number;
}

/** Runs the named detectors (or all) for a period and stores the run; returns what each found. */
export async function runDetection(
  beacon: { db: Db; config: { dataDir: string } },
  input: RunDetectionInput,
  options: RunOptions,
): Promise<DetectionRun> {
  const parsed = runDetectionInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  const { period } = parsed.data;
  const catalog = options.catalog ?? detectorCatalog;
  const detectors = detectorsWithDependencies(catalog, parsed.data.detectors);
  const db = beacon.db;
  const [clock] = await db.query<{ t: string }>("select to_json(clock_timestamp()) #>> '{}' as t");
  const asOf = clock!.t;
  // The governed values in force at the run's instant, under the run's own what-if values (never stored as governed).
  const inForce = await detectorParamsInForce(db, catalog, asOf);
  const whatIf = parsed.data.params as ParamOverrides;
  const merged: Record<string, Record<string, unknown>> = {};
  for (const d of detectors) {
    const both = { ...(inForce.overrides[d.id] ?? {}), ...(whatIf[d.id] ?? {}) };
    if (Object.keys(both).length > 0) merged[d.id] = both;
  }
  for (const id of Object.keys(whatIf)) merged[id] ??= whatIf[id]!;
  const params = resolveDetectorParams(detectors, merged);
  const uses = detectors.flatMap((d) => d.datasets);
  const lake = await openDetectionLake(db, beacon.config.dataDir, period, uses, {
    asOf,
    ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  const done: Done[] = [];
  try {
    const prior = new Map<string, FindingDraft[]>();
    const ctx = detectorContext(lake.duck, period, prior);
    for (const d of detectors) {
      const p = params.get(d.id)!;
      const t0 = performance.now();
      try {
        const findings = (await d.run(ctx, p)).map((f) => ({ ...f, evidence: boundEvidence(f.evidence) }));
        prior.set(d.id, findings);
        done.push({
          detector: d,
          params: p,
          status: "ok",
          findings,
          millis: Math.round(performance.now() - t0),
        });
        options.log?.(`${d.id}: ${findings.length} finding(s) in ${Math.round(performance.now() - t0)} ms`);
      } catch (e) {
        // A failing detector is an error outcome with its message; the run goes on without it.
        const message = e instanceof Error ? e.message : String(e);
        done.push({
          detector: d,
          params: p,
          status: "error",
          error: message,
          findings: [],
          millis: Math.round(performance.now() - t0),
        });
        options.log?.(`${d.id}: error: ${message}`);
      }
    }
  } finally {
    lake.close();
  }
  const runId = await storeRun(db, period, asOf, lake.submissions, options.requestedBy, done);
  return {
    runId,
    period,
    asOf,
    detectors: done.map((d) => {
      const bySeverity: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
      for (const f of d.findings) bySeverity[f.severity]++;
      return {
        detector: d.detector.id,
        version: d.detector.version,
        status: d.status,
        ...(d.error ? { error: d.error } : {}),
        findings: d.findings.length,
        bySeverity,
        millis: d.millis,
      };
    }),
  };
}

const chunk = 2000;

async function storeRun(
  db: Db,
  period: string,
  asOf: string,
  inputs: Record<string, number[]>,
  requestedBy: string,
  done: readonly Done[],
): Promise<number> {
  return db.transaction(async (tx) => {
    const [run] = await tx.query<{ id: string }>(
      "insert into detection_runs (period, as_of, inputs, requested_by, started_at) values ($1, $2, $3, $4, $2) returning id::text",
      [period, asOf, JSON.stringify(inputs), requestedBy],
    );
    const runId = Number(run!.id);
    for (const d of done) {
      await tx.query(
        `insert into detector_runs (run_id, detector, version, params, period, status, error, finding_count, millis)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          runId,
          d.detector.id,
          d.detector.version,
          JSON.stringify(d.params),
          period,
          d.status,
          d.error ?? null,
          d.findings.length,
          d.millis,
        ],
      );
      for (let i = 0; i < d.findings.length; i += chunk) {
        const batch = d.findings.slice(i, i + chunk).map((f) => ({
          subject_kind: f.subjectKind,
          subject_id: f.subjectId,
          member_kind: f.memberKind,
          members: f.members,
          institutions: f.institutions,
          severity: f.severity,
          score: f.score,
          explanation_en: f.explanation.en,
          explanation_zh: f.explanation.zh,
          evidence: f.evidence,
        }));
        await tx.query(
          `insert into findings (run_id, detector, version, params, period, subject_kind, subject_id, member_kind, members,
             institutions, severity, score, explanation_en, explanation_zh, evidence)
           select $1, dr.detector, dr.version, dr.params, dr.period, x.subject_kind, x.subject_id, x.member_kind, x.members,
             x.institutions, x.severity, x.score, x.explanation_en, x.explanation_zh, x.evidence
           from jsonb_to_recordset($3::jsonb) as x(subject_kind text, subject_id text, member_kind text, members text[],
             institutions text[], severity text, score numeric, explanation_en text, explanation_zh text, evidence jsonb)
           join detector_runs dr on dr.run_id = $1 and dr.detector = $2`,
          [runId, d.detector.id, JSON.stringify(batch)],
        );
      }
    }
    return runId;
  });
}
