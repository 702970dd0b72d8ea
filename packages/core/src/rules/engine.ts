/**
 * Runs rules over entity-periods. Applicability (type, dates, frequency, tier, size, product, activity)
 * is decided here once for every rule, so rules only judge values. A rule that throws yields an error
 * outcome for that rule alone; the rest of the pack still runs.
 */
import {
  entityTypeName,
  findItem,
  type ItemCode,
  isQuarterEnd,
  totalAssetsItemByType,
} from "../contract/items.ts";
import { AppError } from "../errors.ts";
import { compare, dec, type Rational, toExactString, toNumber } from "../metrics/decimal.ts";
import { findMetric } from "../metrics/index.ts";
import type { Display } from "../metrics/metric.ts";
import {
  assertEntityInputs,
  type EntityInput,
  EvaluationContext,
  MissingData,
  prepareEntity,
} from "./context.ts";
import { citationOf, formatValue } from "./explain.ts";
import { type ParamOverrides, resolvePackParams, resolveParams } from "./params.ts";
import { deferred, missingVerdict } from "./threshold-rule.ts";
import type {
  AnyRule,
  Bilingual,
  DeferredText,
  LegalBasis,
  Outcome,
  OutcomeThreshold,
  Verdict,
  VerdictThreshold,
} from "./types.ts";

interface CompiledRule {
  rule: AnyRule;
  params: Record<string, unknown>;
  /** Parameters still at a default marked to_confirm. */
  provisionalParams: ReadonlySet<string>;
  quarterly: boolean;
  citations: readonly { basis: LegalBasis; text: Bilingual }[];
  name: Bilingual;
  atLeast: Rational | undefined;
  below: Rational | undefined;
}

/** True when any input the rule reads is reported quarterly. */
export function isQuarterlyRule(rule: AnyRule): boolean {
  for (const code of rule.reads) {
    const inputs = findMetric(code)?.inputs ?? [code as ItemCode];
    if (inputs.some((c) => findItem(c)?.frequency === "quarterly")) return true;
  }
  return false;
}

function compile(
  rule: AnyRule,
  params: Record<string, unknown>,
  override: Readonly<Record<string, unknown>> | undefined,
): CompiledRule {
  if (rule.legalBasis.length === 0) throw new AppError("INTERNAL", `Rule ${rule.id} has no legal basis`);
  const provisional = new Set<string>();
  for (const [key, spec] of Object.entries(rule.params.specs as Record<string, { status: string }>)) {
    if (spec.status === "to_confirm" && !(override && key in override)) provisional.add(key);
  }
  const size = rule.appliesTo.totalAssets;
  return {
    rule,
    params,
    provisionalParams: provisional,
    quarterly: isQuarterlyRule(rule),
    citations: rule.legalBasis.map((basis) => ({ basis, text: citationOf(basis) })),
    name: { en: rule.en, zh: rule.zh },
    atLeast: size?.atLeast === undefined ? undefined : dec(size.atLeast),
    below: size?.below === undefined ? undefined : dec(size.below),
  };
}

function citationFor(cr: CompiledRule, periodEnd: string): Bilingual {
  for (const c of cr.citations) {
    const f = c.basis.inForce;
    if (!f || ((f.from === undefined || f.from <= periodEnd) && (f.to === undefined || periodEnd <= f.to)))
      return c.text;
  }
  return cr.citations[0]!.text;
}

/** Not-applicable verdicts are mostly dropped by evaluatePack, so their text is built only when read. */
function notApplicable(render: () => { en: string; zh: string }): Verdict {
  return { kind: "not_applicable", explanation: deferred(renderNotApplicable, render) };
}

function renderNotApplicable(render: () => { en: string; zh: string }): Bilingual {
  const t = render();
  return { en: `Not applicable: ${t.en}`, zh: `不适用：${t.zh}` };
}

function typeList(types: readonly string[], lang: "en" | "zh"): string {
  return types
    .map((t) => entityTypeName(t as Parameters<typeof entityTypeName>[0])[lang])
    .join(lang === "en" ? ", " : "、");
}

/** Why the rule does not apply to this entity-period, or undefined when it does. */
function applicability(cr: CompiledRule, ctx: EvaluationContext): Verdict | undefined {
  const { rule } = cr;
  const e = ctx.entity;
  const a = rule.appliesTo;
  if (!a.types.includes(e.type)) {
    const own = entityTypeName(e.type);
    return notApplicable(() => ({
      en: `the rule covers ${typeList(a.types, "en")}; the entity's type is ${own.en}.`,
      zh: `本规则适用于${typeList(a.types, "zh")}，该主体为${own.zh}。`,
    }));
  }
  const { from, to } = rule.effective;
  if (e.periodEnd < from || (to !== undefined && e.periodEnd > to)) {
    const window = to === undefined ? `from ${from}` : `from ${from} to ${to}`;
    const windowZh = to === undefined ? `自${from}起施行` : `施行期间为${from}至${to}`;
    return notApplicable(() => ({
      en: `the rule is in force ${window}; period ${e.period} ends ${e.periodEnd}.`,
      zh: `本规则${windowZh}，报告期${e.period}截至${e.periodEnd}。`,
    }));
  }
  if (cr.quarterly && !isQuarterEnd(e.period)) {
    return notApplicable(() => ({
      en: `the rule is assessed at quarter ends; ${e.period} is not one.`,
      zh: `本规则按季评估，${e.period}不是季末。`,
    }));
  }
  const tiers = a.bankTiers;
  if (tiers) {
    if (e.bankTier === undefined) return missingVerdict(cr.name, ["bankTier"]);
    if (!tiers.includes(e.bankTier)) {
      return notApplicable(() => ({
        en: `the rule covers tier ${tiers.join(", ")} banks; the bank is tier ${e.bankTier}.`,
        zh: `本规则适用于第${tiers.join("、")}档银行，该行为第${e.bankTier}档。`,
      }));
    }
  }
  const { atLeast, below } = cr;
  if (atLeast !== undefined || below !== undefined) {
    if (e.totalAssets === undefined)
      return missingVerdict(cr.name, [totalAssetsItemByType[e.type] ?? "totalAssets"]);
    const size = e.totalAssets;
    if (atLeast !== undefined && compare(size, atLeast) < 0) {
      return notApplicable(() => ({
        en: `the rule covers total assets of at least ${formatValue(atLeast, "amount", "en", 0)}; total assets are ${formatValue(size, "amount", "en")}.`,
        zh: `本规则适用于资产总额不低于${formatValue(atLeast, "amount", "zh", 0)}的机构，该机构资产总额为${formatValue(size, "amount", "zh")}。`,
      }));
    }
    if (below !== undefined && compare(size, below) >= 0) {
      return notApplicable(() => ({
        en: `the rule covers total assets below ${formatValue(below, "amount", "en", 0)}; total assets are ${formatValue(size, "amount", "en")}.`,
        zh: `本规则适用于资产总额低于${formatValue(below, "amount", "zh", 0)}的机构，该机构资产总额为${formatValue(size, "amount", "zh")}。`,
      }));
    }
  }
  const product = a.product;
  if (product) {
    if (e.product === undefined) return missingVerdict(cr.name, ["productProfile"]);
    if (!product.test(e.product)) {
      return notApplicable(() => ({
        en: `the rule covers ${product.en} only.`,
        zh: `本规则仅适用于${product.zh}。`,
      }));
    }
  }
  const activity = a.activity;
  if (activity) {
    const v = ctx.item(activity.item);
    if (v === undefined) return missingVerdict(cr.name, [activity.item]);
    if (v.num === 0n) {
      return notApplicable(() => ({
        en: `the rule covers ${activity.en}; ${activity.item} is 0.`,
        zh: `本规则适用于${activity.zh}，${activity.item}为0。`,
      }));
    }
  }
  return undefined;
}

// Thresholds usually come from parameters parsed once (dec memoises), so outcomes share them by identity.
const sharedThresholds = new WeakMap<Rational, OutcomeThreshold[]>();
function thresholdOf(t: VerdictThreshold): OutcomeThreshold {
  let list = sharedThresholds.get(t.value);
  if (!list) {
    list = [];
    sharedThresholds.set(t.value, list);
  }
  for (const shared of list) if (shared.line === t.line && shared.comparator === t.comparator) return shared;
  const made = Object.freeze({
    line: t.line,
    comparator: t.comparator,
    exact: toExactString(t.value),
    number: toNumber(t.value),
  });
  list.push(made);
  return made;
}

/** A value whose exact text (a gcd away) is produced on first read; `exact` is an own enumerable accessor. */
class OutcomeValue {
  declare readonly exact: string;
  readonly number: number;
  readonly display: Display;
  #exact: Rational | string;

  static readonly #exactProperty: PropertyDescriptor = {
    enumerable: true,
    get(this: OutcomeValue): string {
      const v = this.#exact;
      if (typeof v === "string") return v;
      const text = toExactString(v);
      this.#exact = text;
      return text;
    },
  };

  constructor(value: Rational, display: Display) {
    this.#exact = value;
    Object.defineProperty(this, "exact", OutcomeValue.#exactProperty);
    this.number = toNumber(value);
    this.display = display;
  }
}

/**
 * An outcome whose explanation is rendered on first read and kept: a large run stores most outcomes
 * without reading their text. `explanation` is an own enumerable accessor (one shared descriptor, so all
 * outcomes keep one object shape), hence spread, JSON and equality checks see it like a plain field.
 */
class RuleOutcome implements Outcome {
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly institution: string;
  readonly period: string;
  readonly kind: Outcome["kind"];
  readonly severity: Outcome["severity"];
  readonly value: Outcome["value"];
  readonly thresholds: readonly OutcomeThreshold[];
  readonly line: Outcome["line"];
  readonly missing: Outcome["missing"];
  readonly provisional: Outcome["provisional"];
  readonly params: Outcome["params"];
  declare readonly explanation: Bilingual;
  #text: Bilingual | DeferredText;

  static readonly #explanationProperty: PropertyDescriptor = {
    enumerable: true,
    get(this: RuleOutcome): Bilingual {
      const text = this.#text;
      if (!("render" in text)) return text;
      const rendered = this.provisional ? provisionalNote(text.render(text.args)) : text.render(text.args);
      this.#text = rendered;
      return rendered;
    },
  };

  constructor(cr: CompiledRule, e: EvaluationContext["entity"], verdict: Verdict) {
    // A breach is provisional when the line it crossed is; a pass when any of its lines is.
    const judged =
      verdict.kind === "pass" || verdict.kind === "breach_warning" || verdict.kind === "breach_regulatory";
    let provisional = false;
    const thresholds: OutcomeThreshold[] = [];
    for (const t of verdict.thresholds ?? []) {
      thresholds.push(thresholdOf(t));
      const decisive = judged && (verdict.line === undefined || verdict.line === t.line);
      if (!provisional && decisive && t.params?.some((p) => cr.provisionalParams.has(p))) provisional = true;
    }
    const v = verdict.value;
    this.ruleId = cr.rule.id;
    this.ruleVersion = cr.rule.version;
    this.institution = e.institution;
    this.period = e.period;
    this.kind = verdict.kind;
    this.severity = cr.rule.severity;
    this.value =
      v === undefined ? undefined : "text" in v ? { text: v.text } : new OutcomeValue(v.exact, v.display);
    this.thresholds = thresholds;
    this.line = verdict.line;
    this.missing = verdict.missing;
    this.provisional = provisional || undefined;
    this.params = cr.params;
    const text = verdict.explanation;
    this.#text = provisional && !("render" in text) ? provisionalNote(text) : text;
    Object.defineProperty(this, "explanation", RuleOutcome.#explanationProperty);
  }
}

function provisionalNote(text: Bilingual): Bilingual {
  return { en: `${text.en} [Threshold provisional: to be confirmed.]`, zh: `${text.zh}〔阈值待确认〕` };
}

function toOutcome(cr: CompiledRule, e: EvaluationContext["entity"], verdict: Verdict): Outcome {
  return new RuleOutcome(cr, e, verdict);
}

function run(cr: CompiledRule, ctx: EvaluationContext): Outcome {
  const na = applicability(cr, ctx);
  if (na) return toOutcome(cr, ctx.entity, na);
  ctx.params = cr.params;
  ctx.citation = citationFor(cr, ctx.entity.periodEnd);
  let verdict: Verdict;
  try {
    verdict = cr.rule.evaluate(ctx);
  } catch (e) {
    if (e instanceof MissingData) verdict = missingVerdict(cr.name, e.missing);
    else {
      const message = e instanceof Error ? e.message : String(e);
      return toOutcome(cr, ctx.entity, {
        kind: "error",
        explanation: {
          en: `Rule ${cr.rule.id} failed: ${message}`,
          zh: `规则${cr.rule.id}执行出错：${message}`,
        },
      });
    }
  }
  return toOutcome(cr, ctx.entity, verdict);
}

/** Evaluates one rule on one entity-period, with optional parameter overrides (validated). */
export function evaluateRule(
  rule: AnyRule,
  entity: EntityInput,
  override?: Readonly<Record<string, unknown>>,
): Outcome {
  const params = resolveParams(rule, override) as Record<string, unknown>;
  assertEntityInputs([entity]);
  return run(compile(rule, params, override), prepareEntity(entity));
}

export interface EvaluatePackOptions {
  /** Also return not_applicable outcomes for rules whose types do not cover the entity (many). Default false. */
  includeNotApplicable?: boolean;
}

/**
 * Evaluates every rule of a pack on every entity-period. `overrides` replaces parameter defaults
 * (governed values or a what-if run) and is validated first: an AppError names each bad rule and
 * parameter. Outcomes come entity by entity in pack order; not_applicable ones are left out unless asked.
 */
export function evaluatePack(
  pack: readonly AnyRule[],
  entities: readonly EntityInput[],
  overrides: ParamOverrides = {},
  options: EvaluatePackOptions = {},
): Outcome[] {
  const seen = new Set<string>();
  for (const rule of pack) {
    if (seen.has(rule.id)) throw new AppError("INVALID_INPUT", `Duplicate rule id ${rule.id} in pack`);
    seen.add(rule.id);
  }
  const params = resolvePackParams(pack, overrides);
  assertEntityInputs(entities);
  const compiled = pack.map((rule) => compile(rule, params.get(rule.id)!, overrides[rule.id]));
  const byType = new Map<string, CompiledRule[]>();
  for (const cr of compiled) {
    for (const type of cr.rule.appliesTo.types) {
      const list = byType.get(type);
      if (list) list.push(cr);
      else byType.set(type, [cr]);
    }
  }
  const includeNA = options.includeNotApplicable === true;
  const outcomes: Outcome[] = [];
  const ctx = new EvaluationContext();
  for (const input of entities) {
    ctx.load(input);
    if (includeNA) {
      for (const cr of compiled) {
        const outcome = run(cr, ctx);
        outcomes.push(outcome);
      }
      continue;
    }
    for (const cr of byType.get(input.type) ?? []) {
      const outcome = run(cr, ctx);
      if (outcome.kind !== "not_applicable") outcomes.push(outcome);
    }
  }
  return outcomes;
}
