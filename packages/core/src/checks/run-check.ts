import type { Actor } from "../governance/proposal-row.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import type { CheckResult } from "./check-result.ts";
import { type ComputeCheckInput, computeCheck } from "./compute-check.ts";
import { type CheckDeps, withDuck } from "./evaluate-check.ts";
import { storeCheckRun } from "./store-check-run.ts";

export type RunCheckInput = Omit<ComputeCheckInput, "whatIf"> & {
  /** Save the run (period, as-of, pack version, parameter snapshot, outcomes) for warnings and the console. */
  store?: boolean;
};

/**
 * Checks one period under the governed parameters in force at the as-of instant (default now): entity rules over
 * the returns, record rules over the lake. With `store` the run is saved and its id returned in the result.
 */
export async function runCheck(
  deps: CheckDeps,
  catalog: RuleCatalog,
  input: RunCheckInput,
  actor?: Actor,
): Promise<CheckResult> {
  const { store, ...compute } = input;
  return withDuck(deps, async (duck) => {
    const computed = await computeCheck(deps, catalog, duck, compute);
    if (!store) return computed.result;
    const runId = await storeCheckRun(deps.db, catalog, computed, actor ?? { name: "system" });
    return { ...computed.result, runId };
  });
}
