import { join } from "node:path";
import type { Dataset } from "../contract/datasets.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type Duck, ident, lakeDir, literal } from "../lake/duckdb.ts";
import { typedSql } from "./checks.ts";
import { lakeKeyColumn } from "./land.ts";
import type { Problem } from "./report.ts";
import { duplicateKeyProblem, type StagedFile, stagedRows } from "./validate.ts";

/**
 * The stored rows an intake's event keys must not repeat: the current submissions of the intake's reporters for
 * other periods. An event's id (a sale, a claim) is unique for its reporter across periods, so its key leaves
 * `period` out (see Dataset.primaryKey); a snapshot's key has it, and a snapshot needs no look back.
 */
export interface StoredKeys {
  /** Lake files holding those submissions' rows. */
  paths: string[];
  /** DuckDB table of those submissions: lake_key, period, batch. */
  table: string;
}

/**
 * Finds the stored submissions to compare with, or null when there are none. The submissions this intake supersedes
 * (same reporter and period) do not count: their rows are replaced, so a resubmission, changed or identical, is
 * checked against the other periods only.
 */
export async function storedKeysFor(
  db: Sql,
  duck: Duck,
  dataDir: string,
  dataset: Dataset,
  groups: { institution: string; period: string }[],
): Promise<StoredKeys | null> {
  if (!dataset.reporter || dataset.primaryKey.includes("period") || groups.length === 0) return null;
  const superseded = new Set(groups.map((g) => `${g.institution} ${g.period}`));
  const subs = (
    await db.query<{ institution_code: string; lake_key: string; period: string; batch_id: string }>(
      `select institution_code, lake_key::text, period, batch_id::text from submissions
       where dataset = $1 and superseded_at is null and lake_key is not null and institution_code = any($2::text[])`,
      [dataset.name, [...new Set(groups.map((g) => g.institution))]],
    )
  ).filter((s) => !superseded.has(`${s.institution_code} ${s.period}`));
  if (subs.length === 0) return null;
  const batchPeriods = [...new Set(subs.map((s) => `${s.batch_id} ${s.period}`))].map((bp) => bp.split(" "));
  const files = await db.query<{ path: string }>(
    "select distinct path from lake_files where dataset = $1 and (batch_id, period) in (select * from unnest($2::bigint[], $3::text[])) order by path",
    [dataset.name, batchPeriods.map((bp) => bp[0]), batchPeriods.map((bp) => bp[1])],
  );
  if (files.length === 0) return null;
  const table = `stored_${dataset.name}`;
  // Thousands of submissions: three parameters split in DuckDB cost less than as many literal rows.
  await duck.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT CAST(unnest(string_split($1, ',')) AS BIGINT) AS lake_key,
       unnest(string_split($2, ',')) AS period, CAST(unnest(string_split($3, ',')) AS BIGINT) AS batch`,
    [
      subs.map((s) => s.lake_key).join(","),
      subs.map((s) => s.period).join(","),
      subs.map((s) => s.batch_id).join(","),
    ],
  );
  return { paths: files.map((f) => join(lakeDir(dataDir), f.path)), table };
}

/**
 * What the stored-key check of an event dataset compared with: the current submissions of the intake's reporters.
 * The store re-reads them under a lock (`assertCheckedStillCurrent`), so that two intakes of one reporter running at
 * once cannot both pass the check and store the same event id for two periods.
 */
export interface CheckedSubmissions {
  dataset: string;
  institutions: string[];
  /** Ids of those current submissions, in order. */
  ids: string;
}

export async function checkedSubmissions(
  db: Sql,
  dataset: Dataset,
  groups: { institution: string }[],
): Promise<CheckedSubmissions | null> {
  if (!dataset.reporter || dataset.primaryKey.includes("period") || groups.length === 0) return null;
  const institutions = [...new Set(groups.map((g) => g.institution))].sort();
  return { dataset: dataset.name, institutions, ids: await currentIds(db, dataset.name, institutions) };
}

/**
 * Inside the store's transaction: waits for any other intake storing the same datasets, then refuses if the checked
 * submissions changed meanwhile (another intake of those reporters committed). Datasets lock in name order, so two
 * intakes that wait for each other's locks cannot deadlock.
 */
export async function assertCheckedStillCurrent(tx: Sql, checked: CheckedSubmissions[]): Promise<void> {
  for (const c of [...checked].sort((a, b) => a.dataset.localeCompare(b.dataset))) {
    await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`beacon.intake.${c.dataset}`]);
    if ((await currentIds(tx, c.dataset, c.institutions)) !== c.ids) {
      throw new AppError(
        "CONFLICT",
        `${c.dataset}: another intake stored data of the same institutions while this one was being checked; submit again`,
      );
    }
  }
}

async function currentIds(db: Sql, dataset: string, institutions: string[]): Promise<string> {
  const [row] = await db.query<{ ids: string }>(
    `select coalesce(string_agg(id::text, ',' order by id), '') as ids from submissions
     where dataset = $1 and superseded_at is null and institution_code = any($2::text[])`,
    [dataset, institutions],
  );
  return row?.ids ?? "";
}

function storedRows(stored: StoredKeys): string {
  return `read_parquet([${stored.paths.map(literal).join(", ")}])`;
}

/**
 * Counts landed rows whose key hash is among the stored keys' hashes: one hash join over the key columns only. A
 * non-zero count is confirmed exactly by findStoredDuplicates, so a hash collision never rejects good data.
 */
export async function suspectedStoredDuplicates(
  duck: Duck,
  dataset: Dataset,
  landedPaths: string[],
  stored: StoredKeys,
): Promise<number> {
  const pk = dataset.primaryKey.map(ident).join(", ");
  // Semi joins on hashes (the stored side filtered to the submissions by lake key first) plan as plain hash joins,
  // about twice as fast here as the same filters written with IN.
  const [row] = await duck.all<{ n: bigint }>(
    `SELECT count(*) AS n FROM (SELECT hash(${pk}) AS h FROM read_parquet([${landedPaths.map(literal).join(", ")}])) l
     SEMI JOIN (SELECT hash(${pk}) AS h FROM ${storedRows(stored)} f
                SEMI JOIN ${stored.table} b ON f.${lakeKeyColumn} = b.lake_key) s ON l.h = s.h`,
  );
  return Number(row?.n ?? 0);
}

/**
 * The staged rows whose key, as stored (typed, identifiers normalised, personal identifiers hashed), is held by a
 * stored submission of another period: each is a problem naming that submission's period and batch.
 */
export async function findStoredDuplicates(
  duck: Duck,
  dataset: Dataset,
  staged: StagedFile[],
  stored: StoredKeys,
  hmac: (expr: string) => string,
): Promise<{ problems: Problem[]; count: number }> {
  const columns = new Map(dataset.columns.map((c) => [c.name, c]));
  const keyColumns = dataset.primaryKey.map((k) => columns.get(k)!);
  // k: the key as stored, to compare; v: as written but normalised, to show (masked where personal).
  const select = keyColumns
    .flatMap((c, j) => [
      `${typedSql(c, hmac)} AS k${j}`,
      `CAST(${typedSql(c, (id) => id)} AS VARCHAR) AS v${j}`,
    ])
    .join(", ");
  const union = stagedRows(staged, select);
  const storedKey = keyColumns.map((c, j) => `${ident(c.name)} AS k${j}`).join(", ");
  const on = keyColumns.map((_, j) => `u.k${j} = s.k${j}`).join(" AND ");
  const rows = await duck.all<Record<string, unknown>>(
    `WITH u AS (${union}),
     s AS (SELECT ${storedKey}, b.period AS sp, b.batch AS sb FROM ${storedRows(stored)} f
           JOIN ${stored.table} b ON f.${lakeKeyColumn} = b.lake_key),
     m AS (SELECT u.*, s.sp, s.sb FROM u JOIN s ON ${on}
           QUALIFY row_number() OVER (PARTITION BY u.f, u.r ORDER BY s.sp, s.sb) = 1)
     SELECT *, count(*) OVER () AS total FROM m ORDER BY f, r LIMIT 50`,
  );
  const problems = rows.map((row) =>
    duplicateKeyProblem(
      staged[Number(row.f)]!,
      row.r,
      keyColumns,
      keyColumns.map((_, j) => row[`v${j}`] as string | null),
      `duplicates the key already stored in the ${row.sp} submission (batch ${row.sb}); an event is reported in one period only`,
    ),
  );
  return { problems, count: Number(rows[0]?.total ?? 0) };
}
