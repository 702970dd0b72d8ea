import { AppError } from "../errors.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import type { CheckResult } from "./check-result.ts";
import type { CheckDeps } from "./evaluate-check.ts";
import { normalisePeriod } from "./evaluate-check.ts";
import { type GetCheckRunOptions, getCheckRun } from "./get-check-run.ts";
import { runCheck } from "./run-check.ts";

/**
 * The check of a period as the console reads it: the latest stored run of the period when there is one (or the run
 * asked for), else computed now under the governed parameters and not stored.
 */
export async function readChecks(
  deps: CheckDeps,
  catalog: RuleCatalog,
  input: { period: string; run?: number; fresh?: boolean } & GetCheckRunOptions,
): Promise<CheckResult> {
  const { period, run, fresh, ...options } = input;
  const { month } = normalisePeriod(period);
  if (run !== undefined) {
    const result = await getCheckRun(deps.db, catalog, run, options);
    if (result.period !== month) {
      throw new AppError("INVALID_INPUT", `run ${run} checked period ${result.period}, not ${period}`);
    }
    return result;
  }
  if (!fresh) {
    const [latest] = await deps.db.query<{ id: string }>(
      "select id::text as id from check_runs where period = $1 and pack = $2 order by id desc limit 1",
      [month, catalog.name],
    );
    if (latest) return getCheckRun(deps.db, catalog, Number(latest.id), options);
  }
  return runCheck(deps, catalog, { period, ...options });
}
