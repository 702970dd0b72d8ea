/**
 * Record-level rules: a cap on every record of a lake dataset (a loan's true rate, a borrower's balance, a bill's
 * tenor, a product's look-through leverage), checked as one set-based query in DuckDB. Like an entity rule it is
 * reviewed code with a governed parameter schema and a legal basis; it never touches storage: it returns SQL over
 * the views the runner registers (see run-record-rules.ts).
 */
import type { InstitutionType, SupervisoryUnit } from "../../contract/institution-types.ts";
import { parseDecimal } from "../../metrics/decimal.ts";
import type { Display } from "../../metrics/metric.ts";
import type { Bilingual, LegalBasis, ParamSet, Severity } from "../types.ts";

/** What a record rule's SQL may use besides the dataset views named after their datasets. */
export interface RecordSqlContext {
  /** The lake period assessed, YYYY-MM. */
  readonly period: string;
  /** Last day of the period, YYYY-MM-DD. */
  readonly periodEnd: string;
}

/**
 * One breaching record as the rule's SQL selects it. Every record rule is a cap: a record breaches the regulatory
 * line when `value > regulatory`, the warning line when `warning < value <= regulatory` (to one part in 10^9).
 */
export interface RecordRow {
  institution: string;
  subject: string;
  value: number;
  warning: number | null;
  regulatory: number;
  /** The parameter the lines come from, so a breach can say whether its line is still to be confirmed. */
  param: string;
  /** Rule-specific evidence (loan ids, dates, the nominal rate, ...). */
  detail: Record<string, unknown>;
}

export interface RecordRule<P = Record<string, unknown>> {
  readonly id: string;
  readonly version: number;
  readonly zh: string;
  readonly en: string;
  readonly family: string;
  readonly severity: Severity;
  /** Institution types whose records the rule assesses (the reporter of the dataset). */
  readonly appliesTo: { readonly types: readonly InstitutionType[] };
  /** Period ends within [from, to] are assessed (YYYY-MM-DD). */
  readonly effective: { readonly from: string; readonly to?: string };
  readonly legalBasis: readonly LegalBasis[];
  readonly leadUnit: SupervisoryUnit;
  readonly params: ParamSet<P>;
  readonly notes?: readonly string[];
  /** Lake datasets the SQL reads; the runner registers a view of each, named after it, over the period. */
  readonly datasets: readonly string[];
  /** What one record is, in lower case, with its Chinese measure word: loan / 贷款 / 笔. */
  readonly subject: Bilingual & { readonly counter: string };
  /** What is measured: "true annual rate" / "真实年化利率". */
  readonly measure: Bilingual;
  readonly display: Display;
  /**
   * SQL selecting candidate rows with the RecordRow columns (`detail` as JSON text or a STRUCT); the runner keeps those above
   * a line. Besides the dataset views it may read `registry` (code, type) and `lpr` (from_date DATE: the 20th of
   * the announcement month, one_year DOUBLE as a fraction).
   */
  sql(params: P, ctx: RecordSqlContext): string;
  /** How the line applying to a row is qualified in explanations ("for a small-loan company"). */
  qualifier?(row: RecordRow, params: P): Bilingual | undefined;
  /** The legal basis of the line applying to a row, when it depends on the row (default: the first in force). */
  basisFor?(row: RecordRow, params: P): LegalBasis;
}

// biome-ignore lint/suspicious/noExplicitAny: a catalog holds record rules with different parameter shapes.
export type AnyRecordRule = RecordRule<any>;

/** Identity helper, so the parameter type is inferred from `params`. */
export function defineRecordRule<P>(rule: RecordRule<P>): RecordRule<P> {
  return rule;
}

/** A decimal parameter (decimal text or fraction, already validated by its schema) as a SQL DOUBLE expression. */
export function sqlNumber(text: string): string {
  const r = parseDecimal(text.trim());
  if (!r) throw new Error(`Not a decimal parameter: ${text}`);
  return r.den === 1n ? `CAST(${r.num} AS DOUBLE)` : `(CAST(${r.num} AS DOUBLE) / CAST(${r.den} AS DOUBLE))`;
}

/** A SQL string literal. */
export function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
