/**
 * The judicial texts on private-lending rates that the record-level rate cap cites, as data from the threshold
 * digest (reference/regulation-thresholds.md, section 5). Kept beside the record rules because only they cite them.
 */
import type { Bilingual, LegalBasis } from "@beacon/core/rules/index";

const spc: Bilingual = { en: "Supreme People's Court", zh: "最高人民法院" };

/** The 2020 interpretation: interest above 4 × the one-year LPR at signing is not enforceable. */
export const privateLending2020: LegalBasis = {
  document: {
    en: "Provisions on Several Issues concerning the Application of Law in the Trial of Private Lending Cases (2020 revision)",
    zh: "最高人民法院关于审理民间借贷案件适用法律若干问题的规定（2020年修正）",
  },
  issuer: spc,
  year: 2020,
  article: { en: "Art. 25", zh: "第二十五条" },
  sources: ["S3"],
  status: "P",
};

/** The reply that keeps licensed local financial organisations outside the 2020 interpretation. */
export const scopeReply2020: LegalBasis = {
  document: {
    en: "Reply on the Scope of Application of the New Private-Lending Judicial Interpretation",
    zh: "最高人民法院关于新民间借贷司法解释适用范围问题的批复",
  },
  issuer: spc,
  year: 2020,
  sources: ["S4"],
  status: "P",
};

/** The 2015 interpretation's lines: 24% enforceable, above 36% void. */
export const privateLending2015: LegalBasis = {
  document: {
    en: "Provisions on Several Issues concerning the Application of Law in the Trial of Private Lending Cases",
    zh: "最高人民法院关于审理民间借贷案件适用法律若干问题的规定",
  },
  issuer: spc,
  year: 2015,
  reference: "法释〔2015〕18号",
  article: { en: "Art. 26", zh: "第二十六条" },
  sources: ["S30"],
  status: "S*",
};
