import { createHash, randomUUID } from "node:crypto";
import { createReadStream, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { appendAudit } from "../audit/append-audit.ts";
import type { Column } from "../contract/columns.ts";
import type { Dataset } from "../contract/datasets.ts";
import {
  type InstitutionType,
  institutionTypes,
  unlicensedReporterTypes,
} from "../contract/institution-types.ts";
import type { Db, Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type Duck, ident, lakeDir, lakeParquet, literal, openDuck } from "../lake/duckdb.ts";
import { intakeExtension } from "../lake/intake-extension.ts";
import { type CheckTables, typedSql, valueSql } from "./checks.ts";
import { type Landed, type LandedGroup, landedGroups, landFile } from "./land.ts";
import { hmacSql } from "./pseudonymise.ts";
import type { Problem, ValidationReport } from "./report.ts";
import { returnsProblems } from "./returns.ts";
import { discoverSources, type SourceFile } from "./sources.ts";
import { rowOffset, stageFile } from "./stage.ts";
import {
  assertCheckedStillCurrent,
  type CheckedSubmissions,
  checkedSubmissions,
  findStoredDuplicates,
  storedKeysFor,
  suspectedStoredDuplicates,
} from "./stored-keys.ts";
import { findDuplicates, insertRows, validateStaged } from "./validate.ts";

export interface IngestOptions {
  dataset?: string;
  submittedBy?: string;
  /**
   * When set, the only institutions whose rows this intake may carry: an institution's user or token submits its own
   * data and no registry data.
   */
  allowedReporters?: string[];
  /** Problems listed in the report; the rest are counted. */
  maxProblems?: number;
  log?: (line: string) => void;
  /** Shown name of the source (an upload's original file name); defaults to the path. */
  sourceName?: string;
}

export interface IngestContext {
  db: Db;
  dataDir: string;
  pseudonymKey: Buffer;
}

/** A file of the intake after reading: staged as a DuckDB table (registry, returns) or landed as Parquet (granular). */
interface ReadFile extends SourceFile {
  key: string;
  rows: number;
  encoding?: string;
  offset: number;
  ok: boolean;
  landed?: Landed;
}

interface Group {
  institution: string;
  period: string;
  rows: number;
  hash: string;
}

/**
 * Validates every file under `path` against the data contract and stores all of them atomically, or none.
 * Personal identifiers are replaced by keyed hashes before anything is written. A resubmission for the same
 * institution, dataset and period supersedes the earlier one; identical content changes nothing.
 */
export async function ingest(
  ctx: IngestContext,
  path: string,
  options: IngestOptions = {},
): Promise<ValidationReport> {
  const log = options.log ?? (() => {});
  const maxProblems = options.maxProblems ?? 100;
  const { files, skipped } = discoverSources(path, options.dataset);
  const intakeId = randomUUID();
  const workDir = join(ctx.dataDir, "tmp", intakeId);
  mkdirSync(workDir, { recursive: true });
  const duck = await openDuck({ tempDir: join(workDir, "spill"), memoryLimit: "3GB", intakeExtension: true });
  const hmac = hmacSql(ctx.pseudonymKey, duck.intakeExtension);
  const extension = intakeExtension();
  if ("unavailable" in extension) {
    log(
      `beacon_intake extension ${extension.unavailable}: checking and hashing in SQL (same results, slower)`,
    );
  }
  try {
    await loadRegistry(ctx.db, duck);
    if (options.allowedReporters) {
      await duck.run("CREATE TABLE reg_allowed (code VARCHAR)");
      await insertRows(
        duck,
        "reg_allowed",
        options.allowedReporters.map((c) => [c.trim().toUpperCase()]),
      );
    }
    const read: ReadFile[] = [];
    const problems: Problem[] = [];
    const counts: Record<string, number> = {};
    const add = (p: Problem[], c: Record<string, number>) => {
      problems.push(...p);
      for (const [k, v] of Object.entries(c)) counts[k] = (counts[k] ?? 0) + v;
    };
    const tablesOf = async (dataset: Dataset): Promise<CheckTables> => ({
      registry: "reg_institutions",
      reporters: dataset.reporter ? await reportersTable(duck, dataset) : "reg_institutions",
      ...(options.allowedReporters ? { allowed: "reg_allowed" } : {}),
    });
    for (const [i, file] of files.entries()) {
      log(`[${i + 1}/${files.length}] reading ${file.name} (${file.dataset.name})`);
      const key = `file_${i}`;
      const entry: ReadFile = { ...file, key, rows: 0, offset: rowOffset(file.format), ok: false };
      read.push(entry);
      if (options.allowedReporters && !file.dataset.reporter) {
        add(
          [
            {
              file: file.name,
              row: null,
              column: null,
              value: null,
              rule: "not_permitted",
              message: `${file.dataset.name} is registry data, which only supervisors submit`,
            },
          ],
          { not_permitted: 1 },
        );
        continue;
      }
      const tables = await tablesOf(file.dataset);
      if (file.dataset.kind === "granular") {
        const landed = await landFile(duck, file, { workDir, key, tables, hmac, intakeId });
        log(`  ${landed.rows} rows checked and landed`);
        Object.assign(entry, {
          rows: landed.rows,
          landed,
          ok: landed.problems.length === 0 && landed.invalid === 0,
        });
        if (landed.encoding) entry.encoding = landed.encoding;
        add(landed.problems, tally(landed.problems));
        if (landed.invalid > 0) {
          // Something failed: read the file again, row by row, to say where and why.
          const v = await detailedProblems(duck, entry, tables, workDir);
          if (v.problems.length === 0) {
            throw new AppError(
              "INTERNAL",
              `${file.name}: rows failed a check that the detailed pass did not find`,
            );
          }
          add(v.problems, v.counts);
        }
        continue;
      }
      const s = await stageFile(duck, file, key, workDir);
      add(s.problems, tally(s.problems));
      Object.assign(entry, { rows: s.rows, ok: s.problems.length === 0 });
      if (s.encoding) entry.encoding = s.encoding;
      if (!entry.ok) continue;
      const v = await validateStaged(duck, {
        table: key,
        file: file.name,
        dataset: file.dataset,
        ...(file.period ? { period: file.period } : {}),
        rowOffset: entry.offset,
        ...tables,
      });
      add(v.problems, v.counts);
      if (file.dataset.name === "institutions") await addStagedInstitutions(duck, key);
      if (file.dataset.name === "licences") await addStagedLicences(duck, key);
    }
    const landedGroupsOf = new Map<Dataset, LandedGroup[]>();
    const checked: CheckedSubmissions[] = [];
    for (const dataset of uniqueDatasets(read)) {
      // Every dataset's good files are checked for duplicates, even when other files failed, so that the report
      // lists all the problems at once.
      const ofDataset = read.filter((s) => s.dataset === dataset && s.ok);
      const tables = ofDataset.map((s) => ({ table: s.key, file: s.name, rowOffset: s.offset }));
      if (dataset.kind === "granular") {
        if (ofDataset.length === 0) continue;
        const paths = ofDataset.map((s) => s.landed!.path);
        const landed = await landedGroups(duck, dataset, paths);
        landedGroupsOf.set(dataset, landed.groups);
        log(`  ${dataset.name}: ${landed.groups.length} submission(s) in ${ofDataset.length} file(s)`);
        // What the stored-key check compares with, read first: the store makes sure it is still current.
        const seen = await checkedSubmissions(ctx.db, dataset, landed.groups);
        if (seen) checked.push(seen);
        // Fast counts by key hash first; the files are read again for the exact check only if one says so.
        const stored = await storedKeysFor(ctx.db, duck, ctx.dataDir, dataset, landed.groups);
        const suspectedStored = stored ? await suspectedStoredDuplicates(duck, dataset, paths, stored) : 0;
        if (landed.suspectedDuplicates === 0 && suspectedStored === 0) continue;
        for (const s of ofDataset) await stageFile(duck, s, s.key, workDir);
        if (suspectedStored > 0) {
          const d = await findStoredDuplicates(duck, dataset, tables, stored!, hmac);
          if (d.count > 0) add(d.problems, { duplicate: d.count });
        }
        if (landed.suspectedDuplicates === 0) continue;
      }
      const d = await findDuplicates(duck, dataset, tables);
      if (d.count > 0) add(d.problems, { duplicate: d.count });
      // Sums across items mean something only over rows that passed their own checks: the returns files' problems
      // come first, whatever the other datasets of the intake hold.
      const ownFiles = new Set(read.filter((s) => s.dataset === dataset).map((s) => s.name));
      if (dataset.name === "returns" && !problems.some((p) => ownFiles.has(p.file))) {
        const r = await returnsProblems(duck, tables);
        add(r.problems, r.counts);
      }
    }
    const fileInfo = read.map((s) => ({
      file: s.name,
      dataset: s.dataset.name,
      format: s.format,
      rows: s.rows,
      ...(s.encoding ? { encoding: s.encoding } : {}),
    }));
    const problemCount = Object.values(counts).reduce((a, b) => a + b, 0);
    if (problemCount > 0) {
      const report: ValidationReport = {
        status: "rejected",
        files: fileInfo,
        skipped,
        problems: problems.slice(0, maxProblems),
        problemCount,
        moreProblems: Math.max(0, problemCount - Math.min(problems.length, maxProblems)),
        countsByRule: counts,
        submissions: [],
        batchId: null,
      };
      await saveReport(ctx.db, options.sourceName ?? path, report);
      return report;
    }
    log("validated; storing");
    const report = await store(
      ctx,
      duck,
      read,
      landedGroupsOf,
      checked,
      { ...options, sourceName: options.sourceName ?? path },
      log,
    );
    report.skipped = skipped;
    report.files = fileInfo;
    await saveReport(ctx.db, options.sourceName ?? path, report);
    return report;
  } finally {
    duck.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Stages a landed file that failed and runs each check on its own, for the report's rows, columns and values. */
async function detailedProblems(
  duck: Duck,
  file: ReadFile,
  tables: CheckTables,
  workDir: string,
): Promise<{ problems: Problem[]; counts: Record<string, number> }> {
  const s = await stageFile(duck, file, file.key, workDir);
  if (s.problems.length > 0) return { problems: s.problems, counts: tally(s.problems) };
  return validateStaged(duck, {
    table: file.key,
    file: file.name,
    dataset: file.dataset,
    ...(file.period ? { period: file.period } : {}),
    rowOffset: file.offset,
    ...tables,
  });
}

function tally(problems: Problem[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const p of problems) c[p.rule] = (c[p.rule] ?? 0) + 1;
  return c;
}

function uniqueDatasets(read: ReadFile[]): Dataset[] {
  return [...new Set(read.map((s) => s.dataset))];
}

async function saveReport(db: Db, source: string, report: ValidationReport): Promise<void> {
  await db.query(
    "insert into intake_reports (source_name, dataset, status, batch_id, error_count, report) values ($1, $2, $3, $4, $5, $6)",
    [
      source,
      [...new Set(report.files.map((f) => f.dataset))].join(",") || null,
      report.status,
      report.batchId,
      report.problemCount,
      JSON.stringify(report),
    ],
  );
}

async function loadRegistry(db: Db, duck: Duck): Promise<void> {
  const inst = await db.query<{ code: string; type: string }>(
    "select trim(code) as code, type from institutions",
  );
  const lic = await db.query<{
    institution_code: string;
    kind: string;
    issued_on: string;
    valid_to: string | null;
  }>(
    `select trim(institution_code) as institution_code, kind, issued_on::text as issued_on, ${licenceValidTo("")}::text as valid_to from licences`,
  );
  await duck.run("CREATE TABLE reg_institutions (code VARCHAR, type VARCHAR)");
  await insertRows(
    duck,
    "reg_institutions",
    inst.map((r) => [r.code, r.type]),
  );
  await duck.run(
    "CREATE TABLE reg_licences (institution_code VARCHAR, kind VARCHAR, valid_from VARCHAR, valid_to VARCHAR)",
  );
  await insertRows(
    duck,
    "reg_licences",
    lic.map((r) => [r.institution_code, r.kind, r.issued_on, r.valid_to ?? "9999-12-31"]),
  );
  // First and last day of a period (YYYY-MM or YYYY-Qn), for licence windows.
  await duck.run(`CREATE MACRO period_start(p) AS CASE WHEN p LIKE '%-Q%'
      THEN make_date(TRY_CAST(substr(p, 1, 4) AS INT), (TRY_CAST(substr(p, 7, 1) AS INT) - 1) * 3 + 1, 1)
      ELSE make_date(TRY_CAST(substr(p, 1, 4) AS INT), TRY_CAST(substr(p, 6, 2) AS INT), 1) END`);
  await duck.run(
    "CREATE MACRO period_end(p) AS last_day(period_start(p) + CASE WHEN p LIKE '%-Q%' THEN INTERVAL 2 MONTH ELSE INTERVAL 0 MONTH END)",
  );
}

/**
 * The last day a licence covered (SQL, for PostgreSQL and DuckDB alike): its expiry, or the day before a revocation,
 * suspension or expiry took effect. A licence that is not active and gives no date never covers anything.
 */
function licenceValidTo(prefix: string): string {
  return `(case when ${prefix}status = 'active' then ${prefix}expires_on
    when ${prefix}status_since is null then ${prefix}issued_on - 1
    else least(coalesce(${prefix}expires_on, ${prefix}status_since - 1), ${prefix}status_since - 1) end)`;
}

/** Institutions in this intake may be referenced by its later files; so may their licences. */
async function addStagedInstitutions(duck: Duck, table: string): Promise<void> {
  await duck.run(
    `INSERT INTO reg_institutions SELECT upper(${valueSql("code")}), ${valueSql("type")} FROM ${table}`,
  );
}

async function addStagedLicences(duck: Duck, table: string): Promise<void> {
  await duck.run(
    `INSERT INTO reg_licences SELECT institution_code, kind, CAST(issued_on AS VARCHAR), coalesce(CAST(valid_to AS VARCHAR), '9999-12-31') FROM (
       SELECT upper(${valueSql("institution_code")}) AS institution_code, ${valueSql("kind")} AS kind, status,
              TRY_CAST(issued_on AS DATE) AS issued_on, TRY_CAST(expires_on AS DATE) AS expires_on, TRY_CAST(status_since AS DATE) AS status_since
       FROM ${table}) t, LATERAL (SELECT ${licenceValidTo("t.")} AS valid_to)`,
  );
}

/**
 * The (institution, period) pairs allowed to submit this dataset: the institution's type reports it and one of its
 * licences of that type covered the period (a bank that failed in 2025 still reports its 2024 returns). Periods run
 * from 1990 to five years ahead; a row outside them has no licence covering it. Built once per dataset and intake,
 * after the intake's own registry files (which come first).
 */
async function reportersTable(duck: Duck, dataset: Dataset): Promise<string> {
  const name = `reg_reporters_${dataset.name}`;
  const types = dataset.reporterTypes.map(literal).join(", ");
  const unlicensed = unlicensedReporterTypes.map(literal).join(", ");
  const until = `${new Date().getUTCFullYear() + 6}-01-01`;
  await duck.run(
    `CREATE TABLE IF NOT EXISTS reg_periods AS
       SELECT strftime(d, '%Y-%m') AS period, CAST(d AS DATE) AS first_day, last_day(d) AS last_day
       FROM range(TIMESTAMP '1990-01-01', TIMESTAMP '${until}', INTERVAL 1 MONTH) t(d)
       UNION ALL
       SELECT strftime(d, '%Y') || '-Q' || quarter(d), CAST(d AS DATE), last_day(d + INTERVAL 2 MONTH)
       FROM range(TIMESTAMP '1990-01-01', TIMESTAMP '${until}', INTERVAL 3 MONTH) t(d)`,
  );
  await duck.run(
    `CREATE TABLE IF NOT EXISTS ${name} AS
     SELECT DISTINCT r.code, p.period FROM reg_institutions r
       JOIN reg_licences l ON l.institution_code = r.code AND l.kind = r.type
       JOIN reg_periods p ON CAST(l.valid_from AS DATE) <= p.last_day AND CAST(l.valid_to AS DATE) >= p.first_day
     WHERE r.type IN (${types})
     UNION
     SELECT r.code, p.period FROM reg_institutions r, reg_periods p WHERE r.type IN (${types}) AND r.type IN (${unlicensed})`,
  );
  return name;
}

async function store(
  ctx: IngestContext,
  duck: Duck,
  read: ReadFile[],
  landedGroupsOf: Map<Dataset, LandedGroup[]>,
  checked: CheckedSubmissions[],
  options: IngestOptions & { sourceName: string },
  log: (line: string) => void,
): Promise<ValidationReport> {
  const hmac = hmacSql(ctx.pseudonymKey, duck.intakeExtension);
  const incoming = join(lakeDir(ctx.dataDir), "_incoming");
  mkdirSync(incoming, { recursive: true });
  // Per dataset, its (institution, period) groups with content hashes: landed already for granular data, from a
  // typed table for the staged registry and returns.
  const prepared = new Map<Dataset, { table?: string; groups: (Group & Partial<LandedGroup>)[] }>();
  for (const dataset of uniqueDatasets(read)) {
    if (dataset.kind === "granular") {
      prepared.set(dataset, { groups: landedGroupsOf.get(dataset) ?? [] });
      continue;
    }
    const tables = read.filter((s) => s.dataset === dataset).map((s) => s.key);
    const table = `typed_${dataset.name}`;
    const select = [
      ...dataset.columns.map((c) => `${typedSql(c, hmac)} AS ${ident(c.name)}`),
      // A return's value is a decimal or, for a grade item, a grade: `value` is NULL then and `grade` holds it.
      ...(dataset.kind === "returns"
        ? [`CASE WHEN ${typedSql(valueColumn(dataset), hmac)} IS NULL THEN ${valueSql("value")} END AS grade`]
        : []),
    ].join(", ");
    await duck.run(
      `CREATE TABLE ${table} AS ${tables.map((t) => `SELECT ${select} FROM ${t}`).join(" UNION ALL ")}`,
    );
    for (const t of tables) await duck.run(`DROP TABLE ${t}`);
    prepared.set(dataset, { table, groups: dataset.reporter ? await groupHashes(duck, table, dataset) : [] });
  }
  const landedFile = new Map(read.filter((r) => r.landed).map((r) => [r.landed!.path, r]));
  const submissions: ValidationReport["submissions"] = [];
  const pending: { from: string; to: string }[] = [];
  const batchId = await ctx.db.transaction(async (tx) => {
    await assertCheckedStillCurrent(tx, checked);
    // One instant for the whole intake: its submissions all become current, and their predecessors stop, together.
    const [{ now }] = (await tx.query<{ now: string }>(
      "select date_trunc('milliseconds', clock_timestamp())::text as now",
    )) as [{ now: string }];
    let batch: number | null = null;
    const ensureBatch = async (dataset: string) => {
      if (batch !== null) return batch;
      const rows = read.reduce((s, f) => s + f.rows, 0);
      const [b] = await tx.query<{ id: string }>(
        "insert into batches (dataset, source_name, file_checksum, row_count, submitted_by) values ($1, $2, $3, $4, $5) returning id",
        [
          dataset,
          options.sourceName,
          [...prepared.values()]
            .flatMap((t) => t.groups.map((g) => g.hash))
            .join("|")
            .slice(0, 500),
          rows,
          options.submittedBy ?? null,
        ],
      );
      batch = Number(b!.id);
      return batch;
    };
    for (const [dataset, { table, groups }] of prepared) {
      if (dataset.kind === "registry") {
        const changedRows = await storeRegistry(tx, duck, dataset, table!);
        if (changedRows > 0) await ensureBatch(dataset.name);
        continue;
      }
      // Every group's current submission in one query, and the new ones in one insert: a dataset of a thousand
      // reporters took two round trips each.
      const key = (i: string, p: string) => `${i}\u0000${p}`;
      const currents = new Map(
        (
          await tx.query<{ id: string; institution_code: string; period: string; content_hash: string }>(
            `select s.id::text, s.institution_code, s.period, s.content_hash from submissions s
             join unnest($2::text[], $3::text[]) g(institution, period) on s.institution_code = g.institution and s.period = g.period
             where s.dataset = $1 and s.superseded_at is null`,
            [dataset.name, groups.map((g) => g.institution), groups.map((g) => g.period)],
          )
        ).map((c) => [key(c.institution_code, c.period), c]),
      );
      const changedGroups = groups.filter(
        (g) => currents.get(key(g.institution, g.period))?.content_hash !== g.hash,
      );
      const ids = new Map<string, number>();
      if (changedGroups.length > 0) {
        const b = await ensureBatch(dataset.name);
        const superseded = changedGroups.flatMap((g) => currents.get(key(g.institution, g.period))?.id ?? []);
        // The old versions stop being current at the instant the new ones start (the unique index allows one).
        await tx.query("update submissions set superseded_at = $1 where id = any($2::bigint[])", [
          now,
          superseded,
        ]);
        const inserted = await tx.query<{ id: string; institution_code: string; period: string }>(
          `insert into submissions (batch_id, institution_code, dataset, period, row_count, content_hash, received_at, lake_key)
           select $1, g.institution, $2, g.period, g.row_count, g.content_hash, $3, g.lake_key
           from unnest($4::text[], $5::text[], $6::bigint[], $7::text[], $8::bigint[]) g(institution, period, row_count, content_hash, lake_key)
           returning id::text, institution_code, period`,
          [
            b,
            dataset.name,
            now,
            changedGroups.map((g) => g.institution),
            changedGroups.map((g) => g.period),
            changedGroups.map((g) => String(g.rows)),
            changedGroups.map((g) => g.hash),
            changedGroups.map((g) => g.lakeKey ?? null),
          ],
        );
        for (const r of inserted) ids.set(key(r.institution_code, r.period), Number(r.id));
        const replaced = changedGroups.flatMap((g) => {
          const old = currents.get(key(g.institution, g.period));
          return old ? [[old.id, String(ids.get(key(g.institution, g.period)))]] : [];
        });
        await tx.query(
          "update submissions s set superseded_by = r.new_id from unnest($1::bigint[], $2::bigint[]) r(old_id, new_id) where s.id = r.old_id",
          [replaced.map((r) => r[0]), replaced.map((r) => r[1])],
        );
      }
      const changed: (Group & Partial<LandedGroup> & { id: number })[] = [];
      for (const g of groups) {
        const current = currents.get(key(g.institution, g.period));
        const id = ids.get(key(g.institution, g.period));
        submissions.push({
          institution: g.institution,
          dataset: dataset.name,
          period: g.period,
          rows: g.rows,
          status: id === undefined ? "unchanged" : current ? "superseding" : "new",
        });
        if (id !== undefined) changed.push({ ...g, id });
      }
      if (changed.length === 0) continue;
      const b = await ensureBatch(dataset.name);
      if (dataset.kind === "returns") {
        await duck.run(
          "CREATE OR REPLACE TABLE submap (institution VARCHAR, period VARCHAR, submission_id BIGINT)",
        );
        await insertRows(
          duck,
          "submap",
          changed.map((g) => [g.institution, g.period, String(g.id)]),
        );
        await storeFacts(tx, duck, table!);
        continue;
      }
      await checkLakeKeysUnused(tx, dataset, changed);
      // The landed files holding a new submission become lake files, one per period (a file with several is split).
      const files = [...new Set(changed.flatMap((g) => g.files ?? []))].sort();
      for (const path of files) {
        const landed = landedFile.get(path)!.landed!;
        for (const period of landed.periods) {
          log(`writing ${dataset.name} ${period} to the lake`);
          const file = await lakeFile(ctx, duck, dataset, landed, period, incoming);
          const rel = relative(lakeDir(ctx.dataDir), file.to);
          await tx.query(
            "insert into lake_files (batch_id, dataset, period, path, checksum, row_count, bytes) values ($1, $2, $3, $4, $5, $6, $7)",
            [b, dataset.name, period, rel, file.checksum, file.rows, file.bytes],
          );
          pending.push(file);
        }
      }
    }
    if (batch !== null) {
      // The intake is a state change like any other: it enters the tamper-evident log with what it changed.
      const changed = submissions.filter((s) => s.status !== "unchanged");
      await appendAudit(tx, {
        actor: options.submittedBy ?? "system",
        action: "intake.accepted",
        subjectKind: "batch",
        subjectId: batch,
        detail: {
          source: options.sourceName,
          rows: read.reduce((n, f) => n + f.rows, 0),
          submissions: changed.map((s) => `${s.dataset}/${s.institution}/${s.period}:${s.status}`),
          lakeFiles: pending.length,
        },
      });
    }
    // Files move into the lake last; the manifest rows that make them visible commit right after.
    for (const f of pending) {
      mkdirSync(join(f.to, ".."), { recursive: true });
      renameSync(f.from, f.to);
    }
    return batch;
  });
  const status = batchId === null ? "unchanged" : "accepted";
  return {
    status,
    files: [],
    skipped: [],
    problems: [],
    problemCount: 0,
    moreProblems: 0,
    countsByRule: {},
    submissions,
    batchId,
  };
}

/** A lake key names one group of one intake; a 63-bit hash colliding with a stored one is refused, never merged. */
async function checkLakeKeysUnused(tx: Sql, dataset: Dataset, groups: Partial<LandedGroup>[]): Promise<void> {
  const keys = groups.map((g) => g.lakeKey!);
  const [clash] = await tx.query<{ lake_key: string }>(
    "select lake_key::text from submissions where dataset = $1 and lake_key = any($2::bigint[]) and id <> all($3::bigint[]) limit 1",
    [dataset.name, keys, (groups as { id?: number }[]).map((g) => String(g.id))],
  );
  if (clash) {
    throw new AppError("CONFLICT", `${dataset.name}: lake key ${clash.lake_key} is taken; submit again`);
  }
}

/** The returns' value column (a decimal that may instead be a grade). */
function valueColumn(dataset: Dataset): Column {
  return dataset.columns.find((c) => c.name === "value")!;
}

async function groupHashes(duck: Duck, table: string, dataset: Dataset): Promise<Group[]> {
  const cols = dataset.columns.map((c) => ident(c.name)).join(", ");
  // A grade enters a return's hash only where there is one, so numeric facts hash as they did before grades.
  const rowHash =
    dataset.kind === "returns"
      ? `CASE WHEN grade IS NULL THEN hash(${cols}) ELSE hash(${cols}, grade) END`
      : `hash(${cols})`;
  const rows = await duck.all<{ institution: string; period: string; n: bigint; h: bigint }>(
    `SELECT ${ident(dataset.reporter!)} AS institution, period, count(*) AS n, sum(${rowHash})::HUGEINT AS h FROM ${table} GROUP BY ALL ORDER BY ALL`,
  );
  return rows.map((r) => ({
    institution: r.institution,
    period: r.period,
    rows: Number(r.n),
    hash: `${r.n}:${r.h}`,
  }));
}

/** Moves a landed file of one period into the incoming folder as it is, or writes the period's rows of it there. */
async function lakeFile(
  ctx: IngestContext,
  duck: Duck,
  dataset: Dataset,
  landed: Landed,
  period: string,
  incoming: string,
): Promise<{ from: string; to: string; checksum: string; rows: number; bytes: number }> {
  const id = randomUUID();
  const from = join(incoming, `${id}.parquet`);
  const to = join(lakeDir(ctx.dataDir), dataset.name, `period=${period}`, `${id}.parquet`);
  let rows = landed.rows;
  if (landed.periods.length === 1) renameSync(landed.path, from);
  else {
    await duck.run(
      `COPY (SELECT * FROM read_parquet(${literal(landed.path)}) WHERE period = ${literal(period)}) TO ${literal(from)} (${lakeParquet})`,
    );
    const [meta] = await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet(${literal(from)})`);
    rows = Number(meta?.n ?? 0);
  }
  return { from, to, checksum: await sha256File(from), rows, bytes: statSync(from).size };
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function storeFacts(tx: Sql, duck: Duck, table: string): Promise<void> {
  const rows = await duck.all<{
    s: bigint;
    i: string;
    p: string;
    item: string;
    v: string | null;
    g: string | null;
    u: string;
  }>(
    `SELECT s.submission_id AS s, t.institution_code AS i, t.period AS p, t.item, CAST(t.value AS VARCHAR) AS v, t.grade AS g, t.unit AS u FROM ${table} t JOIN submap s ON s.institution = t.institution_code AND s.period = t.period`,
  );
  for (let i = 0; i < rows.length; i += 20_000) {
    const chunk = rows.slice(i, i + 20_000);
    await tx.query(
      "insert into facts (submission_id, institution_code, period, item, value, grade, unit) select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[])",
      [
        chunk.map((r) => String(r.s)),
        chunk.map((r) => r.i),
        chunk.map((r) => r.p),
        chunk.map((r) => r.item),
        chunk.map((r) => r.v),
        chunk.map((r) => r.g),
        chunk.map((r) => r.u),
      ],
    );
  }
}

/** Upserts registry rows; returns how many rows were new or different (identical rows change nothing). */
async function storeRegistry(tx: Sql, duck: Duck, dataset: Dataset, table: string): Promise<number> {
  let changed = 0;
  if (dataset.name === "institutions") {
    const rows = await duck.all<Record<string, string | null>>(
      `SELECT code, name_zh, name_en, type, district, CAST(bank_tier AS VARCHAR) AS bank_tier, CAST(total_assets AS VARCHAR) AS total_assets, parent_code, group_code, status FROM ${table}`,
    );
    for (let i = 0; i < rows.length; i += 5000) {
      const c = rows.slice(i, i + 5000);
      changed += (
        await tx.query(
          `insert into institutions (code, name_zh, name_en, type, sector, district, bank_tier, total_assets, parent_code, group_code, status)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::numeric[], $9::text[], $10::text[], $11::text[])
         on conflict (code) do update set name_zh = excluded.name_zh, name_en = excluded.name_en, type = excluded.type, sector = excluded.sector,
           district = excluded.district, bank_tier = excluded.bank_tier, total_assets = excluded.total_assets, parent_code = excluded.parent_code,
           group_code = excluded.group_code, status = excluded.status
         where (institutions.name_zh, institutions.name_en, institutions.type, institutions.district, institutions.bank_tier,
                institutions.total_assets, institutions.parent_code, institutions.group_code, institutions.status)
           is distinct from (excluded.name_zh, excluded.name_en, excluded.type, excluded.district, excluded.bank_tier,
                excluded.total_assets, excluded.parent_code, excluded.group_code, excluded.status)
         returning 1`,
          [
            c.map((r) => r.code),
            c.map((r) => r.name_zh),
            c.map((r) => r.name_en),
            c.map((r) => r.type),
            c.map((r) => institutionTypes[r.type as InstitutionType].sector),
            c.map((r) => r.district),
            c.map((r) => r.bank_tier),
            c.map((r) => r.total_assets),
            c.map((r) => r.parent_code),
            c.map((r) => r.group_code),
            c.map((r) => r.status),
          ],
        )
      ).length;
    }
  } else if (dataset.name === "licences") {
    const rows = await duck.all<Record<string, string | null>>(
      `SELECT licence_no, institution_code, kind, CAST(issued_on AS VARCHAR) AS issued_on, CAST(expires_on AS VARCHAR) AS expires_on, status, CAST(status_since AS VARCHAR) AS status_since FROM ${table}`,
    );
    changed += (
      await tx.query(
        `insert into licences (licence_no, institution_code, kind, issued_on, expires_on, status, status_since)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::text[], $7::date[])
       on conflict (licence_no) do update set institution_code = excluded.institution_code, kind = excluded.kind,
         issued_on = excluded.issued_on, expires_on = excluded.expires_on, status = excluded.status, status_since = excluded.status_since
       where (licences.institution_code, licences.kind, licences.issued_on, licences.expires_on, licences.status, licences.status_since)
         is distinct from (excluded.institution_code, excluded.kind, excluded.issued_on, excluded.expires_on, excluded.status, excluded.status_since)
       returning 1`,
        [
          rows.map((r) => r.licence_no),
          rows.map((r) => r.institution_code),
          rows.map((r) => r.kind),
          rows.map((r) => r.issued_on),
          rows.map((r) => r.expires_on),
          rows.map((r) => r.status),
          rows.map((r) => r.status_since),
        ],
      )
    ).length;
  }
  return changed;
}
