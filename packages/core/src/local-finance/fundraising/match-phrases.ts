import type { PhraseCategory, PhraseEntry } from "./phrases.ts";

/** One phrase found in a text, with the words around it as evidence. */
export interface PhraseHit {
  id: string;
  phrase: string;
  category: PhraseCategory;
  weight: number;
  /** Up to 12 characters either side. */
  context: string;
}

// A clause ends at sentence or clause punctuation (the enumeration comma 、 stays inside a clause).
const boundary = /[，,。；;：:！!？?）)\]】\n]/;
// Negators that govern the rest of their clause: "不得从事吸收存款、集资收款、发放贷款".
const clauseNegators =
  /(不得|禁止|严禁|不承诺|不保证|并非|不是|没有|未经|不会|不能|不可|无法|不提供|\bnot\b|\bnever\b|\bwithout\b|\bno longer\b)/i;
// Negators that govern only the words right after them: "不保本", "非保本浮动收益".
const nearNegators = /(?:不|非|无|未)$|(?:^|[^a-z])(?:no|not)\s$/i;

/** The part of `text` before `at` that belongs to the same clause. */
function clausePrefix(text: string, at: number): string {
  let start = at;
  while (start > 0 && !boundary.test(text[start - 1]!)) start--;
  return text.slice(start, at);
}

function negated(text: string, at: number): boolean {
  const prefix = clausePrefix(text, at);
  if (clauseNegators.test(prefix)) return true;
  // Only the two characters (or the word) just before the phrase, so "稳赚不赔，保本保息" keeps both phrases.
  return nearNegators.test(prefix.slice(-5));
}

/** Lower-cases and folds runs of whitespace, so English phrases match across line breaks and double spaces. */
function fold(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ");
}

/**
 * Finds the phrases of a governed list in a text. A phrase inside a negated clause ("不得从事吸收存款", "not
 * guaranteed") does not count, and a phrase inside a longer phrase found at the same place ("保本" in "保本保息")
 * counts once, as the longer one. Hits are listed in text order, one per phrase.
 */
export function matchPhrases(text: string | null | undefined, list: readonly PhraseEntry[]): PhraseHit[] {
  if (!text) return [];
  const folded = fold(text);
  const found: { entry: PhraseEntry; start: number; end: number }[] = [];
  for (const entry of list) {
    const needle = fold(entry.phrase);
    let from = 0;
    for (;;) {
      const at = folded.indexOf(needle, from);
      if (at < 0) break;
      from = at + 1;
      // English phrases match whole words only: "no risk" must not match inside "casino risk".
      if (entry.lang === "en") {
        const before = folded[at - 1];
        const after = folded[at + needle.length];
        if ((before && /[a-z0-9]/.test(before)) || (after && /[a-z0-9]/.test(after) && after !== "s"))
          continue;
      }
      if (negated(folded, at)) continue;
      found.push({ entry, start: at, end: at + needle.length });
    }
  }
  // Longest first, so a shorter phrase overlapping a longer one already taken is dropped.
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: { start: number; end: number }[] = [];
  const kept: typeof found = [];
  for (const f of found) {
    if (taken.some((t) => f.start < t.end && t.start < f.end)) continue;
    taken.push(f);
    kept.push(f);
  }
  kept.sort((a, b) => a.start - b.start);
  const hits: PhraseHit[] = [];
  const seen = new Set<string>();
  for (const f of kept) {
    if (seen.has(f.entry.id)) continue;
    seen.add(f.entry.id);
    hits.push({
      id: f.entry.id,
      phrase: f.entry.phrase,
      category: f.entry.category,
      weight: f.entry.weight,
      context: folded.slice(Math.max(0, f.start - 12), f.end + 12),
    });
  }
  return hits;
}

/** Sum of the weights of distinct hits in the given categories. */
export function hitWeight(hits: readonly PhraseHit[], categories: readonly PhraseCategory[]): number {
  let total = 0;
  for (const h of hits) if (categories.includes(h.category)) total += h.weight;
  return total;
}

const ratePattern =
  /(年化|年收益率?|年利率|年息|收益率|回报率|annual(?:ised|ized)?(?: return| yield| interest| rate)?|p\.a\.|per annum)\D{0,8}?(\d{1,3}(?:\.\d{1,2})?)\s?%/gi;
const ratePatternAfter =
  /(\d{1,3}(?:\.\d{1,2})?)\s?%\s?(?:的)?(年化|年收益|年息|回报|p\.a\.|per annum|annual)/gi;

/**
 * The highest annual return a text advertises ("年化收益18%", "18% p.a."), as a fraction; undefined if none.
 * Monthly rates are not converted: a text that names only a monthly rate is caught by the phrase list instead.
 */
export function advertisedReturn(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  let best: number | undefined;
  for (const m of text.matchAll(ratePattern)) {
    const v = Number(m[2]) / 100;
    if (v > 0 && v < 10 && (best === undefined || v > best)) best = v;
  }
  for (const m of text.matchAll(ratePatternAfter)) {
    const v = Number(m[1]) / 100;
    if (v > 0 && v < 10 && (best === undefined || v > best)) best = v;
  }
  return best;
}
