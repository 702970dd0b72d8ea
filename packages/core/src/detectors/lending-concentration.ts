/**
 * Banks' lending concentrations from the loan book itself (not from returns): per bank and period, the shares of
 * real-estate loans, personal mortgages and financing-vehicle loans in outstanding loans, and their trend over the
 * periods the lake holds.
 */
import type { Duck } from "../lake/duckdb.ts";
import { rows } from "./support.ts";

export interface ConcentrationRow {
  period: string;
  lender_code: string;
  bank_tier: number | null;
  total: number;
  real_estate: number;
  mortgage: number;
  lgfv: number;
}

/** Per bank and period: outstanding in total, in real estate, in mortgages and to financing vehicles. */
export async function bankConcentrations(duck: Duck, period: string): Promise<ConcentrationRow[]> {
  return rows<ConcentrationRow>(
    duck,
    `SELECT l.period, l.lender_code, r.bank_tier, CAST(sum(l.outstanding) AS DOUBLE) AS total,
       CAST(coalesce(sum(l.outstanding) FILTER (WHERE l.real_estate), 0) AS DOUBLE) AS real_estate,
       CAST(coalesce(sum(l.outstanding) FILTER (WHERE l.mortgage), 0) AS DOUBLE) AS mortgage,
       CAST(coalesce(sum(l.outstanding) FILTER (WHERE l.lgfv), 0) AS DOUBLE) AS lgfv
     FROM loans_history l JOIN registry r ON r.code = l.lender_code
     WHERE r.type = 'bank' AND l.period <= '${period}'
     GROUP BY l.period, l.lender_code, r.bank_tier
     ORDER BY l.lender_code, l.period`,
  );
}

/** A share series over periods, oldest first, and its change over the series. */
export function trend(list: readonly ConcentrationRow[], share: (r: ConcentrationRow) => number) {
  const series = list.map((r) => ({ period: r.period, share: r.total > 0 ? share(r) / r.total : 0 }));
  const first = series[0]!;
  const last = series[series.length - 1]!;
  return { series, change: last.share - first.share, periods: series.length };
}
