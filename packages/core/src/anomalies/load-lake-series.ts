/**
 * Aggregates the lake series (surrenders, maturity benefits, bill discounting, complaints) per institution and
 * month inside DuckDB, over the current submissions only. Counting series get zeros for the months their dataset
 * covers but an institution has no row in: no complaint is a value, not a gap.
 */
import type { Sql } from "../db/client.ts";
import { openDuck } from "../lake/duckdb.ts";
import { registerDatasetView } from "../lake/views.ts";
import { monthIndex, periodLabelsFor } from "../scoring/months.ts";
import type { LakeSeriesValues } from "./detect-anomalies.ts";
import { lakeSeries } from "./series.ts";

/** Lake series for the months, for every institution with rows; empty when the lake holds none of the datasets. */
export async function loadLakeSeries(
  db: Sql,
  dataDir: string,
  months: readonly string[],
): Promise<LakeSeriesValues> {
  const out: LakeSeriesValues = new Map();
  const [any] = await db.query<{ n: string }>(
    "select count(*)::text as n from lake_files where dataset = any($1::text[])",
    [lakeSeries.map((s) => s.dataset)],
  );
  if (Number(any?.n ?? 0) === 0) return out;
  const first = monthIndex(months[0]!);
  const last = monthIndex(months[months.length - 1]!);
  const duck = await openDuck({ memoryLimit: "1GB" });
  try {
    for (const def of lakeSeries) {
      const ids = await registerDatasetView(duck, db, dataDir, def.dataset, {
        periods: periodLabelsFor(months),
      });
      if (ids.length === 0) continue;
      const rows = await duck.all<{ institution: string; period: string; value: number }>(def.sql);
      const byInst = new Map<string, Map<number, number>>();
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const r of rows) {
        if (!r.period || !/^\d{4}-\d{2}$/.test(r.period)) continue;
        const m = monthIndex(r.period);
        if (m < first || m > last) continue;
        lo = Math.min(lo, m);
        hi = Math.max(hi, m);
        let series = byInst.get(r.institution);
        if (!series) {
          series = new Map();
          byInst.set(r.institution, series);
        }
        series.set(m, (series.get(m) ?? 0) + Number(r.value));
      }
      if (def.count && byInst.size > 0) {
        for (const series of byInst.values())
          for (let m = lo; m <= hi; m++) if (!series.has(m)) series.set(m, 0);
      }
      out.set(def.code, byInst);
    }
  } finally {
    duck.close();
  }
  return out;
}
