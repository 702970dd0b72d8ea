/**
 * Periodic returns: a balance-sheet model per institution and month, turned into the facts of the item
 * dictionary. Values are internally consistent (the five loan categories sum to total loans, NPL is their
 * last three, capital tiers nest, asset classes sum to total assets) and background ratios sit well inside
 * every threshold. Planted bank failures and return breaches bend the model for chosen institutions and
 * periods; the thresholds below decide which rules each planted value crosses.
 */

import type { InstitutionType } from "../contract/institution-types.ts";
import { type ItemDef, itemDictionary } from "../contract/items.ts";
import { balanceSeason, monthLabel, monthOfYear, quarterLabel } from "./calendar.ts";
import { dayOf, decimal, fen, isoDate } from "./format.ts";
import type { PlanContext } from "./plan-context.ts";
import { type Rng, unit4 } from "./random.ts";
import { rule } from "./truth.ts";
import type { Institution, World } from "./world.ts";
import { DatasetWriter, type WrittenFile } from "./writer.ts";

// ---------------------------------------------------------------------------------------------------------
// Plans that bend the model.

export interface BankFailurePlan {
  inst: Institution;
  event: "failed" | "taken_over";
  /** First month of the slide. */
  slideStart: number;
  /** Month of the failure or takeover. */
  failMonth: number;
  eventDay: number;
  /** Where the slide ends (worst values). */
  worst: { car: number; npl: number; liquidity: number; lcr: number };
}

export interface BreachPlan {
  inst: Institution;
  metric: string;
  /** Month indexes (quarter-end months for quarterly metrics). */
  months: number[];
  /** The planted value of the metric. */
  value: number;
}

export interface ReturnsPlan {
  failures: BankFailurePlan[];
  breaches: BreachPlan[];
  /** Item values forced for an institution and month: key `${instIdx}|${month}|${item}`. */
  overrides: Map<string, number>;
  /** Monthly surrender multipliers of planted surrender waves: key `${instIdx}|${month}`. */
  surrenderFactors: Map<string, number>;
  /** Complaints received per institution and month, filled by the complaints generator's model. */
  complaintCount: (inst: Institution, mi: number) => number;
}

export function overrideKey(inst: Institution, mi: number, item: string): string {
  return `${inst.idx}|${mi}|${item}`;
}

// ---------------------------------------------------------------------------------------------------------
// Thresholds used to keep the background clean and to tell which rules a planted value crosses.

type V = Map<string, number | string>;
const n = (v: V, k: string): number => {
  const x = v.get(k);
  return typeof x === "number" ? x : Number.NaN;
};

interface Threshold {
  metric: string;
  types: readonly InstitutionType[];
  value: (v: V) => number;
  min?: number;
  max?: number;
  warnMin?: number;
  warnMax?: number;
  /** Applies only when true (size-based rules). */
  when?: (inst: Institution, v: V) => boolean;
  basis: string;
}

const BANK: InstitutionType[] = ["bank"];
const SLCS: InstitutionType[] = ["small_loan", "online_small_loan"];
const INSURERS: InstitutionType[] = ["life_insurer", "pc_insurer"];
const reCaps = [0.4, 0.275, 0.225, 0.175, 0.125];
const mortgageCaps = [0.325, 0.2, 0.175, 0.125, 0.075];
const LARGE_BANK = 200e9;

const ratio = (a: string | string[], b: string | string[]) => (v: V) => {
  const sum = (x: string | string[]) => (Array.isArray(x) ? x : [x]).reduce((s, k) => s + n(v, k), 0);
  return sum(a) / sum(b);
};
const diffRatio = (a: string, ad: string, b: string) => (v: V) => (n(v, a) - n(v, ad)) / n(v, b);
const netCapital = (v: V) => n(v, "BANK_TOTAL_CAPITAL") - n(v, "BANK_TOTAL_CAPITAL_DEDUCTIONS");
const tier1Net = (v: V) => n(v, "BANK_TIER1_CAPITAL") - n(v, "BANK_TIER1_DEDUCTIONS");
const nplOf = (v: V) =>
  n(v, "BANK_LOANS_SUBSTANDARD") + n(v, "BANK_LOANS_DOUBTFUL") + n(v, "BANK_LOANS_LOSS");

export const thresholds: readonly Threshold[] = [
  {
    metric: "BANK_CET1_RATIO",
    types: BANK,
    value: diffRatio("BANK_CET1_CAPITAL", "BANK_CET1_DEDUCTIONS", "BANK_RWA"),
    min: 0.05,
    warnMin: 0.075,
    basis: "Capital Rules: CET1 >= 5% (7.5% with buffers)",
  },
  {
    metric: "BANK_TIER1_RATIO",
    types: BANK,
    value: (v) => tier1Net(v) / n(v, "BANK_RWA"),
    min: 0.06,
    warnMin: 0.085,
    basis: "Capital Rules: tier 1 >= 6% (8.5% with buffers)",
  },
  {
    metric: "BANK_CAR",
    types: BANK,
    value: (v) => netCapital(v) / n(v, "BANK_RWA"),
    min: 0.08,
    warnMin: 0.105,
    basis: "Commercial Bank Law Art. 39(1): CAR >= 8% (10.5% with buffers)",
  },
  {
    metric: "BANK_LEVERAGE_RATIO",
    types: BANK,
    value: (v) => tier1Net(v) / n(v, "BANK_LEVERAGE_EXPOSURE"),
    min: 0.04,
    basis: "Leverage ratio >= 4%",
  },
  {
    metric: "BANK_NPL_RATIO",
    types: BANK,
    value: (v) => nplOf(v) / n(v, "BANK_LOANS_TOTAL"),
    max: 0.05,
    basis: "Core Indicators: NPL ratio <= 5%",
  },
  {
    metric: "BANK_PROVISION_COVERAGE",
    types: BANK,
    value: (v) => n(v, "BANK_LOAN_LOSS_RESERVES") / nplOf(v),
    min: 1.2,
    warnMin: 1.5,
    basis: "Provision coverage 120-150%",
  },
  {
    metric: "BANK_LOAN_PROVISION_RATIO",
    types: BANK,
    value: ratio("BANK_LOAN_LOSS_RESERVES", "BANK_LOANS_TOTAL"),
    min: 0.015,
    warnMin: 0.025,
    basis: "Loan provision ratio 1.5-2.5%",
  },
  {
    metric: "BANK_LIQUIDITY_RATIO",
    types: BANK,
    value: ratio("BANK_LIQUID_ASSETS", "BANK_LIQUID_LIABILITIES"),
    min: 0.25,
    basis: "Commercial Bank Law Art. 39(2): liquidity ratio >= 25%",
  },
  {
    metric: "BANK_LCR",
    types: BANK,
    value: ratio("BANK_HQLA", "BANK_NET_CASH_OUTFLOW_30D"),
    min: 1,
    when: (_i, v) => n(v, "BANK_TOTAL_ASSETS") >= LARGE_BANK,
    basis: "Liquidity Risk Measures 2018: LCR >= 100% (assets >= RMB 200bn)",
  },
  {
    metric: "BANK_NSFR",
    types: BANK,
    value: ratio("BANK_ASF", "BANK_RSF"),
    min: 1,
    when: (_i, v) => n(v, "BANK_TOTAL_ASSETS") >= LARGE_BANK,
    basis: "Liquidity Risk Measures 2018: NSFR >= 100% (assets >= RMB 200bn)",
  },
  {
    metric: "BANK_HQLA_ADEQUACY_RATIO",
    types: BANK,
    value: ratio("BANK_HQLA_ADEQUACY_ASSETS", "BANK_SHORT_TERM_NET_OUTFLOW"),
    min: 1,
    when: (_i, v) => n(v, "BANK_TOTAL_ASSETS") < LARGE_BANK,
    basis: "Liquidity Risk Measures 2018: HQLA adequacy >= 100% (assets < RMB 200bn)",
  },
  {
    metric: "BANK_LIQUIDITY_MATCHING_RATIO",
    types: BANK,
    value: ratio("BANK_WEIGHTED_FUNDING_SOURCES", "BANK_WEIGHTED_FUNDING_USES"),
    min: 1,
    basis: "Liquidity matching ratio >= 100%",
  },
  {
    metric: "BANK_SINGLE_CUSTOMER_RATIO",
    types: BANK,
    value: (v) => n(v, "BANK_LARGEST_CUSTOMER_LOANS") / netCapital(v),
    max: 0.1,
    basis: "Commercial Bank Law Art. 39(3): single customer <= 10% of net capital",
  },
  {
    metric: "BANK_SINGLE_GROUP_RATIO",
    types: BANK,
    value: (v) => n(v, "BANK_LARGEST_GROUP_CREDIT") / netCapital(v),
    max: 0.15,
    basis: "Core Indicators: single group <= 15%",
  },
  {
    metric: "BANK_RELATED_PARTY_RATIO",
    types: BANK,
    value: (v) => n(v, "BANK_RELATED_PARTY_CREDIT") / netCapital(v),
    max: 0.5,
    basis: "Core Indicators: related parties <= 50%",
  },
  {
    metric: "BANK_TOP10_CUSTOMER_RATIO",
    types: BANK,
    value: (v) => n(v, "BANK_TOP10_CUSTOMER_LOANS") / netCapital(v),
    max: 0.5,
    basis: "Top-10 customers <= 50%",
  },
  {
    metric: "BANK_LE_NONBANK_SINGLE_RATIO",
    types: BANK,
    value: (v) => n(v, "BANK_LE_NONBANK_SINGLE") / tier1Net(v),
    max: 0.15,
    basis: "Large Exposure Measures: single non-interbank <= 15% of tier 1",
  },
  {
    metric: "BANK_LE_NONBANK_GROUP_RATIO",
    types: BANK,
    value: (v) => n(v, "BANK_LE_NONBANK_GROUP") / tier1Net(v),
    max: 0.2,
    basis: "Large Exposure Measures: group <= 20% of tier 1",
  },
  {
    metric: "BANK_LE_INTERBANK_RATIO",
    types: BANK,
    value: (v) => n(v, "BANK_LE_INTERBANK_SINGLE") / tier1Net(v),
    max: 0.25,
    basis: "Large Exposure Measures: interbank <= 25% of tier 1",
  },
  {
    metric: "BANK_INTERBANK_LIABILITY_RATIO",
    types: BANK,
    value: ratio("BANK_INTERBANK_LIABILITIES", "BANK_TOTAL_LIABILITIES"),
    max: 1 / 3,
    basis: "Yinfa [2014] 127: interbank liabilities <= 1/3 of liabilities",
  },
  {
    metric: "BANK_INTERBANK_LENDING_RATIO",
    types: BANK,
    value: (v) =>
      (n(v, "BANK_LARGEST_INTERBANK_LENDING") - n(v, "BANK_LARGEST_INTERBANK_LENDING_ZERO_RW")) / tier1Net(v),
    max: 0.5,
    basis: "Yinfa [2014] 127: lending to one FI <= 50% of tier 1",
  },
  {
    metric: "BANK_RE_LOAN_RATIO",
    types: BANK,
    value: ratio("BANK_RE_LOANS", "BANK_RMB_LOANS"),
    max: Number.NaN,
    basis: "PBoC/CBIRC 2020 notice: real-estate loans <= tier cap",
  },
  {
    metric: "BANK_MORTGAGE_RATIO",
    types: BANK,
    value: ratio("BANK_MORTGAGE_LOANS", "BANK_RMB_LOANS"),
    max: Number.NaN,
    basis: "PBoC/CBIRC 2020 notice: mortgages <= tier cap",
  },
  {
    metric: "BANK_ACCEPTANCE_RATIO",
    types: BANK,
    value: ratio("BANK_ACCEPTANCES_OUTSTANDING", "BANK_TOTAL_ASSETS"),
    max: 0.15,
    basis: "PBoC Order 2022 No. 4: acceptances <= 15% of total assets",
  },
  {
    metric: "BANK_ACCEPTANCE_MARGIN_RATIO",
    types: BANK,
    value: ratio("BANK_ACCEPTANCE_MARGIN", "BANK_DEPOSITS"),
    max: 0.1,
    basis: "PBoC Order 2022 No. 4: margin <= 10% of deposits",
  },
  {
    metric: "SEC_RISK_COVERAGE_RATIO",
    types: ["securities_firm"],
    value: ratio("SEC_NET_CAPITAL", "SEC_RISK_CAPITAL_RESERVES"),
    min: 1,
    warnMin: 1.2,
    basis: "CSRC Risk Control Indicators: risk coverage >= 100% (warning 120%)",
  },
  {
    metric: "SEC_CAPITAL_LEVERAGE_RATIO",
    types: ["securities_firm"],
    value: ratio("SEC_CORE_NET_CAPITAL", "SEC_ON_OFF_BALANCE_ASSETS"),
    min: 0.08,
    warnMin: 0.096,
    basis: "CSRC: capital leverage >= 8% (warning 9.6%)",
  },
  {
    metric: "SEC_LCR",
    types: ["securities_firm"],
    value: ratio("SEC_HQLA", "SEC_NET_CASH_OUTFLOW_30D"),
    min: 1,
    warnMin: 1.2,
    basis: "CSRC: LCR >= 100% (warning 120%)",
  },
  {
    metric: "SEC_NSFR",
    types: ["securities_firm"],
    value: ratio("SEC_ASF", "SEC_RSF"),
    min: 1,
    warnMin: 1.2,
    basis: "CSRC: NSFR >= 100% (warning 120%)",
  },
  {
    metric: "SEC_NET_CAPITAL_TO_NET_ASSETS",
    types: ["securities_firm"],
    value: ratio("SEC_NET_CAPITAL", "SEC_NET_ASSETS"),
    min: 0.2,
    warnMin: 0.4,
    basis: "CSRC: net capital / net assets",
  },
  {
    metric: "SEC_NET_CAPITAL_TO_LIABILITIES",
    types: ["securities_firm"],
    value: ratio("SEC_NET_CAPITAL", "SEC_LIABILITIES"),
    min: 0.08,
    warnMin: 0.096,
    basis: "CSRC: net capital / liabilities >= 8%",
  },
  {
    metric: "SEC_NET_ASSETS_TO_LIABILITIES",
    types: ["securities_firm"],
    value: ratio("SEC_NET_ASSETS", "SEC_LIABILITIES"),
    min: 0.1,
    warnMin: 0.12,
    basis: "CSRC: net assets / liabilities >= 10%",
  },
  {
    metric: "SEC_PROP_EQUITY_RATIO",
    types: ["securities_firm"],
    value: ratio("SEC_PROP_EQUITY_HOLDINGS", "SEC_NET_CAPITAL"),
    max: 1,
    warnMax: 0.8,
    basis: "CSRC: proprietary equity <= 100% of net capital",
  },
  {
    metric: "SEC_PROP_NON_EQUITY_RATIO",
    types: ["securities_firm"],
    value: ratio("SEC_PROP_NON_EQUITY_HOLDINGS", "SEC_NET_CAPITAL"),
    max: 5,
    warnMax: 4,
    basis: "CSRC: proprietary non-equity <= 500% of net capital",
  },
  {
    metric: "SEC_SINGLE_EQUITY_COST_RATIO",
    types: ["securities_firm"],
    value: ratio("SEC_LARGEST_EQUITY_COST", "SEC_NET_CAPITAL"),
    max: 0.3,
    warnMax: 0.24,
    basis: "CSRC: single equity at cost <= 30% of net capital",
  },
  {
    metric: "SEC_MAX_EQUITY_ISSUER_SHARE",
    types: ["securities_firm"],
    value: (v) => n(v, "SEC_MAX_EQUITY_ISSUER_SHARE"),
    max: 0.05,
    warnMax: 0.04,
    basis: "CSRC: single equity <= 5% of issuer",
  },
  {
    metric: "SEC_MARGIN_SINGLE_CLIENT_RATIO",
    types: ["securities_firm"],
    value: ratio("SEC_LARGEST_CLIENT_MARGIN", "SEC_NET_CAPITAL"),
    max: 0.05,
    warnMax: 0.04,
    basis: "Margin single client <= 5% of net capital",
  },
  {
    metric: "SEC_MARGIN_TOTAL_MULTIPLE",
    types: ["securities_firm"],
    value: ratio("SEC_MARGIN_TOTAL", "SEC_NET_CAPITAL"),
    max: 4,
    warnMax: 3.2,
    basis: "Margin total <= 4x net capital",
  },
  {
    metric: "SEC_MAX_COLLATERAL_STOCK_SHARE",
    types: ["securities_firm"],
    value: (v) => n(v, "SEC_MAX_COLLATERAL_STOCK_SHARE"),
    max: 0.2,
    warnMax: 0.16,
    basis: "Single collateral stock <= 20% of its market value",
  },
  {
    metric: "INS_CORE_SOLVENCY_RATIO",
    types: INSURERS,
    value: ratio("INS_CORE_CAPITAL", "INS_MINIMUM_CAPITAL"),
    min: 0.5,
    basis: "Solvency Regulations 2021: core solvency >= 50%",
  },
  {
    metric: "INS_COMPREHENSIVE_SOLVENCY_RATIO",
    types: INSURERS,
    value: ratio("INS_ACTUAL_CAPITAL", "INS_MINIMUM_CAPITAL"),
    min: 1,
    basis: "Solvency Regulations 2021: comprehensive solvency >= 100%",
  },
  {
    metric: "INS_IRR_GRADE",
    types: INSURERS,
    value: (v) => (["C", "D"].includes(String(v.get("INS_IRR_GRADE"))) ? 1 : 0),
    max: 0.5,
    basis: "Solvency Regulations 2021: integrated risk rating B or better",
  },
  {
    metric: "INS_SHORT_MEDIUM_SHARE",
    types: ["life_insurer"],
    value: ratio("INS_SHORT_MEDIUM_PREMIUMS", "INS_PREMIUMS"),
    max: 0.5,
    basis: "CIRC 2016: short/medium-duration premiums <= 50%",
  },
  {
    metric: "INS_SHORT_MEDIUM_MULTIPLE",
    types: ["life_insurer"],
    value: (v) =>
      n(v, "INS_SHORT_MEDIUM_PREMIUMS") / Math.max(n(v, "INS_INVESTED_CAPITAL"), n(v, "INS_NET_ASSETS")),
    max: 2,
    basis: "CIRC 2016: short/medium-duration premiums < 2x capital",
  },
  // Small-loan companies: the 2020 notice (Yinbaojianbanfa [2020] 86), as in the China pack. The 2008 pilot limits
  // (bank borrowing <= 50% of net capital, two banks, single borrower <= 5%) ended 2020-09-15, before any generated
  // period; the NFRA measures' prior-year-end basis is not in force in the pack until their date is confirmed.
  {
    metric: "SLC_NONSTANDARD_LEVERAGE",
    types: SLCS,
    value: ratio(["SLC_BANK_BORROWINGS", "SLC_SHAREHOLDER_BORROWINGS"], "SLC_NET_ASSETS"),
    max: 1,
    basis: "Yinbaojianbanfa [2020] 86: non-standard financing <= 1x net assets",
  },
  {
    metric: "SLC_STANDARDISED_LEVERAGE",
    types: SLCS,
    value: ratio("SLC_STANDARDISED_FINANCING", "SLC_NET_ASSETS"),
    max: 4,
    basis: "Yinbaojianbanfa [2020] 86: standardised financing <= 4x net assets",
  },
  {
    metric: "SLC_SINGLE_BORROWER_RATIO",
    types: SLCS,
    value: ratio("SLC_LARGEST_BORROWER_BALANCE", "SLC_NET_ASSETS"),
    max: 0.1,
    basis: "Yinbaojianbanfa [2020] 86: single borrower <= 10% of net assets",
  },
  {
    metric: "SLC_SINGLE_BORROWER_RELATED_RATIO",
    types: SLCS,
    value: ratio("SLC_LARGEST_BORROWER_RELATED_BALANCE", "SLC_NET_ASSETS"),
    max: 0.15,
    basis: "Yinbaojianbanfa [2020] 86: with related parties <= 15%",
  },
  {
    metric: "SLC_INTER_SLC_LENT_RATIO",
    types: ["small_loan"],
    value: ratio("SLC_INTER_SLC_LENT", "SLC_NET_CAPITAL"),
    max: 0.5,
    basis: "Chongqing inter-SLC rules: lent <= 50% of net capital",
  },
  {
    metric: "SLC_INTER_SLC_BORROWED_RATIO",
    types: ["small_loan"],
    value: ratio("SLC_INTER_SLC_BORROWED", "SLC_NET_CAPITAL"),
    max: 0.3,
    basis: "Chongqing inter-SLC rules: borrowed <= 30% of net capital",
  },
  {
    metric: "SLC_MAX_ANNUALISED_COST",
    types: SLCS,
    value: (v) => n(v, "SLC_MAX_ANNUALISED_COST"),
    max: 0.36,
    basis:
      "Cash-loan notice 2017: all-in annualised cost <= 36% (the 4x LPR private-lending cap does not apply)",
  },
  {
    metric: "OSL_JOINT_LENDING_SHARE",
    types: ["online_small_loan"],
    value: ratio("OSL_JOINT_LOANS_OWN", "OSL_JOINT_LOANS_TOTAL"),
    min: 0.3,
    basis: "Online small-loan draft measures 2020: own share of joint loans >= 30%",
  },
  {
    metric: "OSL_MAX_NATURAL_PERSON_BALANCE",
    types: ["online_small_loan"],
    value: (v) => n(v, "OSL_MAX_NATURAL_PERSON_BALANCE"),
    max: 300_000,
    basis: "Online small-loan draft measures 2020 Art. 13: natural person <= RMB 300k",
  },
  {
    metric: "OSL_MAX_LEGAL_PERSON_BALANCE",
    types: ["online_small_loan"],
    value: (v) => n(v, "OSL_MAX_LEGAL_PERSON_BALANCE"),
    max: 1_000_000,
    basis: "Online small-loan draft measures 2020: legal person <= RMB 1m",
  },
  {
    metric: "OSL_PAID_IN_CAPITAL",
    types: ["online_small_loan"],
    value: (v) => n(v, "OSL_PAID_IN_CAPITAL"),
    min: 1e9,
    when: (_i, v) => n(v, "OSL_CROSS_PROVINCE") !== 1,
    basis: "Online small-loan draft measures 2020: paid-in capital >= RMB 1bn",
  },
  {
    metric: "OSL_PAID_IN_CAPITAL",
    types: ["online_small_loan"],
    value: (v) => n(v, "OSL_PAID_IN_CAPITAL"),
    min: 5e9,
    when: (_i, v) => n(v, "OSL_CROSS_PROVINCE") === 1,
    basis: "Online small-loan draft measures 2020: paid-in capital >= RMB 5bn for cross-province business",
  },
  {
    metric: "FGC_LEVERAGE",
    types: ["financing_guarantee"],
    value: ratio("FGC_FIN_GUARANTEE_LIABILITY", "FGC_NET_ASSETS"),
    max: 10,
    basis: "FGC Regulations Art. 15: leverage <= 10x (15x for SME focus)",
  },
  {
    metric: "FGC_SINGLE_PARTY_RATIO",
    types: ["financing_guarantee"],
    value: ratio("FGC_LARGEST_PARTY_BALANCE", "FGC_NET_ASSETS"),
    max: 0.1,
    basis: "FGC Regulations Art. 16: single party <= 10% of net assets",
  },
  {
    metric: "FGC_SINGLE_PARTY_RELATED_RATIO",
    types: ["financing_guarantee"],
    value: ratio("FGC_LARGEST_PARTY_RELATED_BALANCE", "FGC_NET_ASSETS"),
    max: 0.15,
    basis: "FGC Regulations Art. 16: with related parties <= 15%",
  },
  {
    metric: "FGC_CLASS1_RATIO",
    types: ["financing_guarantee"],
    value: (v) =>
      (n(v, "FGC_CLASS1_ASSETS") - n(v, "FGC_CLASS1_DEDUCTIONS")) /
      (n(v, "FGC_TOTAL_ASSETS") - n(v, "FGC_COMPENSATION_RECEIVABLE")),
    min: 0.2,
    basis: "Asset Ratio Measures 2018: class I >= 20%",
  },
  {
    metric: "FGC_CLASS12_RATIO",
    types: ["financing_guarantee"],
    value: (v) =>
      (n(v, "FGC_CLASS1_ASSETS") +
        n(v, "FGC_CLASS2_ASSETS") -
        n(v, "FGC_CLASS1_DEDUCTIONS") -
        n(v, "FGC_CLASS2_DEDUCTIONS")) /
      (n(v, "FGC_TOTAL_ASSETS") - n(v, "FGC_COMPENSATION_RECEIVABLE")),
    min: 0.7,
    basis: "Asset Ratio Measures 2018: class I + II >= 70%",
  },
  {
    metric: "FGC_CLASS3_RATIO",
    types: ["financing_guarantee"],
    value: (v) =>
      (n(v, "FGC_CLASS3_ASSETS") - n(v, "FGC_CLASS3_DEDUCTIONS")) /
      (n(v, "FGC_TOTAL_ASSETS") - n(v, "FGC_COMPENSATION_RECEIVABLE")),
    max: 0.3,
    basis: "Asset Ratio Measures 2018: class III <= 30%",
  },
  {
    metric: "FGC_CONTROLLER_GUARANTEES",
    types: ["financing_guarantee"],
    value: (v) => n(v, "FGC_CONTROLLER_GUARANTEES"),
    max: 0,
    basis: "FGC Regulations Art. 17: no guarantees for the controlling shareholder",
  },
  {
    metric: "AMM_MAX_SECURITY_SHARE_PUBLIC",
    types: [],
    value: (v) => n(v, "AMM_MAX_SECURITY_SHARE_PUBLIC"),
    max: 0.3,
    basis: "Guiding Opinions Art. 16: <= 30% of one security",
  },
  {
    metric: "AMM_MAX_STOCK_FLOAT_OPEN_PUBLIC",
    types: [],
    value: (v) => n(v, "AMM_MAX_STOCK_FLOAT_OPEN_PUBLIC"),
    max: 0.15,
    basis: "Guiding Opinions Art. 16: <= 15% of float",
  },
  {
    metric: "AMM_MAX_STOCK_FLOAT_ALL",
    types: [],
    value: (v) => n(v, "AMM_MAX_STOCK_FLOAT_ALL"),
    max: 0.3,
    basis: "Guiding Opinions Art. 16(3): <= 30% of float",
  },
  {
    metric: "AMM_MAX_SINGLE_ASSET",
    types: [],
    value: (v) => n(v, "AMM_MAX_SINGLE_ASSET"),
    max: 30e9,
    basis: "Guiding Opinions: single asset <= RMB 30bn",
  },
  {
    metric: "GEN_FILINGS_LATE",
    types: [],
    value: (v) => n(v, "GEN_FILINGS_LATE"),
    max: 0,
    basis: "Filing deadlines",
  },
  // Prohibition flags: any "1" is a breach.
  ...itemDictionary
    .filter((d) => d.unit === "flag" && d.code.includes("_FLAG_"))
    .map(
      (d): Threshold => ({
        metric: d.code,
        types: d.appliesTo.filter((t): t is InstitutionType => t !== "am_product"),
        value: (v: V) => n(v, d.code),
        max: 0,
        basis: d.en,
      }),
    )
    .filter((t) => t.types.length > 0),
];

export interface Crossing {
  metric: string;
  value: number;
  limit: number;
  line: "regulatory" | "warning";
  comparator: ">=" | "<=";
  basis: string;
}

/** The thresholds a set of values crosses (regulatory line, else warning line). */
export function crossings(inst: Institution, v: V): Crossing[] {
  const out: Crossing[] = [];
  for (const t of thresholds) {
    if (t.types.length > 0 && !t.types.includes(inst.type)) continue;
    if (t.types.length === 0 && !v.has(t.metric)) continue;
    let max = t.max;
    if (t.metric === "BANK_RE_LOAN_RATIO") max = reCaps[(inst.tier ?? 3) - 1];
    if (t.metric === "BANK_MORTGAGE_RATIO") max = mortgageCaps[(inst.tier ?? 3) - 1];
    if (t.when && !t.when(inst, v)) continue;
    const x = t.value(v);
    if (!Number.isFinite(x)) continue;
    if (t.min !== undefined && x < t.min)
      out.push({
        metric: t.metric,
        value: x,
        limit: t.min,
        line: "regulatory",
        comparator: ">=",
        basis: t.basis,
      });
    else if (max !== undefined && x > max)
      out.push({
        metric: t.metric,
        value: x,
        limit: max,
        line: "regulatory",
        comparator: "<=",
        basis: t.basis,
      });
    else if (t.warnMin !== undefined && x < t.warnMin)
      out.push({
        metric: t.metric,
        value: x,
        limit: t.warnMin,
        line: "warning",
        comparator: ">=",
        basis: t.basis,
      });
    else if (t.warnMax !== undefined && x > t.warnMax)
      out.push({
        metric: t.metric,
        value: x,
        limit: t.warnMax,
        line: "warning",
        comparator: "<=",
        basis: t.basis,
      });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The model.

/** Centered noise in [-0.5, 0.5) for an institution, month and purpose. */
function nz(world: World, inst: Institution, mi: number, k: number): number {
  return unit4(world.s0 ^ 0x2f6b, world.s1 ^ k, inst.idx, mi) - 0.5;
}

/** Extra profile numbers beyond inst.u (stable per institution and purpose). */
function pu(world: World, inst: Institution, k: number): number {
  return unit4(world.s0 ^ 0x71a3, world.s1 ^ (k * 7919), inst.idx, 0);
}

/** The December whose figures the registry shows as "last year end". */
export function lastYearEnd(world: World): number {
  return world.endMonth % 12 === 11 ? world.endMonth : Math.floor(world.endMonth / 12) * 12 - 1;
}

/** Total assets in month `mi` (registry total_assets equals the December value). */
export function assetsAt(world: World, inst: Institution, mi: number): number {
  const g = 0.002 + 0.007 * inst.u[0]!;
  const dec = lastYearEnd(world);
  const season = inst.type === "bank" ? balanceSeason(mi) / balanceSeason(dec) : 1;
  const noise = mi === dec ? 1 : 1 + 0.008 * nz(world, inst, mi, 1);
  return inst.totalAssets * (1 + g) ** (mi - dec) * season * noise;
}

/** The planted failure of an institution, if any. */
function failureOf(plan: ReturnsPlan, inst: Institution): BankFailurePlan | null {
  for (const f of plan.failures) if (f.inst === inst) return f;
  return null;
}

function slide(f: BankFailurePlan | null, mi: number): number {
  if (!f || mi < f.slideStart) return 0;
  if (mi >= f.failMonth) return 1;
  return (mi - f.slideStart) / (f.failMonth - f.slideStart);
}

const lerp = (a: number, b: number, p: number) => a + (b - a) * p;

/** NPL and special-mention ratios of a lender's book in a month (used by the loan generator too). */
export function creditQuality(
  world: World,
  plan: ReturnsPlan,
  inst: Institution,
  mi: number,
): { npl: number; sm: number } {
  const u = inst.u;
  let npl: number;
  let sm: number;
  switch (inst.type) {
    case "bank":
      npl = 0.008 + 0.017 * u[4]!;
      sm = 0.01 + 0.02 * u[5]!;
      break;
    case "small_loan":
    case "pawn":
      npl = 0.03 + 0.05 * u[4]!;
      sm = 0.03 + 0.04 * u[5]!;
      break;
    case "online_small_loan":
    case "internet_lending_platform":
      npl = 0.015 + 0.02 * u[4]!;
      sm = 0.02 + 0.02 * u[5]!;
      break;
    case "local_amc":
      npl = 0.1 + 0.15 * u[4]!;
      sm = 0.1 + 0.1 * u[5]!;
      break;
    default:
      npl = 0.01 + 0.02 * u[4]!;
      sm = 0.015 + 0.02 * u[5]!;
  }
  npl *= 1 + 0.08 * nz(world, inst, mi, 2);
  const f = failureOf(plan, inst);
  const p = slide(f, mi);
  if (f && p > 0) {
    npl = lerp(npl, f.worst.npl, p ** 1.3);
    sm = lerp(sm, 0.09, p);
  }
  for (const b of plan.breaches)
    if (b.inst === inst && b.metric === "BANK_NPL_RATIO" && b.months.includes(mi)) npl = b.value;
  return { npl, sm };
}

function breachValue(plan: ReturnsPlan, inst: Institution, mi: number, metric: string): number | undefined {
  for (const b of plan.breaches)
    if (b.inst === inst && b.metric === metric && b.months.includes(mi)) return b.value;
  return undefined;
}

/** Month index of the start of the year (for year-to-date items). */
function yearStart(mi: number): number {
  return Math.floor(mi / 12) * 12;
}

function bankValues(world: World, plan: ReturnsPlan, inst: Institution, mi: number, v: V): void {
  const u = inst.u;
  const f = failureOf(plan, inst);
  const p = slide(f, mi);
  const bv = (m: string) => breachValue(plan, inst, mi, m);
  const tier = inst.tier ?? 3;
  const ta = assetsAt(world, inst, mi) * (1 - 0.12 * p * p);
  const equityRatio = lerp(0.07 + 0.02 * u[3]!, 0.025, p);
  const tl = ta * (1 - equityRatio);
  const depositRatio = (0.62 + 0.12 * u[2]!) * (1 - 0.28 * p * p) * (1 + 0.01 * nz(world, inst, mi, 3));
  const deposits = ta * depositRatio;
  const loans = ta * (0.45 + 0.15 * u[1]!);
  const rmbLoans = loans * (tier <= 2 ? 0.965 + 0.025 * u[6]! : 0.985 + 0.015 * u[6]!);
  const q = creditQuality(world, plan, inst, mi);
  const lt = Math.round(loans * 100);
  const sub = Math.round(lt * q.npl * 0.45);
  const dbt = Math.round(lt * q.npl * 0.35);
  const loss = Math.round(lt * q.npl * 0.2);
  const smf = Math.round(lt * q.sm);
  const normal = lt - sub - dbt - loss - smf;
  const nplAmt = (sub + dbt + loss) / 100;
  let coverage = lerp(1.8 + 1.5 * u[7]!, 0.7, p);
  if (bv("BANK_NPL_RATIO") !== undefined) coverage = 1.55 + 0.3 * u[7]!;
  const reserves = Math.max(nplAmt * coverage, p > 0 ? 0 : loans * (0.026 + 0.01 * u[8]!));
  // Capital ratios: background CAR 12.5-16%; a failing bank slides to its worst value.
  let car = lerp(0.125 + 0.035 * u[9]!, f ? f.worst.car : 0, p);
  let t1 = car - 0.012 - 0.008 * u[10]!;
  let cet1 = t1 - 0.004 * u[11]!;
  const carBreach = bv("BANK_CAR");
  if (carBreach !== undefined) {
    car = carBreach;
    t1 = car - 0.008;
    cet1 = t1 - 0.003;
  }
  const cetBreach = bv("BANK_CET1_RATIO");
  if (cetBreach !== undefined) {
    cet1 = cetBreach;
    t1 = Math.max(t1, cet1 + 0.012);
    car = Math.max(car, t1 + 0.02);
  }
  const rwa = ta * (0.58 + 0.12 * u[12]!);
  const cetDed = rwa * (0.002 + 0.003 * u[13]!);
  const t1Ded = cetDed + rwa * 0.0005;
  const totDed = t1Ded + rwa * 0.0008;
  const cet1Cap = cet1 * rwa + cetDed;
  const t1Cap = t1 * rwa + t1Ded;
  const totCap = car * rwa + totDed;
  const nc = totCap - totDed;
  const t1n = t1Cap - t1Ded;
  const liq = bv("BANK_LIQUIDITY_RATIO") ?? lerp(0.45 + 0.35 * u[14]!, f ? f.worst.liquidity : 0, p);
  const lcr = bv("BANK_LCR") ?? lerp(1.3 + 1.2 * u[15]!, f ? f.worst.lcr : 0, p);
  const har = bv("BANK_HQLA_ADEQUACY_RATIO") ?? lerp(1.3 + pu(world, inst, 1), f ? f.worst.lcr - 0.05 : 0, p);
  const nsfr = lerp(1.15 + 0.3 * pu(world, inst, 2), 0.86, p);
  const lmr = lerp(1.2 + 0.45 * pu(world, inst, 3), 0.88, p);
  const liquidLiab = tl * (0.25 + 0.1 * pu(world, inst, 4));
  const nco = ta * (0.04 + 0.03 * pu(world, inst, 5));
  const stno = ta * (0.03 + 0.02 * pu(world, inst, 6));
  const rsf = ta * (0.55 + 0.1 * pu(world, inst, 7));
  const wfu = ta * (0.5 + 0.1 * pu(world, inst, 8));
  const reCap = reCaps[tier - 1]!;
  const mCap = mortgageCaps[tier - 1]!;
  let re = rmbLoans * reCap * (0.55 + 0.22 * pu(world, inst, 9));
  let mort = Math.min(rmbLoans * mCap * (0.55 + 0.22 * pu(world, inst, 10)), re * 0.92);
  const reB = bv("BANK_RE_LOAN_RATIO");
  if (reB !== undefined) re = rmbLoans * reB;
  const mB = bv("BANK_MORTGAGE_RATIO");
  if (mB !== undefined) {
    mort = rmbLoans * mB;
    re = Math.max(re, mort + rmbLoans * 0.005);
  }
  let largest = nc * (0.03 + 0.05 * pu(world, inst, 11));
  const scB = bv("BANK_SINGLE_CUSTOMER_RATIO");
  if (scB !== undefined) largest = nc * scB;
  const group = Math.max(nc * (0.06 + 0.06 * pu(world, inst, 12)), largest * 1.05);
  const top10 = Math.max(nc * (0.22 + 0.2 * pu(world, inst, 13)), group * 1.2);
  const ibB = bv("BANK_INTERBANK_LIABILITY_RATIO");
  const ibLiab = tl * (ibB ?? lerp(0.05 + 0.2 * pu(world, inst, 14), 0.42, p));
  const accB = bv("BANK_ACCEPTANCE_RATIO");
  const acceptances = ta * (accB ?? 0.02 + 0.08 * pu(world, inst, 15));
  const ibLend = t1n * (0.1 + 0.25 * pu(world, inst, 16));
  const monthly: [string, number][] = [
    ["BANK_TOTAL_ASSETS", ta],
    ["BANK_TOTAL_LIABILITIES", tl],
    ["BANK_LOANS_NORMAL", normal / 100],
    ["BANK_LOANS_SPECIAL_MENTION", smf / 100],
    ["BANK_LOANS_SUBSTANDARD", sub / 100],
    ["BANK_LOANS_DOUBTFUL", dbt / 100],
    ["BANK_LOANS_LOSS", loss / 100],
    ["BANK_LOANS_TOTAL", lt / 100],
    ["BANK_LOAN_LOSS_RESERVES", reserves],
    ["BANK_LGFV_LOANS", loans * (0.02 + 0.1 * pu(world, inst, 17))],
    ["BANK_LIQUID_ASSETS", liquidLiab * liq],
    ["BANK_LIQUID_LIABILITIES", liquidLiab],
    ["BANK_HQLA", nco * lcr],
    ["BANK_NET_CASH_OUTFLOW_30D", nco],
    ["BANK_HQLA_ADEQUACY_ASSETS", stno * har],
    ["BANK_SHORT_TERM_NET_OUTFLOW", stno],
    ["BANK_WEIGHTED_FUNDING_SOURCES", wfu * lmr],
    ["BANK_WEIGHTED_FUNDING_USES", wfu],
    ["BANK_DEPOSITS", deposits],
    ["BANK_LARGEST_CUSTOMER_LOANS", largest],
    ["BANK_LARGEST_GROUP_CREDIT", group],
    ["BANK_TOP10_CUSTOMER_LOANS", top10],
    ["BANK_RELATED_PARTY_CREDIT", nc * (0.05 + 0.25 * pu(world, inst, 18))],
    ["BANK_INTERBANK_LIABILITIES", ibLiab],
    ["BANK_LARGEST_INTERBANK_LENDING", ibLend],
    ["BANK_LARGEST_INTERBANK_LENDING_ZERO_RW", ibLend * 0.3 * pu(world, inst, 19)],
    ["BANK_RE_LOANS", re],
    ["BANK_MORTGAGE_LOANS", mort],
    ["BANK_RMB_LOANS", rmbLoans],
    ["BANK_ACCEPTANCES_OUTSTANDING", acceptances],
    ["BANK_ACCEPTANCE_MARGIN", acceptances * (0.2 + 0.2 * pu(world, inst, 20))],
    // Quarterly items (kept only at quarter ends by the writer).
    ["BANK_CET1_CAPITAL", cet1Cap],
    ["BANK_CET1_DEDUCTIONS", cetDed],
    ["BANK_TIER1_CAPITAL", t1Cap],
    ["BANK_TIER1_DEDUCTIONS", t1Ded],
    ["BANK_TOTAL_CAPITAL", totCap],
    ["BANK_TOTAL_CAPITAL_DEDUCTIONS", totDed],
    ["BANK_RWA", rwa],
    ["BANK_LEVERAGE_EXPOSURE", ta * (1.04 + 0.08 * pu(world, inst, 21))],
    ["BANK_ASF", rsf * nsfr],
    ["BANK_RSF", rsf],
    ["BANK_LE_NONBANK_SINGLE", t1n * (0.04 + 0.07 * pu(world, inst, 22))],
    ["BANK_LE_NONBANK_GROUP", t1n * (0.07 + 0.08 * pu(world, inst, 23))],
    ["BANK_LE_INTERBANK_SINGLE", t1n * (0.08 + 0.12 * pu(world, inst, 24))],
  ];
  for (const [k, x] of monthly) v.set(k, x);
}

function securitiesValues(world: World, plan: ReturnsPlan, inst: Institution, mi: number, v: V): void {
  const bv = (m: string) => breachValue(plan, inst, mi, m);
  const ta = assetsAt(world, inst, mi);
  const na = ta * (0.25 + 0.1 * inst.u[1]!);
  const nc = na * (0.6 + 0.25 * inst.u[2]!);
  const core = nc * (0.85 + 0.1 * inst.u[3]!);
  const rc = bv("SEC_RISK_COVERAGE_RATIO") ?? 1.8 + 1.7 * inst.u[4]! + 0.1 * nz(world, inst, mi, 4);
  const clr = bv("SEC_CAPITAL_LEVERAGE_RATIO") ?? 0.16 + 0.14 * inst.u[5]!;
  const lcr = bv("SEC_LCR") ?? 1.5 + 1.5 * inst.u[6]!;
  const nsfr = bv("SEC_NSFR") ?? 1.3 + 0.7 * inst.u[7]!;
  const nco = ta * (0.02 + 0.02 * inst.u[8]!);
  const rsf = ta * 0.5;
  v.set("SEC_NET_CAPITAL", nc);
  v.set("SEC_CORE_NET_CAPITAL", core);
  v.set("SEC_RISK_CAPITAL_RESERVES", nc / rc);
  v.set("SEC_ON_OFF_BALANCE_ASSETS", core / clr);
  v.set("SEC_HQLA", nco * lcr);
  v.set("SEC_NET_CASH_OUTFLOW_30D", nco);
  v.set("SEC_ASF", rsf * nsfr);
  v.set("SEC_RSF", rsf);
  v.set("SEC_NET_ASSETS", na);
  v.set("SEC_LIABILITIES", ta - na);
  v.set("SEC_PROP_EQUITY_HOLDINGS", nc * (0.2 + 0.4 * inst.u[9]!));
  v.set("SEC_PROP_NON_EQUITY_HOLDINGS", nc * (1 + 2 * inst.u[10]!));
  v.set("SEC_LARGEST_EQUITY_COST", nc * (0.02 + 0.13 * inst.u[11]!));
  v.set("SEC_MAX_EQUITY_ISSUER_SHARE", 0.002 + 0.028 * inst.u[12]!);
  const marginTotal = nc * (0.5 + 2 * inst.u[13]!);
  v.set("SEC_LARGEST_CLIENT_MARGIN", Math.min(nc * (0.005 + 0.025 * inst.u[14]!), marginTotal * 0.5));
  v.set("SEC_MARGIN_TOTAL", marginTotal);
  v.set("SEC_MAX_COLLATERAL_STOCK_SHARE", 0.01 + 0.11 * inst.u[15]!);
}

/** Monthly surrender payments of an insurer (the granular surrenders follow the same shape). */
export function surrenderAmount(world: World, plan: ReturnsPlan, inst: Institution, mi: number): number {
  const base =
    assetsAt(world, inst, mi) * (inst.type === "life_insurer" ? 0.0035 + 0.002 * inst.u[6]! : 0.0002);
  const season = monthOfYear(mi) <= 2 ? 1.15 : monthOfYear(mi) === 12 ? 1.1 : 1;
  const factor = plan.surrenderFactors.get(`${inst.idx}|${mi}`) ?? 1;
  return base * season * (1 + 0.3 * nz(world, inst, mi, 5)) * factor;
}

const premiumShares = { life: [0.4, 0.25, 0.18, 0.17], pc: [0.26, 0.25, 0.24, 0.25] };

function insurerValues(world: World, plan: ReturnsPlan, inst: Institution, mi: number, v: V): void {
  const life = inst.type === "life_insurer";
  const bv = (m: string) => breachValue(plan, inst, mi, m);
  const ta = assetsAt(world, inst, mi);
  const na = ta * (life ? 0.06 + 0.06 * inst.u[1]! : 0.2 + 0.15 * inst.u[1]!);
  const ac = na * (0.9 + 0.2 * inst.u[2]!);
  const csr = bv("INS_COMPREHENSIVE_SOLVENCY_RATIO") ?? 1.8 + 1.7 * inst.u[3]! + 0.1 * nz(world, inst, mi, 6);
  const mc = ac / csr;
  let ccr = Math.max(1.05, csr * (0.6 + 0.35 * inst.u[4]!));
  if (bv("INS_COMPREHENSIVE_SOLVENCY_RATIO") !== undefined) ccr = csr * 0.8;
  const ccrB = bv("INS_CORE_SOLVENCY_RATIO");
  if (ccrB !== undefined) ccr = ccrB;
  const grades = ["AAA", "AA", "A", "BBB"];
  const grade =
    bv("INS_IRR_GRADE") !== undefined ? (inst.u[5]! < 0.5 ? "C" : "D") : grades[Math.floor(inst.u[5]! * 4)]!;
  const annual = ta * (life ? 0.12 + 0.08 * inst.u[7]! : 0.6 + 0.3 * inst.u[7]!);
  const shares = life ? premiumShares.life : premiumShares.pc;
  const q = Math.floor((mi % 12) / 3);
  let ytdShare = 0;
  for (let k = 0; k <= q; k++) ytdShare += shares[k]!;
  const premiums = annual * ytdShare;
  let surr = 0;
  let maturity = 0;
  for (let m = yearStart(mi); m <= mi; m++) {
    surr += surrenderAmount(world, plan, inst, m);
    if (life) maturity += assetsAt(world, inst, m) * (0.0015 + 0.001 * inst.u[8]!);
  }
  v.set("INS_CORE_CAPITAL", mc * ccr);
  v.set("INS_ACTUAL_CAPITAL", ac);
  v.set("INS_MINIMUM_CAPITAL", mc);
  v.set("INS_IRR_GRADE", grade);
  v.set("INS_PREMIUMS", premiums);
  v.set("INS_SURRENDERS", surr);
  v.set("INS_MATURITY_BENEFITS", maturity);
  v.set("INS_LIQUID_ASSETS", ta * (0.05 + 0.05 * inst.u[9]!));
  if (life) {
    v.set("INS_SHORT_MEDIUM_PREMIUMS", premiums * (0.05 + 0.25 * inst.u[10]!));
    v.set("INS_INVESTED_CAPITAL", na * (0.5 + 0.4 * inst.u[11]!));
  }
  v.set("INS_NET_ASSETS", na);
  v.set("INS_TOTAL_ASSETS", ta);
}

function slcValues(world: World, plan: ReturnsPlan, inst: Institution, mi: number, v: V): void {
  const online = inst.type === "online_small_loan";
  const bv = (m: string) => breachValue(plan, inst, mi, m);
  const u = inst.u;
  const naAt = (m: number) => assetsAt(world, inst, m) * (online ? 0.38 + 0.12 * u[1]! : 0.7 + 0.2 * u[1]!);
  const na = naAt(mi);
  const nc = na * (0.9 + 0.08 * u[2]!);
  const prior = naAt(Math.floor(mi / 12) * 12 - 1);
  let bank = nc * 0.35 * u[3]!;
  let shareholder = na * 0.3 * u[4]!;
  const levB = bv("SLC_NONSTANDARD_LEVERAGE");
  if (levB !== undefined) {
    bank = Math.min(bank, nc * 0.4);
    shareholder = na * levB - bank;
  }
  const standardised = online ? na * (0.5 + 1.5 * u[5]!) : u[5]! < 0.85 ? 0 : na * 0.3 * u[6]!;
  const loans = (na + bank + shareholder + standardised) * (0.85 + 0.1 * u[7]!);
  let largest = Math.min(nc * (0.015 + 0.025 * u[8]!), prior * 0.08);
  const sbB = bv("SLC_SINGLE_BORROWER_RATIO");
  if (sbB !== undefined) largest = na * sbB;
  const relB = bv("SLC_SINGLE_BORROWER_RELATED_RATIO");
  const related =
    relB !== undefined
      ? Math.max(largest, na * relB)
      : Math.max(largest, Math.min(largest * (1.1 + 0.8 * u[9]!), na * 0.12));
  const q = creditQuality(world, plan, inst, mi);
  const npl = loans * q.npl;
  const lentB = bv("SLC_INTER_SLC_LENT_RATIO");
  v.set("SLC_NET_CAPITAL", nc);
  v.set("SLC_NET_ASSETS", na);
  v.set("SLC_PRIOR_YEAR_END_NET_ASSETS", prior);
  v.set("SLC_BANK_BORROWINGS", bank);
  v.set("SLC_BANK_LENDER_COUNT", bank > 0 ? (u[10]! < 0.6 ? 1 : 2) : 0);
  v.set("SLC_SHAREHOLDER_BORROWINGS", shareholder);
  v.set("SLC_STANDARDISED_FINANCING", standardised);
  v.set("SLC_LARGEST_BORROWER_BALANCE", largest);
  v.set("SLC_LARGEST_BORROWER_RELATED_BALANCE", related);
  v.set("SLC_LOANS_OUTSTANDING", loans);
  v.set("SLC_LOAN_PROVISIONS", npl * (1.05 + 0.8 * u[11]!));
  v.set("SLC_NPL", npl);
  v.set("SLC_INTER_SLC_LENT", lentB !== undefined ? nc * lentB : u[12]! < 0.5 ? 0 : nc * 0.3 * u[13]!);
  v.set("SLC_INTER_SLC_BORROWED", u[14]! < 0.7 ? 0 : nc * 0.2 * u[15]!);
  v.set("SLC_MAX_ANNUALISED_COST", online ? 0.1 + 0.1 * pu(world, inst, 1) : 0.12 + 0.1 * pu(world, inst, 1));
  v.set("SLC_FLAG_ILLEGAL_DEPOSITS", 0);
  v.set("SLC_FLAG_UNLAWFUL_RATES", 0);
  v.set("SLC_FLAG_ILLEGAL_COLLECTION", 0);
  if (online) {
    const jt = loans * (0.8 + 0.8 * pu(world, inst, 2));
    const share = bv("OSL_JOINT_LENDING_SHARE") ?? 0.33 + 0.17 * pu(world, inst, 3);
    v.set("OSL_JOINT_LOANS_TOTAL", jt);
    v.set("OSL_JOINT_LOANS_OWN", jt * share);
    v.set("OSL_MAX_NATURAL_PERSON_BALANCE", 100_000 + 100_000 * pu(world, inst, 4));
    v.set("OSL_MAX_LEGAL_PERSON_BALANCE", 300_000 + 600_000 * pu(world, inst, 5));
    const capital = Math.max(1.2e9, Math.round((na * 0.8) / 1e6) * 1e6);
    v.set("OSL_PAID_IN_CAPITAL", capital);
    // Only companies with the RMB 5bn that cross-province business requires do business in other provinces.
    const cross = pu(world, inst, 6) < 0.3 && capital >= 5.2e9 ? 1 : 0;
    v.set("OSL_CROSS_PROVINCE", cross);
    v.set("OSL_FLAG_UNAPPROVED_CROSS_PROVINCE", 0);
  }
}

function fgcValues(world: World, plan: ReturnsPlan, inst: Institution, mi: number, v: V): void {
  const bv = (m: string) => breachValue(plan, inst, mi, m);
  const u = inst.u;
  const ta = assetsAt(world, inst, mi);
  const na = ta * (0.6 + 0.2 * u[1]!);
  const lev = bv("FGC_LEVERAGE") ?? 3 + 5 * u[2]!;
  const fin = na * lev;
  let largest = na * (0.02 + 0.06 * u[3]!);
  const spB = bv("FGC_SINGLE_PARTY_RATIO");
  if (spB !== undefined) largest = na * spB;
  const related = Math.max(largest, Math.min(largest * (1.1 + 0.3 * u[4]!), na * 0.12));
  const taF = Math.round(ta * 100);
  const cr = Math.round(taF * 0.03 * u[5]!);
  const base = taF - cr;
  const c1Share = bv("FGC_CLASS1_RATIO") ?? 0.3 + 0.2 * u[6]!;
  const c3Share = bv("FGC_CLASS3_RATIO") ?? 0.05 + 0.15 * u[7]!;
  const c1 = Math.round(base * c1Share);
  const c3 = Math.round(base * c3Share);
  const c2 = taF - c1 - c3;
  v.set("FGC_GUARANTEE_LIABILITY", fin * (1.1 + 0.4 * u[8]!));
  v.set("FGC_FIN_GUARANTEE_LIABILITY", fin);
  v.set("FGC_NET_ASSETS", na);
  v.set("FGC_LARGEST_PARTY_BALANCE", largest);
  v.set("FGC_LARGEST_PARTY_RELATED_BALANCE", related);
  v.set("FGC_CONTROLLER_GUARANTEES", 0);
  v.set("FGC_CLASS1_ASSETS", c1 / 100);
  v.set("FGC_CLASS2_ASSETS", c2 / 100);
  v.set("FGC_CLASS3_ASSETS", c3 / 100);
  v.set("FGC_CLASS1_DEDUCTIONS", (c1 / 100) * 0.005 * u[9]!);
  v.set("FGC_CLASS2_DEDUCTIONS", (c2 / 100) * 0.005 * u[10]!);
  v.set("FGC_CLASS3_DEDUCTIONS", (c3 / 100) * 0.01 * u[11]!);
  v.set("FGC_COMPENSATION_RECEIVABLE", cr / 100);
  v.set("FGC_TOTAL_ASSETS", taF / 100);
  v.set("FGC_SME_AGRI_FOCUS", u[12]! < 0.4 ? 1 : 0);
}

const venueFlags = [
  "VEN_FLAG_EQUAL_SHARE_ISSUE",
  "VEN_FLAG_CENTRALISED_TRADING",
  "VEN_FLAG_CONTINUOUS_LISTING",
  "VEN_FLAG_STANDARDISED_CONTRACTS",
  "VEN_FLAG_HIGH_LEVERAGE",
  "VEN_FLAG_HIGH_INTEREST_DEPOSITS",
  "VEN_FLAG_UNTARGETED_FUNDRAISING",
  "VEN_FLAG_FUND_POOL",
  "VEN_FLAG_ONLINE_LENDING",
];

function venueValues(world: World, _plan: ReturnsPlan, inst: Institution, mi: number, v: V): void {
  const settled = Math.round(200 + 4000 * inst.u[1]! * (1 + 0.3 * nz(world, inst, mi, 7)));
  v.set("VEN_MARGIN_BALANCE", 0);
  v.set("VEN_SPOT_DELIVERY_VOLUME", Math.floor(settled * (0.88 + 0.12 * inst.u[2]!)));
  v.set("VEN_SETTLED_VOLUME", settled);
  for (const flag of venueFlags) v.set(flag, 0);
}

/** Balance of the products an asset manager runs at the end period (0 for institutions with none). */
export function ammBalanceEnd(world: World, inst: Institution): number {
  const u = pu(world, inst, 40);
  switch (inst.type) {
    case "bank":
      return inst.tier !== null && inst.tier <= 3 ? inst.totalAssets * (0.06 + 0.08 * u) : 0;
    case "trust":
      return inst.totalAssets * (8 + 8 * u);
    case "securities_firm":
      return inst.totalAssets * (0.5 + 0.8 * u);
    case "futures_firm":
      return inst.totalAssets * (0.2 + 0.3 * u);
    case "public_fund_manager":
      return inst.totalAssets * (60 + 60 * u);
    case "private_fund_manager":
      return inst.totalAssets * (3 + 6 * u);
    case "life_insurer":
    case "pc_insurer":
      return inst.totalAssets * (0.02 + 0.04 * u);
    default:
      return 0;
  }
}

const assetManagerTypes: readonly InstitutionType[] = [
  "bank",
  "securities_firm",
  "futures_firm",
  "public_fund_manager",
  "private_fund_manager",
  "trust",
  "life_insurer",
  "pc_insurer",
];

function ammValues(world: World, inst: Institution, mi: number, v: V): void {
  const end = ammBalanceEnd(world, inst);
  const g = 0.004 + 0.006 * pu(world, inst, 41);
  const bal = end === 0 ? 0 : (end / (1 + g) ** (world.endMonth - mi)) * (1 + 0.01 * nz(world, inst, mi, 8));
  const feeRate = 0.003 + 0.007 * pu(world, inst, 42);
  const monthsYtd = (mi % 12) + 1;
  const fees = bal * feeRate * (monthsYtd / 12);
  v.set("AMM_PRODUCT_BALANCE", bal);
  v.set("AMM_MAX_SECURITY_SHARE_PUBLIC", bal === 0 ? 0 : 0.01 + 0.14 * pu(world, inst, 43));
  v.set("AMM_MAX_STOCK_FLOAT_OPEN_PUBLIC", bal === 0 ? 0 : 0.005 + 0.075 * pu(world, inst, 44));
  v.set("AMM_MAX_STOCK_FLOAT_ALL", bal === 0 ? 0 : 0.01 + 0.14 * pu(world, inst, 45));
  v.set("AMM_MAX_SINGLE_ASSET", Math.min(bal * (0.01 + 0.04 * pu(world, inst, 46)), 20e9));
  v.set("AMM_MANAGEMENT_FEES", fees);
  v.set("AMM_RISK_RESERVE_ACCRUAL", fees * (0.1 + 0.02 * pu(world, inst, 47)));
  v.set("AMM_RISK_RESERVE_BALANCE", bal * (0.004 + 0.005 * pu(world, inst, 48)));
  v.set("AMM_FLAG_PLEDGED_PRODUCT_SHARES", 0);
}

/** All item values of an institution for a month (quarterly items included; the writer picks by frequency). */
export function valuesFor(world: World, plan: ReturnsPlan, inst: Institution, mi: number): V {
  const v: V = new Map();
  switch (inst.type) {
    case "bank":
      bankValues(world, plan, inst, mi, v);
      break;
    case "securities_firm":
      securitiesValues(world, plan, inst, mi, v);
      break;
    case "life_insurer":
    case "pc_insurer":
      insurerValues(world, plan, inst, mi, v);
      break;
    case "small_loan":
    case "online_small_loan":
      slcValues(world, plan, inst, mi, v);
      break;
    case "financing_guarantee":
      fgcValues(world, plan, inst, mi, v);
      break;
    case "trading_venue":
      venueValues(world, plan, inst, mi, v);
      break;
  }
  if (assetManagerTypes.includes(inst.type)) ammValues(world, inst, mi, v);
  v.set("GEN_COMPLAINTS", plan.complaintCount(inst, mi));
  const due = 1 + (mi % 3 === 2 ? 1 : 0) + (mi % 12 === 3 ? 1 : 0);
  v.set("GEN_FILINGS_DUE", due);
  v.set("GEN_FILINGS_LATE", 0);
  for (const [k, x] of v) {
    const o = plan.overrides.get(`${inst.idx}|${mi}|${k}`);
    if (o !== undefined && typeof x === "number") v.set(k, o);
  }
  return v;
}

/** Months an institution reports in: a failed bank stops after its failure month. */
export function reportsIn(plan: ReturnsPlan, inst: Institution, mi: number): boolean {
  for (const f of plan.failures)
    if (f.inst === inst && f.event === "failed" && mi > f.failMonth) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Writing.

interface ItemPlan {
  def: ItemDef;
  quarterly: boolean;
}

/**
 * Grade-valued items (the insurers' risk rating) are written as their letters; the returns contract accepts a grade
 * in `value` for items whose unit is grade. Off leaves them (and the rating breach plant) out.
 */
export const WRITE_GRADE_ITEMS = true;

/** Items reported by each institution type (products report through the product datasets, not here). */
function itemsByType(): Map<InstitutionType, ItemPlan[]> {
  const out = new Map<InstitutionType, ItemPlan[]>();
  for (const def of itemDictionary) {
    if (def.unit === "grade" && !WRITE_GRADE_ITEMS) continue;
    for (const t of def.appliesTo) {
      if (t === "am_product") continue;
      const list = out.get(t) ?? [];
      list.push({ def, quarterly: def.frequency === "quarterly" });
      out.set(t, list);
    }
  }
  return out;
}

function formatValue(def: ItemDef, x: number | string): string {
  if (typeof x === "string") return x;
  switch (def.unit) {
    case "CNY":
      return fen(Math.max(0, Math.round(x * 100)));
    case "ratio":
      return decimal(x, 6);
    case "count":
    case "days":
    case "flag":
      return String(Math.max(0, Math.round(x)));
    default:
      return decimal(x, 6);
  }
}

/** Writes returns/<period>.csv for every month and returns/<YYYY-Qn>.csv at every quarter end. */
export function writeReturns(
  world: World,
  plan: ReturnsPlan,
  out: string,
  progress?: (done: number) => void,
): WrittenFile[] {
  const w = new DatasetWriter(out, "returns");
  const items = itemsByType();
  let done = 0;
  for (const mi of world.months) {
    const monthly = monthLabel(mi);
    const quarterEnd = mi % 3 === 2;
    const quarter = quarterLabel(mi);
    const mw = w.open(monthly);
    const qw = quarterEnd ? w.open(quarter) : null;
    for (const inst of world.institutions) {
      if (!reportsIn(plan, inst, mi)) continue;
      const list = items.get(inst.type);
      if (!list) continue;
      const v = valuesFor(world, plan, inst, mi);
      for (const { def, quarterly } of list) {
        if (quarterly && !qw) continue;
        const x = v.get(def.code);
        if (x === undefined) throw new Error(`no value for ${def.code} (${inst.type})`);
        (quarterly ? qw! : mw).add(
          `${inst.code},${quarterly ? quarter : monthly},${def.code},${formatValue(def, x)},${def.unit}\n`,
        );
      }
    }
    progress?.(++done);
  }
  return w.close();
}

// ---------------------------------------------------------------------------------------------------------
// Planting: bank failures, return breaches and late filings.

/** Which thresholds a planted institution crosses in each period: periods as written, rules that flag them. */
function plantedCrossings(
  world: World,
  plan: ReturnsPlan,
  inst: Institution,
  months: number[],
): { periods: string[]; flaggedBy: string[]; byPeriod: Record<string, Crossing[]> } {
  const periods = new Set<string>();
  const flagged = new Set<string>();
  const byPeriod: Record<string, Crossing[]> = {};
  const items = itemsByType().get(inst.type) ?? [];
  const quarterlyItems = new Set(items.filter((i) => i.quarterly).map((i) => i.def.code));
  for (const mi of months) {
    if (!reportsIn(plan, inst, mi)) continue;
    const v = valuesFor(world, plan, inst, mi);
    for (const c of crossings(inst, v)) {
      const t = thresholds.find((x) => x.metric === c.metric)!;
      // A metric built on a quarterly item can only be computed at a quarter end.
      const usesQuarterly = metricUsesQuarterly(t, v, quarterlyItems);
      if (usesQuarterly && mi % 3 !== 2) continue;
      const period = usesQuarterly ? quarterLabel(mi) : monthLabel(mi);
      periods.add(period);
      flagged.add(rule(c.metric));
      const list = byPeriod[period] ?? [];
      list.push(roundCrossing(c));
      byPeriod[period] = list;
    }
  }
  return { periods: [...periods].sort(), flaggedBy: [...flagged].sort(), byPeriod };
}

function metricUsesQuarterly(t: Threshold, v: V, quarterlyItems: Set<string>): boolean {
  // A metric that is itself a quarterly item (the insurers' risk grade) is reported at quarter ends only.
  if (quarterlyItems.has(t.metric)) return true;
  // Probe: a metric uses a quarterly item when changing that item changes the metric.
  const base = t.value(v);
  for (const code of quarterlyItems) {
    const x = v.get(code);
    if (typeof x !== "number") continue;
    const probe = new Map(v);
    probe.set(code, x * 1.5 + 1);
    const changed = t.value(probe);
    if (!(changed === base || (Number.isNaN(changed) && Number.isNaN(base)))) return true;
  }
  return false;
}

function roundCrossing(c: Crossing): Crossing {
  return { ...c, value: Math.round(c.value * 1e6) / 1e6, limit: Math.round(c.limit * 1e6) / 1e6 };
}

/** Plans sliding banks: capital, asset quality and liquidity deteriorate over several quarters, then failure. */
export function planBankFailures(ctx: PlanContext, plan: ReturnsPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const candidates = ctx.dirty("bank", (b) => b.tier !== null && b.tier >= 3);
  const chosen = rng.shuffled(candidates).slice(0, count);
  chosen.forEach((inst, k) => {
    const event: "failed" | "taken_over" = k % 2 === 0 ? "taken_over" : "failed";
    const failMonth = world.endMonth - (event === "failed" ? 1 + rng.int(3) : rng.int(3));
    const span = Math.min(world.months.length - 3, 14 + rng.int(5));
    const slideStart = failMonth - span;
    const [y, m] = [Math.floor(failMonth / 12), (failMonth % 12) + 1];
    const eventDay = dayOf(y, m, 5 + rng.int(20));
    plan.failures.push({
      inst,
      event,
      slideStart,
      failMonth,
      eventDay,
      worst: {
        car: 0.03 + 0.02 * rng.float(),
        npl: 0.13 + 0.07 * rng.float(),
        liquidity: 0.13 + 0.07 * rng.float(),
        lcr: 0.6 + 0.2 * rng.float(),
      },
    });
    inst.status = event === "failed" ? "revoked" : "taken_over";
    ctx.excluded.add(inst.idx);
    ctx.touch(inst);
  });
}

/** Adds the truth entries of the planted failures (after every plan that shapes returns is in place). */
export function bankFailureTruth(ctx: PlanContext, plan: ReturnsPlan): void {
  const world = ctx.world;
  for (const f of plan.failures) {
    const months = world.months.filter((m) => m >= f.slideStart && m <= f.failMonth);
    const c = plantedCrossings(world, plan, f.inst, months);
    const path = months
      .filter((m) => m % 3 === 2 || m === f.failMonth)
      .map((m) => {
        const v = valuesFor(world, plan, f.inst, m);
        const r = (x: number) => Math.round(x * 10000) / 10000;
        return {
          period: monthLabel(m),
          car: r((n(v, "BANK_TOTAL_CAPITAL") - n(v, "BANK_TOTAL_CAPITAL_DEDUCTIONS")) / n(v, "BANK_RWA")),
          nplRatio: r(nplOf(v) / n(v, "BANK_LOANS_TOTAL")),
          liquidityRatio: r(n(v, "BANK_LIQUID_ASSETS") / n(v, "BANK_LIQUID_LIABILITIES")),
          deposits: Math.round(n(v, "BANK_DEPOSITS")),
        };
      });
    ctx.add({
      kind: "bank_failure",
      subjectType: "institution",
      subjects: [f.inst.code],
      periods: [...new Set([...c.periods, monthLabel(f.failMonth)])].sort(),
      flaggedBy: [...c.flaggedBy, "detector:bank_early_warning"],
      details: {
        name: f.inst.zh,
        tier: f.inst.tier,
        event: f.event,
        eventDate: isoDate(f.eventDay),
        eventPeriod: monthLabel(f.failMonth),
        slideFrom: monthLabel(f.slideStart),
        registryStatus: f.inst.status,
        returnsStopAfterEvent: f.event === "failed",
        outcomes: [
          { event: "high_risk_rating", period: monthLabel(Math.max(f.slideStart + 6, f.failMonth - 6)) },
          { event: f.event, period: monthLabel(f.failMonth) },
        ],
        path,
        crossingsByPeriod: c.byPeriod,
      },
    });
  }
}

interface BreachSpec {
  metric: string;
  types: readonly InstitutionType[];
  quarterly: boolean;
  value: (rng: Rng, inst: Institution) => number;
  eligible?: (world: World, inst: Institution) => boolean;
}

const breachSpecs: readonly BreachSpec[] = [
  ...(WRITE_GRADE_ITEMS
    ? [
        {
          metric: "INS_IRR_GRADE",
          types: ["life_insurer", "pc_insurer"] as const,
          quarterly: true,
          value: () => 1,
        },
      ]
    : []),
  { metric: "BANK_CAR", types: ["bank"], quarterly: true, value: (r) => 0.064 + 0.014 * r.float() },
  { metric: "BANK_NPL_RATIO", types: ["bank"], quarterly: false, value: (r) => 0.055 + 0.03 * r.float() },
  {
    metric: "SEC_RISK_COVERAGE_RATIO",
    types: ["securities_firm"],
    quarterly: false,
    value: (r) => 0.85 + 0.13 * r.float(),
  },
  {
    metric: "INS_COMPREHENSIVE_SOLVENCY_RATIO",
    types: ["life_insurer", "pc_insurer"],
    quarterly: true,
    value: (r) => 0.82 + 0.15 * r.float(),
  },
  {
    metric: "SLC_NONSTANDARD_LEVERAGE",
    types: ["small_loan"],
    quarterly: false,
    value: (r) => 1.1 + 0.5 * r.float(),
  },
  {
    metric: "FGC_LEVERAGE",
    types: ["financing_guarantee"],
    quarterly: true,
    value: (r) => 11 + 3 * r.float(),
    eligible: (_w, i) => i.u[12]! >= 0.4,
  },
  {
    metric: "OSL_JOINT_LENDING_SHARE",
    types: ["online_small_loan"],
    quarterly: false,
    value: (r) => 0.18 + 0.09 * r.float(),
  },
  {
    metric: "BANK_RE_LOAN_RATIO",
    types: ["bank"],
    quarterly: false,
    value: (r, i) => reCaps[(i.tier ?? 3) - 1]! + 0.02 + 0.04 * r.float(),
  },
  {
    metric: "BANK_LIQUIDITY_RATIO",
    types: ["bank"],
    quarterly: false,
    value: (r) => 0.18 + 0.055 * r.float(),
  },
  {
    metric: "BANK_LCR",
    types: ["bank"],
    quarterly: false,
    value: (r) => 0.82 + 0.15 * r.float(),
    eligible: (_w, i) => i.totalAssets >= LARGE_BANK * 1.1,
  },
  {
    metric: "BANK_HQLA_ADEQUACY_RATIO",
    types: ["bank"],
    quarterly: false,
    value: (r) => 0.78 + 0.18 * r.float(),
    eligible: (_w, i) => i.totalAssets < LARGE_BANK * 0.8,
  },
  {
    metric: "BANK_SINGLE_CUSTOMER_RATIO",
    types: ["bank"],
    // Net capital, its denominator, is reported quarterly: a breach planted in another month could not be computed.
    quarterly: true,
    value: (r) => 0.11 + 0.05 * r.float(),
  },
  {
    metric: "BANK_MORTGAGE_RATIO",
    types: ["bank"],
    quarterly: false,
    value: (r, i) => mortgageCaps[(i.tier ?? 3) - 1]! + 0.01 + 0.02 * r.float(),
  },
  {
    metric: "BANK_ACCEPTANCE_RATIO",
    types: ["bank"],
    quarterly: false,
    value: (r) => 0.16 + 0.06 * r.float(),
  },
  {
    metric: "BANK_INTERBANK_LIABILITY_RATIO",
    types: ["bank"],
    quarterly: false,
    value: (r) => 0.36 + 0.06 * r.float(),
  },
  { metric: "BANK_CET1_RATIO", types: ["bank"], quarterly: true, value: (r) => 0.042 + 0.006 * r.float() },
  {
    metric: "SEC_CAPITAL_LEVERAGE_RATIO",
    types: ["securities_firm"],
    quarterly: false,
    value: (r) => 0.065 + 0.013 * r.float(),
  },
  { metric: "SEC_LCR", types: ["securities_firm"], quarterly: false, value: (r) => 0.8 + 0.17 * r.float() },
  { metric: "SEC_NSFR", types: ["securities_firm"], quarterly: false, value: (r) => 0.85 + 0.12 * r.float() },
  {
    metric: "INS_CORE_SOLVENCY_RATIO",
    types: ["life_insurer", "pc_insurer"],
    quarterly: true,
    value: (r) => 0.38 + 0.1 * r.float(),
  },
  {
    metric: "SLC_SINGLE_BORROWER_RATIO",
    types: ["small_loan", "online_small_loan"],
    quarterly: false,
    value: (r) => 0.11 + 0.07 * r.float(),
  },
  {
    metric: "SLC_SINGLE_BORROWER_RELATED_RATIO",
    types: ["small_loan", "online_small_loan"],
    quarterly: false,
    value: (r) => 0.16 + 0.06 * r.float(),
  },
  {
    metric: "SLC_INTER_SLC_LENT_RATIO",
    types: ["small_loan"],
    quarterly: false,
    value: (r) => 0.55 + 0.25 * r.float(),
  },
  {
    metric: "FGC_SINGLE_PARTY_RATIO",
    types: ["financing_guarantee"],
    quarterly: true,
    value: (r) => 0.11 + 0.05 * r.float(),
  },
  {
    metric: "FGC_CLASS1_RATIO",
    types: ["financing_guarantee"],
    quarterly: true,
    value: (r) => 0.12 + 0.06 * r.float(),
  },
  {
    metric: "FGC_CLASS3_RATIO",
    types: ["financing_guarantee"],
    quarterly: true,
    value: (r) => 0.33 + 0.12 * r.float(),
  },
];

/** Plans institution-periods whose returns breach one named threshold each. */
export function planReturnBreaches(ctx: PlanContext, plan: ReturnsPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const recent = world.months.slice(-Math.min(12, world.months.length));
  const used = new Set<string>();
  for (let k = 0, attempts = 0; k < count && attempts < count * 20; attempts++) {
    const spec = breachSpecs[attempts % breachSpecs.length]!;
    const inst = ctx.pick(rng, spec.types, (i) => !spec.eligible || spec.eligible(world, i));
    if (!inst) continue;
    const key = `${inst.idx}|${spec.metric}`;
    if (used.has(key)) continue;
    used.add(key);
    const pool = spec.quarterly ? recent.filter((m) => m % 3 === 2) : recent;
    const start = rng.int(pool.length);
    const len = spec.quarterly ? 1 + rng.int(2) : 1 + rng.int(3);
    const months = pool.slice(start, start + len);
    plan.breaches.push({ inst, metric: spec.metric, months, value: spec.value(rng, inst) });
    ctx.touch(inst);
    k++;
  }
}

/** Adds the truth entries of the planted breaches, naming every threshold the planted values cross. */
export function returnBreachTruth(ctx: PlanContext, plan: ReturnsPlan): void {
  const world = ctx.world;
  for (const b of plan.breaches) {
    const c = plantedCrossings(world, plan, b.inst, b.months);
    const t = thresholds.find((x) => x.metric === b.metric)!;
    const main = Object.values(c.byPeriod)
      .flat()
      .find((x) => x.metric === b.metric);
    ctx.add({
      kind: "return_breach",
      subjectType: "institution",
      subjects: [b.inst.code],
      periods: c.periods,
      flaggedBy: c.flaggedBy,
      details: {
        name: b.inst.zh,
        type: b.inst.type,
        metric: b.metric,
        value: main?.value ?? Math.round(b.value * 1e6) / 1e6,
        threshold: main?.limit ?? null,
        comparator: main?.comparator ?? null,
        basis: t.basis,
        crossingsByPeriod: c.byPeriod,
      },
    });
  }
}

/** Plans institutions whose returns show filings made after their deadline (the institution-level late filing). */
export function planLateFilings(ctx: PlanContext, plan: ReturnsPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  for (let k = 0; k < count; k++) {
    const inst = ctx.pick(rng, [
      "small_loan",
      "pawn",
      "financing_guarantee",
      "commercial_factoring",
      "financial_leasing",
    ]);
    if (!inst) return;
    const mi = world.months[world.months.length - 1 - rng.int(Math.min(6, world.months.length))]!;
    const late = 1 + rng.int(2);
    plan.overrides.set(overrideKey(inst, mi, "GEN_FILINGS_LATE"), late);
    plan.overrides.set(overrideKey(inst, mi, "GEN_FILINGS_DUE"), late + 1);
    ctx.touch(inst);
    ctx.add({
      kind: "late_disclosure",
      subjectType: "institution",
      subjects: [inst.code],
      periods: [monthLabel(mi)],
      flaggedBy: [rule("GEN_FILINGS_LATE")],
      details: { name: inst.zh, source: "returns", item: "GEN_FILINGS_LATE", late, due: late + 1 },
    });
  }
}
