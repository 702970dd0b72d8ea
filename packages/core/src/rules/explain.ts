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

/** The number part of a displayed value: 0.042 as a percent → "4.20"; money → "1,200.00". */
export function numberText(value: Rational, display: Display, digits = defaultDigits(display)): string {
  if (display === "percent") return toFixed(mul(value, HUNDRED), digits);
  if (display === "amount") return groupThousands(toFixed(value, digits));
  return toFixed(value, digits);
}

/** Adds the unit to a number part: "4.20%", "10.50x" / "10.50倍", "RMB 1,200.00" / "1,200.00元", "90 days" / "90天". */
export function withUnit(number: string, display: Display, lang: Lang): string {
  switch (display) {
    case "percent":
      return `${number}%`;
    case "multiple":
      return lang === "en" ? `${number}x` : `${number}倍`;
    case "amount":
      return lang === "en" ? `RMB ${number}` : `${number}元`;
    case "days":
      return lang === "en" ? `${number} days` : `${number}天`;
    case "count":
      return number;
  }
}

/** A value as shown to people, in one language. */
export function formatValue(
  value: Rational,
  display: Display,
  lang: Lang,
  digits = defaultDigits(display),
): string {
  return withUnit(numberText(value, display, digits), display, lang);
}

/**
 * Number parts of a value and its lines, with decimals enough to show the value apart from each line it
 * differs from, so a breach is never explained as "5.00% is below 5.00%". Stops at 10 decimals.
 */
export function numbersTogether(value: Rational, lines: readonly Rational[], display: Display) {
  for (let digits = defaultDigits(display); ; digits++) {
    const shown = numberText(value, display, digits);
    const lineTexts = lines.map((l) => numberText(l, display, digits));
    const clash = lineTexts.some((t, i) => t === shown && compare(lines[i]!, value) !== 0);
    if (!clash || digits >= 10) return { value: shown, lines: lineTexts };
  }
}

/** The citation as it appears inside parentheses in an explanation. */
export function citationOf(basis: LegalBasis): Bilingual {
  const en = [basis.document.en, basis.issuer.en];
  const zh = [`《${basis.document.zh}》`, basis.issuer.zh];
  if (basis.year !== undefined) {
    en.push(String(basis.year));
    zh.push(`${basis.year}年`);
  }
  if (basis.article) en.push(basis.article.en);
  if (basis.reference) zh.push(basis.reference);
  if (basis.article) zh.push(basis.article.zh);
  return { en: en.join(", "), zh: zh.join("，") };
}

/** Display name of a metric or item code, falling back to the code itself. */
export function nameOf(code: string): Bilingual {
  return findMetric(code) ?? findItem(code) ?? { en: code, zh: code };
}

/** Registry attributes a rule may need besides return items. */
const registryNames: Record<string, Bilingual> = {
  bankTier: { en: "bank tier in the registry", zh: "登记的银行档次" },
  productProfile: { en: "product profile in the registry", zh: "登记的产品要素" },
  totalAssets: { en: "total assets", zh: "资产总额" },
};

/** "BANK_RWA (Risk-weighted assets), ..." / "BANK_RWA（风险加权资产）、..." for missing-data messages. */
export function listCodes(codes: readonly string[]): Bilingual {
  const names = codes.map((c) => ({ code: c, name: findItem(c) ?? registryNames[c] }));
  return {
    en: names.map((n) => (n.name ? `${n.code} (${n.name.en})` : n.code)).join(", "),
    zh: names.map((n) => (n.name ? `${n.code}（${n.name.zh}）` : n.code)).join("、"),
  };
}
