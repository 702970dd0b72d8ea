/** Month arithmetic on "YYYY-MM" labels, the time axis of scores (quarters map to their closing month). */
import { periodMonth, periodPattern } from "../contract/items.ts";
import { invalidInput } from "../errors.ts";

/** Months since year 0: "2024-03" → 2024 × 12 + 2. */
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** The label of a month index. */
export function monthLabelOf(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The month k months after (or before, k < 0) a month. */
export function addMonths(month: string, k: number): string {
  return monthLabelOf(monthIndex(month) + k);
}

/** Every month from `from` to `to`, both included. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthLabelOf(i));
  return out;
}

/** The reporting periods that close within the months: each month and each quarter ending in one of them. */
export function periodLabelsFor(months: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of months) {
    out.push(m);
    const mm = Number(m.slice(5, 7));
    if (mm % 3 === 0) out.push(`${m.slice(0, 4)}-Q${mm / 3}`);
  }
  return out;
}

/** A period argument ("2026-09" or "2026-Q3") as its month, or INVALID_INPUT naming the option. */
export function parseMonth(value: string, option = "period"): string {
  if (!periodPattern.test(value)) throw invalidInput(`${option} must be YYYY-MM or YYYY-Qn (got "${value}")`);
  return periodMonth(value);
}
