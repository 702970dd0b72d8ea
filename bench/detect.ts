/**
 * Detectors at scale, each figure against a peer measured in the same run.
 *
 * 1. Medium province (10M loans): every detector, one stored run, on the data folder of an ingested medium province
 *    (--medium-data), or generated and ingested here (--medium-seed; takes a while). Peer: the hand-written DuckDB
 *    query for multiple loans on the same Parquet files.
 * 2. Large loan book (default 100M loans), written directly as Parquet by DuckDB SQL (no CSV, no intake), shaped like
 *    the lake: contract columns and types, 64-hex pseudonymised borrower ids, each borrower's loans scattered through
 *    the files, 20,000 borrowers with six lenders. The multiple-loans detector against a hand-written
 *    `count(DISTINCT lender_code)` query on the same files; each runs in its own process so peak memory is its own.
 * 3. Strongly connected components: bench/graph.ts (igraph, networkx) when --graph is given; otherwise the figures it
 *    last recorded are referenced.
 *
 * Run: npm run bench -- detect [--medium-data DIR | --medium-seed N] [--skip-medium] [--large-rows N]
 *      [--large-dir DIR] [--reuse-large] [--skip-large] [--memory 12GB] [--threads 2] [--runs 1] [--graph]
 * Prints one JSON object on stdout; progress on stderr.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../packages/core/src/config.ts";
import { detectorContext } from "../packages/core/src/detectors/lake.ts";
import { multipleLoans } from "../packages/core/src/detectors/multiple-loans.ts";
import { runDetection } from "../packages/core/src/detectors/run-detection.ts";
import { generate } from "../packages/core/src/generate/generate.ts";
import { ingest } from "../packages/core/src/intake/ingest.ts";
import { openDuck } from "../packages/core/src/lake/duckdb.ts";
import { openBeacon } from "../packages/core/src/runtime.ts";

const { values } = parseArgs({
  options: {
    child: { type: "string" },
    files: { type: "string" },
    "medium-data": { type: "string" },
    "medium-seed": { type: "string", default: "23" },
    "skip-medium": { type: "boolean", default: false },
    "large-rows": { type: "string", default: "100000000" },
    "large-dir": { type: "string" },
    "reuse-large": { type: "boolean", default: false },
    "skip-large": { type: "boolean", default: false },
    memory: { type: "string", default: "12GB" },
    threads: { type: "string", default: "2" },
    runs: { type: "string", default: "1" },
    graph: { type: "boolean", default: false },
  },
});
const threads = Number(values.threads);
const memory = values.memory;

function log(message: string): void {
  process.stderr.write(`[bench/detect] ${message}\n`);
}
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

// ---------------------------------------------------------------------------------------------------------------
// Child processes: one measurement each, so that peak memory (maxRSS) is the measurement's own.

/** The hand-written peer: distinct lenders per individual borrower, those with five or more. */
const handWritten = (files: string) => `SELECT borrower_id, count(DISTINCT lender_code) AS lenders
  FROM read_parquet(${files}) WHERE borrower_type = 'individual'
  GROUP BY borrower_id HAVING count(DISTINCT lender_code) >= 5`;

async function child(kind: string, files: string): Promise<void> {
  const duck = await openDuck({
    memoryLimit: memory,
    threads,
    tempDir: join(tmpdir(), `bench-detect-spill-${process.pid}`),
  });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let flagged: number;
  if (kind === "ours") {
    await duck.run(`CREATE VIEW loans AS SELECT * FROM read_parquet(${files})`);
    const found = await multipleLoans.run(
      detectorContext(duck, "2026-09"),
      multipleLoans.params.schema.parse({}),
    );
    flagged = found.length;
  } else {
    const r = await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM (${handWritten(files)})`);
    flagged = Number(r[0]!.n);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  duck.close();
  // CPU seconds (user + system, all threads) are reported too: on a shared machine wall time measures the neighbours.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `${JSON.stringify({ seconds, cpuSeconds, flagged, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
}

interface Measurement {
  seconds: number;
  cpuSeconds: number;
  flagged: number;
  maxRssMB: number;
}

function measure(kind: "ours" | "hand", files: string): Measurement {
  const r = spawnSync(
    process.execPath,
    [
      new URL(import.meta.url).pathname,
      `--child=${kind}`,
      `--files=${files}`,
      `--memory=${memory}`,
      `--threads=${threads}`,
    ],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`child ${kind} failed (${r.status})`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/** Alternates ours and the hand-written query `runs` times; medians and the ratio. */
function compare(files: string, runs: number) {
  const ours: Measurement[] = [];
  const hand: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    hand.push(measure("hand", files));
    log(
      `  hand-written: ${round(hand[i]!.seconds)} s (${round(hand[i]!.cpuSeconds)} CPU s), ${hand[i]!.flagged} borrowers, peak ${hand[i]!.maxRssMB} MB`,
    );
    ours.push(measure("ours", files));
    log(
      `  multiple_loans detector: ${round(ours[i]!.seconds)} s (${round(ours[i]!.cpuSeconds)} CPU s), ${ours[i]!.flagged} findings, peak ${ours[i]!.maxRssMB} MB`,
    );
  }
  const o = median(ours.map((x) => x.seconds));
  const h = median(hand.map((x) => x.seconds));
  const oc = median(ours.map((x) => x.cpuSeconds));
  const hc = median(hand.map((x) => x.cpuSeconds));
  return {
    ours: {
      seconds: round(o),
      cpuSeconds: round(oc),
      findings: ours[0]!.flagged,
      peakMB: Math.max(...ours.map((x) => x.maxRssMB)),
    },
    handWritten: {
      seconds: round(h),
      cpuSeconds: round(hc),
      borrowers: hand[0]!.flagged,
      peakMB: Math.max(...hand.map((x) => x.maxRssMB)),
    },
    ratio: round(o / h),
    cpuRatio: round(oc / hc),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Medium province.

async function mediumDataDir(): Promise<string> {
  if (values["medium-data"]) return values["medium-data"];
  const seed = Number(values["medium-seed"]);
  const out = mkdtempSync(join(tmpdir(), "bench-medium-province-"));
  const dataDir = mkdtempSync(join(tmpdir(), "bench-medium-data-"));
  log(`generating the medium province (seed ${seed}) into ${out}`);
  await generate({ scale: "medium", seed, out, log: () => {} });
  log(`ingesting into ${dataDir}`);
  const config = loadConfig({ BEACON_DATA_DIR: dataDir });
  const beacon = await openBeacon(config);
  try {
    const report = await ingest({ db: beacon.db, dataDir, pseudonymKey: config.pseudonymKey }, out, {
      log: () => {},
    });
    if (report.status !== "accepted")
      throw new Error(
        `the medium province was rejected: ${report.problems[0]?.message ?? "see the intake report"}`,
      );
  } finally {
    await beacon.close();
  }
  return dataDir;
}

async function medium() {
  const dataDir = await mediumDataDir();
  const beacon = await openBeacon(loadConfig({ ...process.env, BEACON_DATA_DIR: dataDir }));
  let run: Awaited<ReturnType<typeof runDetection>>;
  let loanFiles: string[];
  let seconds: number;
  let cpuSeconds: number;
  try {
    const [p] = await beacon.db.query<{ period: string }>(
      "select max(period) as period from submissions where dataset = 'loans'",
    );
    const [rows] = await beacon.db.query<{ n: string }>(
      "select sum(row_count)::text as n from submissions where dataset = 'loans' and superseded_at is null",
    );
    log(
      `medium: all detectors on ${Number(rows!.n).toLocaleString("en-US")} loans, period ${p!.period}, ${threads} threads`,
    );
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    run = await runDetection(
      beacon,
      { detectors: "all", period: p!.period },
      { requestedBy: "bench", threads, memoryLimit: memory },
    );
    seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
    loanFiles = (
      await beacon.db.query<{ path: string }>(
        "select path from lake_files where dataset = 'loans' and period = $1",
        [p!.period],
      )
    ).map((r) => join(dataDir, "lake", r.path));
  } finally {
    await beacon.close();
  }
  log(`medium: ${round(seconds)} s for ${run.detectors.length} detectors`);
  const files = `[${loanFiles.map((f) => `'${f}'`).join(", ")}]`;
  log("medium: multiple loans against the hand-written query");
  return {
    dataDir,
    allDetectorsSeconds: round(seconds),
    // The whole process's CPU time: JavaScript, PGlite and DuckDB's threads.
    allDetectorsCpuSeconds: round(cpuSeconds),
    storedRun: run.runId,
    detectors: run.detectors.map((d) => ({
      detector: d.detector,
      status: d.status,
      findings: d.findings,
      seconds: round(d.millis / 1000),
    })),
    multipleLoans: compare(files, Number(values.runs)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Large loan book, written as Parquet by DuckDB.

async function writeLarge(dir: string, rows: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const duck = await openDuck({ memoryLimit: memory, threads, tempDir: join(dir, "spill") });
  // Borrowers hold 1, 2 or 3 loans (62/28/10%) at hashed lenders; the first 20,000 hold six. Pass j writes the j-th
  // loan of every borrower that has one, so a borrower's loans lie far apart, as across lenders' files in the lake.
  const planted = 20_000;
  const borrowers = Math.round((rows - planted * 6) / 1.48) + planted;
  const count = `CASE WHEN b < ${planted} THEN 6 WHEN hash(b) % 100 < 62 THEN 1 WHEN hash(b) % 100 < 90 THEN 2 ELSE 3 END`;
  const lenders = 3000;
  const lender = (j: number) =>
    `'9150010' || lpad(CAST((hash(b * 7 + ${j}) % ${lenders}) AS VARCHAR), 10, '0') || 'X'`;
  for (let j = 0; j < 6; j++) {
    const range = j < 3 ? borrowers : planted;
    const file = join(dir, `loans-${j}.parquet`);
    if (existsSync(file)) continue;
    const t0 = performance.now();
    await duck.run(`COPY (
        SELECT 'L' || CAST(b AS VARCHAR) || '-' || ${j} AS loan_id, ${lender(j)} AS lender_code, '2026-09' AS period,
          CASE WHEN b % 14 = 0 THEN 'enterprise' ELSE 'individual' END AS borrower_type,
          CASE WHEN b % 14 = 0 THEN NULL ELSE md5(CAST(b AS VARCHAR)) || md5(CAST(b AS VARCHAR) || 'x') END AS borrower_id,
          CASE WHEN b % 14 = 0 THEN '91500000' || lpad(CAST(b AS VARCHAR), 10, '0') END AS borrower_code,
          CAST(36000 + hash(b) % 200000 AS DECIMAL(18, 2)) AS borrower_annual_income,
          CAST(1000 + hash(b * 31 + ${j}) % 500000 AS DECIMAL(18, 2)) AS principal,
          CAST(500 + hash(b * 31 + ${j}) % 400000 AS DECIMAL(18, 2)) AS outstanding,
          DATE '2026-09-30' - CAST(hash(b * 17 + ${j}) % 1500 AS INTEGER) AS origination_date,
          DATE '2029-09-30' AS maturity_date, CAST(0.06 AS DECIMAL(18, 8)) AS nominal_rate,
          CAST(0 AS DECIMAL(18, 2)) AS upfront_fee, CAST(0 AS DECIMAL(18, 2)) AS periodic_fee, CAST(0 AS DECIMAL(18, 2)) AS other_fees,
          'equal_instalment' AS repayment_method, CAST(36 AS BIGINT) AS term_months,
          CAST(NULL AS VARCHAR) AS joint_partner_code, CAST(NULL AS DECIMAL(18, 6)) AS partner_share,
          CASE WHEN hash(b * 5 + ${j}) % 100 < 3 THEN 'substandard' ELSE 'normal' END AS classification,
          CAST(NULL AS VARCHAR) AS industry, false AS real_estate, hash(b) % 10 = 0 AND ${j} = 0 AS mortgage, false AS lgfv
        FROM range(${range}) t(b) WHERE ${count} > ${j}
      ) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    log(`  wrote ${file} in ${round((performance.now() - t0) / 1000)} s`);
  }
  duck.close();
}

async function large() {
  const rows = Number(values["large-rows"]);
  const dir = values["large-dir"] ?? join(tmpdir(), `bench-detect-large-${rows}`);
  const files = () => readdirSync(dir).filter((f) => /^loans-[0-9]\.parquet$/.test(f));
  if (!values["reuse-large"] || !existsSync(dir) || files().length < 6) {
    log(`large: writing about ${rows.toLocaleString("en-US")} loans as Parquet into ${dir}`);
    await writeLarge(dir, rows);
  } else log(`large: reusing ${dir}`);
  const list = `[${files()
    .map((f) => `'${join(dir, f)}'`)
    .join(", ")}]`;
  const duck = await openDuck({ threads });
  const [n] = await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet(${list})`);
  duck.close();
  log(`large: ${Number(n!.n).toLocaleString("en-US")} loans; multiple loans against the hand-written query`);
  return { dir, loans: Number(n!.n), ...compare(list, Number(values.runs)) };
}

// ---------------------------------------------------------------------------------------------------------------

if (values.child) {
  await child(values.child, values.files!);
} else {
  const result: Record<string, unknown> = {
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      threads,
      duckdbMemoryLimit: memory,
      loadAverageAtStart: loadavg().map((x) => round(x, 1)),
    },
  };
  if (!values["skip-medium"]) result.medium = await medium();
  if (!values["skip-large"]) result.large = await large();
  if (values.graph) {
    log("graph: bench/graph.ts (SCC against igraph and networkx)");
    const r = spawnSync(process.execPath, [new URL("./graph.ts", import.meta.url).pathname], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    result.scc = r.status === 0 ? JSON.parse(r.stdout) : { error: `bench/graph.ts exited ${r.status}` };
  } else {
    result.scc = {
      note: "not re-run (pass --graph); bench/graph.ts on 1M nodes / 10M edges, 2 cores, as recorded in docs/scaling.md",
      beaconSeconds: 0.6,
      igraphSeconds: 2.1,
      networkxSeconds: 35.6,
    };
  }
  (result.machine as Record<string, unknown>).loadAverageAtEnd = loadavg().map((x) => round(x, 1));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
