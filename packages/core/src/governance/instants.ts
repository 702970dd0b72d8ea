/** The last microsecond of a date's day in UTC, as an instant PostgreSQL parses exactly. */
export function endOfDayUtc(date: string): string {
  return `${date}T23:59:59.999999Z`;
}

/** True for a real calendar date written YYYY-MM-DD (no 30 February). */
export function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}
