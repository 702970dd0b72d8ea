/**
 * Text for explanations: values in their display unit, legal citations, item lists. English and Chinese
 * side by side, so a message is written once per language and the two cannot drift apart in their numbers.
 */
import { findItem } from "../contract/items.ts";
import { compare, mul, type Rational, toFixed } from "../metrics/decimal.ts";
import { findMetric } from "../metrics/index.ts";
import type { Display } from "../metrics/metric.ts";
import type { Bilingual, LegalBasis } from "./types.ts";

export type Lang = "en" | "zh";

const HUNDRED: Rational = { num: 100n, den: 1n };

function groupThousands(text: string): string {
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf(".");
  const int = dot < 0 ? body : body.slice(0, dot);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (negative ? "-" : "") + grouped + (dot < 0 ? "" : body.slice(dot));
}

/** Default decimals per display unit. */
export function defaultDigits(display: Display): number {
  return display === "count" || display === "days" ? 0 : 2;
}

/** A value as shown to people: 0.042 → "4.20%", 10.5 → "10.50x" / "10.50倍", money → "RMB 1,200.00" / "1,200.00元". */
export function formatValue(value: Rational, display: Display, lang: Lang, digits = defaultDigits(display)): string {
  switch (display) {
    case "percent":
      return `${toFixed(mul(value, HUNDRED), digits)}%`;
    case "multiple":
      return `${toFixed(value, digits)}${lang === "en" ? "x" : "倍"}`;
    case "amount": {
      const text = groupThousands(toFixed(value, digits));
      return lang === "en" ? `RMB ${text}` : `${text}元`;
    }
    case "days":
      return lang === "en" ? `${toFixed(value, digits)} days` : `${toFixed(value, digits)}天`;
    case "count":
      return toFixed(value, digits);
  }
}

/** Language-neutral value text stored on outcomes ("4.20%", "10.50x", "1200.00", "90"). */
export function plainValue(value: Rational, display: Display, digits = defaultDigits(display)): string {
  if (display === "percent") return `${toFixed(mul(value, HUNDRED), digits)}%`;
  if (display === "multiple") return `${toFixed(value, digits)}x`;
  return toFixed(value, digits);
}

/**
 * Decimals enough to show a value apart from each line it differs from, so a breach is never explained
 * as "5.00% is below 5.00%". Starts at the display default and stops at 10.
 */
export function distinguishingDigits(value: Rational, lines: readonly Rational[], display: Display): number {
  let digits = defaultDigits(display);
  for (; digits < 10; digits++) {
    const shown = plainValue(value, display, digits);
    const clash = lines.some((l) => compare(l, value) !== 0 && plainValue(l, display, digits) === shown);
    if (!clash) break;
  }
  return digits;
}

/** The citation as it appears inside parentheses in an explanation. */
export function citationOf(basis: LegalBasis): Bilingual {
  const en = [basis.document.en, basis.issuer.en, String(basis.year)];
  if (basis.article) en.push(basis.article.en);
  const zh = [`《${basis.document.zh}》`, basis.issuer.zh, `${basis.year}年`];
  if (basis.reference) zh.push(basis.reference);
  if (basis.article) zh.push(basis.article.zh);
  return { en: en.join(", "), zh: zh.join("，") };
}

/** Display name of a metric or item code, falling back to the code itself. */
export function nameOf(code: string): Bilingual {
  return findMetric(code) ?? findItem(code) ?? { en: code, zh: code };
}

/** "BANK_RWA (Risk-weighted assets), ..." / "BANK_RWA（风险加权资产）、..." for missing-data messages. */
export function listCodes(codes: readonly string[]): Bilingual {
  const names = codes.map((c) => ({ code: c, name: findItem(c) }));
  return {
    en: names.map((n) => (n.name ? `${n.code} (${n.name.en})` : n.code)).join(", "),
    zh: names.map((n) => (n.name ? `${n.code}（${n.name.zh}）` : n.code)).join("、"),
  };
}
