/**
 * Test support: DuckDB tables shaped exactly like the lake views (same columns and types as the data contract), so
 * a detector's SQL runs in a test as it runs over the lake, on a handful of hand-written rows.
 */
import { findDataset } from "../contract/datasets.ts";
import { type Duck, ident, openDuck } from "../lake/duckdb.ts";
import { duckType } from "../lake/views.ts";
import { detectorContext } from "./lake.ts";
import type { DetectorContext, FindingDraft } from "./types.ts";

type Row = Record<string, unknown>;

function literal(type: string, v: unknown): string {
  if (v === null || v === undefined) return `CAST(NULL AS ${type})`;
  if (type === "VARCHAR") return `'${String(v).replaceAll("'", "''")}'`;
  if (type === "DATE") return `DATE '${String(v)}'`;
  if (type === "BOOLEAN") return v ? "true" : "false";
  return `CAST(${String(v)} AS ${type})`;
}

/** Creates a table named after the dataset with its contract columns, holding `rows` (absent columns are NULL). */
export async function datasetTable(
  duck: Duck,
  name: string,
  rows: readonly Row[],
  viewName = name,
): Promise<void> {
  const dataset = findDataset(name);
  if (!dataset) throw new Error(`no dataset ${name}`);
  const cols = dataset.columns.map((c) => ({ name: c.name, type: duckType(c) }));
  await duck.run(
    `CREATE OR REPLACE TABLE ${ident(viewName)} (${cols.map((c) => `${ident(c.name)} ${c.type}`).join(", ")})`,
  );
  for (const r of rows) {
    const unknown = Object.keys(r).filter((k) => !cols.some((c) => c.name === k));
    if (unknown.length > 0) throw new Error(`${name} has no column ${unknown.join(", ")}`);
    await duck.run(
      `INSERT INTO ${ident(viewName)} VALUES (${cols.map((c) => literal(c.type, r[c.name])).join(", ")})`,
    );
  }
}

export interface RegistryRow {
  code: string;
  type: string;
  bank_tier?: number;
}

/** A DuckDB with the given datasets, a registry and the LPR table (3.45% one-year unless given). */
export async function testLake(
  tables: Record<string, readonly Row[]>,
  registry: readonly RegistryRow[] = [],
  lpr: readonly { month: string; one_year: number }[] = [
    { month: "2019-08", one_year: 0.0425 },
    { month: "2025-05", one_year: 0.03 },
  ],
): Promise<Duck> {
  const duck = await openDuck();
  for (const [name, list] of Object.entries(tables)) await datasetTable(duck, name, list);
  await duck.run(
    "CREATE TABLE registry (code VARCHAR, type VARCHAR, bank_tier INTEGER, name_zh VARCHAR, name_en VARCHAR, district VARCHAR, status VARCHAR)",
  );
  for (const r of registry)
    await duck.run(
      `INSERT INTO registry VALUES ('${r.code}', '${r.type}', ${r.bank_tier ?? "NULL"}, 'x', 'x', 'x', 'active')`,
    );
  await duck.run("CREATE TABLE lpr (month VARCHAR, one_year DOUBLE, five_year DOUBLE)");
  for (const r of lpr)
    await duck.run(`INSERT INTO lpr VALUES ('${r.month}', ${r.one_year}, ${r.one_year + 0.006})`);
  return duck;
}

/** The context a detector runs in, for period P, with earlier findings. */
export function testContext(
  duck: Duck,
  period = "2026-09",
  prior: Map<string, FindingDraft[]> = new Map(),
): DetectorContext {
  return detectorContext(duck, period, prior);
}
