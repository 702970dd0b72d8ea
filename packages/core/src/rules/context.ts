/**
 * Entities as the engine receives them, validated once and turned into arrays indexed by item and
 * metric position, so each rule reads values without parsing and each metric is computed at most once
 * per entity-period.
 */
import type { BankTier } from "../contract/institution-types.ts";
import {
  checkItemValue,
  type EntityType,
  entityTypeCodes,
  type Fact,
  type ItemCode,
  isPlainDecimal,
  itemDictionary,
  type ProductProfile,
  periodEnd,
  periodMonth,
  periodPattern,
  totalAssetsItemByType,
} from "../contract/items.ts";
import { AppError } from "../errors.ts";
import { parseDecimal, type Rational } from "../metrics/decimal.ts";
import { type MetricCode, metricCatalog } from "../metrics/index.ts";
import { type ItemReader, type MetricResult, missingInputs } from "../metrics/metric.ts";
import type { Bilingual, EntityView, RuleContext } from "./types.ts";

/** Registry attributes of an institution or product, independent of the period. */
export interface EntityProfile {
  type: EntityType;
  bankTier?: BankTier;
  /** Designated systemically important (adds the systemic capital surcharge). */
  systemicallyImportant?: boolean;
  /** Size in CNY (decimal text); when absent the entity type's total-assets item is used. */
  totalAssets?: string;
  product?: ProductProfile;
}

/** One entity-period to evaluate: registry attributes plus the period's facts and any reported metric values. */
export interface EntityInput extends EntityProfile {
  /** 18-character credit code, or the product's registration code. */
  institution: string;
  /** "YYYY-MM" or "YYYY-Qn". */
  period: string;
  /** Item code → decimal text (grades as their letters). */
  facts?: Readonly<Record<string, string>>;
  /** Metric code → decimal text, used instead of computing the metric from facts. */
  metrics?: Readonly<Record<string, string>>;
}

const itemIndex = new Map<string, number>(itemDictionary.map((d, i) => [d.code, i]));
const metricIndex = new Map<string, number>(metricCatalog.map((m, i) => [m.code, i]));

/** Thrown by requireItem/requireFlag; the engine turns it into a not_computable outcome. */
export class MissingData extends Error {
  readonly missing: readonly string[];
  constructor(missing: readonly string[]) {
    super(`Missing ${missing.join(", ")}`);
    this.name = "MissingData";
    this.missing = missing;
  }
}

/**
 * Per entity-period state. One instance is reused across the entities of a run (`load` clears what the
 * previous entity set), so evaluating a pack allocates little beyond the outcomes. Facts are parsed on
 * first read; the engine sets `params` and `citation` before each rule runs.
 */
export class EvaluationContext implements RuleContext<unknown> {
  params: unknown = undefined;
  citation: Bilingual = { en: "", zh: "" };
  entity: EntityView = emptyView;
  private readonly raw: (string | undefined)[] = new Array(itemDictionary.length).fill(undefined);
  private readonly parsed: (Rational | undefined)[] = new Array(itemDictionary.length).fill(undefined);
  private readonly metricCache: (MetricResult | undefined)[] = new Array(metricCatalog.length).fill(
    undefined,
  );
  private readonly loadedItems: number[] = [];
  private readonly cachedMetrics: number[] = [];
  private readonly reader: ItemReader = (code) => this.item(code);

  /** Points the context at a validated input (see assertEntityInputs). */
  load(input: EntityInput): this {
    for (const i of this.loadedItems) {
      this.raw[i] = undefined;
      this.parsed[i] = undefined;
    }
    for (const m of this.cachedMetrics) this.metricCache[m] = undefined;
    this.loadedItems.length = 0;
    this.cachedMetrics.length = 0;
    const facts = input.facts;
    if (facts) {
      for (const code in facts) {
        const i = itemIndex.get(code)!;
        this.raw[i] = facts[code];
        this.loadedItems.push(i);
      }
    }
    const reported = input.metrics;
    if (reported) {
      for (const code in reported) {
        const m = metricIndex.get(code)!;
        this.metricCache[m] = { status: "ok", value: parseDecimal(reported[code]!)! };
        this.cachedMetrics.push(m);
      }
    }
    let totalAssets = input.totalAssets === undefined ? undefined : parseDecimal(input.totalAssets);
    if (totalAssets === undefined) {
      const sizeItem = totalAssetsItemByType[input.type];
      if (sizeItem !== undefined) totalAssets = this.item(sizeItem);
    }
    this.entity = {
      institution: input.institution,
      type: input.type,
      period: input.period,
      periodEnd: periodEnd(input.period),
      bankTier: input.bankTier,
      systemicallyImportant: input.systemicallyImportant === true,
      totalAssets,
      product: input.product,
    };
    return this;
  }

  metric(code: MetricCode | ItemCode): MetricResult {
    const m = metricIndex.get(code);
    if (m !== undefined) {
      let result = this.metricCache[m];
      if (result === undefined) {
        result = metricCatalog[m]!.compute(this.reader);
        this.metricCache[m] = result;
        this.cachedMetrics.push(m);
      }
      return result;
    }
    const v = this.item(code as ItemCode);
    return v === undefined ? missingInputs([code]) : { status: "ok", value: v };
  }

  item(code: ItemCode): Rational | undefined {
    const i = itemIndex.get(code);
    if (i === undefined) throw new Error(`Unknown item ${code}`);
    const done = this.parsed[i];
    if (done !== undefined) return done;
    const text = this.raw[i];
    if (text === undefined) return undefined;
    if (itemDictionary[i]!.unit === "grade") throw new Error(`Item ${code} holds a grade, not a number`);
    const value = parseDecimal(text)!;
    this.parsed[i] = value;
    return value;
  }

  text(code: ItemCode): string | undefined {
    const i = itemIndex.get(code);
    if (i === undefined) throw new Error(`Unknown item ${code}`);
    if (itemDictionary[i]!.unit !== "grade") throw new Error(`Item ${code} holds a number, not a grade`);
    return this.raw[i];
  }

  flag(code: ItemCode): boolean | undefined {
    const v = this.item(code);
    return v === undefined ? undefined : v.num !== 0n;
  }

  requireItem(code: ItemCode): Rational {
    const v = this.item(code);
    if (v === undefined) throw new MissingData([code]);
    return v;
  }

  requireFlag(code: ItemCode): boolean {
    return this.requireItem(code).num !== 0n;
  }
}

const emptyView: EntityView = {
  institution: "",
  type: "bank",
  period: "",
  periodEnd: "",
  bankTier: undefined,
  systemicallyImportant: false,
  totalAssets: undefined,
  product: undefined,
};

/** For each entity type, which item positions it may report. */
const reportable = new Map<string, Uint8Array>(
  entityTypeCodes.map((type) => [
    type,
    Uint8Array.from(itemDictionary, (d) => (d.appliesTo.includes(type) ? 1 : 0)),
  ]),
);

/** Problems with one entity input, as "institution period: message" lines; empty when valid. */
export function checkEntityInput(input: EntityInput): string[] {
  const problems: string[] = [];
  const add = (message: string) => problems.push(`${input.institution} ${input.period}: ${message}`);
  const allowed = reportable.get(input.type);
  if (!allowed) add(`unknown entity type "${input.type}"`);
  if (!periodPattern.test(input.period)) add("malformed period (expected YYYY-MM or YYYY-Qn)");
  if (input.totalAssets !== undefined && !isPlainDecimal(input.totalAssets)) {
    add(`totalAssets "${input.totalAssets}" is not a decimal`);
  }
  if (input.type === "am_product" && input.bankTier !== undefined) add("a product has no bank tier");
  const facts = input.facts;
  if (facts && allowed) {
    for (const code in facts) {
      const i = itemIndex.get(code);
      const value = facts[code]!;
      if (i === undefined) add(`unknown item ${code}`);
      else if (allowed[i] === 0) add(`item ${code} is not reported by ${input.type}`);
      else {
        const why = checkItemValue(itemDictionary[i]!, value);
        if (why) add(`item ${code} value "${value}": ${why}`);
      }
    }
  }
  const metrics = input.metrics;
  if (metrics) {
    for (const code in metrics) {
      if (!metricIndex.has(code)) add(`unknown metric ${code}`);
      else if (!isPlainDecimal(metrics[code]!))
        add(`metric ${code} value "${metrics[code]}" is not a decimal`);
    }
  }
  return problems;
}

/** Throws one AppError listing every problem (at most 50 shown) when any input is invalid. */
export function assertEntityInputs(inputs: readonly EntityInput[]): void {
  const problems: string[] = [];
  for (const input of inputs) {
    problems.push(...checkEntityInput(input));
    if (problems.length >= 50) break;
  }
  if (problems.length > 0) {
    throw new AppError("VALIDATION_FAILED", `Invalid entity input: ${problems.slice(0, 50).join("; ")}`, {
      problems,
    });
  }
}

/** A fresh evaluation context for one validated input (see assertEntityInputs). */
export function prepareEntity(input: EntityInput): EvaluationContext {
  return new EvaluationContext().load(input);
}

/**
 * Groups long-format facts into entity inputs, one per institution and month (a quarterly period joins
 * the month that closes it). Facts of institutions missing from the registry are refused.
 */
export function entitiesFromFacts(
  facts: Iterable<Fact>,
  registry: ReadonlyMap<string, EntityProfile>,
): EntityInput[] {
  const byKey = new Map<string, EntityInput & { facts: Record<string, string> }>();
  const unknown = new Set<string>();
  for (const fact of facts) {
    const profile = registry.get(fact.institution);
    if (!profile) {
      unknown.add(fact.institution);
      continue;
    }
    const month = periodMonth(fact.period);
    const key = `${fact.institution}|${month}`;
    let entity = byKey.get(key);
    if (!entity) {
      entity = { ...profile, institution: fact.institution, period: month, facts: {} };
      byKey.set(key, entity);
    }
    entity.facts[fact.item] = fact.value;
  }
  if (unknown.size > 0) {
    throw new AppError(
      "VALIDATION_FAILED",
      `Facts for institutions not in the registry: ${[...unknown].slice(0, 20).join(", ")}`,
      {
        institutions: [...unknown],
      },
    );
  }
  return [...byKey.values()];
}
