/**
 * Fast formatting of CSV fields. Dates are day numbers (days since 1970-01-01) looked up in a table built
 * once; money is integer fen written without floating-point formatting, so no value ever shows an exponent.
 */

const FIRST_DAY = Date.UTC(1900, 0, 1) / 86_400_000;
const LAST_DAY = Date.UTC(2100, 11, 31) / 86_400_000;

let isoTable: string[] | undefined;
let compactTable: string[] | undefined;

function buildTables(): void {
  const iso: string[] = [];
  const compact: string[] = [];
  const d = new Date(0);
  for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
    d.setTime(day * 86_400_000);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const dd = d.getUTCDate();
    const ys = String(y);
    const ms = m < 10 ? `0${m}` : String(m);
    const ds = dd < 10 ? `0${dd}` : String(dd);
    iso.push(`${ys}-${ms}-${ds}`);
    compact.push(`${ys}${ms}${ds}`);
  }
  isoTable = iso;
  compactTable = compact;
}

/** Day number of a calendar date (month 1-12). */
export function dayOf(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

/** "YYYY-MM-DD" of a day number. */
export function isoDate(day: number): string {
  if (!isoTable) buildTables();
  const s = isoTable![day - FIRST_DAY];
  if (s === undefined) throw new RangeError(`day ${day} outside 1900-2100`);
  return s;
}

/** "YYYYMMDD" of a day number, for identifiers. */
export function compactDate(day: number): string {
  if (!compactTable) buildTables();
  const s = compactTable![day - FIRST_DAY];
  if (s === undefined) throw new RangeError(`day ${day} outside 1900-2100`);
  return s;
}

/** Year, month (1-12) and day of a day number. */
export function ymd(day: number): [number, number, number] {
  const d = new Date(day * 86_400_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

const PAD2: string[] = [];
for (let i = 0; i < 100; i++) PAD2.push(i < 10 ? `0${i}` : String(i));

/** Two-digit zero-padded string of 0-99. */
export function pad2(n: number): string {
  return PAD2[n]!;
}

/** Zero-padded decimal string of a non-negative integer. */
export function padInt(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : "0".repeat(width - s.length) + s;
}

/** Money from integer fen: "1234.50". */
export function fen(f: number): string {
  const yuan = Math.floor(f / 100);
  return `${yuan}.${PAD2[f - yuan * 100]}`;
}

/** Money from yuan (rounded to the fen). */
export function money(yuan: number): string {
  return fen(Math.round(yuan * 100));
}

/** Yuan rounded to whole fen, as a number of fen. */
export function toFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** A plain decimal with at most `scale` places and no trailing zeros ("0.0435", "12", "0.5"). */
export function decimal(x: number, scale: number): string {
  let s = x.toFixed(scale);
  if (s.indexOf(".") >= 0) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    s = s.slice(0, end);
  }
  return s === "-0" ? "0" : s;
}

/** A rate with six decimals (contract allows eight): "0.043500". */
export function rate6(x: number): string {
  return x.toFixed(6);
}

/** A CSV field for free text: quoted (RFC 4180) only when it holds a comma, quote or line break. */
export function csvText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${s.replaceAll('"', '""')}"`;
  }
  return s;
}

/** "true" / "false". */
export function bool(b: boolean): string {
  return b ? "true" : "false";
}
