/** How a rule is shown to people: applicability, legal basis and parameters with the values in force. */
import { entityTypeName } from "../contract/items.ts";
import { type CatalogEntry, paramSpecs } from "../rules/catalog.ts";
import { citationOf } from "../rules/explain.ts";
import type { Bilingual, SourceStatus } from "../rules/types.ts";
import type { ParamsInForce } from "./params-in-force.ts";
import type { ParamProposal } from "./proposal-row.ts";

export interface RuleParamView {
  name: string;
  en: string;
  zh: string;
  default: unknown;
  value: unknown;
  /** confirmed when the default is confirmed or an approved value replaced it; else to_confirm. */
  status: "confirmed" | "to_confirm";
  defaultStatus: "confirmed" | "to_confirm";
  note?: string;
  governed?: { proposalId: number; effectiveFrom: string; approvedBy: string; approvedAt: string };
  pending: { id: number; value: unknown; effectiveFrom: string; proposedBy: string }[];
}

export interface RuleView {
  id: string;
  version: number;
  level: "entity" | "record";
  en: string;
  zh: string;
  family: string;
  severity: string;
  leadUnit: string;
  applicability: { types: string[]; text: Bilingual; datasets?: readonly string[] };
  effective: { from: string; to?: string };
  legalBasis: {
    citation: Bilingual;
    status: SourceStatus;
    sources: readonly string[];
    inForce?: { from?: string; to?: string };
  }[];
  params: RuleParamView[];
  pendingProposals: number;
  notes: readonly string[];
}

/** The view of one rule under the parameters in force, with its pending proposals. */
export function describeRule(
  entry: CatalogEntry,
  inForce: ParamsInForce,
  pending: readonly ParamProposal[],
): RuleView {
  const rule = entry.rule;
  const types = [...rule.appliesTo.types];
  const names = types.map((t) => entityTypeName(t));
  const text: { en: string; zh: string } = {
    en: names.map((n) => n.en).join(", "),
    zh: names.map((n) => n.zh).join("、"),
  };
  if (entry.level === "entity") {
    const a = entry.rule.appliesTo;
    const extra: Bilingual[] = [];
    if (a.bankTiers)
      extra.push({ en: `tier ${a.bankTiers.join(", ")} banks`, zh: `第${a.bankTiers.join("、")}档银行` });
    if (a.totalAssets?.atLeast)
      extra.push({
        en: `total assets ≥ RMB ${a.totalAssets.atLeast}`,
        zh: `资产总额不低于${a.totalAssets.atLeast}元`,
      });
    if (a.totalAssets?.below)
      extra.push({
        en: `total assets < RMB ${a.totalAssets.below}`,
        zh: `资产总额低于${a.totalAssets.below}元`,
      });
    if (a.product) extra.push({ en: a.product.en, zh: a.product.zh });
    if (a.activity) extra.push({ en: a.activity.en, zh: a.activity.zh });
    for (const e of extra) {
      text.en += `; ${e.en}`;
      text.zh += `；${e.zh}`;
    }
  }
  const governed = inForce.governed.get(rule.id);
  const override = inForce.overrides[rule.id] ?? {};
  const params: RuleParamView[] = Object.entries(paramSpecs(entry)).map(([name, spec]) => {
    const g = governed?.get(name);
    const view: RuleParamView = {
      name,
      en: spec.en,
      zh: spec.zh,
      default: spec.default,
      value: name in override ? override[name] : spec.default,
      status: g ? "confirmed" : spec.status,
      defaultStatus: spec.status,
      pending: pending
        .filter((p) => p.param === name)
        .map((p) => ({ id: p.id, value: p.value, effectiveFrom: p.effectiveFrom, proposedBy: p.proposedBy })),
    };
    if (spec.note) view.note = spec.note;
    if (g)
      view.governed = {
        proposalId: g.proposalId,
        effectiveFrom: g.effectiveFrom,
        approvedBy: g.approvedBy,
        approvedAt: g.approvedAt,
      };
    return view;
  });
  return {
    id: rule.id,
    version: rule.version,
    level: entry.level,
    en: rule.en,
    zh: rule.zh,
    family: rule.family,
    severity: rule.severity,
    leadUnit: rule.leadUnit,
    applicability:
      entry.level === "record" ? { types, text, datasets: entry.rule.datasets } : { types, text },
    effective: { ...rule.effective },
    legalBasis: rule.legalBasis.map((b) => ({
      citation: citationOf(b),
      status: b.status,
      sources: b.sources,
      ...(b.inForce ? { inForce: b.inForce } : {}),
    })),
    params,
    pendingProposals: pending.length,
    notes: rule.notes ?? [],
  };
}
