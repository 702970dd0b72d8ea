/**
 * The detector model. A detector is a set-based query over the lake views plus a small pure function from its
 * rows to findings with evidence. Its parameters are a schema with defaults (governed values and what-if runs
 * override them); every stored finding carries the detector's id, version and the parameter set that produced it.
 */
import type { SupervisoryUnit } from "../contract/institution-types.ts";
import type { Duck } from "../lake/duckdb.ts";
import type { Bilingual, ParamSet, Severity } from "../rules/types.ts";

export type { Bilingual, Severity };

/**
 * Which rows of a dataset a detector reads, relative to the detection period P (a month):
 * "period" the submissions of P (stocks such as the loan book); "flow" the twelve months up to P (sales,
 * claims, complaints); "history" every period up to P (trends).
 */
export type DatasetWindow = "period" | "flow" | "history";

export interface DatasetUse {
  readonly name: string;
  readonly window: DatasetWindow;
}

/** What a detector's run sees: DuckDB with the views it asked for, the period, and earlier findings of the run. */
export interface DetectorContext {
  readonly duck: Duck;
  /** The detection period, YYYY-MM. */
  readonly period: string;
  /** First and last day of the period, YYYY-MM-DD. */
  readonly periodStart: string;
  readonly periodEnd: string;
  /** First day of the flow window (eleven months before the period's first day). */
  readonly flowStart: string;
  /** Findings of detectors that ran earlier in the same run, by detector id. */
  readonly prior: ReadonlyMap<string, readonly FindingDraft[]>;
}

/**
 * One finding before it is stored. `members` are the entities the finding is about (one for a borrower, all of a
 * guarantee circle's enterprises, every bill of an arbitrage pattern), all of kind `memberKind`; evaluation against
 * planted truth compares them with the plant's subjects.
 */
export interface FindingDraft {
  readonly subjectKind: string;
  readonly subjectId: string;
  readonly memberKind: string;
  readonly members: readonly string[];
  /** Credit codes of the institutions concerned (lenders, sellers, managers, banks). */
  readonly institutions: readonly string[];
  readonly severity: Severity;
  /** Ranking score, higher is more urgent (0-100). */
  readonly score: number;
  readonly explanation: Bilingual;
  readonly evidence: Record<string, unknown>;
}

export interface Detector<P = Record<string, unknown>> {
  /** Stable id, snake_case; also the name in truth.json's `flaggedBy` ("detector:<id>"). */
  readonly id: string;
  /** Bumped whenever the logic changes, so stored findings say which logic produced them. */
  readonly version: string;
  readonly en: string;
  readonly zh: string;
  /** What the detector finds and why it matters. */
  readonly description: Bilingual;
  readonly leadUnit: SupervisoryUnit;
  readonly datasets: readonly DatasetUse[];
  /** Detectors whose findings in the same run this one reads (they run first and are added when missing). */
  readonly after?: readonly string[];
  readonly params: ParamSet<P>;
  run(ctx: DetectorContext, params: P): Promise<FindingDraft[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: a catalog holds detectors with different parameter shapes.
export type AnyDetector = Detector<any>;

/** Identity helper, so the parameter type is inferred from `params`. */
export function defineDetector<P>(detector: Detector<P>): Detector<P> {
  return detector;
}
