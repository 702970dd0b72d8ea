// Intake benchmark: 10M loan rows from CSV validated, pseudonymised and landed as Parquet, against DuckDB's own
// read_csv -> Parquet copy of the same file in the same run. Prints one JSON object.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { openPglite } from "../packages/core/src/db/client.ts";
import { migrate } from "../packages/core/src/db/migrate.ts";
import { ingest } from "../packages/core/src/intake/ingest.ts";
import { openDuck } from "../packages/core/src/lake/duckdb.ts";
import { csv, testCreditCode } from "../packages/core/src/testing/fixtures.ts";

const rows = Number(process.argv.find((a) => a.startsWith("--rows="))?.slice(7) ?? 10_000_000);
const lenders = 50;
const work = mkdtempSync(join(tmpdir(), "bench-intake-"));
const started = performance.now();
const log = (s: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${s}\n`);

try {
  const province = join(work, "province");
  mkdirSync(join(province, "loans"), { recursive: true });
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
  log(`writing ${rows} loan rows...`);
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
    FROM range(${rows}) r(i) JOIN lenders l ON l.li = i % ${lenders}) TO '${loans}' (HEADER, DELIMITER ',')`);
  const bytes = statSync(loans).size;

  log("baseline: DuckDB read_csv -> Parquet...");
  let t = performance.now();
  let cpu = process.cpuUsage();
  await gen.run(
    `COPY (SELECT * FROM read_csv('${loans}', header = true, all_varchar = true)) TO '${join(work, "baseline.parquet")}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  const baselineSeconds = (performance.now() - t) / 1000;
  const baselineCpu = cpuSeconds(cpu);
  gen.close();

  log("Beacon intake...");
  const dataDir = join(work, "data");
  const db = await openPglite(join(work, "pg"));
  await migrate(db);
  t = performance.now();
  cpu = process.cpuUsage();
  const report = await ingest(
    { db, dataDir, pseudonymKey: Buffer.from("benchmark-key-benchmark-key-0123456789") },
    province,
    { log },
  );
  const seconds = (performance.now() - t) / 1000;
  const beaconCpu = cpuSeconds(cpu);
  await db.close();
  if (report.status !== "accepted")
    throw new Error(`intake ${report.status}: ${JSON.stringify(report.problems.slice(0, 3))}`);
  const result = {
    benchmark: "intake",
    rows,
    csvBytes: bytes,
    beacon: { seconds: round(seconds), cpuSeconds: beaconCpu, rowsPerSecond: Math.round(rows / seconds) },
    peer: {
      name: "DuckDB read_csv -> Parquet (COPY)",
      seconds: round(baselineSeconds),
      cpuSeconds: baselineCpu,
      rowsPerSecond: Math.round(rows / baselineSeconds),
    },
    ratioToPeer: round(seconds / baselineSeconds),
    // CPU time (this process and DuckDB's threads) is what a contended machine distorts least.
    cpuRatioToPeer: round(beaconCpu / baselineCpu),
    loadAverage: loadavg()[0],
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    targets: { rowsPerSecond: 1_000_000, ratioToPeer: 2, peakRssMB: 4096 },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return round((u.user + u.system) / 1e6);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
