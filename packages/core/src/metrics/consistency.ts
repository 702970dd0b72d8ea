/** Runs the dictionary's cross-item consistency checks on one institution-period's facts (used at intake). */
import { type ItemConsistencyCheck, itemConsistencyChecks } from "../contract/items.ts";
import {
  add,
  compare,
  dec,
  max,
  mul,
  parseDecimal,
  type Rational,
  sub,
  toExactString,
  ZERO,
} from "./decimal.ts";

export interface ConsistencyViolation {
  checkId: string;
  description: string;
  /** Exact texts of the summed left-hand side, the right-hand side and the allowed tolerance. */
  lhs: string;
  rhs: string;
  tolerance: string;
  message: string;
}

function abs(r: Rational): Rational {
  return r.num < 0n ? { num: -r.num, den: r.den } : r;
}

/** Violations of the checks among `values` (item code → decimal text); checks with an absent item are skipped. */
export function runConsistencyChecks(
  values: Readonly<Record<string, string>>,
  checks: readonly ItemConsistencyCheck[] = itemConsistencyChecks,
): ConsistencyViolation[] {
  const violations: ConsistencyViolation[] = [];
  for (const check of checks) {
    const codes = [...check.lhs, check.rhs];
    const parsed = codes.map((c) => {
      const text = values[c];
      return text === undefined ? undefined : parseDecimal(text);
    });
    if (parsed.some((p) => p === undefined)) continue;
    const rhs = parsed.pop() as Rational;
    const lhs = (parsed as Rational[]).reduce(add, ZERO);
    const tolerance = max(dec(check.tolerance.absolute), mul(dec(check.tolerance.relative), abs(rhs)));
    const excess = check.relation === "eq" ? abs(sub(lhs, rhs)) : sub(lhs, rhs);
    if (compare(excess, tolerance) <= 0) continue;
    const relation = check.relation === "eq" ? "equal" : "not exceed";
    violations.push({
      checkId: check.id,
      description: check.description,
      lhs: toExactString(lhs),
      rhs: toExactString(rhs),
      tolerance: toExactString(tolerance),
      message: `${check.lhs.join(" + ")} = ${toExactString(lhs)} should ${relation} ${check.rhs} = ${toExactString(rhs)} (tolerance ${toExactString(tolerance)})`,
    });
  }
  return violations;
}
