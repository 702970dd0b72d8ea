import type { EntityType } from "../contract/items.ts";
import { periodMonth } from "../contract/items.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { citationOf } from "../rules/explain.ts";
import {
  type AnyRule,
  type Bilingual,
  type EntityInput,
  evaluatePack,
  type Outcome,
} from "../rules/index.ts";
import { levelOf, monthsEnding, type RiskLevel } from "./build-monthly-report.ts";

export interface IndicatorSeries {
  ruleId: string;
  rule: Bilingual;
  display: string;
  /** One point per month of the window, oldest first; null where the rule could not be assessed. */
  values: (number | null)[];
  kinds: (string | null)[];
  /** The lines of the latest assessed month (they can differ between months when parameters changed). */
  warningLine: number | null;
  regulatoryLine: number | null;
  comparator: string | null;
  legalBasis: Bilingual;
}

export interface InstitutionProfile {
  code: string;
  periods: string[];
  latestPeriod: string | null;
  level: RiskLevel | null;
  levels: (RiskLevel | null)[];
  series: IndicatorSeries[];
  /** Breaches of the latest assessed month, with the legal basis each cites. */
  breaches: {
    ruleId: string;
    rule: Bilingual;
    period: string;
    kind: string;
    severity: string;
    value: number | null;
    display: string | null;
    thresholds: { line: string; comparator: string; number: number }[];
    explanation: Bilingual;
    legalBasis: Bilingual;
  }[];
}

/**
 * One institution's rule outcomes month by month over a window ending at its latest reported month: the
 * indicator series with their warning and regulatory lines, its level per month, and the latest breaches.
 */
export async function buildInstitutionProfile(
  db: Sql,
  code: string,
  pack: readonly AnyRule[],
  months = 12,
): Promise<InstitutionProfile> {
  const [inst] = await db.query<{ type: string; bank_tier: number | null; total_assets: string | null }>(
    "select type, bank_tier, total_assets::text as total_assets from institutions where code = $1",
    [code.toUpperCase()],
  );
  if (!inst) throw new AppError("NOT_FOUND", `no institution with credit code ${code}`);
  const facts = await db.query<{ period: string; item: string; value: string }>(
    `select f.period, f.item, coalesce(f.value::text, f.grade) as value from facts f join submissions s on s.id = f.submission_id
     where s.superseded_at is null and f.institution_code = $1`,
    [code.toUpperCase()],
  );
  const byMonth = new Map<string, Record<string, string>>();
  for (const f of facts) {
    const m = periodMonth(f.period);
    let rec = byMonth.get(m);
    if (!rec) {
      rec = {};
      byMonth.set(m, rec);
    }
    rec[f.item] = f.value;
  }
  const latest = [...byMonth.keys()].sort().pop() ?? null;
  const periods = latest ? monthsEnding(latest, months) : [];
  const entities: EntityInput[] = periods
    .filter((p) => byMonth.has(p))
    .map((p) => {
      const e: EntityInput = {
        institution: code.toUpperCase(),
        type: inst.type as EntityType,
        period: p,
        facts: byMonth.get(p)!,
      };
      if (inst.bank_tier !== null) e.bankTier = inst.bank_tier as EntityInput["bankTier"];
      if (inst.total_assets !== null) e.totalAssets = inst.total_assets;
      return e;
    });
  const outcomes = entities.length ? evaluatePack(pack, entities) : [];
  const rules = new Map(pack.map((r) => [r.id, r]));
  const byRule = new Map<string, Map<string, Outcome>>();
  const byPeriod = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    let m = byRule.get(o.ruleId);
    if (!m) {
      m = new Map();
      byRule.set(o.ruleId, m);
    }
    m.set(o.period, o);
    const list = byPeriod.get(o.period);
    if (list) list.push(o);
    else byPeriod.set(o.period, [o]);
  }
  const basis = (id: string): Bilingual => {
    const b = rules.get(id)?.legalBasis[0];
    return b ? citationOf(b) : { zh: "", en: "" };
  };
  const series: IndicatorSeries[] = [];
  for (const [ruleId, m] of byRule) {
    const numeric = [...m.values()].filter((o) => o.value && "number" in o.value);
    if (numeric.length === 0) continue;
    const last = numeric.sort((a, b) => a.period.localeCompare(b.period))[numeric.length - 1]!;
    const line = (l: string) => last.thresholds.find((t) => t.line === l)?.number ?? null;
    const rule = rules.get(ruleId);
    series.push({
      ruleId,
      rule: { zh: rule?.zh ?? ruleId, en: rule?.en ?? ruleId },
      display: last.value && "display" in last.value ? last.value.display : "count",
      values: periods.map((p) => {
        const o = m.get(p);
        return o?.value && "number" in o.value ? o.value.number : null;
      }),
      kinds: periods.map((p) => m.get(p)?.kind ?? null),
      warningLine: line("warning"),
      regulatoryLine: line("regulatory"),
      comparator: last.thresholds[0]?.comparator ?? null,
      legalBasis: basis(ruleId),
    });
  }
  // Breached indicators first, then by rule id, so the charts that matter come first.
  const worst = (s: IndicatorSeries) =>
    s.kinds.includes("breach_regulatory") ? 0 : s.kinds.includes("breach_warning") ? 1 : 2;
  series.sort((a, b) => worst(a) - worst(b) || a.ruleId.localeCompare(b.ruleId));
  const assessed = periods.filter((p) => byPeriod.has(p));
  const lastPeriod = assessed[assessed.length - 1] ?? null;
  const breaches = (lastPeriod ? (byPeriod.get(lastPeriod) ?? []) : [])
    .filter((o) => o.kind === "breach_warning" || o.kind === "breach_regulatory")
    .map((o) => ({
      ruleId: o.ruleId,
      rule: { zh: rules.get(o.ruleId)?.zh ?? o.ruleId, en: rules.get(o.ruleId)?.en ?? o.ruleId },
      period: o.period,
      kind: o.kind,
      severity: o.severity,
      value: o.value && "number" in o.value ? o.value.number : null,
      display: o.value && "display" in o.value ? o.value.display : null,
      thresholds: o.thresholds.map((t) => ({ line: t.line, comparator: t.comparator, number: t.number })),
      explanation: o.explanation,
      legalBasis: basis(o.ruleId),
    }));
  const levels = periods.map((p) => levelOf(byPeriod.get(p) ?? []));
  return {
    code: code.toUpperCase(),
    periods,
    latestPeriod: lastPeriod,
    level: lastPeriod ? levelOf(byPeriod.get(lastPeriod) ?? []) : null,
    levels,
    series,
    breaches,
  };
}
