/**
 * Computes a check: loads the period, evaluates the catalog under the parameters in force at the as-of instant and,
 * for a what-if, again under the overridden values for the rules they touch, and shapes the result. Shared by the
 * check use cases; the caller owns the DuckDB connection and closes it.
 */
import { AppError } from "../errors.ts";
import { loadParamsInForce, resolveInForce, resolveInstant } from "../governance/params-in-force.ts";
import type { Duck } from "../lake/duckdb.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import type { ParamOverrides } from "../rules/params.ts";
import type { RecordOutcome } from "../rules/record/run-record-rules.ts";
import type { Outcome, OutcomeKind } from "../rules/types.ts";
import {
  type Breach,
  type CheckResult,
  entityBreach,
  type OutcomeChange,
  recordBreach,
  recordExample,
  sortBreaches,
  sortRecords,
} from "./check-result.ts";
import {
  type CheckDeps,
  changedRules,
  type Evaluated,
  evaluate,
  loadEntities,
  loadRegistry,
  normalisePeriod,
  prepareLake,
  type RegistryEntry,
} from "./evaluate-check.ts";

export interface ComputeCheckInput {
  /** YYYY-MM or YYYY-Qn. */
  period: string;
  /** A date (end of that day, UTC) or an instant; default now. */
  asOf?: string;
  /** What-if values over the governed ones (rule id → parameter → value). */
  whatIf?: ParamOverrides;
  /** Only this rule's breaches (and detail) in the result. */
  rule?: string;
  /** Only this institution's breaches (and detail) in the result. */
  institution?: string;
  /** Include every breaching record of the selected record rules (at most `detailLimit`, default 1000). */
  detail?: boolean;
  detailLimit?: number;
  /** How the surface names the inputs in errors (the CLI's flags); default the field names. */
  labels?: { period?: string; asOf?: string; whatIf?: string };
}

export interface ComputedCheck {
  result: CheckResult;
  /** The governed evaluation (what a stored run keeps). */
  governed: Evaluated;
  registry: ReadonlyMap<string, RegistryEntry>;
}

function kindCounts(outcomes: readonly Outcome[]): Partial<Record<OutcomeKind, number>> {
  const out: Partial<Record<OutcomeKind, number>> = {};
  for (const o of outcomes) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return out;
}

const isBreach = (k: string) => k === "breach_warning" || k === "breach_regulatory";

function diffOutcomes(
  base: Evaluated,
  alt: Evaluated,
  changed: ReadonlySet<string>,
  registry: ReadonlyMap<string, RegistryEntry>,
): OutcomeChange[] {
  const changes: OutcomeChange[] = [];
  const name = (code: string) => registry.get(code)?.name ?? null;
  const key = (o: { ruleId: string; institution: string }) => `${o.ruleId}|${o.institution}`;
  const before = new Map(base.entityOutcomes.filter((o) => changed.has(o.ruleId)).map((o) => [key(o), o]));
  const after = new Map(alt.entityOutcomes.map((o) => [key(o), o]));
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(k);
    const b = after.get(k);
    if (a?.kind === b?.kind && a?.line === b?.line) continue;
    const o = (b ?? a)!;
    changes.push({
      ruleId: o.ruleId,
      level: "entity",
      institution: o.institution,
      institutionName: name(o.institution),
      before: { kind: a?.kind ?? "none", line: a?.line ?? null },
      after: { kind: b?.kind ?? "none", line: b?.line ?? null },
      thresholdsBefore: a?.thresholds ?? [],
      thresholdsAfter: b?.thresholds ?? [],
      explanation: b?.explanation ?? a?.explanation ?? null,
    });
  }
  const rBefore = new Map<string, RecordOutcome>(
    base.record.outcomes.filter((o) => changed.has(o.ruleId)).map((o) => [key(o), o]),
  );
  const rAfter = new Map<string, RecordOutcome>(alt.record.outcomes.map((o) => [key(o), o]));
  for (const k of new Set([...rBefore.keys(), ...rAfter.keys()])) {
    const a = rBefore.get(k);
    const b = rAfter.get(k);
    if (a?.kind === b?.kind && a?.line === b?.line && a?.count === b?.count) continue;
    const o = (b ?? a)!;
    changes.push({
      ruleId: o.ruleId,
      level: "record",
      institution: o.institution,
      institutionName: name(o.institution),
      before: a ? { kind: a.kind, line: a.line, count: a.count } : { kind: "pass", line: null, count: 0 },
      after: b ? { kind: b.kind, line: b.line, count: b.count } : { kind: "pass", line: null, count: 0 },
      thresholdsBefore: a?.thresholds ?? [],
      thresholdsAfter: b?.thresholds ?? [],
      explanation: b?.explanation ?? null,
    });
  }
  return changes.sort(
    (x, y) => x.ruleId.localeCompare(y.ruleId) || x.institution.localeCompare(y.institution),
  );
}

/** Computes a check (see the module comment); throws AppError naming the input at fault. */
export async function computeCheck(
  deps: CheckDeps,
  catalog: RuleCatalog,
  duck: Duck,
  input: ComputeCheckInput,
): Promise<ComputedCheck> {
  const label = { period: input.labels?.period ?? "period", asOf: input.labels?.asOf ?? "asOf" };
  const { month, factPeriods } = normalisePeriod(input.period, label.period);
  if (input.rule !== undefined && !catalog.rules.has(input.rule)) {
    throw new AppError("INVALID_INPUT", `rule "${input.rule}" is not a rule of the ${catalog.name} catalog`);
  }
  const at = await resolveInstant(deps.db, input.asOf, label.asOf);
  const inForce = await loadParamsInForce(deps.db, catalog, at);
  const governed = resolveInForce(catalog, inForce);
  let whatIf: ReturnType<typeof resolveInForce> | undefined;
  if (input.whatIf) {
    try {
      whatIf = resolveInForce(catalog, inForce, input.whatIf);
    } catch (e) {
      if (e instanceof AppError && e.code === "INVALID_INPUT") {
        throw new AppError(
          "INVALID_INPUT",
          `${input.labels?.whatIf ?? "overrides"}: ${e.message}`,
          e.details,
        );
      }
      throw e;
    }
  }
  const registry = await loadRegistry(deps.db);
  const loaded = await loadEntities(deps.db, registry, factPeriods, at);
  const coverage = await prepareLake(deps, duck, catalog.recordRules, registry, month, at);
  if (loaded.submissions === 0 && Object.values(coverage).every((n) => n === 0)) {
    throw new AppError(
      "INVALID_INPUT",
      `${label.period} ${input.period}: no returns and no ${Object.keys(coverage).join(", ")} data stored for it (as of ${at})`,
    );
  }
  const base = await evaluate(catalog, duck, loaded.entities, month, governed.resolved, governed.overrides);
  let final = base;
  let changes: OutcomeChange[] | undefined;
  if (whatIf) {
    const changed = changedRules(governed.snapshot, whatIf.snapshot);
    const alt = await evaluate(
      catalog,
      duck,
      loaded.entities,
      month,
      whatIf.resolved,
      whatIf.overrides,
      changed,
    );
    changes = diffOutcomes(base, alt, changed, registry);
    final = {
      entityOutcomes: [...base.entityOutcomes.filter((o) => !changed.has(o.ruleId)), ...alt.entityOutcomes],
      record: {
        outcomes: [...base.record.outcomes.filter((o) => !changed.has(o.ruleId)), ...alt.record.outcomes],
        skipped: base.record.skipped,
        breaches: (ruleId, options) =>
          changed.has(ruleId) ? alt.record.breaches(ruleId, options) : base.record.breaches(ruleId, options),
      },
    };
  }
  const selected = (o: { ruleId: string; institution: string }) =>
    (input.rule === undefined || o.ruleId === input.rule) &&
    (input.institution === undefined || o.institution === input.institution);
  const breaches: Breach[] = [
    ...final.entityOutcomes
      .filter((o) => isBreach(o.kind) && selected(o))
      .map((o) => entityBreach(o, catalog, registry)),
    ...final.record.outcomes.filter(selected).map((o) => recordBreach(o, catalog, registry)),
  ];
  const records: Record<string, number> = {};
  for (const o of final.record.outcomes) records[o.ruleId] = (records[o.ruleId] ?? 0) + o.count;
  const flagged = new Set([
    ...final.entityOutcomes.filter((o) => isBreach(o.kind)).map((o) => o.institution),
    ...final.record.outcomes.map((o) => o.institution),
  ]);
  const entityOutcomeCount = final.entityOutcomes.filter((o) => isBreach(o.kind)).length;
  const result: CheckResult = {
    source: "computed",
    runId: null,
    period: month,
    asOf: at,
    pack: catalog.name,
    packVersion: catalog.version,
    counts: {
      entities: loaded.entities.length,
      outcomes: kindCounts(final.entityOutcomes),
      breaches: entityOutcomeCount + final.record.outcomes.length,
      institutionsFlagged: flagged.size,
      records,
    },
    coverage: { returns: loaded.submissions, datasets: coverage },
    breaches: sortBreaches(breaches),
    errors: final.entityOutcomes
      .filter((o) => o.kind === "error" && selected(o))
      .map((o) => ({ ruleId: o.ruleId, institution: o.institution, explanation: o.explanation })),
    skipped: final.record.skipped,
    params: (whatIf ?? governed).snapshot,
  };
  if (whatIf && changes) {
    result.whatIf = { overrides: input.whatIf!, changes: changes.filter(selected) };
  }
  if (input.detail) {
    const limit = input.detailLimit ?? 1000;
    const rules = catalog.recordRules.filter((r) => input.rule === undefined || r.id === input.rule);
    result.records = [];
    for (const r of rules) {
      const rows = await final.record.breaches(r.id, {
        limit,
        ...(input.institution === undefined ? {} : { institution: input.institution }),
      });
      for (const row of rows)
        result.records.push({ ruleId: r.id, institution: row.institution, ...recordExample(row) });
    }
    sortRecords(result.records);
  }
  return { result, governed: base, registry };
}
