/**
 * The lake as detectors see it: one in-memory DuckDB with a view per dataset over the submissions current at one
 * instant (so a run can be repeated exactly), plus the registry and the LPR history as small tables.
 */
import { join } from "node:path";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type Duck, openDuck } from "../lake/duckdb.ts";
import { registerDatasetView } from "../lake/views.ts";
import { sqlText } from "./support.ts";
import type { DatasetUse, DatasetWindow, DetectorContext, FindingDraft } from "./types.ts";

export interface PeriodBounds {
  period: string;
  periodStart: string;
  periodEnd: string;
  flowStart: string;
  /** The twelve monthly labels of the flow window, oldest first. */
  flowPeriods: string[];
}

const monthPattern = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

/** Bounds of a monthly detection period; anything but YYYY-MM is refused. */
export function periodBounds(period: string): PeriodBounds {
  const m = monthPattern.exec(period);
  if (!m) throw new AppError("INVALID_INPUT", `period must be a month written YYYY-MM (got "${period}")`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const label = (k: number) => {
    const d = new Date(Date.UTC(y, mo - k, 1));
    return d.toISOString().slice(0, 7);
  };
  return {
    period,
    periodStart: iso(new Date(Date.UTC(y, mo, 1))),
    periodEnd: iso(new Date(Date.UTC(y, mo + 1, 0))),
    flowStart: iso(new Date(Date.UTC(y, mo - 11, 1))),
    flowPeriods: Array.from({ length: 12 }, (_, i) => label(11 - i)),
  };
}

/** View name of a dataset under a window: history views carry a suffix, the others the dataset's name. */
export function viewName(use: DatasetUse): string {
  return use.window === "history" ? `${use.name}_history` : use.name;
}

export interface DetectionLake {
  duck: Duck;
  bounds: PeriodBounds;
  /** Submission ids behind every view, for the run's record. */
  submissions: Record<string, number[]>;
  close(): void;
}

export interface LakeOptions {
  /** Submissions current at this instant (ISO timestamp); default now. */
  asOf: string;
  memoryLimit?: string;
  threads?: number;
}

/**
 * Opens DuckDB with the views the given dataset uses need, plus `registry` (code, type, bank_tier, name_zh,
 * name_en, district, status) and `lpr` (month, one_year and five_year as fractions).
 */
export async function openDetectionLake(
  db: Sql,
  dataDir: string,
  period: string,
  uses: readonly DatasetUse[],
  options: LakeOptions,
): Promise<DetectionLake> {
  const bounds = periodBounds(period);
  const duck = await openDuck({
    tempDir: join(dataDir, "tmp", `detect-${process.pid}`),
    memoryLimit: options.memoryLimit ?? "3GB",
    ...(options.threads ? { threads: options.threads } : {}),
  });
  try {
    const submissions: Record<string, number[]> = {};
    const windows = new Map<string, DatasetWindow>();
    for (const u of uses) windows.set(viewName(u), u.window);
    // History views are registered under the dataset's name and then renamed, so they go first.
    const ordered = [...windows].sort((a, b) => Number(b[1] === "history") - Number(a[1] === "history"));
    for (const [view, window] of ordered) {
      const name = window === "history" ? view.slice(0, -"_history".length) : view;
      const periods =
        window === "period"
          ? [period]
          : window === "flow"
            ? bounds.flowPeriods
            : await periodsUpTo(db, name, period);
      const ids = await registerDatasetView(duck, db, dataDir, name, { periods, asOf: options.asOf });
      if (window === "history") await duck.run(`ALTER VIEW ${name} RENAME TO ${view}`);
      submissions[view] = ids;
    }
    await loadRegistry(db, duck);
    await loadLpr(db, duck, period);
    return { duck, bounds, submissions, close: () => duck.close() };
  } catch (e) {
    duck.close();
    throw e;
  }
}

/** Monthly periods of a dataset up to and including `period`. */
async function periodsUpTo(db: Sql, dataset: string, period: string): Promise<string[]> {
  const found = await db.query<{ period: string }>(
    "select distinct period from submissions where dataset = $1 and period <= $2 and period ~ '^[0-9]{4}-[0-9]{2}$' order by period",
    [dataset, period],
  );
  return found.length > 0 ? found.map((r) => r.period) : [period];
}

async function insertRows(duck: Duck, table: string, rows: string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await duck.run(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 500).join(", ")}`);
  }
}

async function loadRegistry(db: Sql, duck: Duck): Promise<void> {
  await duck.run(
    "CREATE OR REPLACE TABLE registry (code VARCHAR, type VARCHAR, bank_tier INTEGER, name_zh VARCHAR, name_en VARCHAR, district VARCHAR, status VARCHAR)",
  );
  const list = await db.query<{
    code: string;
    type: string;
    bank_tier: number | null;
    name_zh: string;
    name_en: string;
    district: string;
    status: string;
  }>("select trim(code) as code, type, bank_tier, name_zh, name_en, district, status from institutions");
  await insertRows(
    duck,
    "registry",
    list.map(
      (r) =>
        `(${sqlText(r.code)}, ${sqlText(r.type)}, ${r.bank_tier === null ? "NULL" : Number(r.bank_tier)}, ${sqlText(r.name_zh)}, ${sqlText(r.name_en)}, ${sqlText(r.district)}, ${sqlText(r.status)})`,
    ),
  );
}

/** Monthly LPR up to the period, months without an announcement carrying the last rate forward. */
async function loadLpr(db: Sql, duck: Duck, period: string): Promise<void> {
  await duck.run("CREATE OR REPLACE TABLE lpr (month VARCHAR, one_year DOUBLE, five_year DOUBLE)");
  const list = await db.query<{ month: string; one_year: string; five_year: string }>(
    "select month, one_year::text as one_year, five_year::text as five_year from lpr order by month",
  );
  const filled: string[] = [];
  const last =
    list.length > 0 ? (list[list.length - 1]!.month > period ? list[list.length - 1]!.month : period) : "";
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    const until = list[i + 1]?.month ?? nextMonth(last);
    for (let m = r.month; m < until; m = nextMonth(m)) {
      filled.push(`(${sqlText(m)}, ${Number(r.one_year) / 100}, ${Number(r.five_year) / 100})`);
    }
  }
  await insertRows(duck, "lpr", filled);
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
}

/** The latest monthly period with any granular submission, or undefined when the lake is empty. */
export async function latestLakePeriod(db: Sql): Promise<string | undefined> {
  const [r] = await db.query<{ period: string | null }>(
    `select max(s.period) as period from submissions s
     where s.superseded_at is null and s.period ~ '^[0-9]{4}-[0-9]{2}$'
       and exists (select 1 from lake_files f where f.batch_id = s.batch_id and f.dataset = s.dataset)`,
  );
  return r?.period ?? undefined;
}

/** The context a detector runs in over an open DuckDB, for a period, with earlier findings of the run. */
export function detectorContext(
  duck: Duck,
  period: string,
  prior: ReadonlyMap<string, readonly FindingDraft[]> = new Map(),
): DetectorContext {
  const b = periodBounds(period);
  return { duck, period, periodStart: b.periodStart, periodEnd: b.periodEnd, flowStart: b.flowStart, prior };
}
