/**
 * The evaluation behind every check use case: the facts of the period's current (or as-of) submissions turned into
 * entities with the registry, the pack's entity rules over them, and its record rules over the lake in DuckDB, all
 * under one parameter set and one as-of instant.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BankTier } from "../contract/institution-types.ts";
import { type EntityType, type Fact, periodEnd, periodMonth, periodPattern } from "../contract/items.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { ParamSnapshot } from "../governance/params-in-force.ts";
import { type Duck, literal, openDuck } from "../lake/duckdb.ts";
import { registerDatasetView } from "../lake/views.ts";
import { provisionalParams, type RuleCatalog } from "../rules/catalog.ts";
import { type EntityInput, type EntityProfile, entitiesFromFacts } from "../rules/context.ts";
import { evaluatePack } from "../rules/engine.ts";
import type { ParamOverrides } from "../rules/params.ts";
import type { AnyRecordRule } from "../rules/record/record-rule.ts";
import { type RecordRun, runRecordRules } from "../rules/record/run-record-rules.ts";
import type { Bilingual, Outcome } from "../rules/types.ts";

export interface CheckDeps {
  db: Db;
  dataDir: string;
}

export interface RegistryEntry {
  code: string;
  type: EntityType;
  name: Bilingual;
  bankTier?: BankTier;
  totalAssets?: string;
}

/** Runs `fn` with an in-memory DuckDB spilling to its own folder under the data folder; both go afterwards. */
export async function withDuck<T>(deps: CheckDeps, fn: (duck: Duck) => Promise<T>): Promise<T> {
  const root = join(deps.dataDir, "tmp");
  mkdirSync(root, { recursive: true });
  const tempDir = mkdtempSync(join(root, "check-"));
  const duck = await openDuck({ tempDir });
  try {
    return await fn(duck);
  } finally {
    duck.close();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** A period as asked ("2026-09" or "2026-Q3") → the month the entities carry and the fact periods to read. */
export function normalisePeriod(period: string, what = "period"): { month: string; factPeriods: string[] } {
  const m = periodPattern.exec(period);
  if (!m)
    throw new AppError("INVALID_INPUT", `${what} "${period}" is malformed: expected YYYY-MM or YYYY-Qn`);
  const month = periodMonth(period);
  const mm = Number(month.slice(5, 7));
  const factPeriods = mm % 3 === 0 ? [month, `${month.slice(0, 4)}-Q${mm / 3}`] : [month];
  return { month, factPeriods };
}

/** The registry as rules see it, with names for reports. */
export async function loadRegistry(db: Db): Promise<Map<string, RegistryEntry>> {
  const rows = await db.query<{
    code: string;
    type: string;
    name_en: string;
    name_zh: string;
    bank_tier: number | null;
    total_assets: string | null;
  }>(
    "select trim(code) as code, type, name_en, name_zh, bank_tier, total_assets::text as total_assets from institutions",
  );
  const out = new Map<string, RegistryEntry>();
  for (const r of rows) {
    const entry: RegistryEntry = {
      code: r.code,
      type: r.type as EntityType,
      name: { en: r.name_en, zh: r.name_zh },
    };
    if (r.bank_tier !== null) entry.bankTier = Number(r.bank_tier) as BankTier;
    if (r.total_assets !== null) entry.totalAssets = r.total_assets;
    out.set(r.code, entry);
  }
  return out;
}

/**
 * Entities of one month: the facts of the returns submissions current at `at` for the month and, at a quarter end,
 * its quarter, with the registry's type, bank tier and total assets (the registry's year-end size decides size-based
 * applicability, so a bank does not switch regimes month by month).
 */
export async function loadEntities(
  db: Db,
  registry: ReadonlyMap<string, RegistryEntry>,
  factPeriods: readonly string[],
  at: string,
): Promise<{ entities: EntityInput[]; facts: number; submissions: number }> {
  const facts = await db.query<Fact>(
    `select trim(f.institution_code) as institution, f.period, f.item, coalesce(f.value::text, f.grade) as value
     from submissions s join facts f on f.submission_id = s.id
     where s.dataset = 'returns' and s.period = any($1::text[])
       and s.received_at <= $2::timestamptz and (s.superseded_at is null or s.superseded_at > $2::timestamptz)`,
    [factPeriods, at],
  );
  const [subs] = await db.query<{ n: string }>(
    `select count(*)::text as n from submissions s where s.dataset = 'returns' and s.period = any($1::text[])
       and s.received_at <= $2::timestamptz and (s.superseded_at is null or s.superseded_at > $2::timestamptz)`,
    [factPeriods, at],
  );
  const profiles = new Map<string, EntityProfile>();
  for (const [code, r] of registry) {
    const profile: EntityProfile = { type: r.type };
    if (r.bankTier !== undefined) profile.bankTier = r.bankTier;
    if (r.totalAssets !== undefined) profile.totalAssets = r.totalAssets;
    profiles.set(code, profile);
  }
  return { entities: entitiesFromFacts(facts, profiles), facts: facts.length, submissions: Number(subs!.n) };
}

/** Registers what record rules read: their datasets (as views over the period), the registry and the LPR. */
export async function prepareLake(
  deps: CheckDeps,
  duck: Duck,
  rules: readonly AnyRecordRule[],
  registry: ReadonlyMap<string, RegistryEntry>,
  month: string,
  at: string,
): Promise<Record<string, number>> {
  const datasets = [...new Set(rules.flatMap((r) => r.datasets))].sort();
  const coverage: Record<string, number> = {};
  for (const name of datasets) {
    const ids = await registerDatasetView(duck, deps.db, deps.dataDir, name, { periods: [month], asOf: at });
    coverage[name] = ids.length;
  }
  await duck.run("CREATE OR REPLACE TABLE registry (code VARCHAR, type VARCHAR)");
  const rows = [...registry.values()];
  for (let i = 0; i < rows.length; i += 5000) {
    const values = rows
      .slice(i, i + 5000)
      .map((r) => `(${literal(r.code)}, ${literal(r.type)})`)
      .join(", ");
    await duck.run(`INSERT INTO registry VALUES ${values}`);
  }
  // LPR months take effect on the 20th, the announcement day.
  const lpr = await deps.db.query<{ month: string; one_year: string }>(
    "select month, one_year::text as one_year from lpr order by month",
  );
  await duck.run("CREATE OR REPLACE TABLE lpr (from_date DATE, one_year DOUBLE)");
  if (lpr.length > 0) {
    await duck.run(
      `INSERT INTO lpr VALUES ${lpr.map((r) => `(DATE '${r.month}-20', ${Number(r.one_year) / 100})`).join(", ")}`,
    );
  }
  return coverage;
}

export interface Evaluated {
  entityOutcomes: Outcome[];
  record: RecordRun;
}

/**
 * Evaluates the entity rules and record rules of `catalog` (or only the rules named in `only`) under the resolved
 * parameters; `overrides` are the values that are not defaults (governed and what-if), which mark thresholds as
 * no longer provisional.
 */
export async function evaluate(
  catalog: RuleCatalog,
  duck: Duck,
  entities: readonly EntityInput[],
  month: string,
  resolved: ReadonlyMap<string, Record<string, unknown>>,
  overrides: ParamOverrides,
  only?: ReadonlySet<string>,
): Promise<Evaluated> {
  const entityRules = catalog.entityRules.filter((r) => !only || only.has(r.id));
  const entityOverrides: Record<string, Record<string, unknown>> = {};
  for (const r of entityRules) {
    const o = overrides[r.id];
    if (o) entityOverrides[r.id] = { ...o };
  }
  const entityOutcomes = evaluatePack(entityRules, entities, entityOverrides);
  const recordRules = catalog.recordRules.filter((r) => !only || only.has(r.id));
  const provisional = new Map<string, Set<string>>();
  for (const r of recordRules)
    provisional.set(r.id, provisionalParams(catalog.rules.get(r.id)!, overrides[r.id]));
  const record = await runRecordRules(duck, {
    period: month,
    periodEnd: periodEnd(month),
    rules: recordRules,
    params: resolved,
    provisional,
  });
  return { entityOutcomes, record };
}

/** Rule ids whose resolved parameters differ between two snapshots. */
export function changedRules(a: ParamSnapshot, b: ParamSnapshot): Set<string> {
  const out = new Set<string>();
  for (const id of Object.keys(b)) {
    if (JSON.stringify(a[id]?.params) !== JSON.stringify(b[id]?.params)) out.add(id);
  }
  return out;
}
