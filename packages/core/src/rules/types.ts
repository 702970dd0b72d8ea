/**
 * The rule model. A rule is reviewed code with a parameter schema; its legal basis, applicability and
 * effective dates are data on the rule, and it turns one entity-period into one outcome.
 */
import type { z } from "zod";
import type { BankTier, SupervisoryUnit } from "../contract/institution-types.ts";
import type { EntityType, ItemCode, ProductProfile } from "../contract/items.ts";
import type { Rational } from "../metrics/decimal.ts";
import type { MetricCode } from "../metrics/index.ts";
import type { Display, MetricResult } from "../metrics/metric.ts";

export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

/**
 * pass / breach_warning / breach_regulatory: the rule was assessed.
 * not_applicable: the rule does not cover this entity or period (type, tier, size, dates, frequency).
 * not_computable: the rule covers the entity but its data is missing or cannot give a value (a zero
 *   denominator with nothing to compare): a data-quality matter for the institution, kept apart from
 * error: the rule itself failed (a defect), with the message and no stack.
 */
export type OutcomeKind =
  | "pass"
  | "breach_warning"
  | "breach_regulatory"
  | "not_applicable"
  | "not_computable"
  | "error";

export type Severity = "low" | "medium" | "high" | "critical";
/** ">=" not lower than, ">" higher than, "<=" not higher than, "<" lower than (value on the left). */
export type Comparator = ">=" | ">" | "<=" | "<";
export type Line = "warning" | "regulatory";
/** Status codes of the threshold digest: P primary text, S secondary, S* weak source, U unverified. */
export type SourceStatus = "P" | "S" | "S*" | "U";
export type ParamStatus = "confirmed" | "to_confirm";

export interface LegalBasis {
  readonly document: Bilingual;
  readonly issuer: Bilingual;
  /** Year of issue; absent only where the digest could not establish it (status U). */
  readonly year?: number;
  /** Official document number, e.g. 银发〔2018〕106号. */
  readonly reference?: string;
  readonly article?: Bilingual;
  /** Source keys of the threshold digest, e.g. "S9". */
  readonly sources: readonly string[];
  readonly status: SourceStatus;
  /** When a rule's basis changed over time, the dates this citation is the one to show (YYYY-MM-DD). */
  readonly inForce?: { readonly from?: string; readonly to?: string };
}

export interface Applicability {
  readonly types: readonly EntityType[];
  /** Real-estate concentration tiers; an entity without a tier cannot be assessed. */
  readonly bankTiers?: readonly BankTier[];
  /** Size bounds on total assets in CNY (decimal text): atLeast ≤ size < below. */
  readonly totalAssets?: { readonly atLeast?: string; readonly below?: string };
  /** For asset-management products: which products the rule covers. */
  readonly product?: { readonly test: (p: ProductProfile) => boolean } & Bilingual;
  /** The rule covers only entities that report a non-zero value of this item (e.g. joint loans). */
  readonly activity?: { readonly item: ItemCode } & Bilingual;
}

export interface ParamSpec<T> {
  readonly schema: z.ZodType<T>;
  readonly default: T;
  readonly status: ParamStatus;
  readonly en: string;
  readonly zh: string;
  readonly note?: string;
}

export type ParamSpecs<P> = { readonly [K in keyof P]: ParamSpec<P[K]> };

export interface ParamSet<P> {
  readonly specs: ParamSpecs<P>;
  /** Strict object schema: unknown keys are refused, absent keys take their default. */
  readonly schema: z.ZodType<P>;
  readonly defaults: P;
}

/** The entity as a rule sees it. */
export interface EntityView {
  readonly institution: string;
  readonly type: EntityType;
  readonly period: string;
  /** Last day of the period, YYYY-MM-DD. */
  readonly periodEnd: string;
  readonly bankTier: BankTier | undefined;
  readonly systemicallyImportant: boolean;
  readonly totalAssets: Rational | undefined;
  readonly product: ProductProfile | undefined;
}

/** What a rule can read while it evaluates one entity-period. */
export interface RuleContext<P> {
  readonly params: P;
  readonly entity: EntityView;
  /** The legal basis in force for the period, formatted for explanations. */
  readonly citation: Bilingual;
  /** A metric, or an item wrapped as a metric (ok, or missing that item). */
  metric(code: MetricCode | ItemCode): MetricResult;
  item(code: ItemCode): Rational | undefined;
  text(code: ItemCode): string | undefined;
  flag(code: ItemCode): boolean | undefined;
  /** The item's value; when absent the evaluation stops with not_computable naming it. */
  requireItem(code: ItemCode): Rational;
  requireFlag(code: ItemCode): boolean;
}

export interface VerdictThreshold {
  readonly line: Line;
  readonly comparator: Comparator;
  readonly value: Rational;
  readonly display: Display;
  /** Parameters the line derives from, so the outcome can say whether it is provisional. */
  readonly params?: readonly string[];
}

/** An explanation rendered later from its arguments: holds no closure, so an outcome keeps only `args` alive. */
export interface DeferredText {
  // biome-ignore lint/suspicious/noExplicitAny: each renderer has its own argument shape.
  readonly render: (args: any) => Bilingual;
  readonly args: unknown;
}

/** What a rule's evaluate returns; the engine wraps it into an Outcome (and makes error ones itself). */
export interface Verdict {
  readonly kind: OutcomeKind;
  readonly value?: { readonly exact: Rational; readonly display: Display } | { readonly text: string };
  readonly thresholds?: readonly VerdictThreshold[];
  readonly line?: Line;
  readonly missing?: readonly string[];
  /** The text, or how to render it (see `deferred`): the engine renders it on first read of the outcome. */
  readonly explanation: Bilingual | DeferredText;
}

export interface Rule<P = Record<string, unknown>> {
  readonly id: string;
  readonly version: number;
  readonly zh: string;
  readonly en: string;
  /** Rule family, e.g. "bank_capital"; one pack file per family. */
  readonly family: string;
  readonly severity: Severity;
  readonly appliesTo: Applicability;
  /** Period ends within [from, to] are assessed (YYYY-MM-DD). */
  readonly effective: { readonly from: string; readonly to?: string };
  /** Most relevant first; explanations cite the first one in force for the period. */
  readonly legalBasis: readonly LegalBasis[];
  readonly leadUnit: SupervisoryUnit;
  /** Metrics and items the rule reads; quarterly inputs make the rule quarterly. */
  readonly reads: readonly (MetricCode | ItemCode)[];
  readonly params: ParamSet<P>;
  /** Notes for reviewers: what the rule leaves to record-level detectors, doubts about the source. */
  readonly notes?: readonly string[];
  evaluate(ctx: RuleContext<P>): Verdict;
}

/** Everything about a rule except how it evaluates: what the rule helpers take besides their own fields. */
export type RuleHeader<P> = Omit<Rule<P>, "evaluate" | "reads">;

// biome-ignore lint/suspicious/noExplicitAny: a pack holds rules with different parameter shapes.
export type AnyRule = Rule<any>;

export interface OutcomeThreshold {
  readonly line: Line;
  readonly comparator: Comparator;
  /** Exact value: a terminating decimal ("0.05") or a reduced fraction ("1/3"). */
  readonly exact: string;
  readonly number: number;
}

export interface Outcome {
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly institution: string;
  readonly period: string;
  readonly kind: OutcomeKind;
  readonly severity: Severity;
  /** Exact value text (see OutcomeThreshold.exact), its float, and how it is displayed; or a grade. */
  readonly value?:
    | { readonly exact: string; readonly number: number; readonly display: Display }
    | { readonly text: string };
  readonly thresholds: readonly OutcomeThreshold[];
  /** The line crossed, for breaches. */
  readonly line?: Line;
  readonly missing?: readonly string[];
  /** True when a threshold used comes from a default still marked to_confirm. */
  readonly provisional?: boolean;
  readonly explanation: Bilingual;
  /** The parameter set the outcome was produced with (shared, do not mutate). */
  readonly params: Readonly<Record<string, unknown>>;
}
