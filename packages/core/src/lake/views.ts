import { join } from "node:path";
import type { Column } from "../contract/columns.ts";
import { findDataset } from "../contract/datasets.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { lakeKeyColumn } from "../intake/land.ts";
import { type Duck, ident, lakeDir, literal } from "./duckdb.ts";

export interface LakeSelection {
  /** Only these periods (default: all). */
  periods?: string[];
  /** The submissions current at this instant (default: now). */
  asOf?: string;
}

/** Parquet type of a contract column, as intake writes it. */
export function duckType(c: Column): string {
  const t = c.type;
  switch (t.kind) {
    case "decimal":
      return `DECIMAL(${t.precision ?? 18}, ${t.scale})`;
    case "integer":
      return "BIGINT";
    case "date":
      return "DATE";
    case "boolean":
      return "BOOLEAN";
    default:
      return "VARCHAR";
  }
}

/**
 * Creates (or replaces) a DuckDB view named after the dataset over exactly the rows of its current submissions
 * (or those current at `asOf`): the files come from the manifest, so a file whose intake never committed is never
 * read, and superseded rows are filtered by submission id. Returns the submission ids the view covers.
 */
export async function registerDatasetView(
  duck: Duck,
  db: Sql,
  dataDir: string,
  name: string,
  selection: LakeSelection = {},
): Promise<number[]> {
  const dataset = findDataset(name);
  if (dataset?.kind !== "granular")
    throw new AppError("INVALID_INPUT", `"${name}" is not a granular dataset`);
  const params: unknown[] = [name];
  let where = "s.dataset = $1";
  if (selection.asOf) {
    params.push(selection.asOf);
    where +=
      " and s.received_at <= $2::timestamptz and (s.superseded_at is null or s.superseded_at > $2::timestamptz)";
  } else where += " and s.superseded_at is null";
  if (selection.periods) {
    params.push(selection.periods);
    where += ` and s.period = any($${params.length}::text[])`;
  }
  const subs = await db.query<{ id: string; batch_id: string; period: string; lake_key: string }>(
    `select s.id::text, s.batch_id::text, s.period, s.lake_key::text from submissions s where ${where}`,
    params,
  );
  const files = subs.length
    ? await db.query<{ path: string }>(
        "select distinct path from lake_files where dataset = $1 and (batch_id, period) in (select * from unnest($2::bigint[], $3::text[]))",
        [name, subs.map((s) => s.batch_id), subs.map((s) => s.period)],
      )
    : [];
  const columns = dataset.columns.map((c) => `${ident(c.name)}`).join(", ");
  if (files.length === 0) {
    const empty = dataset.columns.map((c) => `CAST(NULL AS ${duckType(c)}) AS ${ident(c.name)}`).join(", ");
    await duck.run(`CREATE OR REPLACE VIEW ${ident(name)} AS SELECT ${empty} WHERE false`);
    return [];
  }
  const paths = files.map((f) => literal(join(lakeDir(dataDir), f.path))).join(", ");
  // A submission's rows are those of its batch's files carrying its lake key (see intake/land.ts).
  const keys = subs.map((s) => s.lake_key).join(", ");
  await duck.run(
    `CREATE OR REPLACE VIEW ${ident(name)} AS SELECT ${columns} FROM read_parquet([${paths}]) WHERE ${lakeKeyColumn} IN (${keys})`,
  );
  return subs.map((s) => Number(s.id));
}
