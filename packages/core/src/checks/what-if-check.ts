import { AppError } from "../errors.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import type { ParamOverrides } from "../rules/params.ts";
import type { CheckResult } from "./check-result.ts";
import { type ComputeCheckInput, computeCheck } from "./compute-check.ts";
import { type CheckDeps, withDuck } from "./evaluate-check.ts";

/**
 * A what-if: the period checked with some parameters set to other values over the governed ones. The result lists
 * the breaches under the what-if values and, in `whatIf.changes`, every institution whose outcome differs from the
 * governed run. Nothing is stored, whatever the values.
 */
export async function whatIfCheck(
  deps: CheckDeps,
  catalog: RuleCatalog,
  input: Omit<ComputeCheckInput, "whatIf"> & { overrides: ParamOverrides },
): Promise<CheckResult> {
  const { overrides, ...rest } = input;
  if (Object.keys(overrides).length === 0) {
    throw new AppError("INVALID_INPUT", "a what-if needs at least one parameter value (rule.param=value)");
  }
  return withDuck(
    deps,
    async (duck) => (await computeCheck(deps, catalog, duck, { ...rest, whatIf: overrides })).result,
  );
}
