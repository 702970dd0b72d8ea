/** Flags shared by the rule commands (check, rules, params), validated against the catalog before any work. */
import { AppError } from "@beacon/core/errors";
import { catalogRule, resolveCatalogParams } from "@beacon/core/rules/catalog";
import { type ParamOverrides, parseParamAssignments } from "@beacon/core/rules/params";
import { chinaCatalog } from "@beacon/packs/china/catalog";

/** Parses and validates `--set rule.param=value` flags against the catalog, naming the flag in every error. */
export function parseSetFlags(sets: readonly string[]): ParamOverrides {
  let overrides: ParamOverrides;
  try {
    overrides = parseParamAssignments(sets);
    resolveCatalogParams(chinaCatalog, overrides);
  } catch (e) {
    if (e instanceof AppError) throw new AppError("INVALID_INPUT", `--set: ${e.message}`, e.details);
    throw e;
  }
  return overrides;
}

/** Throws INVALID_INPUT naming the flag unless the rule exists. */
export function checkRuleFlag(rule: string, flag = "--rule"): void {
  try {
    catalogRule(chinaCatalog, rule);
  } catch (e) {
    if (e instanceof AppError) throw new AppError("INVALID_INPUT", `${flag}: ${e.message}`);
    throw e;
  }
}
