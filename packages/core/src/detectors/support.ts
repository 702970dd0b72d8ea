/**
 * Small shared pieces of the detectors: reading DuckDB rows as plain values, bounding evidence, and the number
 * formats explanations use (the same in English and Chinese, so a test can check both texts name the same numbers).
 */
import { createHash } from "node:crypto";
import type { Duck } from "../lake/duckdb.ts";
import type { Severity } from "./types.ts";

/** Plain JavaScript value of a DuckDB cell: BIGINT as number, DATE/TIMESTAMP as YYYY-MM-DD text, lists as arrays. */
function plain(v: unknown): unknown {
  if (v === null || typeof v !== "object") return typeof v === "bigint" ? Number(v) : v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map(plain);
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = plain(x);
  return o;
}

/** Runs a query and returns its rows with plain values (converted in place: rows can be many). */
export async function rows<T>(duck: Duck, sql: string): Promise<T[]> {
  const out = await duck.all<Record<string, unknown>>(sql);
  for (const r of out) {
    for (const k in r) {
      const v = r[k];
      if (v !== null && (typeof v === "object" || typeof v === "bigint")) r[k] = plain(v);
    }
  }
  return out as T[];
}

/** A SQL string literal. */
export function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A finite number as a SQL DOUBLE literal. */
export function sqlNum(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return `CAST(${value} AS DOUBLE)`;
}

/** A list of strings as a SQL IN list body. */
export function sqlList(values: readonly string[]): string {
  return values.length === 0 ? "NULL" : values.map(sqlText).join(", ");
}

const maxItems = 50;
const maxText = 500;
/** Largest evidence document stored per finding, in bytes of JSON. */
export const maxEvidenceBytes = 32_768;

function trim(v: unknown, depth: number): unknown {
  if (typeof v === "string") return v.length > maxText ? `${v.slice(0, maxText)}…` : v;
  if (typeof v === "number") return Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null;
  if (v === null || typeof v !== "object") return v;
  if (depth > 6) return "…";
  if (Array.isArray(v)) {
    const kept = v.slice(0, maxItems).map((x) => trim(x, depth + 1));
    if (v.length > maxItems) kept.push({ omitted: v.length - maxItems });
    return kept;
  }
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = trim(x, depth + 1);
  return o;
}

/**
 * Bounds a finding's evidence: at most 50 items per list (the rest counted), 500 characters per text, six levels,
 * and 32 KB in all (beyond that only the scalar fields are kept, with a note).
 */
export function boundEvidence(evidence: Record<string, unknown>): Record<string, unknown> {
  const bounded = trim(evidence, 0) as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(bounded)) <= maxEvidenceBytes) return bounded;
  const scalars: Record<string, unknown> = { truncated: "evidence above 32 KB: lists and objects dropped" };
  for (const [k, v] of Object.entries(bounded)) if (v === null || typeof v !== "object") scalars[k] = v;
  return scalars;
}

/** Short stable id of a set of members (circles, rings): the first 16 hex digits of SHA-256 of the sorted ids. */
export function groupId(prefix: string, members: readonly string[]): string {
  const h = createHash("sha256")
    .update([...members].sort().join("\n"))
    .digest("hex");
  return `${prefix}-${h.slice(0, 16)}`;
}

/** Yuan with thousands separators and two decimals: 1,234,567.89 (by hand: Intl formatting is slow in bulk). */
export function yuan(x: number): string {
  const fen = Math.round(Math.abs(x) * 100);
  const whole = String(Math.floor(fen / 100));
  const cents = String(fen % 100).padStart(2, "0");
  let grouped = "";
  for (let i = whole.length; i > 0; i -= 3)
    grouped = whole.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : "");
  return `${x < 0 && fen > 0 ? "-" : ""}${grouped}.${cents}`;
}

/** A ratio as a percentage with the given decimals: 0.41234 -> "41.23%". */
export function pct(x: number, decimals = 2): string {
  return `${(x * 100).toFixed(decimals)}%`;
}

/** A plain number with at most `decimals` decimals, trailing zeros dropped. */
export function fixed(x: number, decimals = 2): string {
  return String(Math.round(x * 10 ** decimals) / 10 ** decimals);
}

/** Severity from a score on the 0-100 scale. */
export function severityOf(score: number): Severity {
  return score >= 85 ? "critical" : score >= 60 ? "high" : score >= 35 ? "medium" : "low";
}

/** Clamps a score into 0-100, rounded to one decimal. */
export function score(x: number): number {
  return Math.round(Math.max(0, Math.min(100, x)) * 10) / 10;
}

/** Distinct values, in order of first appearance. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** Rows grouped by a key, in order of first appearance. */
export function groupBy<T, K>(list: Iterable<T>, key: (x: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of list) {
    const k = key(x);
    const g = out.get(k);
    if (g) g.push(x);
    else out.set(k, [x]);
  }
  return out;
}
