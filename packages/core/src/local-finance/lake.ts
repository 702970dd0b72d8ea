/**
 * The lake as the local-finance checks read it: one in-memory DuckDB with a view per dataset over the submissions
 * current at one instant, so a run can be repeated, and the submission ids behind each view for the run's record.
 */
import { join } from "node:path";
import type { DuckDBValue } from "@duckdb/node-api";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type Duck, openDuck } from "../lake/duckdb.ts";
import { registerDatasetView } from "../lake/views.ts";

const monthPattern = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

/** Throws INVALID_INPUT unless `period` is a month written YYYY-MM. */
export function assertMonth(period: string, what = "period"): void {
  if (!monthPattern.test(period))
    throw new AppError("INVALID_INPUT", `${what} must be a month written YYYY-MM (got "${period}")`);
}

/** The month `k` months after (negative: before) `period`. */
export function addMonths(period: string, k: number): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7)) - 1 + k;
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
}

/** The `n` months ending at `period`, oldest first. */
export function monthsEnding(period: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addMonths(period, i - n + 1));
}

/** First and last day of a month, YYYY-MM-DD. */
export function monthBounds(period: string): { start: string; end: string } {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { start: `${period}-01`, end };
}

/** Which periods of a dataset a view covers: one month, a window of months ending at it, or all up to it. */
export type ViewWindow = { kind: "period" } | { kind: "months"; count: number } | { kind: "up_to" };

export interface LocalFinanceLake {
  duck: Duck;
  /** View name -> submission ids behind it. */
  submissions: Record<string, number[]>;
  all<T>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  close(): void;
}

/** Opens DuckDB with one view per dataset, each over the submissions current at `asOf` (ISO instant). */
export async function openLocalFinanceLake(
  db: Sql,
  dataDir: string,
  period: string,
  views: Record<string, ViewWindow>,
  asOf: string,
): Promise<LocalFinanceLake> {
  assertMonth(period);
  const duck = await openDuck({ tempDir: join(dataDir, "tmp", `local-finance-${process.pid}`) });
  try {
    const submissions: Record<string, number[]> = {};
    for (const [name, window] of Object.entries(views)) {
      const periods =
        window.kind === "period"
          ? [period]
          : window.kind === "months"
            ? monthsEnding(period, window.count)
            : await periodsUpTo(db, name, period);
      submissions[name] = await registerDatasetView(duck, db, dataDir, name, { periods, asOf });
    }
    return { duck, submissions, all: (sql, params) => duck.all(sql, params), close: () => duck.close() };
  } catch (e) {
    duck.close();
    throw e;
  }
}

async function periodsUpTo(db: Sql, dataset: string, period: string): Promise<string[]> {
  const found = await db.query<{ period: string }>(
    "select distinct period from submissions where dataset = $1 and period <= $2 order by period",
    [dataset, period],
  );
  return found.length > 0 ? found.map((r) => r.period) : [period];
}

/** Loads rows into a new DuckDB table through the appender (values are text, numbers or null). */
export async function loadTable(
  duck: Duck,
  table: string,
  columns: Record<string, "VARCHAR" | "DOUBLE" | "INTEGER" | "BOOLEAN">,
  rows: readonly (readonly (string | number | boolean | null)[])[],
): Promise<void> {
  const names = Object.keys(columns);
  await duck.run(`CREATE OR REPLACE TABLE ${table} (${names.map((n) => `${n} ${columns[n]}`).join(", ")})`);
  const appender = await duck.connection.createAppender(table);
  const types = Object.values(columns);
  for (const row of rows) {
    for (let i = 0; i < types.length; i++) {
      const v = row[i];
      if (v === null || v === undefined) appender.appendNull();
      else if (types[i] === "DOUBLE") appender.appendDouble(Number(v));
      else if (types[i] === "INTEGER") appender.appendInteger(Number(v));
      else if (types[i] === "BOOLEAN") appender.appendBoolean(Boolean(v));
      else appender.appendVarchar(String(v));
    }
    appender.endRow();
  }
  appender.closeSync();
}

/** The instant a run reads as of: the given ISO date-time, or now. */
export async function runInstant(db: Sql, asOf: string | undefined): Promise<string> {
  if (asOf !== undefined) {
    if (Number.isNaN(Date.parse(asOf)))
      throw new AppError("INVALID_INPUT", `asOf "${asOf}" is not a date-time`);
    const [r] = await db.query<{ t: string }>("select to_json($1::timestamptz) #>> '{}' as t", [asOf]);
    return r!.t;
  }
  const [r] = await db.query<{ t: string }>("select to_json(clock_timestamp()) #>> '{}' as t");
  return r!.t;
}
