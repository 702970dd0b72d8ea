import type { Column } from "../contract/columns.ts";
import type { Dataset } from "../contract/datasets.ts";
import { type Duck, ident, lakeParquet, literal } from "../lake/duckdb.ts";
import { type CheckTables, parsedKinds, parsedSql, rowChecks, selfComputedRefs, typedSql } from "./checks.ts";
import type { Problem } from "./report.ts";
import type { SourceFile } from "./sources.ts";
import { openSource, readSource } from "./stage.ts";

/** Columns intake adds to every lake file besides the contract's. */
export const lakeKeyColumn = "_lake_key";
/** The hash of a row's stored values, for content hashes without reading every column back. */
const rowHashColumn = "_row_hash";
const invalidColumn = "_invalid";

/** A granular file read once: validated, typed, pseudonymised and written as Parquet in the intake's work folder. */
export interface Landed {
  path: string;
  rows: number;
  /** Rows failing any check: when above zero, nothing of the file may be stored and the report needs detail. */
  invalid: number;
  /** The periods of the valid rows. */
  periods: string[];
  encoding?: string;
  /** Header or structural problems; then nothing was landed. */
  problems: Problem[];
}

/**
 * Lands a granular file in one scan: every contract column parsed into its stored type, personal identifiers
 * replaced by their keyed hash, a flag for rows failing any check, and the row's lake key. The lake key identifies
 * the (reporter, period) group of this intake: a submission's rows are those of its files with its key, so the
 * Parquet written here is the lake file itself and no row is ever rewritten. The happy path pays for one read of the
 * source; the detailed report (which rows, which values) is built only when something failed.
 */
export async function landFile(
  duck: Duck,
  file: SourceFile,
  input: {
    workDir: string;
    key: string;
    tables: CheckTables;
    hmac: (expr: string) => string;
    intakeId: string;
  },
): Promise<Landed> {
  const path = `${input.workDir}/${input.key}.parquet`;
  const opened = await openSource(duck, file, input.workDir, input.key);
  if (opened.problems.length > 0) return emptyLanding(path, opened);
  const source = await readSource(duck, file, opened, input.workDir, input.key, (sql) =>
    duck.run(
      `COPY (${landingSelect(file, sql, input.tables, input.hmac, input.intakeId, duck.intakeExtension)}) TO ${literal(path)} (${lakeParquet})`,
    ),
  );
  if (source.problems.length > 0) return emptyLanding(path, source);
  const [stats] = await duck.all<{ n: bigint; bad: bigint; periods: string[] | null }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE ${invalidColumn}) AS bad,
       list(DISTINCT period ORDER BY period) FILTER (WHERE NOT ${invalidColumn}) AS periods
     FROM read_parquet(${literal(path)})`,
  );
  return {
    path,
    rows: Number(stats?.n ?? 0),
    invalid: Number(stats?.bad ?? 0),
    periods: stats?.periods ?? [],
    ...(source.encoding ? { encoding: source.encoding } : {}),
    problems: [],
  };
}

function emptyLanding(path: string, source: { encoding?: string; problems: Problem[] }): Landed {
  return {
    path,
    rows: 0,
    invalid: 0,
    periods: [],
    ...(source.encoding ? { encoding: source.encoding } : {}),
    problems: source.problems,
  };
}

/**
 * The landing query over a source relation: numbers and dates are parsed, and institution codes looked up, once per
 * row (inner query); the stored columns and the checks read those values.
 */
function landingSelect(
  file: SourceFile,
  source: string,
  tables: CheckTables,
  hmac: (expr: string) => string,
  intakeId: string,
  native: boolean,
): string {
  const dataset = file.dataset;
  const reporter = dataset.columns.find((c) => c.name === dataset.reporter);
  if (!reporter || !dataset.columns.some((c) => c.name === "period")) {
    throw new Error(`${dataset.name}: a granular dataset needs a reporter and a period column`);
  }
  const parsedColumns = dataset.columns.filter((c) => parsedKinds.has(c.type.kind));
  const institutionColumns = dataset.columns.filter((c) => c.references === "institution");
  const parsed = (c: Column) => ident(`__parsed_${c.name}`);
  const registered = (c: Column) => ident(`__registered_${c.name}`);
  const shared = selfComputedRefs(tables, native);
  const inner = [
    "*",
    ...parsedColumns.map((c) => `${parsedSql(c, native)} AS ${parsed(c)}`),
    ...institutionColumns.map((c) => `${shared.registered(c)} AS ${registered(c)}`),
  ].join(", ");
  const typed = dataset.columns.map((c) => `${typedSql(c, hmac, parsed)} AS ${ident(c.name)}`);
  // 63 bits of a 64-bit hash, unique per intake and group (checked against stored keys before anything commits).
  const key = `CAST(hash(${typedSql(reporter, hmac)}, ${ident("period")}, ${literal(intakeId)}) >> 1 AS BIGINT)`;
  // A check is NULL for a missing value. greatest() skips NULLs and is cheaper in DuckDB than a long OR chain, and
  // one coalesce around it cheaper than one per check.
  const checks = rowChecks(dataset, tables, file.period, native, { parsed, registered });
  const invalid = `coalesce(greatest(${checks.map((c) => c.violation).join(", ")}), false)`;
  // The row hash reads the stored values from the query below it, so that no typed value is computed twice.
  const stored = dataset.columns.map((c) => ident(c.name)).join(", ");
  return `SELECT *, hash(${stored}) AS ${rowHashColumn} FROM (
    SELECT ${[...typed, `${key} AS ${lakeKeyColumn}`, `${invalid} AS ${invalidColumn}`].join(", ")}
    FROM (SELECT ${inner} FROM (${source})))`;
}

/** One (reporter, period) group of the landed files of a dataset: a submission if its content is new. */
export interface LandedGroup {
  institution: string;
  period: string;
  rows: number;
  hash: string;
  lakeKey: string;
  /** The landed files holding its rows. */
  files: string[];
}

/**
 * Groups the landed rows per (reporter, period) with a content hash (row count and the sum of row hashes, the same
 * whatever the order or the file split), and counts primary-key duplicates by key hash. A non-zero count is checked
 * exactly by the detailed path, so a hash collision can never reject good data.
 */
export async function landedGroups(
  duck: Duck,
  dataset: Dataset,
  paths: string[],
): Promise<{ groups: LandedGroup[]; suspectedDuplicates: number }> {
  const files = `read_parquet([${paths.map(literal).join(", ")}], filename = true)`;
  const reporter = ident(dataset.reporter!);
  const rows = await duck.all<{ f: string; i: string; p: string; n: bigint; h: bigint; k: bigint }>(
    `SELECT filename AS f, ${reporter} AS i, period AS p, count(*) AS n, sum(${rowHashColumn})::HUGEINT AS h,
       min(${lakeKeyColumn}) AS k FROM ${files} GROUP BY ALL ORDER BY i, p, f`,
  );
  const byGroup = new Map<
    string,
    { i: string; p: string; n: bigint; h: bigint; k: bigint; files: string[] }
  >();
  for (const r of rows) {
    const id = `${r.i}\u0000${r.p}`;
    const g = byGroup.get(id) ?? { i: r.i, p: r.p, n: 0n, h: 0n, k: r.k, files: [] };
    g.n += BigInt(r.n);
    g.h += BigInt(r.h);
    g.files.push(r.f);
    byGroup.set(id, g);
  }
  const pk = dataset.primaryKey.map(ident).join(", ");
  const [dup] = await duck.all<{ d: bigint }>(
    `SELECT count(*) - count(DISTINCT hash(${pk})) AS d FROM ${files}`,
  );
  return {
    groups: [...byGroup.values()].map((g) => ({
      institution: g.i,
      period: g.p,
      rows: Number(g.n),
      hash: `${g.n}:${g.h}`,
      lakeKey: String(g.k),
      files: g.files,
    })),
    suspectedDuplicates: Number(dup?.d ?? 0),
  };
}
