/** Builders shared by the pack's table-driven tests. */
import type { EntityInput, Outcome } from "@beacon/core/rules/index";

export const BANK_CODE = "915000002028300011";
export const OTHER_CODE = "915000002028300029";

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
