import type { Column } from "../contract/columns.ts";
import type { Dataset } from "../contract/datasets.ts";
import { type Duck, ident, literal } from "../lake/duckdb.ts";
import { type CheckTables, rowChecks, typedSql } from "./checks.ts";
import type { Problem } from "./report.ts";

/** Problems listed per check; the rest are counted. */
const examplesPerCheck = 20;

/** Shows a personal identifier in a report without revealing it (reports are stored). */
export function maskValue(column: Column | undefined, value: string | null): string | null {
  if (value === null || column?.type.kind !== "personal_id") return value;
  if (value.length <= 4) return "*".repeat(value.length);
  return `${value.slice(0, 2)}${"*".repeat(value.length - 4)}${value.slice(-2)}`;
}

/** A dataset's staged files read as one relation: file index `f`, row `r` (its rowid) and the columns of `select`. */
export type StagedFile = { table: string; file: string; rowOffset: number };
export function stagedRows(staged: StagedFile[], select: string): string {
  return staged.map((s, i) => `SELECT ${i} AS f, rowid AS r, ${select} FROM ${s.table}`).join(" UNION ALL ");
}

/** A repeated key at a staged row: the key shown as column=value pairs, personal identifiers masked. */
export function duplicateKeyProblem(
  at: StagedFile,
  rowid: unknown,
  keyColumns: Column[],
  values: (string | null)[],
  message: string,
): Problem {
  return {
    file: at.file,
    row: Number(rowid) + at.rowOffset,
    column: keyColumns.map((c) => c.name).join("+"),
    value: keyColumns.map((c, j) => `${c.name}=${maskValue(c, values[j] ?? null)}`).join(", "),
    rule: "duplicate",
    message,
  };
}

/**
 * Runs every row check of the dataset over a staged table in one scan, then fetches example rows only for the
 * checks that failed. Returns the problems (capped per check) and the full count per rule.
 */
export async function validateStaged(
  duck: Duck,
  input: CheckTables & {
    table: string;
    file: string;
    dataset: Dataset;
    period?: string;
    rowOffset: number;
  },
): Promise<{ problems: Problem[]; counts: Record<string, number> }> {
  const { table, dataset } = input;
  const checks = rowChecks(dataset, input, input.period);
  const countSql = checks.map((c, i) => `count(*) FILTER (WHERE ${c.violation}) AS c${i}`).join(", ");
  const [totals] = await duck.all<Record<string, bigint>>(`SELECT ${countSql} FROM ${table}`);
  const problems: Problem[] = [];
  const counts: Record<string, number> = {};
  const columns = new Map(dataset.columns.map((c) => [c.name, c]));
  for (const [i, check] of checks.entries()) {
    const n = Number(totals?.[`c${i}`] ?? 0);
    if (n === 0) continue;
    counts[check.rule] = (counts[check.rule] ?? 0) + n;
    const rows = await duck.all<{ r: bigint; v: string | null }>(
      `SELECT rowid AS r, ${ident(check.column)} AS v FROM ${table} WHERE ${check.violation} ORDER BY rowid LIMIT ${examplesPerCheck}`,
    );
    for (const row of rows) {
      problems.push({
        file: input.file,
        row: Number(row.r) + input.rowOffset,
        column: check.column,
        value: maskValue(columns.get(check.column), row.v),
        rule: check.rule,
        message: check.message,
      });
    }
  }
  return { problems, counts };
}

/**
 * Primary-key duplicates across every staged file of one dataset in this intake (which covers duplicates within a
 * file). A snapshot's key includes its period, so the same loan in two periods' files is no duplicate (see
 * Dataset.primaryKey). The first occurrence is kept; each later one is a problem that names where the first is.
 */
export async function findDuplicates(
  duck: Duck,
  dataset: Dataset,
  staged: StagedFile[],
): Promise<{ problems: Problem[]; count: number }> {
  if (staged.length === 0 || dataset.primaryKey.length === 0) return { problems: [], count: 0 };
  const columns = new Map(dataset.columns.map((c) => [c.name, c]));
  const keyColumns = dataset.primaryKey.map((k) => columns.get(k)!);
  // Keys compare as stored, as the fast count over the landed rows does: typed, identifiers normalised (the keyed
  // hash left out, as it keeps distinct identifiers apart). "01" and "1", or customer refs "ab" and "AB", are one key.
  const key = keyColumns.map((c, j) => `CAST(${typedSql(c, (id) => id)} AS VARCHAR) AS k${j}`).join(", ");
  const union = stagedRows(staged, key);
  const keys = dataset.primaryKey.map((_, j) => `k${j}`).join(", ");
  // Fast path: one distinct count; the window query below runs only when some key repeats.
  const [quick] = await duck.all<{ d: bigint }>(
    `SELECT count(*) - count(DISTINCT (${keys})) AS d FROM (${union})`,
  );
  if (Number(quick?.d ?? 0) === 0) return { problems: [], count: 0 };
  const dupSql = `WITH u AS (${union}), d AS (
      SELECT f, r, ${keys}, row_number() OVER (PARTITION BY ${keys} ORDER BY f, r) AS n,
             first_value(f) OVER (PARTITION BY ${keys} ORDER BY f, r) AS ff,
             first_value(r) OVER (PARTITION BY ${keys} ORDER BY f, r) AS fr
      FROM u WHERE ${dataset.primaryKey.map((_, j) => `k${j} IS NOT NULL`).join(" AND ")})
    SELECT f, r, ff, fr, ${keys}, count(*) OVER () AS total FROM d WHERE n > 1 ORDER BY f, r LIMIT 50`;
  const rows = await duck.all<Record<string, unknown>>(dupSql);
  const total = Number(rows[0]?.total ?? 0);
  const problems = rows.map((row) => {
    const first = staged[Number(row.ff)]!;
    return duplicateKeyProblem(
      staged[Number(row.f)]!,
      row.r,
      keyColumns,
      keyColumns.map((_, j) => row[`k${j}`] as string | null),
      `duplicates the key already given at ${first.file} row ${Number(row.fr) + first.rowOffset}`,
    );
  });
  return { problems, count: total };
}

/** Inserts small string tables (registry-sized) with literal VALUES. */
export async function insertRows(duck: Duck, table: string, rows: string[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    if (chunk.length === 0) break;
    await duck.run(
      `INSERT INTO ${table} VALUES ${chunk.map((r) => `(${r.map(literal).join(", ")})`).join(", ")}`,
    );
  }
}
