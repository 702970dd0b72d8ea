/**
 * Early warning at province scale: every month of the medium province (about 1,000 institutions × 36 months)
 * scored from its returns, in memory (panel, rule pack, anomalies, scores) and through the system of record
 * (PGlite: load, score and store, carry warnings month by month); the warnings list over 100,000 warnings; and the
 * calibrated model's IRLS fit against a numpy peer on the same design matrix, measured in the same run.
 *
 * The province's returns come from the generator's model (world, plan, returns writer) without the granular data,
 * so the benchmark does not wait for 10M loans.
 *
 * Run: npx node bench/warn.ts [--scale=medium] [--seed=7] [--runs=3] [--warnings=100000] [--db=true] [--peers=numpy]
 * The stored path runs on in-memory PGlite, or with DATABASE_URL set on a fresh database of that PostgreSQL server
 * (created and dropped here); the server's CPU is read from /proc when it runs on this machine.
 * Prints one JSON object on stdout; progress on stderr. The peer runs with Debian's /usr/bin/python3 (numpy).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { detectAnomalies } from "../packages/core/src/anomalies/detect-anomalies.ts";
import { fitLogistic } from "../packages/core/src/calibration/logistic.ts";
import { rocAuc } from "../packages/core/src/calibration/metrics.ts";
import {
  type BankTier,
  type InstitutionType,
  sectorOf,
} from "../packages/core/src/contract/institution-types.ts";
import type { Fact } from "../packages/core/src/contract/items.ts";
import { type Db, openPglite, openPostgres } from "../packages/core/src/db/client.ts";
import { migrate } from "../packages/core/src/db/migrate.ts";
import { monthLabel } from "../packages/core/src/generate/calendar.ts";
import { buildPlan } from "../packages/core/src/generate/plan.ts";
import { writeReturns } from "../packages/core/src/generate/returns.ts";
import type { ScaleName } from "../packages/core/src/generate/scales.ts";
import { buildWorld } from "../packages/core/src/generate/world.ts";
import { system } from "../packages/core/src/identity/roles.ts";
import { evaluatePack } from "../packages/core/src/rules/engine.ts";
import {
  computeScores,
  type FeatureTable,
  type ScoreRun,
} from "../packages/core/src/scoring/compute-scores.ts";
import { RuleJudgements } from "../packages/core/src/scoring/judgements.ts";
import { levelRank } from "../packages/core/src/scoring/levels.ts";
import { monthIndex } from "../packages/core/src/scoring/months.ts";
import { buildPanel, type PanelInstitution } from "../packages/core/src/scoring/panel.ts";
import { defaultScoringParams } from "../packages/core/src/scoring/params.ts";
import { scoreMonths } from "../packages/core/src/scoring/score-months.ts";
import { insertReturns } from "../packages/core/src/scoring/test-support.ts";
import { listWarnings } from "../packages/core/src/warnings/list-warnings.ts";
import { updateWarnings } from "../packages/core/src/warnings/update-warnings.ts";
import { chinaCatalog } from "../packages/packs/src/china/catalog.ts";

const PYTHON = "/usr/bin/python3";
const PEER = new URL("./peers/logit_irls.py", import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "medium" },
    seed: { type: "string", default: "7" },
    runs: { type: "string", default: "3" },
    warnings: { type: "string", default: "100000" },
    db: { type: "string", default: "true" },
    peers: { type: "string", default: "numpy" },
  },
});
const runs = Number(values.runs);
const log = (m: string) => process.stderr.write(`[bench/warn] ${m}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ms = (t: number) => Math.round(performance.now() - t);
/** CPU milliseconds (user + system, every thread of the process: JavaScript, PGlite's WebAssembly, GC) since `c`. */
const cpuMs = (c: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(c);
  return Math.round((u.user + u.system) / 1000);
};
/**
 * CPU milliseconds used by the PostgreSQL backends of the bench's database since `start` (utime + stime from /proc,
 * so only for a server on this machine; null otherwise, and always for PGlite, whose CPU is the process's own).
 */
function serverCpu(db: Db) {
  const ticks = async (): Promise<Map<number, number> | null> => {
    if (db.kind !== "postgres") return null;
    const pids = await db.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database()",
    );
    const out = new Map<number, number>();
    try {
      for (const { pid } of pids) {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        out.set(pid, Number(f[11]) + Number(f[12]));
      }
    } catch {
      return null;
    }
    return out;
  };
  return {
    start: ticks,
    async since(start: Map<number, number> | null): Promise<number | null> {
      const end = await ticks();
      if (!start || !end) return null;
      let sum = 0;
      for (const [pid, n] of end) sum += n - (start.get(pid) ?? 0);
      // Clock ticks are 10 ms on Linux (USER_HZ 100).
      return sum * 10;
    },
  };
}
const loadAtStart = loadavg().map((x) => Math.round(x * 10) / 10);

// --- The province's returns, from the generator's model. ------------------------------------------------------
let t = performance.now();
const world = buildWorld(Number(values.seed), values.scale as ScaleName);
const plan = buildPlan(world);
const dir = mkdtempSync(join(tmpdir(), "bench-warn-"));
writeReturns(world, plan.returns, dir);
const facts: Fact[] = [];
for (const file of readdirSync(join(dir, "returns")).sort()) {
  const lines = readFileSync(join(dir, "returns", file), "utf8").split("\n");
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l) continue;
    const [institution, period, item, value] = l.split(",");
    facts.push({ institution: institution!, period: period!, item: item!, value: value! });
  }
}
rmSync(dir, { recursive: true, force: true });
const registry: PanelInstitution[] = world.institutions.map((i) => ({
  code: i.code,
  type: i.type as InstitutionType,
  sector: sectorOf(i.type as InstitutionType),
  district: i.district.zh,
  nameZh: i.zh,
  nameEn: i.en,
  ...(i.tier ? { bankTier: i.tier as BankTier } : {}),
  ...(i.type === "supervisory_office" ? {} : { totalAssets: Math.round(i.totalAssets) }),
  status: i.status,
}));
const months = world.months.map((m) => monthLabel(m));
const generateMs = ms(t);
log(
  `${values.scale} seed ${values.seed}: ${registry.length} institutions, ${facts.length.toLocaleString("en-US")} facts, ${months.length} months (${generateMs} ms)`,
);

// --- In memory: panel, rules, anomalies, scores for every month. ---------------------------------------------
const stages: Record<string, number[]> = {
  panel: [],
  rules: [],
  anomalies: [],
  scores: [],
  total: [],
  totalCpu: [],
};
let run: ScoreRun | undefined;
let features: FeatureTable | undefined;
let entities = 0;
let outcomes = 0;
let alerts = 0;
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  t = t0;
  const panel = buildPanel(registry, facts, months);
  entities = panel.entities.length;
  stages.panel!.push(ms(t));
  t = performance.now();
  const judgements = new RuleJudgements(panel, defaultScoringParams);
  outcomes = 0;
  for (let i = 0; i < panel.entities.length; i += 20_000) {
    const o = evaluatePack(chinaCatalog.entityRules, panel.entities.slice(i, i + 20_000));
    outcomes += o.length;
    judgements.add(o);
  }
  stages.rules!.push(ms(t));
  t = performance.now();
  const found = detectAnomalies(panel, new Map());
  alerts = found.length;
  stages.anomalies!.push(ms(t));
  t = performance.now();
  run = computeScores(panel, {
    params: defaultScoringParams,
    judgements,
    rules: chinaCatalog.entityRules,
    signals: found.map((a) => ({
      institution: a.institution,
      month: a.period,
      source: "anomaly",
      ref: a.series,
      severity: a.severity,
      en: a.en,
      zh: a.zh,
    })),
    features: r === 0,
  });
  stages.scores!.push(ms(t));
  stages.total!.push(ms(t0));
  // CPU time (user + system) as well as wall time: on a shared machine the wall clock also measures the neighbours.
  const cpu = process.cpuUsage(cpu0);
  stages.totalCpu!.push(Math.round((cpu.user + cpu.system) / 1000));
  log(
    `run ${r + 1}: ${stages.total!.at(-1)} ms wall, ${stages.totalCpu!.at(-1)} ms CPU (panel ${stages.panel!.at(-1)}, rules ${stages.rules!.at(-1)}, anomalies ${stages.anomalies!.at(-1)}, scores ${stages.scores!.at(-1)})`,
  );
  if (r === 0) features = run.features;
}
const rows = run!.rows;
const levels: Record<string, number> = {};
for (const r of rows) levels[r.level] = (levels[r.level] ?? 0) + 1;

// Quality on the planted failures: first month at orange or red before the failure.
const failures = plan.returns.failures.map((f) => {
  const code = f.inst.code;
  const event = monthLabel(f.failMonth);
  const path = rows
    .filter((r) => r.institution === code && r.period < event)
    .sort((a, b) => a.period.localeCompare(b.period));
  const first = path.find((r) => levelRank(r.level) >= levelRank("orange"));
  return {
    institution: code,
    event: f.event,
    eventPeriod: event,
    firstOrangeOrRed: first?.period ?? null,
    leadMonths: first ? monthIndex(event) - monthIndex(first.period) : null,
  };
});
// Banks' institution-months labelled with a planted failure within 12 months: AUC of the score.
const failMonth = new Map(
  plan.returns.failures.map((f) => [f.inst.code, monthIndex(monthLabel(f.failMonth))]),
);
const bankRows = rows.filter((r) => registry.find((x) => x.code === r.institution)?.type === "bank");
const yOf = (code: string, period: string) => {
  const e = failMonth.get(code);
  const m = monthIndex(period);
  return e !== undefined && e > m && e <= m + 12 ? 1 : 0;
};
const scoreAuc = rocAuc(
  bankRows.map((r) => r.score),
  bankRows.map((r) => yOf(r.institution, r.period)),
);

// --- Model fit against the numpy peer, on the banks' standardised features. -----------------------------------
const model: Record<string, unknown> = {};
{
  const f = features!;
  const F = f.names.length;
  const bankIdx: number[] = [];
  const banks = new Set(registry.filter((r) => r.type === "bank").map((r) => r.code));
  const panelCodes = registry
    .filter((r) => r.type !== "supervisory_office" && r.type !== "watched_company")
    .map((r) => r.code);
  for (let i = 0; i < f.institution.length; i++)
    if (banks.has(panelCodes[f.institution[i]!]!)) bankIdx.push(i);
  const cols = [...Array(F).keys()].filter(
    (c) => bankIdx.filter((i) => Number.isFinite(f.values[i * F + c]!)).length > 0.5 * bankIdx.length,
  );
  const n = bankIdx.length;
  const p = cols.length;
  const x = new Float64Array(n * p);
  cols.forEach((c, j) => {
    const xs = bankIdx
      .map((i) => f.values[i * F + c]!)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const med = xs[xs.length >> 1]!;
    const col = bankIdx.map((i) => (Number.isFinite(f.values[i * F + c]!) ? f.values[i * F + c]! : med));
    const mean = col.reduce((a, v) => a + v, 0) / n;
    const sd = Math.sqrt(col.reduce((a, v) => a + (v - mean) ** 2, 0) / n) || 1;
    col.forEach((v, i) => {
      x[i * p + j] = (v - mean) / sd;
    });
  });
  const y = Uint8Array.from(bankIdx, (i) => yOf(panelCodes[f.institution[i]!]!, months[f.month[i]!]!));
  const lambda = 0.01;
  const times: number[] = [];
  let fit = fitLogistic(x, y, n, p, { lambda });
  for (let r = 0; r < runs; r++) {
    const t1 = performance.now();
    fit = fitLogistic(x, y, n, p, { lambda });
    times.push(performance.now() - t1);
  }
  Object.assign(model, {
    rows: n,
    features: p,
    positives: y.reduce((a, v) => a + v, 0),
    lambda,
    beaconMs: Math.round(median(times) * 10) / 10,
    iterations: fit.iterations,
  });
  if (values.peers.includes("numpy")) {
    const pdir = mkdtempSync(join(tmpdir(), "bench-logit-"));
    writeFileSync(join(pdir, "x.f64"), Buffer.from(x.buffer));
    writeFileSync(join(pdir, "y.u8"), Buffer.from(y.buffer));
    writeFileSync(join(pdir, "meta.json"), JSON.stringify({ n, p }));
    const out = spawnSync(PYTHON, [PEER, pdir, String(lambda), String(runs)], { encoding: "utf8" });
    if (out.status === 0) {
      const peer = JSON.parse(out.stdout) as { numpy: string; ms: number; iterations: number };
      const raw = readFileSync(join(pdir, "coef.f64"));
      const coef = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      let diff = Math.abs(coef[p]! - fit.intercept);
      for (let j = 0; j < p; j++) diff = Math.max(diff, Math.abs(coef[j]! - fit.weights[j]!));
      Object.assign(model, {
        peer: {
          name: "numpy IRLS",
          version: peer.numpy,
          ms: Math.round(peer.ms * 10) / 10,
          iterations: peer.iterations,
        },
        maxCoefficientDifference: diff,
      });
    } else model.peer = { error: out.stderr.slice(0, 500) };
    rmSync(pdir, { recursive: true, force: true });
  }
}

// --- Through the system of record: load, score and store every month, carry the warnings, list 100,000. --------
const database: Record<string, unknown> = {};
if (values.db === "true") {
  const url = process.env.DATABASE_URL;
  const benchDb = `bench_warn_${process.pid}`;
  let db: Db;
  if (url) {
    const admin = await openPostgres(url);
    await admin.exec(`create database ${benchDb}`);
    await admin.close();
    const target = new URL(url);
    target.pathname = `/${benchDb}`;
    db = await openPostgres(target.toString());
  } else db = await openPglite(undefined);
  database.store = db.kind;
  await migrate(db);
  const server = serverCpu(db);
  t = performance.now();
  let c = process.cpuUsage();
  let sc = await server.start();
  await insertReturns(
    db,
    registry.filter((r) => r.type !== "watched_company"),
    facts,
  );
  database.loadFactsMs = ms(t);
  database.loadFactsCpuMs = cpuMs(c);
  database.loadFactsServerCpuMs = await server.since(sc);
  t = performance.now();
  c = process.cpuUsage();
  sc = await server.start();
  const scored = await scoreMonths(db, { months, catalog: chinaCatalog, store: true, historyMonths: 0 });
  database.scoreAndStoreMs = ms(t);
  database.scoreAndStoreCpuMs = cpuMs(c);
  database.scoreAndStoreServerCpuMs = await server.since(sc);
  database.stages = scored.timings;
  database.stagesCpu = scored.cpuTimings;
  t = performance.now();
  c = process.cpuUsage();
  sc = await server.start();
  for (const m of months)
    await updateWarnings(
      db,
      m,
      scored.rows.filter((r) => r.period === m),
      scored.params,
    );
  database.warningsMs = ms(t);
  database.warningsCpuMs = cpuMs(c);
  database.warningsServerCpuMs = await server.since(sc);
  // Issue 4's target (every month scored, stored and carried into warnings in under 10 s) is on these two.
  database.everyMonthMs = (database.scoreAndStoreMs as number) + (database.warningsMs as number);
  database.everyMonthCpuMs = (database.scoreAndStoreCpuMs as number) + (database.warningsCpuMs as number);
  const [counts] = await db.query<{ w: string; h: string }>(
    "select (select count(*) from warnings)::text as w, (select count(*) from warning_history)::text as h",
  );
  database.warnings = Number(counts!.w);
  database.history = Number(counts!.h);
  // 100,000 warnings on as many institutions, with every level, sector and district.
  const total = Number(values.warnings);
  t = performance.now();
  await db.exec(`
    insert into institutions (code, name_zh, name_en, type, sector, district)
      select 'BENCH' || lpad(g::text, 13, '0'), '基准机构' || g, 'Bench institution ' || g, 'small_loan', 'local_finance', '区' || (g % 38)
      from generate_series(1, ${total}) g;
    insert into warnings (institution_code, type, sector, district, status, level, level_rank, score, peak_level, peak_score,
        opened_period, last_period, contributions, components)
      select 'BENCH' || lpad(g::text, 13, '0'), 'small_loan', 'local_finance', '区' || (g % 38),
        (array['new','acknowledged','escalated','downgraded'])[1 + g % 4], (array['blue','yellow','orange','red'])[1 + g % 4], 1 + g % 4,
        20 + (g % 8000) / 100.0, 'red', 90, '2026-01', '2026-09',
        '[{"component":"breach","key":"r","en":"e","zh":"z","points":50}]'::jsonb, '{"breach":50}'::jsonb
      from generate_series(1, ${total}) g;
    analyze warnings;`);
  database.seed100kMs = ms(t);
  const op = system("bench");
  const queries: Record<string, Parameters<typeof listWarnings>[2]> = {
    firstPage: {},
    redInDistrict: { level: "red", district: "区7" },
    minOrangeBySector: { minLevel: "orange", sector: "local_finance", sort: "score" },
    deepPage: { sort: "score", order: "asc", page: 1500, pageSize: 50 },
    nameSearch: { q: "基准机构4242" },
  };
  const listMs: Record<string, number> = {};
  for (const [name, q] of Object.entries(queries)) {
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t1 = performance.now();
      await listWarnings(db, op, q);
      times.push(performance.now() - t1);
    }
    listMs[name] = Math.round(median(times) * 10) / 10;
  }
  database.list100k = { warnings: total + Number(counts!.w), ms: listMs };
  await db.close();
  if (url) {
    const admin = await openPostgres(url);
    await admin.exec(`drop database if exists ${benchDb} with (force)`);
    await admin.close();
  }
}

const output = {
  benchmark: "warn",
  scale: values.scale,
  seed: Number(values.seed),
  cpus: cpus().length,
  loadAverage: { start: loadAtStart, end: loadavg().map((x) => Math.round(x * 10) / 10) },
  note: "CpuMs and totalCpu: CPU time of the whole process (all threads); wall well above CPU on this single-threaded path means other processes held the cores",
  node: process.version,
  institutions: registry.length,
  facts: facts.length,
  months: months.length,
  generateMs,
  inMemory: {
    runs,
    medianMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)])),
    entities,
    ruleOutcomes: outcomes,
    anomalyAlerts: alerts,
    scores: rows.length,
    levels,
  },
  quality: { plantedFailures: failures, bankScoreAuc12m: Math.round(scoreAuc * 10_000) / 10_000 },
  model,
  database,
};
process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
