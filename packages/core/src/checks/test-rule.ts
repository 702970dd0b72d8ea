import { AppError } from "../errors.ts";
import { loadParamsInForce, resolveInForce, resolveInstant } from "../governance/params-in-force.ts";
import { catalogRule, type RuleCatalog } from "../rules/catalog.ts";
import type { ParamOverrides } from "../rules/params.ts";
import type { Bilingual, OutcomeKind } from "../rules/types.ts";
import { type Breach, entityBreach, recordBreach, sortBreaches } from "./check-result.ts";
import {
  type CheckDeps,
  evaluate,
  loadEntities,
  loadRegistry,
  normalisePeriod,
  prepareLake,
  withDuck,
} from "./evaluate-check.ts";

export interface RuleTestResult {
  ruleId: string;
  version: number;
  level: "entity" | "record";
  period: string;
  asOf: string;
  /** Entity rules: outcomes by kind (not_applicable left out). Record rules: institutions and records in breach. */
  counts: Partial<Record<OutcomeKind, number>> & { institutions?: number; records?: number };
  breaches: Breach[];
  notComputable: { institution: string; missing: readonly string[]; explanation: Bilingual }[];
  params: Record<string, unknown>;
}

/**
 * Tries one rule on stored data: evaluates it alone on a period (default: the latest period holding what it reads)
 * under the governed parameters, or what-if values, and counts the outcomes. Nothing is stored.
 */
export async function testRule(
  deps: CheckDeps,
  catalog: RuleCatalog,
  input: { ruleId: string; period?: string; asOf?: string; overrides?: ParamOverrides },
): Promise<RuleTestResult> {
  const entry = catalogRule(catalog, input.ruleId);
  const datasets = entry.level === "entity" ? ["returns"] : [...entry.rule.datasets];
  let period = input.period;
  if (period === undefined) {
    const [r] = await deps.db.query<{ p: string | null }>(
      "select max(period) as p from submissions where dataset = any($1::text[]) and period ~ '^[0-9]{4}-[0-9]{2}$'",
      [datasets],
    );
    if (!r?.p)
      throw new AppError("INVALID_INPUT", `no ${datasets.join(", ")} data stored to test ${input.ruleId} on`);
    period = r.p;
  }
  const { month, factPeriods } = normalisePeriod(period);
  const at = await resolveInstant(deps.db, input.asOf);
  const inForce = await loadParamsInForce(deps.db, catalog, at);
  const { resolved, overrides } = resolveInForce(catalog, inForce, input.overrides);
  const registry = await loadRegistry(deps.db);
  return withDuck(deps, async (duck) => {
    const loaded =
      entry.level === "entity"
        ? await loadEntities(deps.db, registry, factPeriods, at)
        : { entities: [], submissions: 0 };
    const coverage =
      entry.level === "record" ? await prepareLake(deps, duck, [entry.rule], registry, month, at) : {};
    if (loaded.submissions === 0 && Object.values(coverage).every((n) => n === 0)) {
      throw new AppError("INVALID_INPUT", `period ${period}: no ${datasets.join(", ")} data stored for it`);
    }
    const only = new Set([input.ruleId]);
    const ev = await evaluate(catalog, duck, loaded.entities, month, resolved, overrides, only);
    const counts: RuleTestResult["counts"] = {};
    for (const o of ev.entityOutcomes) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
    if (entry.level === "record") {
      counts.institutions = ev.record.outcomes.length;
      counts.records = ev.record.outcomes.reduce((n, o) => n + o.count, 0);
    }
    const breaches = sortBreaches([
      ...ev.entityOutcomes
        .filter((o) => o.kind === "breach_warning" || o.kind === "breach_regulatory")
        .map((o) => entityBreach(o, catalog, registry)),
      ...ev.record.outcomes.map((o) => recordBreach(o, catalog, registry)),
    ]);
    return {
      ruleId: input.ruleId,
      version: entry.rule.version,
      level: entry.level,
      period: month,
      asOf: at,
      counts,
      breaches,
      notComputable: ev.entityOutcomes
        .filter((o) => o.kind === "not_computable")
        .map((o) => ({ institution: o.institution, missing: o.missing ?? [], explanation: o.explanation })),
      params: resolved.get(input.ruleId)!,
    };
  });
}
