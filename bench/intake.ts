/**
 * Intake benchmark: about 10M loan rows from CSV validated, pseudonymised and landed as Parquet, against DuckDB's own
 * read_csv -> Parquet copy of the same files in the same run. Two loan books:
 *
 * - province: the loans of a generated medium province (10.0M rows in three files; borrowers individual and
 *   enterprise, joint loans, varied amounts, dates and fees), as an institution's submission looks. The registry is
 *   ingested first, untimed; the timed intake is the loans folder alone.
 * - uniform: a synthetic file of identical individual loans that differ only in counters. Every check and hash
 *   still runs per row, but DuckDB's plain copy compresses it to a tenth of the province file's Parquet, so its
 *   peer figure is a floor no real submission reaches.
 *
 * Run: npm run bench -- intake [--only province|uniform] [--province DIR] [--seed 7] [--rows 10000000]
 * `--province` reuses a folder from `beacon generate --scale medium`; otherwise one is generated (and timed: the
 * issue's "medium generation under 2 minutes"). Prints one JSON object on stdout; progress on stderr.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openPglite } from "../packages/core/src/db/client.ts";
import { migrate } from "../packages/core/src/db/migrate.ts";
import { generate } from "../packages/core/src/generate/generate.ts";
import { ingest } from "../packages/core/src/intake/ingest.ts";
import { literal, openDuck } from "../packages/core/src/lake/duckdb.ts";
import { csv, testCreditCode } from "../packages/core/src/testing/fixtures.ts";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    province: { type: "string" },
    seed: { type: "string", default: "7" },
    rows: { type: "string", default: "10000000" },
  },
});
if (values.only !== undefined && values.only !== "province" && values.only !== "uniform") {
  process.stderr.write(`--only must be province or uniform (got "${values.only}")\n`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "bench-intake-"));
const started = performance.now();
const log = (s: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${s}\n`);
const pseudonymKey = Buffer.from("benchmark-key-benchmark-key-0123456789");

try {
  const result: Record<string, unknown> = { benchmark: "intake", loadAverageAtStart: loadavg() };
  if (values.only !== "uniform") result.province = await provinceCase();
  if (values.only !== "province") result.uniform = await uniformCase(Number(values.rows));
  result.loadAverageAtEnd = loadavg();
  result.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  result.targets = { rowsPerSecond: 1_000_000, ratioToPeer: 2, peakRssMB: 4096, generationSeconds: 120 };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function provinceCase() {
  let source = values.province;
  let generation: { seconds: number; cpuSeconds: number } | undefined;
  if (!source) {
    source = join(work, "generated");
    log(`generating a medium province (seed ${values.seed})...`);
    const t = performance.now();
    const cpu = process.cpuUsage();
    await generate({ scale: "medium", seed: Number(values.seed), out: source });
    generation = { seconds: round((performance.now() - t) / 1000), cpuSeconds: cpuSeconds(cpu) };
    log(`  generated in ${generation.seconds} s`);
  }
  const registry = join(work, "registry");
  mkdirSync(registry);
  for (const f of ["institutions.csv", "licences.csv"]) cpSync(join(source, f), join(registry, f));
  const loans = join(source, "loans");
  const files = readdirSync(loans)
    .filter((f) => f.endsWith(".csv"))
    .map((f) => join(loans, f));
  return { ...(generation ? { generation } : {}), ...(await compare(files, registry, loans)) };
}

async function uniformCase(rows: number) {
  const province = join(work, "uniform");
  mkdirSync(join(province, "loans"), { recursive: true });
  const lenders = 50;
  const codes = Array.from({ length: lenders }, (_, i) => testCreditCode(i + 1));
  writeFileSync(
    join(province, "institutions.csv"),
    csv([
      [
        "code",
        "name_zh",
        "name_en",
        "type",
        "district",
        "bank_tier",
        "total_assets",
        "parent_code",
        "group_code",
        "status",
      ],
      ...codes.map((c, i) => [
        c,
        `测试银行${i}`,
        `Test Bank ${i}`,
        "bank",
        "渝中区",
        3,
        "100000000000.00",
        null,
        null,
        "active",
      ]),
    ]),
  );
  writeFileSync(
    join(province, "licences.csv"),
    csv([
      ["licence_no", "institution_code", "kind", "issued_on", "expires_on", "status"],
      ...codes.map((c, i) => [`B${i}`, c, "bank", "2001-01-01", null, "active"]),
    ]),
  );
  const loans = join(province, "loans", "2026-09.csv");
  log(`writing ${rows} uniform loan rows...`);
  const gen = await openDuck({ tempDir: join(work, "spill") });
  await gen.run(
    `CREATE TABLE lenders AS SELECT * FROM (VALUES ${codes.map((c, i) => `(${i}, '${c}')`).join(", ")}) t(li, code)`,
  );
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body =
    "('500103' || (1950 + i % 50)::VARCHAR || lpad((1 + i % 12)::VARCHAR, 2, '0') || lpad((1 + i % 28)::VARCHAR, 2, '0') || lpad((i % 997)::VARCHAR, 3, '0'))";
  const check = `substr('10X98765432', ((${w.map((x, k) => `((CAST(${body} AS BIGINT) // ${10n ** BigInt(16 - k)}) % 10) * ${x}`).join(" + ")}) % 11)::INT + 1, 1)`;
  await gen.run(`COPY (
    SELECT 'L' || i AS loan_id, l.code AS lender_code, '2026-09' AS period, 'individual' AS borrower_type, ${body} || ${check} AS borrower_id,
      NULL AS borrower_code, '120000.00' AS borrower_annual_income, (10000 + i % 500000)::VARCHAR || '.00' AS principal,
      (5000 + i % 5000)::VARCHAR || '.50' AS outstanding, '2025-10-15' AS origination_date, '2027-10-15' AS maturity_date,
      '0.0435' AS nominal_rate, '0.00' AS upfront_fee, '0.00' AS periodic_fee, '0.00' AS other_fees, 'equal_instalment' AS repayment_method,
      '24' AS term_months, NULL AS joint_partner_code, NULL AS partner_share, 'normal' AS classification, 'K' AS industry,
      'false' AS real_estate, 'false' AS mortgage, 'false' AS lgfv
    FROM range(${rows}) r(i) JOIN lenders l ON l.li = i % ${lenders}) TO ${literal(loans)} (HEADER, DELIMITER ',')`);
  gen.close();
  const registry = join(work, "uniform-registry");
  mkdirSync(registry);
  for (const f of ["institutions.csv", "licences.csv"]) cpSync(join(province, f), join(registry, f));
  return compare([loans], registry, join(province, "loans"));
}

/**
 * DuckDB's own copies of `files` to Parquet, before and after Beacon's intake of `loans` on a store holding
 * `registry` (a virtual machine's speed drifts; each peer's faster run counts, which is the stricter comparison).
 * Two forms: DuckDB's default read_csv, which detects and parses column types (the faster), and an all-VARCHAR
 * copy, which keeps every value's text as a validating reader does.
 */
async function compare(files: string[], registry: string, loans: string) {
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const before = await peers(files, bytes);

  const dataDir = join(work, `data-${Date.now()}`);
  const db = await openPglite(join(dataDir, "pg"));
  await migrate(db);
  const ctx = { db, dataDir, pseudonymKey };
  const reg = await ingest(ctx, registry);
  if (reg.status !== "accepted") throw new Error(`registry intake ${reg.status}`);
  const rows = Number(before.rows);
  log(`Beacon intake of ${rows} loan rows...`);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const report = await ingest(ctx, loans, { log });
  const seconds = (performance.now() - t) / 1000;
  const beaconCpu = cpuSeconds(cpu);
  await db.close();
  if (report.status !== "accepted")
    throw new Error(`intake ${report.status}: ${JSON.stringify(report.problems.slice(0, 3))}`);
  const lakeBytes = du(join(dataDir, "lake"));
  rmSync(dataDir, { recursive: true, force: true });

  const after = await peers(files, bytes);
  const peer = (form: "typed" | "text") => {
    const runs = [before[form], after[form]];
    const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    return {
      ...best,
      rowsPerSecond: Math.round(rows / best.seconds),
      runsSeconds: runs.map((r) => r.seconds),
      ratio: round(seconds / best.seconds),
      cpuRatio: round(beaconCpu / best.cpuSeconds),
    };
  };
  const typed = peer("typed");
  const text = peer("text");
  return {
    rows,
    files: files.length,
    csvBytes: bytes,
    beacon: {
      seconds: round(seconds),
      cpuSeconds: beaconCpu,
      rowsPerSecond: Math.round(rows / seconds),
      lakeMB: Math.round(lakeBytes / 1e6),
    },
    peer: typed,
    peerAllVarchar: text,
    // The target compares with the faster peer, DuckDB's default read_csv.
    ratioToPeer: typed.ratio,
    // CPU time (this process and DuckDB's threads) is what a contended machine distorts least.
    cpuRatioToPeer: typed.cpuRatio,
    loadAverage: loadavg()[0],
  };
}

/** Both forms of DuckDB's own copy, timed. */
async function peers(files: string[], bytes: number) {
  const list = `[${files.map(literal).join(", ")}]`;
  const forms = {
    typed: `read_csv(${list}, header = true)`,
    text: `read_csv(${list}, header = true, all_varchar = true)`,
  };
  const out: Record<string, { name: string; seconds: number; cpuSeconds: number; parquetMB: number }> = {};
  let rows = 0n;
  for (const [form, source] of Object.entries(forms)) {
    log(
      `peer: DuckDB ${source.replace(list, `${files.length} file(s), ${(bytes / 1e9).toFixed(2)} GB`)} -> Parquet...`,
    );
    const duck = await openDuck({ tempDir: join(work, "spill") });
    const target = join(work, "peer.parquet");
    const t = performance.now();
    const cpu = process.cpuUsage();
    await duck.run(`COPY (SELECT * FROM ${source}) TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd)`);
    out[form] = {
      name: `DuckDB ${form === "typed" ? "read_csv" : "read_csv(all_varchar)"} -> Parquet (COPY)`,
      seconds: round((performance.now() - t) / 1000),
      cpuSeconds: cpuSeconds(cpu),
      parquetMB: Math.round(statSync(target).size / 1e6),
    };
    const [count] = await duck.all<{ n: bigint }>(
      `SELECT count(*) AS n FROM read_parquet(${literal(target)})`,
    );
    rows = count!.n;
    duck.close();
    rmSync(target);
  }
  return { typed: out.typed!, text: out.text!, rows };
}

function du(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  return n;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return round((u.user + u.system) / 1e6);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
