/**
 * Months, quarters and the few dated facts the generator needs: the loan prime rate history, Spring Festival
 * dates and a seasonal profile. A month is an index `year * 12 + (month - 1)`.
 */
import { dayOf, pad2 } from "./format.ts";

/** Month index of "YYYY-MM". */
export function monthIndex(period: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) throw new RangeError(`not a monthly period: ${period}`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

export function monthYear(mi: number): number {
  return Math.floor(mi / 12);
}

/** Calendar month 1-12 of a month index. */
export function monthOfYear(mi: number): number {
  return (mi % 12) + 1;
}

/** "YYYY-MM" of a month index. */
export function monthLabel(mi: number): string {
  return `${Math.floor(mi / 12)}-${pad2((mi % 12) + 1)}`;
}

/** "YYYY-Qn" of the quarter a month index falls in. */
export function quarterLabel(mi: number): string {
  return `${Math.floor(mi / 12)}-Q${Math.floor((mi % 12) / 3) + 1}`;
}

export function isQuarterEndMonth(mi: number): boolean {
  return mi % 3 === 2;
}

/** First day (day number) of a month. */
export function monthStart(mi: number): number {
  return dayOf(Math.floor(mi / 12), (mi % 12) + 1, 1);
}

/** Last day (day number) of a month. */
export function monthEnd(mi: number): number {
  return monthStart(mi + 1) - 1;
}

/** Month index of a day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The same day of the month `months` later, clamped to the month's last day. */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * 86_400_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const target = Math.round(Date.UTC(y, m, 1) / 86_400_000);
  const mi = y * 12 + m;
  const last = monthEnd(mi);
  return Math.min(target + d.getUTCDate() - 1, last);
}

/** One-year and five-year loan prime rates (fractions) from their effective dates; before 2019-08 the benchmark. */
const lprHistory: readonly [number, number, number][] = [
  [dayOf(1990, 1, 1), 0.0435, 0.049],
  [dayOf(2019, 8, 20), 0.0425, 0.0485],
  [dayOf(2019, 9, 20), 0.042, 0.0485],
  [dayOf(2019, 11, 20), 0.0415, 0.048],
  [dayOf(2020, 2, 20), 0.0405, 0.0475],
  [dayOf(2020, 4, 20), 0.0385, 0.0465],
  [dayOf(2021, 12, 20), 0.038, 0.0465],
  [dayOf(2022, 1, 20), 0.037, 0.046],
  [dayOf(2022, 5, 20), 0.037, 0.0445],
  [dayOf(2022, 8, 22), 0.0365, 0.043],
  [dayOf(2023, 6, 20), 0.0355, 0.042],
  [dayOf(2023, 8, 21), 0.0345, 0.042],
  [dayOf(2024, 2, 20), 0.0345, 0.0395],
  [dayOf(2024, 7, 22), 0.0335, 0.0385],
  [dayOf(2024, 10, 21), 0.031, 0.036],
  // Held flat after the last published change: later periods are synthetic.
  [dayOf(2025, 5, 20), 0.03, 0.035],
];

/** One-year LPR in force on a day. */
export function lpr1y(day: number): number {
  let r = lprHistory[0]![1];
  for (const [from, one] of lprHistory) if (day >= from) r = one;
  return r;
}

/** Five-year LPR in force on a day. */
export function lpr5y(day: number): number {
  let r = lprHistory[0]![2];
  for (const [from, , five] of lprHistory) if (day >= from) r = five;
  return r;
}

/** Spring Festival (lunar new year's day) by year, for the seasonal dip. */
const springFestival: Record<number, number> = {
  2020: dayOf(2020, 1, 25),
  2021: dayOf(2021, 2, 12),
  2022: dayOf(2022, 2, 1),
  2023: dayOf(2023, 1, 22),
  2024: dayOf(2024, 2, 10),
  2025: dayOf(2025, 1, 29),
  2026: dayOf(2026, 2, 17),
  2027: dayOf(2027, 2, 6),
};

/** Month index holding the Spring Festival of a year. */
export function springFestivalMonth(year: number): number {
  const d = springFestival[year];
  return d === undefined ? year * 12 + 1 : monthOfDay(d);
}

/**
 * Seasonal multiplier of activity (sales, new loans, complaints) in a month: a dip in the Spring Festival
 * month, a spike at quarter ends (the "开门红" January push and the year-end even more).
 */
export function activitySeason(mi: number): number {
  let f = 1;
  if (mi === springFestivalMonth(monthYear(mi))) f *= 0.78;
  if (isQuarterEndMonth(mi)) f *= monthOfYear(mi) === 12 ? 1.22 : 1.14;
  if (monthOfYear(mi) === 1) f *= 1.08;
  return f;
}

/** Seasonal multiplier of a bank's balance sheet: deposits peak at quarter ends and dip around the festival. */
export function balanceSeason(mi: number): number {
  let f = 1;
  if (isQuarterEndMonth(mi)) f *= 1.018;
  if (mi === springFestivalMonth(monthYear(mi))) f *= 0.988;
  return f;
}
