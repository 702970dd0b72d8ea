/**
 * Robust baselines and change detection for a monitored series (one institution, one measure, by month).
 *
 * At each month the baseline is built from earlier observations only: the median of the last `window`
 * (deseasonalised) values, and 1.4826 × MAD as the scale, floored so that a very regular history does not turn
 * small moves into alarms. When at least two earlier years cover the same calendar month, a seasonal offset for
 * that month (the median of its past deviations from the running median) is added. Amounts and counts are
 * modelled on a log scale (a run on surrenders is a multiple of the usual, not an increment).
 *
 * Two alarms: a spike when the robust z of the month passes `spikeZ` (4) in the adverse direction, and a shift when a
 * one-sided CUSUM of the clipped z (reference `cusumK`, decision `cusumH`) passes its limit: several moderately
 * high months in a row.
 */

export type Direction = "up" | "down" | "both";
export type Transform = "log" | "linear";

export interface BaselineOptions {
  window: number;
  /** Earliest observations needed before any judgement. */
  minHistory: number;
  spikeZ: number;
  cusumK: number;
  cusumH: number;
  /** Floor of the scale: on the log scale a relative move (0.05 = 5%), else a fraction of the median's size. */
  relativeFloor: number;
  /** Counts: the scale is at least that of a Poisson count at the median (on the log(1 + x) scale). */
  count: boolean;
  /** Linear series: the smallest scale, in the series' units (a change rate of 0.01 = one percentage point). */
  absoluteFloor: number;
}

export const defaultBaseline: BaselineOptions = {
  window: 12,
  minHistory: 6,
  spikeZ: 4,
  cusumK: 0.5,
  cusumH: 5,
  relativeFloor: 0.1,
  count: false,
  absoluteFloor: 0,
};

export interface SeriesPoint {
  /** Month index (see scoring/months.ts). */
  month: number;
  value: number;
}

export interface Judgement {
  month: number;
  value: number;
  expected: number;
  /** Band of ±3 scales around the expected value, in the series' own units. */
  low: number;
  high: number;
  /** Robust z in the adverse direction (positive is worse). */
  z: number;
  cusum: number;
  seasonal: boolean;
  alarm: "spike" | "shift" | null;
}

/** Spread of log(1 + X) for a Poisson count X of mean λ (delta method: √λ / (1 + λ)), λ at least 1. */
function poissonLogSpread(lambda: number): number {
  const l = Math.max(1, lambda);
  return Math.sqrt(l) / (1 + l);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** 1.4826 × median absolute deviation: the standard deviation for normal data, robust to outliers. */
export function madScale(xs: readonly number[], center = median(xs)): number {
  return 1.4826 * median(xs.map((x) => Math.abs(x - center)));
}

/**
 * Judges every observation of a series (months ascending) against the baseline of the observations before it.
 * Observations without enough history get no judgement.
 */
export function judgeSeries(
  points: readonly SeriesPoint[],
  direction: Direction,
  transform: Transform,
  options: BaselineOptions = defaultBaseline,
): Judgement[] {
  // Counts take log(1 + x) so that a month with none stays on the scale; amounts need x > 0.
  const shift = options.count ? 1 : 0;
  const ok = points.filter(
    (p) => Number.isFinite(p.value) && (transform === "linear" || p.value + shift > 0),
  );
  const y = ok.map((p) => (transform === "log" ? Math.log(p.value + shift) : p.value));
  const out: Judgement[] = [];
  // Running median level at each point (from the window before it), to measure seasonal deviations against.
  const levelBefore: number[] = new Array(ok.length).fill(Number.NaN);
  let cusumUp = 0;
  let cusumDown = 0;
  for (let t = 0; t < ok.length; t++) {
    const from = Math.max(0, t - options.window);
    if (t - from < options.minHistory) continue;
    const history = y.slice(from, t);
    const level = median(history);
    levelBefore[t] = level;
    // Seasonal offset: this calendar month's past deviations from the running level (needs two earlier years).
    const month = ok[t]!.month;
    const past: number[] = [];
    for (let u = 0; u < t; u++) {
      if ((month - ok[u]!.month) % 12 === 0 && !Number.isNaN(levelBefore[u]!))
        past.push(y[u]! - levelBefore[u]!);
    }
    const seasonal = past.length >= 2;
    const offset = seasonal ? median(past) : 0;
    // Deseasonalise the window with the offsets of its own months where known, so the level is not biased.
    const adjusted = seasonal
      ? history.map((h, n) => h - seasonalOffset(ok, y, levelBefore, from + n))
      : history;
    const center = median(adjusted);
    let scale = madScale(adjusted, center);
    const floor =
      transform === "log"
        ? Math.max(options.relativeFloor, options.count ? poissonLogSpread(Math.exp(center) - shift) : 0)
        : Math.max(options.relativeFloor * Math.abs(center), options.absoluteFloor, 1e-12);
    scale = Math.max(scale, floor);
    const expectedY = center + offset;
    const zRaw = (y[t]! - expectedY) / scale;
    const z = direction === "down" ? -zRaw : direction === "both" ? Math.abs(zRaw) : zRaw;
    // One-sided CUSUMs on clipped z, so one huge month does not keep the alarm up for long.
    const clipped = Math.max(-4, Math.min(4, zRaw));
    cusumUp = Math.max(0, cusumUp + clipped - options.cusumK);
    cusumDown = Math.max(0, cusumDown - clipped - options.cusumK);
    const cusum =
      direction === "up" ? cusumUp : direction === "down" ? cusumDown : Math.max(cusumUp, cusumDown);
    const back = (v: number) => (transform === "log" ? Math.max(0, Math.exp(v) - shift) : v);
    const alarm = z >= options.spikeZ ? "spike" : cusum >= options.cusumH ? "shift" : null;
    out.push({
      month,
      value: ok[t]!.value,
      expected: back(expectedY),
      low: back(expectedY - 3 * scale),
      high: back(expectedY + 3 * scale),
      z,
      cusum,
      seasonal,
      alarm,
    });
    // After an alarm the sums restart: one episode, one alarm, and no echo once the series is back to normal.
    if (alarm) {
      cusumUp = 0;
      cusumDown = 0;
    }
  }
  return out;
}

function seasonalOffset(
  ok: readonly SeriesPoint[],
  y: readonly number[],
  levelBefore: readonly number[],
  t: number,
): number {
  const past: number[] = [];
  for (let u = 0; u < t; u++) {
    if ((ok[t]!.month - ok[u]!.month) % 12 === 0 && !Number.isNaN(levelBefore[u]!))
      past.push(y[u]! - levelBefore[u]!);
  }
  return past.length >= 2 ? median(past) : 0;
}
