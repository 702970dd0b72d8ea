import { institutionTypes, supervisoryUnits } from "@beacon/core/contract/institution-types";
import { type Lang, pick } from "../i18n/i18n.ts";

/** Institution type names come with core's registry vocabulary, in both languages. */
export function typeName(lang: Lang, type: string | null | undefined): string {
  if (!type) return "–";
  const t = (institutionTypes as Record<string, { zh: string; en: string }>)[type];
  return t ? pick(lang, t) : type;
}

export function unitName(lang: Lang, unit: string | null | undefined): string {
  if (!unit) return "–";
  const u = (supervisoryUnits as Record<string, { zh: string; en: string }>)[unit];
  return u ? pick(lang, u) : unit;
}

/** An institution's name in the language, from the zh/en pair the API gives. */
export function instName(
  lang: Lang,
  i: { nameZh?: string | null; nameEn?: string | null } | null | undefined,
): string {
  if (!i) return "–";
  return (lang === "zh" ? i.nameZh || i.nameEn : i.nameEn || i.nameZh) ?? "–";
}
