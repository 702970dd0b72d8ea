/**
 * Systemic importance as a score component: an institution whose own default would put a large share of the
 * rest of the system in stress (its DebtRank impact, stored per period by `beacon contagion --store`, see
 * network/systemic.ts) earns points in proportion, between `start` and `full`. It adds to the score like the
 * other components; the contribution names the period, the run and the rank it comes from.
 */
import type { Sql } from "../db/client.ts";
import { storedImpacts } from "../network/systemic.ts";
import { addMonths } from "./months.ts";
import type { ScoringParams } from "./params.ts";

export interface SystemicSignal {
  /** Weighted share of the rest of the system stressed by the institution's default. */
  impact: number;
  rank: number;
  of: number;
  /** Exposure period of the stored run, and the run. */
  period: string;
  runId: number;
}

/**
 * The latest stored impact of every institution for each month: the run of the month itself or of an earlier
 * period no more than `validMonths` before (exposures may be reported less often than returns). Key
 * `${institution}|${month}`.
 */
export async function loadSystemicSignals(
  db: Sql,
  months: readonly string[],
  validMonths: number,
): Promise<Map<string, SystemicSignal>> {
  const out = new Map<string, SystemicSignal>();
  if (months.length === 0) return out;
  const periods = new Set<string>();
  for (const m of months) for (let back = 0; back <= validMonths; back++) periods.add(addMonths(m, -back));
  const stored = await storedImpacts(db, [...periods]);
  if (stored.size === 0) return out;
  for (const m of months) {
    // Walk back from the month; the nearest period with a run wins for each institution.
    for (let back = validMonths; back >= 0; back--) {
      const period = addMonths(m, -back);
      for (const [code, s] of stored.get(period) ?? []) out.set(`${code}|${m}`, { ...s, period });
    }
  }
  return out;
}

/** Points for an impact: none below `start`, the whole weight from `full` on, linear between. */
export function systemicPoints(s: SystemicSignal, p: ScoringParams["systemic"]): number {
  if (!(s.impact > p.start)) return 0;
  return p.weight * Math.min(1, (s.impact - p.start) / (p.full - p.start));
}

export function systemicText(s: SystemicSignal): { en: string; zh: string } {
  const share = `${(s.impact * 100).toFixed(1)}%`;
  return {
    en: `Systemically important: its default would put ${share} of the rest of the system in stress (DebtRank, rank ${s.rank} of ${s.of}, exposures of ${s.period}, contagion run ${s.runId}).`,
    zh: `系统重要性：其违约将使系统其余部分${share}承压（DebtRank，${s.of}家中排名第${s.rank}，${s.period}敞口，传染测算第${s.runId}次运行）。`,
  };
}
