/** The rule API: what rule packs import from core. */
export type { EntityInput, EntityProfile } from "./context.ts";
export { entitiesFromFacts, MissingData } from "./context.ts";
export { type EvaluatePackOptions, evaluatePack, evaluateRule, isQuarterlyRule } from "./engine.ts";
export { formatValue, nameOf } from "./explain.ts";
export {
  choiceParam,
  dateParam,
  decimalParam,
  defineParams,
  type ParamOverrides,
  parseParamAssignments,
  perInstitutionParam,
  resolvePackParams,
  resolveParams,
} from "./params.ts";
export { prohibitionRule } from "./prohibition-rule.ts";
export {
  deferred,
  type LineResolver,
  type LineSpec,
  missingVerdict,
  satisfies,
  thresholdRule,
} from "./threshold-rule.ts";
export type * from "./types.ts";

import type { Rule } from "./types.ts";

/** Identity helper for bespoke rules, so the parameter type is inferred from `params`. */
export function defineRule<P>(rule: Rule<P>): Rule<P> {
  return rule;
}
