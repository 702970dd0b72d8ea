/**
 * The common rule shape: a metric compared with a regulatory line and, optionally, a warning line
 * ("not lower than 5%, warning at 6%"). Most pack rules are a few declarative lines of this helper;
 * lines may depend on parameters and on the entity (tier, product class, a flag item).
 */
import { findItem, type ItemCode } from "../contract/items.ts";
import { compare, dec, type Rational, sign } from "../metrics/decimal.ts";
import { findMetric, type MetricCode } from "../metrics/index.ts";
import type { Display, MetricResult } from "../metrics/metric.ts";
import { MissingData } from "./context.ts";
import { formatValue, type Lang, listCodes, nameOf, numbersTogether, withUnit } from "./explain.ts";
import type {
  Bilingual,
  Comparator,
  DeferredText,
  Rule,
  RuleContext,
  RuleHeader,
  Verdict,
  VerdictThreshold,
} from "./types.ts";

export interface LineSpec {
  value: string | Rational;
  /** Says which requirement applies: "for tier 2 banks" / "第二档银行". */
  qualifier?: Bilingual;
  /** Parameters the value derives from (for provisional thresholds). */
  params?: readonly string[];
}

/** A parameter name, or a function of parameters and entity giving the line (undefined: no such line). */
export type LineResolver<P> =
  | (keyof P & string)
  | ((p: P, ctx: RuleContext<P>) => LineSpec | string | undefined);

export interface ThresholdRuleSpec<P> extends RuleHeader<P> {
  metric: MetricCode | ItemCode;
  comparator: Comparator;
  regulatory: LineResolver<P>;
  warning?: LineResolver<P>;
  /** Name of the warning line; "warning line" by default, "requirement including buffers" for bank capital. */
  warningLabel?: Bilingual;
  /** Overrides the metric's display. */
  display?: Display;
  /** Items the line resolvers read, besides the metric. */
  alsoReads?: readonly ItemCode[];
}

interface ResolvedLine {
  value: Rational;
  qualifier: Bilingual | undefined;
  params: readonly string[];
}

const noParams: readonly string[] = [];
const paramLists = new Map<string, readonly string[]>();

function resolveLine<P>(resolver: LineResolver<P>, ctx: RuleContext<P>): ResolvedLine | undefined {
  if (typeof resolver === "string") {
    let params = paramLists.get(resolver);
    if (!params) {
      params = [resolver];
      paramLists.set(resolver, params);
    }
    return { value: dec(String(ctx.params[resolver])), qualifier: undefined, params };
  }
  const spec = resolver(ctx.params, ctx);
  if (spec === undefined) return undefined;
  if (typeof spec === "string") return { value: dec(spec), qualifier: undefined, params: noParams };
  return {
    value: typeof spec.value === "string" ? dec(spec.value) : spec.value,
    qualifier: spec.qualifier,
    params: spec.params ?? noParams,
  };
}

/** True when the value satisfies "value comparator line". */
export function satisfies(value: Rational, comparator: Comparator, line: Rational): boolean {
  const c = compare(value, line);
  switch (comparator) {
    case ">=":
      return c >= 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    case "<":
      return c < 0;
  }
}

const words = {
  en: {
    ">=": { noun: "regulatory minimum", fails: "is below", passes: "meets" },
    ">": { noun: "regulatory floor", fails: "is not above", passes: "is above" },
    "<=": { noun: "regulatory maximum", fails: "exceeds", passes: "is within" },
    "<": { noun: "regulatory ceiling", fails: "is not below", passes: "is below" },
  },
  zh: {
    ">=": { noun: "监管最低要求", fails: "低于", passes: "不低于" },
    ">": { noun: "监管下限", fails: "未高于", passes: "高于" },
    "<=": { noun: "监管上限", fails: "高于", passes: "不高于" },
    "<": { noun: "监管上限", fails: "未低于", passes: "低于" },
  },
} as const;

const defaultWarningLabel: Bilingual = { en: "warning line", zh: "预警线" };

function displayOf(code: string): Display {
  const metric = findMetric(code);
  if (metric) return metric.display;
  const unit = findItem(code)?.unit;
  if (unit === "CNY") return "amount";
  if (unit === "ratio") return "percent";
  if (unit === "days") return "days";
  return "count";
}

/** How the parts of a ratio are shown when its denominator is not positive. */
function partsDisplayOf(code: string): Display {
  const first = findMetric(code)?.inputs[0];
  return first !== undefined && findItem(first)?.unit === "count" ? "count" : "amount";
}

interface Parts {
  name: string;
  value: string;
  line: string;
  qualifier: string;
  warning: string;
  warningQualifier: string;
  warningLabel: string;
  cite: string;
}

/** Sentences per outcome and language; the same parts fill both languages. */
const sentences = {
  en: {
    breach_regulatory: (w: Words, p: Parts) =>
      `${p.name} ${p.value} ${w.fails} the ${w.noun} ${p.line}${p.qualifier} (${p.cite}).`,
    breach_warning: (w: Words, p: Parts) =>
      `${p.name} ${p.value} ${w.fails} the ${p.warningLabel} ${p.warning}${p.warningQualifier}; the ${w.noun} is ${p.line}${p.qualifier} (${p.cite}).`,
    pass: (w: Words, p: Parts) =>
      `${p.name} ${p.value} ${w.passes} the ${w.noun} ${p.line}${p.qualifier}${p.warning ? ` and the ${p.warningLabel} ${p.warning}${p.warningQualifier}` : ""} (${p.cite}).`,
  },
  zh: {
    breach_regulatory: (w: Words, p: Parts) =>
      `${p.name}为${p.value}，${w.fails}${p.qualifier}${w.noun}${p.line}（${p.cite}）。`,
    breach_warning: (w: Words, p: Parts) =>
      `${p.name}为${p.value}，${w.fails}${p.warningQualifier}${p.warningLabel}${p.warning}；${p.qualifier}${w.noun}为${p.line}（${p.cite}）。`,
    pass: (w: Words, p: Parts) =>
      `${p.name}为${p.value}，${w.passes}${p.qualifier}${w.noun}${p.line}${p.warning ? `及${p.warningQualifier}${p.warningLabel}${p.warning}` : ""}（${p.cite}）。`,
  },
} as const;

type Words = { noun: string; fails: string; passes: string };

function qualifierText(q: Bilingual | undefined, lang: Lang): string {
  if (!q) return "";
  return lang === "en" ? ` ${q.en}` : q.zh;
}

interface RenderArgs {
  kind: "pass" | "breach_warning" | "breach_regulatory";
  comparator: Comparator;
  name: Bilingual;
  shownAs: Display;
  label: Bilingual;
  value: Rational;
  reg: ResolvedLine;
  warn: ResolvedLine | undefined;
  cite: Bilingual;
}

function renderThreshold(a: RenderArgs): Bilingual {
  const numbers = numbersTogether(a.value, a.warn ? [a.reg.value, a.warn.value] : [a.reg.value], a.shownAs);
  const explain = (lang: Lang) =>
    sentences[lang][a.kind](words[lang][a.comparator], {
      name: a.name[lang],
      value: withUnit(numbers.value, a.shownAs, lang),
      line: withUnit(numbers.lines[0]!, a.shownAs, lang),
      qualifier: qualifierText(a.reg.qualifier, lang),
      warning: a.warn ? withUnit(numbers.lines[1]!, a.shownAs, lang) : "",
      warningQualifier: qualifierText(a.warn?.qualifier, lang),
      warningLabel: a.label[lang],
      cite: a.cite[lang],
    });
  return { en: explain("en"), zh: explain("zh") };
}

/**
 * An explanation to render later from `args` (nothing else of the evaluating scope is kept). `args` must
 * hold values, never the rule context: the engine reuses one context for every entity of a run.
 */
export function deferred<A>(render: (args: A) => Bilingual, args: A): DeferredText {
  return { render, args };
}

/** A rule comparing one metric (or ratio item) with a regulatory line and an optional warning line. */
export function thresholdRule<P>(spec: ThresholdRuleSpec<P>): Rule<P> {
  const { metric, comparator, regulatory, warning, warningLabel, display, alsoReads, ...header } = spec;
  const name = nameOf(metric);
  const shownAs = display ?? displayOf(metric);
  const partsShownAs = partsDisplayOf(metric);
  const label = warningLabel ?? defaultWarningLabel;
  const isMax = comparator === "<=" || comparator === "<";

  return {
    ...header,
    reads: [metric, ...(alsoReads ?? [])],
    evaluate(ctx): Verdict {
      const result: MetricResult = ctx.metric(metric);
      let reg: ResolvedLine | undefined;
      let warn: ResolvedLine | undefined;
      let lineMissing: readonly string[] = [];
      try {
        reg = resolveLine(regulatory, ctx);
        warn = warning ? resolveLine(warning, ctx) : undefined;
      } catch (e) {
        if (!(e instanceof MissingData)) throw e;
        lineMissing = e.missing;
      }
      if (result.status === "not_computable" && result.reason === "missing_inputs") {
        return missingVerdict(name, [...result.missing, ...lineMissing]);
      }
      if (reg === undefined) {
        if (lineMissing.length > 0) return missingVerdict(name, lineMissing);
        throw new Error(`Rule ${header.id} resolved no regulatory line`);
      }
      const thresholds: VerdictThreshold[] = [
        { line: "regulatory", comparator, value: reg.value, display: shownAs, params: reg.params },
      ];
      if (warn)
        thresholds.unshift({
          line: "warning",
          comparator,
          value: warn.value,
          display: shownAs,
          params: warn.params,
        });
      const cite = ctx.citation;

      if (result.status === "not_computable") {
        return zeroOrNegativeDenominator(
          result.numerator,
          result.denominator,
          result.reason === "zero_denominator",
        );
      }

      const value = result.value;
      const kind = !satisfies(value, comparator, reg.value)
        ? "breach_regulatory"
        : warn && !satisfies(value, comparator, warn.value)
          ? "breach_warning"
          : "pass";
      // Rendered only when someone reads it: most outcomes of a large run are stored, not read.
      const explanation = deferred(renderThreshold, {
        kind,
        comparator,
        name,
        shownAs,
        label,
        value,
        reg,
        warn,
        cite,
      });
      return {
        kind,
        line: kind === "pass" ? undefined : kind === "breach_warning" ? "warning" : "regulatory",
        value: { exact: value, display: shownAs },
        thresholds,
        explanation,
      };

      /** Decides only where the answer is unambiguous: exposure against no capital, cover against no need. */
      function zeroOrNegativeDenominator(numerator: Rational, denominator: Rational, zero: boolean): Verdict {
        const n = (lang: Lang) => formatValue(numerator, partsShownAs, lang);
        const d = (lang: Lang) => formatValue(denominator, partsShownAs, lang);
        const line = (lang: Lang) =>
          formatValue(reg!.value, shownAs, lang) + qualifierText(reg!.qualifier, lang);
        const en = words.en[comparator];
        const zh = words.zh[comparator];
        const numeratorPositive = sign(numerator) > 0;
        if (isMax && numeratorPositive) {
          const zhLine =
            qualifierText(reg!.qualifier, "zh") + zh.noun + formatValue(reg!.value, shownAs, "zh");
          return {
            kind: "breach_regulatory",
            line: "regulatory",
            thresholds,
            explanation: {
              en: `${name.en} has a ${zero ? "zero" : "negative"} denominator (${d("en")}) against a numerator of ${n("en")}, which is treated as exceeding the ${en.noun} ${line("en")} (${cite.en}).`,
              zh: `${name.zh}的分母为${d("zh")}（${zero ? "零" : "负数"}），分子为${n("zh")}，视为${zh.fails}${zhLine}（${cite.zh}）。`,
            },
          };
        }
        if (!isMax && zero && numeratorPositive) {
          const zhLine =
            qualifierText(reg!.qualifier, "zh") + zh.noun + formatValue(reg!.value, shownAs, "zh");
          return {
            kind: "pass",
            thresholds,
            explanation: {
              en: `${name.en} has a zero denominator against a numerator of ${n("en")}, so it is unbounded and ${en.passes} the ${en.noun} ${line("en")} (${cite.en}).`,
              zh: `${name.zh}的分母为零，分子为${n("zh")}，比率无上限，${zh.passes}${zhLine}（${cite.zh}）。`,
            },
          };
        }
        return {
          kind: "not_computable",
          thresholds,
          explanation: {
            en: `${name.en} cannot be assessed: its denominator is ${d("en")} (${zero ? "zero" : "negative"}) and its numerator is ${n("en")}.`,
            zh: `${name.zh}无法评估：分母为${d("zh")}（${zero ? "零" : "负数"}），分子为${n("zh")}。`,
          },
        };
      }
    },
  };
}

/** The not_computable verdict for missing inputs, naming each one. */
export function missingVerdict(name: Bilingual, missing: readonly string[]): Verdict {
  const unique = [...new Set(missing)];
  const list = listCodes(unique);
  return {
    kind: "not_computable",
    missing: unique,
    explanation: {
      en: `${name.en} cannot be assessed: missing ${list.en}.`,
      zh: `${name.zh}无法评估：缺少${list.zh}。`,
    },
  };
}
