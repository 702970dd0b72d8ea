import type { AnomalyAlert } from "../anomalies/detect-anomalies.ts";
import type { Db } from "../db/client.ts";
import { invalidInput } from "../errors.ts";
import type { Principal } from "../identity/roles.ts";
import { actorName } from "../identity/roles.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import { monthIndex, monthRange } from "../scoring/months.ts";
import { latestReturnMonth } from "../scoring/panel.ts";
import { scoreMonths } from "../scoring/score-months.ts";
import { listWarnings, type WarningPage } from "./list-warnings.ts";
import { updateWarnings, type WarningUpdateSummary } from "./update-warnings.ts";

export interface EarlyWarningInput {
  /** The month to score ("YYYY-MM"); default: the latest month with returns. */
  period?: string;
  /** Score every month from this one up to `period` first, carrying warnings month by month. */
  from?: string;
  catalog: RuleCatalog;
  dataDir?: string;
  /** Warnings listed in the result (highest level and score first). */
  limit?: number;
  log?: (line: string) => void;
}

export interface EarlyWarningResult {
  period: string;
  months: string[];
  runId: number;
  scored: number;
  levels: Record<string, number>;
  updates: WarningUpdateSummary[];
  warnings: WarningPage;
  anomalies: AnomalyAlert[];
  timings: Record<string, number>;
}

/**
 * Scores the month (or the months from `from`), stores the scores and anomalies, carries the warnings forward
 * month by month, and lists the open warnings of the month with their contributions.
 */
export async function runEarlyWarning(
  db: Db,
  actor: Principal,
  input: EarlyWarningInput,
): Promise<EarlyWarningResult> {
  const period = input.period ?? (await latestReturnMonth(db));
  if (!period) throw invalidInput("no returns on file: ingest returns first");
  const from = input.from ?? period;
  if (monthIndex(from) > monthIndex(period)) throw invalidInput(`--from ${from} is after --period ${period}`);
  const months = monthRange(from, period);
  const scored = await scoreMonths(db, {
    months,
    catalog: input.catalog,
    ...(input.dataDir ? { dataDir: input.dataDir } : {}),
    store: true,
    actor: actorName(actor),
    ...(input.log ? { log: input.log } : {}),
  });
  const t = performance.now();
  const updates: WarningUpdateSummary[] = [];
  for (const m of months) {
    const rows = scored.rows.filter((r) => r.period === m);
    if (rows.length === 0) continue;
    updates.push(await updateWarnings(db, m, rows, scored.params));
  }
  scored.timings.warnings = Math.round(performance.now() - t);
  const levels: Record<string, number> = {};
  for (const r of scored.rows) if (r.period === period) levels[r.level] = (levels[r.level] ?? 0) + 1;
  return {
    period,
    months,
    runId: scored.runId!,
    scored: scored.rows.filter((r) => r.period === period).length,
    levels,
    updates,
    warnings: await listWarnings(db, actor, { status: "open", period, pageSize: input.limit ?? 50 }),
    anomalies: scored.anomalies.filter((a) => a.period === period),
    timings: scored.timings,
  };
}
