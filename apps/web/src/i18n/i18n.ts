import { createContext, useContext } from "react";
import { en, type MessageKey } from "./messages-en.ts";
import { zh } from "./messages-zh.ts";

export type Lang = "zh" | "en";
export type { MessageKey };
export type Params = Record<string, string | number>;

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, zh };

/** The message in the language with {name} placeholders filled; a missing parameter stays visible. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text = dictionaries[lang][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Bilingual data from the server or core ({zh, en}) shown in the current language. */
export function pick(lang: Lang, value: { zh: string; en: string } | null | undefined): string {
  if (!value) return "";
  return value[lang] || value.en || value.zh;
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  /** Numbers, counts and dates in the language's conventions. */
  num: (n: number | null | undefined, digits?: number) => string;
  pct: (n: number | null | undefined, digits?: number) => string;
  date: (iso: string | null | undefined, withTime?: boolean) => string;
  /** The name of a code in a vocabulary ("sector", "status", ...): `prefix.code` in the dictionary, else the code. */
  label: (prefix: string, code: string | null | undefined) => string;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const locale = lang === "zh" ? "zh-CN" : "en-GB";
  const numbers = new Map<number, Intl.NumberFormat>();
  const nf = (digits: number) => {
    let f = numbers.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
      numbers.set(digits, f);
    }
    return f;
  };
  const dateOnly = new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit" });
  const dateTime = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
  return {
    lang,
    setLang,
    t: (key, params) => translate(lang, key, params),
    label: (prefix, code) => {
      if (!code) return "–";
      const text = (dictionaries[lang] as Record<string, string>)[`${prefix}.${code}`];
      return text ?? code;
    },
    num: (n, digits = 0) =>
      n === null || n === undefined || !Number.isFinite(n) ? "–" : nf(digits).format(n),
    pct: (n, digits = 2) =>
      n === null || n === undefined || !Number.isFinite(n) ? "–" : `${nf(digits).format(n * 100)}%`,
    date: (iso, withTime = false) => {
      if (!iso) return "–";
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : (withTime ? dateTime : dateOnly).format(d);
    },
  };
}

export const I18nContext = createContext<I18n>(makeI18n("zh", () => {}));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

const storageKey = "beacon.lang";

/** The language chosen before, else the browser's (Chinese unless it asks for English). */
export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved === "zh" || saved === "en") return saved;
  } catch {}
  return typeof navigator !== "undefined" && navigator.language.toLowerCase().startsWith("en") ? "en" : "zh";
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(storageKey, lang);
  } catch {}
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}
