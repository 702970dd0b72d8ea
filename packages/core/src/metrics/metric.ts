/**
 * Derived indicators computed per entity and period from return items, exactly (see decimal.ts).
 * A metric never turns a missing input into zero: it reports which inputs are missing, and a ratio whose
 * denominator is zero or negative reports that too, with both parts, so a rule can decide what it means.
 */
import type { ItemCode } from "../contract/items.ts";
import { add, div, type Rational, sign, sub, ZERO } from "./decimal.ts";

export type MetricUnit = "ratio" | "CNY" | "count" | "days";
/** How a value is shown: 0.042 as "4.20%" (percent) or "0.04x" (multiple). */
export type Display = "percent" | "multiple" | "amount" | "count" | "days";

export type MetricResult =
  | { readonly status: "ok"; readonly value: Rational }
  | {
      readonly status: "not_computable";
      readonly reason: "missing_inputs";
      readonly missing: readonly string[];
    }
  | {
      readonly status: "not_computable";
      readonly reason: "zero_denominator" | "negative_denominator";
      readonly missing: readonly [];
      readonly numerator: Rational;
      readonly denominator: Rational;
    };

/** Reads one item of the entity being computed; undefined when not reported. */
export type ItemReader = (code: ItemCode) => Rational | undefined;

export interface MetricDef<C extends string = string> {
  readonly code: C;
  readonly zh: string;
  readonly en: string;
  readonly unit: MetricUnit;
  readonly display: Display;
  /** Human-readable formula, shown next to the value. */
  readonly formula: string;
  readonly inputs: readonly ItemCode[];
  /** Set when no threshold exists and the metric is for monitoring and scoring only. */
  readonly monitoringOnly?: boolean;
  compute(read: ItemReader): MetricResult;
}

/** An item code to add, or to subtract when prefixed with "-". */
export type Term = ItemCode | `-${ItemCode}`;

interface ParsedTerm {
  code: ItemCode;
  negative: boolean;
}

function parseTerms(terms: readonly Term[]): ParsedTerm[] {
  return terms.map((t) =>
    t.startsWith("-")
      ? { code: t.slice(1) as ItemCode, negative: true }
      : { code: t as ItemCode, negative: false },
  );
}

/** Adds up terms; pushes absent codes onto `missing` (allocated lazily) and returns it, or the sum. */
function sumTerms(read: ItemReader, terms: readonly ParsedTerm[], missing: string[] | undefined) {
  let total = ZERO;
  for (const t of terms) {
    const v = read(t.code);
    if (v === undefined) {
      if (missing === undefined) missing = [];
      if (!missing.includes(t.code)) missing.push(t.code);
    } else total = t.negative ? sub(total, v) : add(total, v);
  }
  return { total, missing };
}

/** The not_computable result naming the missing inputs. */
export function missingInputs(missing: readonly string[]): MetricResult {
  return { status: "not_computable", reason: "missing_inputs", missing };
}

/** Divides, reporting a zero or negative denominator instead of producing a value. */
export function ratioOf(numerator: Rational, denominator: Rational): MetricResult {
  const s = sign(denominator);
  if (s > 0) return { status: "ok", value: div(numerator, denominator) };
  return {
    status: "not_computable",
    reason: s === 0 ? "zero_denominator" : "negative_denominator",
    missing: [],
    numerator,
    denominator,
  };
}

interface MetricHeader<C extends string> {
  code: C;
  zh: string;
  en: string;
  formula: string;
  monitoringOnly?: boolean;
}

/** A ratio of two sums of items: (a + b − c) / (d − e). */
export function ratioMetric<const C extends string>(
  spec: MetricHeader<C> & { display?: "percent" | "multiple"; num: readonly Term[]; den: readonly Term[] },
): MetricDef<C> {
  const num = parseTerms(spec.num);
  const den = parseTerms(spec.den);
  return {
    code: spec.code,
    zh: spec.zh,
    en: spec.en,
    unit: "ratio",
    display: spec.display ?? "percent",
    formula: spec.formula,
    inputs: [...new Set([...num, ...den].map((t) => t.code))],
    ...(spec.monitoringOnly ? { monitoringOnly: true } : {}),
    compute(read) {
      const n = sumTerms(read, num, undefined);
      const d = sumTerms(read, den, n.missing);
      if (d.missing) return missingInputs(d.missing);
      return ratioOf(n.total, d.total);
    },
  };
}

/** A sum of items in money: a + b − c. */
export function sumMetric<const C extends string>(
  spec: MetricHeader<C> & { terms: readonly Term[] },
): MetricDef<C> {
  const terms = parseTerms(spec.terms);
  return {
    code: spec.code,
    zh: spec.zh,
    en: spec.en,
    unit: "CNY",
    display: "amount",
    formula: spec.formula,
    inputs: terms.map((t) => t.code),
    ...(spec.monitoringOnly ? { monitoringOnly: true } : {}),
    compute(read) {
      const s = sumTerms(read, terms, undefined);
      return s.missing ? missingInputs(s.missing) : { status: "ok", value: s.total };
    },
  };
}

/** A metric with its own formula; `compute` must report missing inputs through `missingInputs`. */
export function customMetric<const C extends string>(
  spec: MetricHeader<C> & {
    unit: MetricUnit;
    display: Display;
    inputs: readonly ItemCode[];
    compute: (read: ItemReader) => MetricResult;
  },
): MetricDef<C> {
  return { ...spec };
}

/** Reads all the codes, or returns the list of those missing. */
export function readAll<const T extends readonly ItemCode[]>(
  read: ItemReader,
  codes: T,
):
  | { values: { -readonly [K in keyof T]: Rational }; missing?: undefined }
  | { values?: undefined; missing: string[] } {
  const values: Rational[] = [];
  let missing: string[] | undefined;
  for (const code of codes) {
    const v = read(code);
    if (v !== undefined) values.push(v);
    else if (missing) missing.push(code);
    else missing = [code];
  }
  return missing ? { missing } : { values: values as { -readonly [K in keyof T]: Rational } };
}
