/**
 * Anomaly alerts on the monitored series of a panel (and lake series, when given): each alert names the series,
 * the month, the value, the expected value and its band, and how far off it is. Pure: the lake series arrive
 * already aggregated (see load-lake-series.ts).
 */
import type { Severity } from "../rules/types.ts";
import { monthIndex, monthLabelOf } from "../scoring/months.ts";
import type { Panel } from "../scoring/panel.ts";
import { itemColumnOf } from "../scoring/panel.ts";
import type { RiskSignal } from "../scoring/signals.ts";
import { type BaselineOptions, defaultBaseline, judgeSeries, type SeriesPoint } from "./robust.ts";
import { lakeSeries, type ReturnsSeriesDef, returnsSeries, type SeriesDef } from "./series.ts";

export interface AnomalyAlert {
  institution: string;
  series: string;
  period: string;
  value: number;
  expected: number;
  low: number;
  high: number;
  /** Robust z in the adverse direction. */
  z: number;
  cusum: number;
  kind: "spike" | "shift";
  seasonal: boolean;
  severity: Severity;
  en: string;
  zh: string;
}

/** Lake series values: series code → institution → month index → value. */
export type LakeSeriesValues = Map<string, Map<string, Map<number, number>>>;

export interface DetectOptions {
  /** Months to report alerts for (default: all months of the panel). */
  months?: readonly string[];
  baseline?: Partial<BaselineOptions>;
}

/** Runs every series of every institution and returns the alarms of the requested months. */
export function detectAnomalies(
  panel: Panel,
  lake: LakeSeriesValues,
  options: DetectOptions = {},
): AnomalyAlert[] {
  const M = panel.months.length;
  const first = monthIndex(panel.months[0]!);
  const wanted = new Set((options.months ?? panel.months).map(monthIndex));
  const alerts: AnomalyAlert[] = [];
  const I = panel.items.length;
  const replaced = new Set(lakeSeries.filter((s) => (lake.get(s.code)?.size ?? 0) > 0).map((s) => s.code));
  panel.institutions.forEach((inst, i) => {
    const run = (def: SeriesDef, points: SeriesPoint[]) => {
      if (points.length === 0) return;
      const judged = judgeSeries(points, def.direction, def.transform, {
        ...defaultBaseline,
        count: def.count,
        absoluteFloor: def.floor ?? 0,
        ...options.baseline,
      });
      for (const j of judged) {
        if (!j.alarm || !wanted.has(j.month)) continue;
        alerts.push(toAlert(inst.code, def, j.month, j as typeof j & { alarm: "spike" | "shift" }));
      }
    };
    for (const def of returnsSeries) {
      if (!(def.types as readonly string[]).includes(inst.type)) continue;
      if (def.replacedBy && replaced.has(def.replacedBy)) continue;
      run(def, returnsPoints(panel, i, def, M, I, first));
    }
    for (const def of lakeSeries) {
      if (!(def.types as readonly string[]).includes(inst.type)) continue;
      const byMonth = lake.get(def.code)?.get(inst.code);
      if (!byMonth) continue;
      run(
        def,
        [...byMonth].sort((a, b) => a[0] - b[0]).map(([month, value]) => ({ month, value })),
      );
    }
  });
  return alerts;
}

function returnsPoints(
  panel: Panel,
  i: number,
  def: ReturnsSeriesDef,
  M: number,
  I: number,
  first: number,
): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  const at = (mi: number, col: number) => {
    const e = panel.entityAt[i * M + mi]!;
    return e < 0 ? Number.NaN : panel.values[e * I + col]!;
  };
  const b = def.build;
  if (b.kind === "item" || b.kind === "change") {
    const col = itemColumnOf(panel, b.item);
    for (let mi = 0; mi < M; mi++) {
      const v = at(mi, col);
      if (Number.isNaN(v)) continue;
      if (b.kind === "item") out.push({ month: first + mi, value: v });
      else if (mi > 0) {
        const prev = at(mi - 1, col);
        if (prev > 0) out.push({ month: first + mi, value: v / prev - 1 });
      }
    }
    return out;
  }
  // Year-to-date flows reported at quarter ends: the quarter's own amount is the difference within the year.
  const cols = b.items.map((c) => itemColumnOf(panel, c));
  const ytd = (mi: number) => {
    let s = 0;
    for (const c of cols) {
      const v = at(mi, c);
      if (Number.isNaN(v)) return Number.NaN;
      s += v;
    }
    return s;
  };
  for (let mi = 0; mi < M; mi++) {
    const month = first + mi;
    if ((month % 12) % 3 !== 2) continue;
    const now = ytd(mi);
    if (Number.isNaN(now)) continue;
    let quarter = now;
    if (month % 12 !== 2) {
      if (mi < 3) continue;
      const before = ytd(mi - 3);
      if (Number.isNaN(before)) continue;
      quarter = now - before;
    }
    if (b.kind === "ytd_quarter") out.push({ month, value: quarter });
    else {
      const over = at(mi, itemColumnOf(panel, b.over));
      if (over > 0) out.push({ month, value: quarter / over });
    }
  }
  return out;
}

function fmt(def: SeriesDef, x: number, lang: "en" | "zh"): string {
  if (def.unit === "ratio") return `${(x * 100).toFixed(2)}%`;
  if (def.unit === "count") return x.toFixed(x < 10 ? 1 : 0);
  if (lang === "zh") return `${(x / 10_000).toLocaleString("en-US", { maximumFractionDigits: 1 })}万元`;
  return `RMB ${Math.round(x).toLocaleString("en-US")}`;
}

function toAlert(
  institution: string,
  def: SeriesDef,
  month: number,
  j: {
    value: number;
    expected: number;
    low: number;
    high: number;
    z: number;
    cusum: number;
    seasonal: boolean;
    alarm: "spike" | "shift";
  },
): AnomalyAlert {
  const period = monthLabelOf(month);
  const severity: Severity =
    j.alarm === "spike" ? (j.z >= 6 ? "high" : "medium") : j.cusum >= 10 ? "medium" : "low";
  const band = (lang: "en" | "zh") => `${fmt(def, j.low, lang)}–${fmt(def, j.high, lang)}`;
  const what =
    j.alarm === "spike"
      ? { en: "a spike", zh: "突变" }
      : { en: "a sustained shift (CUSUM)", zh: "持续偏移（累积和检验）" };
  return {
    institution,
    series: def.code,
    period,
    value: j.value,
    expected: j.expected,
    low: j.low,
    high: j.high,
    z: Math.round(j.z * 100) / 100,
    cusum: Math.round(j.cusum * 100) / 100,
    kind: j.alarm,
    seasonal: j.seasonal,
    severity,
    en: `${def.en} ${fmt(def, j.value, "en")} in ${period}, expected ${fmt(def, j.expected, "en")} (band ${band("en")}${j.seasonal ? ", seasonal" : ""}); robust z ${j.z.toFixed(1)}: ${what.en}.`,
    zh: `${period}${def.zh}为${fmt(def, j.value, "zh")}，预期${fmt(def, j.expected, "zh")}（区间${band("zh")}${j.seasonal ? "，已考虑季节性" : ""}）；稳健z值${j.z.toFixed(1)}：${what.zh}。`,
  };
}

/** Alerts as score signals. */
export function anomalySignals(alerts: readonly AnomalyAlert[]): RiskSignal[] {
  return alerts.map((a) => ({
    institution: a.institution,
    month: a.period,
    source: "anomaly",
    ref: `anomaly:${a.series}:${a.period}`,
    severity: a.severity,
    en: a.en,
    zh: a.zh,
  }));
}
