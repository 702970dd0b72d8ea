/** Builders and a table runner shared by the pack's tests. */
import {
  type AnyRule,
  type EntityInput,
  evaluateRule,
  type Outcome,
  type OutcomeKind,
} from "@beacon/core/rules/index";
import { expect, it } from "vitest";

export const BANK_CODE = "915000002028300011";
export const PRODUCT_CODE = "C1090000000000000001";

/** An entity-period of the given type with the given facts (period 2024-12 unless overridden). */
export function entity(
  type: EntityInput["type"],
  facts: Record<string, string>,
  extra: Partial<EntityInput> = {},
): EntityInput {
  return { institution: BANK_CODE, type, period: "2024-12", facts, ...extra };
}

/** The fields a table row asserts. */
export function summary(o: Outcome) {
  return { kind: o.kind, en: o.explanation.en, zh: o.explanation.zh };
}

export interface Row {
  name: string;
  input: EntityInput;
  override?: Record<string, unknown>;
  kind: OutcomeKind;
  en: string;
  zh: string;
}

/** One test per row: the outcome kind and both explanations, exactly. */
export function table(rule: AnyRule, rows: readonly Row[]): void {
  it.each(rows)("$name", (row) => {
    expect(summary(evaluateRule(rule, row.input, row.override))).toEqual({
      kind: row.kind,
      en: row.en,
      zh: row.zh,
    });
  });
}
