/** Small helpers shared by the China pack's rule families. */
import type { BankTier } from "@beacon/core/contract/institution-types";
import { decimalParam, defineParams } from "@beacon/core/rules/index";

interface Described {
  status: "confirmed" | "to_confirm";
  en: string;
  zh: string;
  note?: string;
}

/** A parameter whose default the digest supports (status P or S). */
export function confirmed(en: string, zh: string, note?: string): Described {
  return { status: "confirmed", en, zh, ...(note ? { note } : {}) };
}

/** A parameter whose default comes from a weak or unverified source (S* or U), or from a draft. */
export function toConfirm(en: string, zh: string, note: string): Described {
  return { status: "to_confirm", en, zh, note };
}

/** The parameter set of a rule with one "not lower than" line. */
export function minimumParams(
  value: string,
  described: Described = confirmed("Regulatory minimum", "监管最低要求"),
) {
  return defineParams({ minimum: decimalParam(value, described) });
}

/** The parameter set of a rule with one "not higher than" line. */
export function maximumParams(
  value: string,
  described: Described = confirmed("Regulatory maximum", "监管上限"),
) {
  return defineParams({ maximum: decimalParam(value, described) });
}

const tierNumerals = ["", "一", "二", "三", "四", "五"] as const;

/** "for tier 2 banks" / "第二档银行". */
export function tierQualifier(tier: BankTier) {
  return { en: `for tier ${tier} banks`, zh: `第${tierNumerals[tier]}档银行` };
}

/** Total assets deciding between LCR/NSFR and the HQLA adequacy ratio (Liquidity Risk Measures 2018). */
export const LARGE_BANK_ASSETS = "200000000000";
