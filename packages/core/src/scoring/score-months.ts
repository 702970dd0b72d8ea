/**
 * Scores months of returns: loads the panel (with history before the first month, for trends, peers and
 * seasonal baselines), runs the rule pack with the governed parameters in force, detects anomalies, reads
 * detector findings, computes the scores and, when asked, stores them with the run that produced them.
 */
import { type AnomalyAlert, anomalySignals, detectAnomalies } from "../anomalies/detect-anomalies.ts";
import { loadLakeSeries } from "../anomalies/load-lake-series.ts";
import { periodMonth } from "../contract/items.ts";
import type { Db } from "../db/client.ts";
import { invalidInput } from "../errors.ts";
import { loadParamsInForce, resolveInForce } from "../governance/params-in-force.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import { evaluatePack } from "../rules/engine.ts";
import { computeScores, type FeatureTable, type ScoreRow } from "./compute-scores.ts";
import { RuleJudgements } from "./judgements.ts";
import { levelRank } from "./levels.ts";
import { addMonths, monthIndex, periodLabelsFor } from "./months.ts";
import { loadPanel, type Panel } from "./panel.ts";
import type { ScoringParams } from "./params.ts";
import { scoringParamsInForce } from "./scoring-catalog.ts";
import { findingsSource, type RiskSignal, type SignalSource } from "./signals.ts";
import { loadSystemicSignals } from "./systemic.ts";

export interface ScoreMonthsInput {
  /** Months to score ("YYYY-MM"). */
  months: readonly string[];
  /** The rule catalog whose entity rules judge the returns (its governed parameters are applied). */
  catalog: RuleCatalog;
  /** Data folder of the lake, for series from granular data; without it only returns series are watched. */
  dataDir?: string;
  /** Months of history loaded before the first scored month (default 36). */
  historyMonths?: number;
  /** Store scores and anomalies (default false). */
  store?: boolean;
  /** Written into the run record. */
  actor?: string;
  /** Also return the calibration features. */
  features?: boolean;
  /** Write the contributions' texts (default true). */
  explain?: boolean;
  /** Where findings come from (default: the detectors' findings table). */
  signalSources?: readonly SignalSource[];
  /** Parameters to use instead of those in force (a what-if run; never stored). */
  params?: ScoringParams;
  log?: (line: string) => void;
}

export interface ScoreMonthsResult {
  runId: number | null;
  params: ScoringParams;
  /** Parameter group → approved proposal id, for groups not at their defaults. */
  governed: Record<string, number>;
  rows: ScoreRow[];
  anomalies: AnomalyAlert[];
  panel: Panel;
  features?: FeatureTable;
  /** Milliseconds per stage (wall clock). */
  timings: Record<string, number>;
  /** CPU milliseconds per stage (user + system, the whole process: PGlite runs in it, a server does not). */
  cpuTimings: Record<string, number>;
}

/** Scores the months; see the module comment. */
export async function scoreMonths(db: Db, input: ScoreMonthsInput): Promise<ScoreMonthsResult> {
  if (input.months.length === 0) throw invalidInput("no months to score");
  if (input.store && input.params) throw invalidInput("a what-if run with its own parameters is not stored");
  const log = input.log ?? (() => {});
  const timings: Record<string, number> = {};
  const cpuTimings: Record<string, number> = {};
  let t = performance.now();
  let cpu = process.cpuUsage();
  const lap = (name: string) => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    timings[name] = Math.round(now - t);
    cpuTimings[name] = Math.round((used.user + used.system) / 1000);
    t = now;
    cpu = process.cpuUsage();
  };
  const months = [...new Set(input.months)].sort((a, b) => monthIndex(a) - monthIndex(b));
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const inForce = await scoringParamsInForce(db);
  const params = input.params ?? inForce.params;
  const rulesInForce = resolveInForce(input.catalog, await loadParamsInForce(db, input.catalog, inForce.at));
  const panel = await loadPanel(db, { from: addMonths(first, -(input.historyMonths ?? 36)), to: last });
  lap("load");
  log(`loaded ${panel.entities.length} institution-months of ${panel.institutions.length} institutions`);
  const lake = input.dataDir ? await loadLakeSeries(db, input.dataDir, panel.months) : new Map();
  const anomalies = detectAnomalies(panel, lake, { months });
  lap("anomalies");
  const signals: RiskSignal[] = anomalySignals(anomalies);
  for (const source of input.signalSources ?? [findingsSource])
    signals.push(...(await source.load(db, months)));
  const systemic = await loadSystemicSignals(db, months, params.systemic.validMonths);
  lap("signals");
  // Rules only for the months whose breaches count: the scored months and the months their values carry from.
  const from = monthIndex(first) - params.carryMonths;
  const entities = panel.entities.filter((e) => monthIndex(e.period) >= from);
  // In chunks: a long history would otherwise hold every outcome object at once.
  const judgements = new RuleJudgements(panel, params);
  let outcomeCount = 0;
  for (let i = 0; i < entities.length; i += 20_000) {
    const outcomes = evaluatePack(
      input.catalog.entityRules,
      entities.slice(i, i + 20_000),
      rulesInForce.overrides,
    );
    outcomeCount += outcomes.length;
    judgements.add(outcomes);
  }
  lap("rules");
  log(`${outcomeCount} rule outcomes for ${entities.length} institution-months`);
  // Corrected returns: every superseded version of a month's returns is one correction.
  const resubmissions = new Map<string, number>();
  for (const r of await db.query<{ i: string; p: string; n: string }>(
    `select trim(institution_code) as i, period as p, count(*)::text as n from submissions
     where dataset = 'returns' and superseded_at is not null and period = any($1::text[]) group by 1, 2`,
    [periodLabelsFor(months)],
  )) {
    const key = `${r.i}|${periodMonth(r.p)}`;
    resubmissions.set(key, (resubmissions.get(key) ?? 0) + Number(r.n));
  }
  const run = computeScores(panel, {
    params,
    judgements,
    resubmissions,
    rules: input.catalog.entityRules,
    signals,
    systemic,
    months,
    ...(input.features ? { features: true } : {}),
    ...(input.explain === false ? { explain: false } : {}),
  });
  lap("scores");
  let runId: number | null = null;
  if (input.store) {
    runId = await storeScores(db, {
      months,
      params,
      governed: inForce.governed,
      catalogVersion: input.catalog.version,
      actor: input.actor ?? "system",
      rows: run.rows,
      anomalies,
    });
    lap("store");
  }
  return {
    runId,
    params,
    governed: inForce.governed,
    rows: run.rows,
    anomalies,
    panel,
    ...(run.features ? { features: run.features } : {}),
    timings,
    cpuTimings,
  };
}

const chunk = 5000;

async function storeScores(
  db: Db,
  s: {
    months: string[];
    params: ScoringParams;
    governed: Record<string, number>;
    catalogVersion: string;
    actor: string;
    rows: readonly ScoreRow[];
    anomalies: readonly AnomalyAlert[];
  },
): Promise<number> {
  return db.transaction(async (tx) => {
    const [run] = await tx.query<{ id: string }>(
      "insert into score_runs (months, params, created_by) values ($1, $2, $3) returning id::text",
      [
        s.months,
        JSON.stringify({ scoring: s.params, governed: s.governed, rules: s.catalogVersion }),
        s.actor,
      ],
    );
    const runId = Number(run!.id);
    // Each chunk travels as one JSON document: a text[] parameter per column costs the driver an escaped array
    // literal per row and the server its parse (about 15% of the step on PGlite, measured on the medium province).
    for (let i = 0; i < s.rows.length; i += chunk) {
      const c = s.rows.slice(i, i + chunk);
      await tx.query(
        `insert into risk_scores (institution_code, period, run_id, score, level, level_rank, rating_grade, rating_zone, stale, components, contributions)
         select u.i, u.p, $1, u.s, u.l, u.r, u.g, u.z, u.st, u.c, u.k
         from jsonb_to_recordset($2::jsonb)
           as u(i text, p text, s numeric, l text, r smallint, g text, z text, st boolean, c jsonb, k jsonb)
         on conflict (institution_code, period) do update set run_id = excluded.run_id, score = excluded.score, level = excluded.level,
           level_rank = excluded.level_rank, rating_grade = excluded.rating_grade, rating_zone = excluded.rating_zone,
           stale = excluded.stale, components = excluded.components, contributions = excluded.contributions`,
        [
          runId,
          JSON.stringify(
            c.map((r) => ({
              i: r.institution,
              p: r.period,
              s: r.score,
              l: r.level,
              r: levelRank(r.level),
              g: r.rating?.grade ?? null,
              z: r.rating?.zone ?? null,
              st: r.stale,
              c: r.components,
              k: r.contributions,
            })),
          ),
        ],
      );
    }
    // A re-run replaces the alerts of its months.
    await tx.query("delete from anomalies where period = any($1::text[])", [s.months]);
    for (let i = 0; i < s.anomalies.length; i += chunk) {
      const c = s.anomalies.slice(i, i + chunk);
      await tx.query(
        `insert into anomalies (institution_code, series, period, kind, severity, value, expected, band_low, band_high, z, cusum, seasonal,
           explanation_en, explanation_zh, run_id)
         select u.*, $1 from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::float8[],
           $10::float8[], $11::float8[], $12::float8[], $13::boolean[], $14::text[], $15::text[]) as u`,
        [
          runId,
          c.map((a) => a.institution),
          c.map((a) => a.series),
          c.map((a) => a.period),
          c.map((a) => a.kind),
          c.map((a) => a.severity),
          c.map((a) => a.value),
          c.map((a) => a.expected),
          c.map((a) => a.low),
          c.map((a) => a.high),
          c.map((a) => a.z),
          c.map((a) => a.cusum),
          c.map((a) => a.seasonal),
          c.map((a) => a.en),
          c.map((a) => a.zh),
        ],
      );
    }
    return runId;
  });
}
