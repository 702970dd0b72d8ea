/**
 * Small-loan companies (online ones included where the rule says so): financing leverage, borrower
 * concentration, Chongqing inter-company borrowing, cash-loan cost and the plan's three red lines.
 * The 2008 pilot limits applied until the 2020 notice replaced them.
 */
import { decimalParam, defineParams, prohibitionRule, thresholdRule } from "@beacon/core/rules/index";
import { confirmed, maximumParams, toConfirm } from "./common.ts";
import { art, docs } from "./legal-basis.ts";

const SLC = ["small_loan", "online_small_loan"] as const;

const slcRule = {
  version: 1,
  family: "small_loan",
  severity: "medium",
  leadUnit: "finance_office",
  comparator: "<=",
  regulatory: "maximum",
} as const;

const pilot = {
  ...slcRule,
  appliesTo: { types: ["small_loan"] },
  effective: { from: "2008-05-04", to: "2020-09-15" },
  legalBasis: [docs.smallLoan2008],
} as const;

export const bankBorrowing2008 = thresholdRule({
  ...pilot,
  id: "cn.slc.bank_borrowing_2008",
  zh: "银行融入资金比例（2008）",
  en: "Borrowing from banks (2008 pilot)",
  params: maximumParams("0.5"),
  metric: "SLC_BANK_BORROWING_RATIO",
});

export const lendingBanks2008 = thresholdRule({
  ...pilot,
  id: "cn.slc.lending_banks_2008",
  zh: "融入资金的银行业金融机构数（2008）",
  en: "Number of lending banks (2008 pilot)",
  params: maximumParams("2"),
  metric: "SLC_BANK_LENDER_COUNT",
});

export const singleBorrower2008 = thresholdRule({
  ...pilot,
  id: "cn.slc.single_borrower_2008",
  zh: "单一借款人贷款集中度（2008）",
  en: "Single-borrower concentration (2008 pilot)",
  params: maximumParams("0.05"),
  metric: "SLC_SINGLE_BORROWER_NET_CAPITAL_RATIO",
});

const notice2020 = {
  ...slcRule,
  appliesTo: { types: SLC },
  effective: { from: "2020-09-16" },
  legalBasis: [docs.smallLoan2020],
} as const;

export const nonStandardFinancing = thresholdRule({
  ...notice2020,
  id: "cn.slc.non_standard_financing",
  zh: "非标准化融资杠杆",
  en: "Non-standard financing leverage",
  severity: "high",
  params: maximumParams("1"),
  metric: "SLC_NONSTANDARD_LEVERAGE",
  notes: [
    "The 2020 draft online small-loan measures (Art. 12) set the same 1x and 4x; this rule covers both.",
  ],
});

export const standardisedFinancing = thresholdRule({
  ...notice2020,
  id: "cn.slc.standardised_financing",
  zh: "标准化债权类资产融资杠杆",
  en: "Standardised financing leverage",
  severity: "high",
  params: maximumParams(
    "4",
    confirmed("Regulatory maximum", "监管上限", "Local regulators may set a lower cap."),
  ),
  metric: "SLC_STANDARDISED_LEVERAGE",
});

export const singleBorrower = thresholdRule({
  ...notice2020,
  id: "cn.slc.single_borrower",
  zh: "单一借款人贷款集中度",
  en: "Single-borrower concentration",
  params: maximumParams("0.1"),
  metric: "SLC_SINGLE_BORROWER_RATIO",
  notes: [
    "The NFRA interim measures use prior-year-end net assets (metric SLC_SINGLE_BORROWER_PRIOR_YEAR_RATIO); switch when their date is confirmed.",
  ],
});

export const singleBorrowerRelated = thresholdRule({
  ...notice2020,
  id: "cn.slc.single_borrower_related",
  zh: "单一借款人及其关联方贷款集中度",
  en: "Single borrower with related parties",
  params: maximumParams("0.15"),
  metric: "SLC_SINGLE_BORROWER_RELATED_RATIO",
});

const chongqingBorrowing = {
  ...slcRule,
  appliesTo: { types: ["small_loan"] },
  effective: { from: "2008-05-04" },
  legalBasis: [docs.chongqingSlcBorrowing],
} as const;

export const interCompanyLending = thresholdRule({
  ...chongqingBorrowing,
  id: "cn.slc.inter_company_lending",
  zh: "小额贷款公司拆出资金比例",
  en: "Lending to other small-loan companies",
  params: maximumParams(
    "0.5",
    toConfirm("Regulatory maximum", "监管上限", "Chongqing rule, weak source [S19] S*."),
  ),
  metric: "SLC_INTER_SLC_LENT_RATIO",
  notes: [
    "Effective date of the Chongqing rule is unknown; 2008-05-04 (start of the pilot) is a placeholder.",
  ],
});

export const interCompanyBorrowing = thresholdRule({
  ...chongqingBorrowing,
  id: "cn.slc.inter_company_borrowing",
  zh: "小额贷款公司拆入资金比例",
  en: "Borrowing from other small-loan companies",
  params: maximumParams(
    "0.3",
    toConfirm("Regulatory maximum", "监管上限", "Chongqing rule, weak source [S19] S*."),
  ),
  metric: "SLC_INTER_SLC_BORROWED_RATIO",
  notes: [
    "Effective date of the Chongqing rule is unknown; 2008-05-04 (start of the pilot) is a placeholder.",
  ],
});

export const cashLoanCost = thresholdRule({
  ...slcRule,
  id: "cn.slc.cash_loan_cost",
  zh: "现金贷综合年化成本",
  en: "All-in annualised cost of loans",
  severity: "high",
  appliesTo: { types: SLC },
  effective: { from: "2017-12-01" },
  legalBasis: [docs.cashLoans2017],
  params: defineParams({
    maximum: decimalParam("0.36", confirmed("Annualised all-in cost cap", "综合年化成本上限")),
  }),
  metric: "SLC_MAX_ANNUALISED_COST",
  notes: [
    "The 4x LPR private-lending cap does not apply to small-loan companies (SPC reply, 2021).",
    "The 2008 floor of 0.9x the benchmark rate is loan-level and left to record-level detectors.",
  ],
});

export const threeRedLines = prohibitionRule({
  id: "cn.slc.three_red_lines",
  version: 1,
  zh: "小额贷款公司“三条红线”",
  en: "Small-loan companies' three red lines",
  family: "small_loan",
  severity: "critical",
  appliesTo: { types: SLC },
  effective: { from: "2017-01-01" },
  legalBasis: [art(docs.chongqingPlan, "Part 2(2)", "第二部分第（二）项")],
  leadUnit: "finance_office",
  params: defineParams({}),
  prohibited: ["SLC_FLAG_ILLEGAL_DEPOSITS", "SLC_FLAG_UNLAWFUL_RATES", "SLC_FLAG_ILLEGAL_COLLECTION"],
  notes: [
    "Flags come from returns, inspections or detectors (e.g. complaints about collection).",
    "The plan's date is unverified; 2017-01-01 is a placeholder.",
  ],
});

export const smallLoanRules = [
  bankBorrowing2008,
  lendingBanks2008,
  singleBorrower2008,
  nonStandardFinancing,
  standardisedFinancing,
  singleBorrower,
  singleBorrowerRelated,
  interCompanyLending,
  interCompanyBorrowing,
  cashLoanCost,
  threeRedLines,
];
