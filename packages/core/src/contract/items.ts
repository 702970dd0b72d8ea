/**
 * The item dictionary of periodic returns.
 *
 * Returns arrive as long-format facts {institution, period, item, value, unit}. Every item a metric or a
 * rule reads is defined here once, with the entity types that report it and how often. Codes are stable
 * SCREAMING_SNAKE names grouped by prefix: BANK_, SEC_, INS_, SLC_ (small-loan, online included), OSL_
 * (online small-loan extras), FGC_, VEN_, AMP_ (one asset-management product), AMM_ (an institution's
 * asset-management business as a whole) and GEN_ (every institution).
 *
 * Flags ("1" = yes, "0" = no) carry conditions that a return, an inspection or a record-level detector
 * establishes (a prohibited activity, a product property); the rule packs only read them.
 */
import { type InstitutionType, institutionTypeCodes, institutionTypes } from "./institution-types.ts";

/** Reporting entities that are not institutions: products reported one by one. */
export const productTypes = {
  am_product: { zh: "资管产品", en: "Asset-management product" },
} as const;
export type ProductType = keyof typeof productTypes;
export type EntityType = InstitutionType | ProductType;
export const entityTypeCodes: readonly EntityType[] = [...institutionTypeCodes, "am_product"];

/** Bilingual display name of an institution or product type. */
export function entityTypeName(type: EntityType): { zh: string; en: string } {
  return type === "am_product" ? productTypes.am_product : institutionTypes[type];
}

/**
 * Registry attributes of an asset-management product that decide which limits apply to it
 * (Guiding Opinions on Asset Management, 2018, Arts. 20-21). Static data from the product ledger, not a return.
 */
export interface ProductProfile {
  offering: "public" | "private";
  structure: "open_ended" | "closed_ended";
  tiered: boolean;
  assetClass: "fixed_income" | "equity" | "commodity_derivative" | "mixed";
}

/** Institution types that run asset-management products and report AMM_ items. */
export const assetManagerTypes = [
  "bank",
  "securities_firm",
  "futures_firm",
  "public_fund_manager",
  "private_fund_manager",
  "trust",
  "life_insurer",
  "pc_insurer",
] as const satisfies readonly InstitutionType[];

export const itemUnits = ["CNY", "ratio", "count", "grade", "flag", "days"] as const;
export type ItemUnit = (typeof itemUnits)[number];
export type Frequency = "monthly" | "quarterly";

export interface ItemDef<C extends string = string> {
  readonly code: C;
  readonly zh: string;
  readonly en: string;
  readonly unit: ItemUnit;
  readonly appliesTo: readonly EntityType[];
  readonly frequency: Frequency;
  /** One English sentence. */
  readonly definition: string;
}

function item<const C extends string>(
  code: C,
  zh: string,
  en: string,
  unit: ItemUnit,
  appliesTo: readonly EntityType[],
  frequency: Frequency,
  definition: string,
): ItemDef<C> {
  return { code, zh, en, unit, appliesTo, frequency, definition };
}

const BANK = ["bank"] as const;
const SEC = ["securities_firm"] as const;
const INS = ["life_insurer", "pc_insurer"] as const;
const LIFE = ["life_insurer"] as const;
const SLC = ["small_loan", "online_small_loan"] as const;
const OSL = ["online_small_loan"] as const;
const FGC = ["financing_guarantee"] as const;
const VEN = ["trading_venue"] as const;
const AMP = ["am_product"] as const;
const AMM = assetManagerTypes;
/** Every licensed institution: not regulators' own offices, not companies merely under watch. */
export const licensedInstitutionTypes: readonly InstitutionType[] = institutionTypeCodes.filter(
  (t) => t !== "supervisory_office" && t !== "watched_company",
);
const ALL = licensedInstitutionTypes;
const M = "monthly";
const Q = "quarterly";

/** Supervisory grades of the insurers' integrated risk rating, best first (C-ROSS II splits A and B). */
export const insurerRiskGrades = ["AAA", "AA", "A", "BBB", "BB", "B", "C", "D"] as const;

export const itemDictionary = [
  // Commercial banks: balance sheet and capital.
  item(
    "BANK_TOTAL_ASSETS",
    "资产总额",
    "Total assets",
    "CNY",
    BANK,
    M,
    "Total on-balance-sheet assets at period end.",
  ),
  item(
    "BANK_TOTAL_LIABILITIES",
    "负债总额",
    "Total liabilities",
    "CNY",
    BANK,
    M,
    "Total liabilities at period end.",
  ),
  item(
    "BANK_CET1_CAPITAL",
    "核心一级资本",
    "Common equity tier 1 capital",
    "CNY",
    BANK,
    Q,
    "Common equity tier 1 capital before regulatory deductions.",
  ),
  item(
    "BANK_CET1_DEDUCTIONS",
    "核心一级资本扣除项",
    "CET1 deductions",
    "CNY",
    BANK,
    Q,
    "Regulatory deductions from common equity tier 1 capital.",
  ),
  item(
    "BANK_TIER1_CAPITAL",
    "一级资本",
    "Tier 1 capital",
    "CNY",
    BANK,
    Q,
    "Tier 1 capital (CET1 plus additional tier 1) before regulatory deductions.",
  ),
  item(
    "BANK_TIER1_DEDUCTIONS",
    "一级资本扣除项",
    "Tier 1 deductions",
    "CNY",
    BANK,
    Q,
    "All regulatory deductions from tier 1 capital, those from CET1 included.",
  ),
  item(
    "BANK_TOTAL_CAPITAL",
    "总资本",
    "Total capital",
    "CNY",
    BANK,
    Q,
    "Total capital (tier 1 plus tier 2) before regulatory deductions.",
  ),
  item(
    "BANK_TOTAL_CAPITAL_DEDUCTIONS",
    "总资本扣除项",
    "Total capital deductions",
    "CNY",
    BANK,
    Q,
    "All regulatory deductions from total capital.",
  ),
  item(
    "BANK_RWA",
    "风险加权资产",
    "Risk-weighted assets",
    "CNY",
    BANK,
    Q,
    "Credit, market and operational risk-weighted assets.",
  ),
  item(
    "BANK_LEVERAGE_EXPOSURE",
    "调整后的表内外资产余额",
    "Leverage exposure",
    "CNY",
    BANK,
    Q,
    "Adjusted on- and off-balance-sheet exposures used as the leverage ratio denominator.",
  ),
  // Credit quality.
  item(
    "BANK_LOANS_NORMAL",
    "正常类贷款",
    "Normal loans",
    "CNY",
    BANK,
    M,
    "Loans classified as normal under the five-category classification.",
  ),
  item(
    "BANK_LOANS_SPECIAL_MENTION",
    "关注类贷款",
    "Special-mention loans",
    "CNY",
    BANK,
    M,
    "Loans classified as special mention.",
  ),
  item(
    "BANK_LOANS_SUBSTANDARD",
    "次级类贷款",
    "Substandard loans",
    "CNY",
    BANK,
    M,
    "Loans classified as substandard (non-performing).",
  ),
  item(
    "BANK_LOANS_DOUBTFUL",
    "可疑类贷款",
    "Doubtful loans",
    "CNY",
    BANK,
    M,
    "Loans classified as doubtful (non-performing).",
  ),
  item(
    "BANK_LOANS_LOSS",
    "损失类贷款",
    "Loss loans",
    "CNY",
    BANK,
    M,
    "Loans classified as loss (non-performing).",
  ),
  item(
    "BANK_LOANS_TOTAL",
    "各项贷款",
    "Total loans",
    "CNY",
    BANK,
    M,
    "Gross loans in all currencies, before loan-loss reserves.",
  ),
  item(
    "BANK_LOAN_LOSS_RESERVES",
    "贷款损失准备",
    "Loan-loss reserves",
    "CNY",
    BANK,
    M,
    "Balance of loan-loss reserves.",
  ),
  item(
    "BANK_LGFV_LOANS",
    "地方政府融资平台贷款",
    "LGFV loans",
    "CNY",
    BANK,
    M,
    "Loans outstanding to local-government financing vehicles.",
  ),
  // Liquidity.
  item(
    "BANK_LIQUID_ASSETS",
    "流动性资产余额",
    "Liquid assets",
    "CNY",
    BANK,
    M,
    "Liquid assets as defined for the liquidity ratio.",
  ),
  item(
    "BANK_LIQUID_LIABILITIES",
    "流动性负债余额",
    "Liquid liabilities",
    "CNY",
    BANK,
    M,
    "Liquid liabilities as defined for the liquidity ratio.",
  ),
  item(
    "BANK_HQLA",
    "合格优质流动性资产",
    "High-quality liquid assets (LCR)",
    "CNY",
    BANK,
    M,
    "High-quality liquid assets after haircuts and caps, the LCR numerator.",
  ),
  item(
    "BANK_NET_CASH_OUTFLOW_30D",
    "未来30天现金净流出量",
    "Net cash outflow over 30 days",
    "CNY",
    BANK,
    M,
    "Stressed net cash outflow over the next 30 days, the LCR denominator.",
  ),
  item(
    "BANK_ASF",
    "可用的稳定资金",
    "Available stable funding",
    "CNY",
    BANK,
    Q,
    "Available stable funding, the NSFR numerator.",
  ),
  item(
    "BANK_RSF",
    "所需的稳定资金",
    "Required stable funding",
    "CNY",
    BANK,
    Q,
    "Required stable funding, the NSFR denominator.",
  ),
  item(
    "BANK_HQLA_ADEQUACY_ASSETS",
    "优质流动性资产",
    "High-quality liquid assets (adequacy basis)",
    "CNY",
    BANK,
    M,
    "High-quality liquid assets on the simplified basis of the HQLA adequacy ratio for banks below RMB 200bn.",
  ),
  item(
    "BANK_SHORT_TERM_NET_OUTFLOW",
    "短期现金净流出",
    "Short-term net cash outflow",
    "CNY",
    BANK,
    M,
    "Short-term net cash outflow, the HQLA adequacy ratio denominator.",
  ),
  item(
    "BANK_WEIGHTED_FUNDING_SOURCES",
    "加权资金来源",
    "Weighted funding sources",
    "CNY",
    BANK,
    M,
    "Funding sources weighted as the liquidity matching ratio prescribes.",
  ),
  item(
    "BANK_WEIGHTED_FUNDING_USES",
    "加权资金运用",
    "Weighted funding uses",
    "CNY",
    BANK,
    M,
    "Funding uses weighted as the liquidity matching ratio prescribes.",
  ),
  item(
    "BANK_DEPOSITS",
    "各项存款",
    "Total deposits",
    "CNY",
    BANK,
    M,
    "Deposits from customers in all currencies.",
  ),
  // Concentration.
  item(
    "BANK_LARGEST_CUSTOMER_LOANS",
    "最大单一客户贷款余额",
    "Largest single-customer loans",
    "CNY",
    BANK,
    M,
    "Loans outstanding to the single borrower with the largest balance.",
  ),
  item(
    "BANK_LARGEST_GROUP_CREDIT",
    "最大单一集团客户授信余额",
    "Largest group-customer credit",
    "CNY",
    BANK,
    M,
    "Credit outstanding to the group customer with the largest balance.",
  ),
  item(
    "BANK_TOP10_CUSTOMER_LOANS",
    "最大十家客户贷款余额",
    "Top-10 customer loans",
    "CNY",
    BANK,
    M,
    "Loans outstanding to the ten borrowers with the largest balances.",
  ),
  item(
    "BANK_RELATED_PARTY_CREDIT",
    "全部关联授信余额",
    "Related-party credit",
    "CNY",
    BANK,
    M,
    "Credit outstanding to all related parties.",
  ),
  item(
    "BANK_LE_NONBANK_SINGLE",
    "最大非同业单一客户风险暴露",
    "Largest non-interbank single exposure",
    "CNY",
    BANK,
    Q,
    "Largest exposure to a single non-interbank customer under the large exposure measures.",
  ),
  item(
    "BANK_LE_NONBANK_GROUP",
    "最大非同业关联客户风险暴露",
    "Largest non-interbank group exposure",
    "CNY",
    BANK,
    Q,
    "Largest exposure to a group of connected non-interbank customers.",
  ),
  item(
    "BANK_LE_INTERBANK_SINGLE",
    "最大同业单一客户风险暴露",
    "Largest interbank exposure",
    "CNY",
    BANK,
    Q,
    "Largest exposure to a single interbank counterparty.",
  ),
  item(
    "BANK_INTERBANK_LIABILITIES",
    "同业融入资金余额",
    "Interbank liabilities",
    "CNY",
    BANK,
    M,
    "Funds taken from other financial institutions through interbank business.",
  ),
  item(
    "BANK_LARGEST_INTERBANK_LENDING",
    "对单一金融机构同业融出资金余额（最大）",
    "Largest interbank lending to one institution",
    "CNY",
    BANK,
    M,
    "Interbank funds lent to the financial institution with the largest balance.",
  ),
  item(
    "BANK_LARGEST_INTERBANK_LENDING_ZERO_RW",
    "上述融出资金中零风险权重资产",
    "Zero-risk-weight part of that lending",
    "CNY",
    BANK,
    M,
    "Assets with a zero risk weight within the largest single-institution interbank lending, which the 2014 rule deducts.",
  ),
  item(
    "BANK_RE_LOANS",
    "房地产贷款余额",
    "Real-estate loans",
    "CNY",
    BANK,
    M,
    "Real-estate loans outstanding as defined by the 2020 concentration notice.",
  ),
  item(
    "BANK_MORTGAGE_LOANS",
    "个人住房贷款余额",
    "Personal housing mortgages",
    "CNY",
    BANK,
    M,
    "Personal housing mortgage loans outstanding.",
  ),
  item(
    "BANK_RMB_LOANS",
    "人民币各项贷款余额",
    "RMB loans",
    "CNY",
    BANK,
    M,
    "Loans outstanding in renminbi, the base of the real-estate concentration ratios.",
  ),
  // Bills.
  item(
    "BANK_ACCEPTANCES_OUTSTANDING",
    "承兑汇票余额",
    "Acceptances outstanding",
    "CNY",
    BANK,
    M,
    "Commercial drafts accepted by the institution and not yet matured.",
  ),
  item(
    "BANK_ACCEPTANCE_MARGIN",
    "承兑保证金余额",
    "Acceptance margin deposits",
    "CNY",
    BANK,
    M,
    "Margin deposits held against drafts the institution accepted.",
  ),

  // Securities firms (parent-company basis).
  item(
    "SEC_NET_CAPITAL",
    "净资本",
    "Net capital",
    "CNY",
    SEC,
    M,
    "Net capital under the CSRC calculation standards.",
  ),
  item(
    "SEC_CORE_NET_CAPITAL",
    "核心净资本",
    "Core net capital",
    "CNY",
    SEC,
    M,
    "Core net capital under the CSRC calculation standards.",
  ),
  item(
    "SEC_RISK_CAPITAL_RESERVES",
    "各项风险资本准备之和",
    "Risk capital reserves",
    "CNY",
    SEC,
    M,
    "Sum of the risk capital reserves for all businesses.",
  ),
  item(
    "SEC_ON_OFF_BALANCE_ASSETS",
    "表内外资产总额",
    "On- and off-balance-sheet assets",
    "CNY",
    SEC,
    M,
    "Total on- and off-balance-sheet assets, the capital leverage ratio denominator.",
  ),
  item(
    "SEC_HQLA",
    "优质流动性资产",
    "High-quality liquid assets",
    "CNY",
    SEC,
    M,
    "High-quality liquid assets, the LCR numerator.",
  ),
  item(
    "SEC_NET_CASH_OUTFLOW_30D",
    "未来30天现金净流出量",
    "Net cash outflow over 30 days",
    "CNY",
    SEC,
    M,
    "Net cash outflow over the next 30 days, the LCR denominator.",
  ),
  item(
    "SEC_ASF",
    "可用稳定资金",
    "Available stable funding",
    "CNY",
    SEC,
    M,
    "Available stable funding, the NSFR numerator.",
  ),
  item(
    "SEC_RSF",
    "所需稳定资金",
    "Required stable funding",
    "CNY",
    SEC,
    M,
    "Required stable funding, the NSFR denominator.",
  ),
  item("SEC_NET_ASSETS", "净资产", "Net assets", "CNY", SEC, M, "Net assets on the parent-company basis."),
  item(
    "SEC_LIABILITIES",
    "负债",
    "Liabilities",
    "CNY",
    SEC,
    M,
    "Liabilities on the parent-company basis, client funds excluded.",
  ),
  item(
    "SEC_PROP_EQUITY_HOLDINGS",
    "自营权益类证券及其衍生品",
    "Proprietary equity and derivatives",
    "CNY",
    SEC,
    M,
    "Proprietary holdings of equity securities and their derivatives as the calculation standards measure them.",
  ),
  item(
    "SEC_PROP_NON_EQUITY_HOLDINGS",
    "自营非权益类证券及其衍生品",
    "Proprietary non-equity holdings",
    "CNY",
    SEC,
    M,
    "Proprietary holdings of non-equity securities and their derivatives.",
  ),
  item(
    "SEC_LARGEST_EQUITY_COST",
    "持有单一权益类证券成本（最大）",
    "Largest single equity holding at cost",
    "CNY",
    SEC,
    M,
    "Cost of the largest proprietary holding of a single equity security.",
  ),
  item(
    "SEC_MAX_EQUITY_ISSUER_SHARE",
    "持有单一权益类证券市值占其总市值比例（最大）",
    "Largest holding as share of issuer market value",
    "ratio",
    SEC,
    M,
    "Highest ratio of the market value of a proprietary equity holding to the issuer's total market value.",
  ),
  item(
    "SEC_LARGEST_CLIENT_MARGIN",
    "单一客户融资融券余额（最大）",
    "Largest single-client margin balance",
    "CNY",
    SEC,
    M,
    "Margin financing plus securities lent to the client with the largest balance.",
  ),
  item(
    "SEC_MARGIN_TOTAL",
    "融资融券业务规模",
    "Total margin financing and lending",
    "CNY",
    SEC,
    M,
    "Margin financing plus securities lent to all clients.",
  ),
  item(
    "SEC_MAX_COLLATERAL_STOCK_SHARE",
    "单一担保证券市值占其总市值比例（最大）",
    "Largest collateral stock share",
    "ratio",
    SEC,
    M,
    "Highest ratio of the market value of one stock accepted as margin collateral to that stock's total market value.",
  ),

  // Insurers (quarterly solvency reporting).
  item("INS_CORE_CAPITAL", "核心资本", "Core capital", "CNY", INS, Q, "Core capital under C-ROSS."),
  item(
    "INS_ACTUAL_CAPITAL",
    "实际资本",
    "Actual capital",
    "CNY",
    INS,
    Q,
    "Actual capital (admitted assets less admitted liabilities) under C-ROSS.",
  ),
  item(
    "INS_MINIMUM_CAPITAL",
    "最低资本",
    "Minimum capital",
    "CNY",
    INS,
    Q,
    "Minimum capital under C-ROSS, any differentiated multiplier already applied.",
  ),
  item(
    "INS_IRR_GRADE",
    "风险综合评级",
    "Integrated risk rating",
    "grade",
    INS,
    Q,
    "Latest supervisory integrated risk rating (AAA to D; legacy A to D).",
  ),
  item(
    "INS_PREMIUMS",
    "保费收入（年初至今）",
    "Premiums, year to date",
    "CNY",
    INS,
    Q,
    "Premium income from the start of the year to period end.",
  ),
  item(
    "INS_SURRENDERS",
    "退保金（年初至今）",
    "Surrenders, year to date",
    "CNY",
    INS,
    Q,
    "Surrender payments from the start of the year to period end.",
  ),
  item(
    "INS_MATURITY_BENEFITS",
    "满期给付（年初至今）",
    "Maturity benefits, year to date",
    "CNY",
    INS,
    Q,
    "Maturity benefits paid from the start of the year to period end.",
  ),
  item(
    "INS_LIQUID_ASSETS",
    "现金及流动性管理工具",
    "Cash and liquidity instruments",
    "CNY",
    INS,
    Q,
    "Cash and liquidity-management instruments at period end.",
  ),
  item(
    "INS_SHORT_MEDIUM_PREMIUMS",
    "中短存续期产品保费收入（年初至今）",
    "Short/medium-duration premiums, year to date",
    "CNY",
    LIFE,
    Q,
    "Premiums from short- and medium-duration products (1-3 years) from the start of the year to period end.",
  ),
  item(
    "INS_INVESTED_CAPITAL",
    "投入资本",
    "Invested capital",
    "CNY",
    LIFE,
    Q,
    "Capital invested by shareholders.",
  ),
  item("INS_NET_ASSETS", "净资产", "Net assets", "CNY", INS, Q, "Net assets at period end."),
  item("INS_TOTAL_ASSETS", "总资产", "Total assets", "CNY", INS, Q, "Total assets at period end."),

  // Small-loan companies; online small-loan companies report these too.
  item(
    "SLC_NET_CAPITAL",
    "资本净额",
    "Net capital",
    "CNY",
    SLC,
    M,
    "Net capital as the 2008 pilot opinion defines it.",
  ),
  item("SLC_NET_ASSETS", "净资产", "Net assets", "CNY", SLC, M, "Net assets at period end."),
  item(
    "SLC_PRIOR_YEAR_END_NET_ASSETS",
    "上年末净资产",
    "Net assets at prior year end",
    "CNY",
    SLC,
    M,
    "Net assets at the end of the previous financial year, the NFRA single-borrower base.",
  ),
  item(
    "SLC_BANK_BORROWINGS",
    "银行业金融机构融入资金余额",
    "Borrowings from banks",
    "CNY",
    SLC,
    M,
    "Funds borrowed from banking financial institutions.",
  ),
  item(
    "SLC_BANK_LENDER_COUNT",
    "融入资金的银行业金融机构数",
    "Number of lending banks",
    "count",
    SLC,
    M,
    "Number of banking financial institutions the company borrows from.",
  ),
  item(
    "SLC_SHAREHOLDER_BORROWINGS",
    "股东借款余额",
    "Shareholder borrowings",
    "CNY",
    SLC,
    M,
    "Funds borrowed from shareholders.",
  ),
  item(
    "SLC_STANDARDISED_FINANCING",
    "标准化债权类资产融资余额",
    "Standardised financing",
    "CNY",
    SLC,
    M,
    "Financing through bonds and asset-backed securities.",
  ),
  item(
    "SLC_LARGEST_BORROWER_BALANCE",
    "单一借款人贷款余额（最大）",
    "Largest single-borrower balance",
    "CNY",
    SLC,
    M,
    "Loans outstanding to the borrower with the largest balance.",
  ),
  item(
    "SLC_LARGEST_BORROWER_RELATED_BALANCE",
    "单一借款人及其关联方贷款余额（最大）",
    "Largest borrower-with-related balance",
    "CNY",
    SLC,
    M,
    "Loans outstanding to the borrower and its related parties with the largest combined balance.",
  ),
  item("SLC_LOANS_OUTSTANDING", "贷款余额", "Loans outstanding", "CNY", SLC, M, "Gross loans outstanding."),
  item(
    "SLC_LOAN_PROVISIONS",
    "贷款损失准备",
    "Loan-loss provisions",
    "CNY",
    SLC,
    M,
    "Balance of loan-loss provisions.",
  ),
  item(
    "SLC_NPL",
    "不良贷款余额",
    "Non-performing loans",
    "CNY",
    SLC,
    M,
    "Loans classified substandard, doubtful or loss.",
  ),
  item(
    "SLC_INTER_SLC_LENT",
    "向其他小额贷款公司拆出资金余额",
    "Funds lent to other small-loan companies",
    "CNY",
    SLC,
    M,
    "Funds lent to other small-loan companies under the Chongqing inter-company borrowing rules.",
  ),
  item(
    "SLC_INTER_SLC_BORROWED",
    "从其他小额贷款公司拆入资金余额",
    "Funds borrowed from other small-loan companies",
    "CNY",
    SLC,
    M,
    "Funds borrowed from other small-loan companies under the Chongqing inter-company borrowing rules.",
  ),
  item(
    "SLC_MAX_ANNUALISED_COST",
    "最高综合年化成本",
    "Highest all-in annualised cost",
    "ratio",
    SLC,
    M,
    "Highest annualised interest plus fees charged on any loan made in the period.",
  ),
  item(
    "SLC_FLAG_ILLEGAL_DEPOSITS",
    "非法集资或吸收公众存款",
    "Illegal fund-raising or public deposits",
    "flag",
    SLC,
    M,
    "The company raised funds illegally or took deposits from the public.",
  ),
  item(
    "SLC_FLAG_UNLAWFUL_RATES",
    "违规利率放贷",
    "Loans at unlawful rates",
    "flag",
    SLC,
    M,
    "The company lent at rates that violate legal provisions.",
  ),
  item(
    "SLC_FLAG_ILLEGAL_COLLECTION",
    "暴力恐吓等非法催收",
    "Violent or intimidating collection",
    "flag",
    SLC,
    M,
    "The company collected loans by violence, intimidation or other illegal means.",
  ),

  // Online small-loan companies.
  item(
    "OSL_JOINT_LOANS_TOTAL",
    "联合贷款余额",
    "Joint loans outstanding",
    "CNY",
    OSL,
    M,
    "Total balance of joint loans the company takes part in, all lenders' shares included.",
  ),
  item(
    "OSL_JOINT_LOANS_OWN",
    "联合贷款本公司出资余额",
    "Own share of joint loans",
    "CNY",
    OSL,
    M,
    "The company's own contribution to joint loans outstanding.",
  ),
  item(
    "OSL_MAX_NATURAL_PERSON_BALANCE",
    "单户自然人贷款余额（最大）",
    "Largest natural-person balance",
    "CNY",
    OSL,
    M,
    "Loans outstanding to the natural-person borrower with the largest balance.",
  ),
  item(
    "OSL_MAX_LEGAL_PERSON_BALANCE",
    "单户法人及其关联方贷款余额（最大）",
    "Largest legal-person balance",
    "CNY",
    OSL,
    M,
    "Loans outstanding to the legal person (with its related parties) with the largest balance.",
  ),
  item(
    "OSL_PAID_IN_CAPITAL",
    "实缴注册资本",
    "Paid-in registered capital",
    "CNY",
    OSL,
    M,
    "Registered capital actually paid in.",
  ),
  item(
    "OSL_CROSS_PROVINCE",
    "跨省经营",
    "Operates across provinces",
    "flag",
    OSL,
    M,
    "The company lends outside its province of registration.",
  ),
  item(
    "OSL_FLAG_UNAPPROVED_CROSS_PROVINCE",
    "未经批准跨省经营",
    "Cross-province business without approval",
    "flag",
    OSL,
    M,
    "The company lends across provinces without the national regulator's approval.",
  ),

  // Financing guarantee companies.
  item(
    "FGC_GUARANTEE_LIABILITY",
    "担保责任余额",
    "Guarantee liability balance",
    "CNY",
    FGC,
    Q,
    "Outstanding guarantee liability of all kinds.",
  ),
  item(
    "FGC_FIN_GUARANTEE_LIABILITY",
    "融资担保责任余额",
    "Financing guarantee liability balance",
    "CNY",
    FGC,
    Q,
    "Risk-weighted financing guarantee liability balance under the 2018 measurement measures.",
  ),
  item("FGC_NET_ASSETS", "净资产", "Net assets", "CNY", FGC, Q, "Net assets at period end."),
  item(
    "FGC_LARGEST_PARTY_BALANCE",
    "单一被担保人融资担保责任余额（最大）",
    "Largest single guaranteed party",
    "CNY",
    FGC,
    Q,
    "Financing guarantee liability to the guaranteed party with the largest balance.",
  ),
  item(
    "FGC_LARGEST_PARTY_RELATED_BALANCE",
    "单一被担保人及其关联方融资担保责任余额（最大）",
    "Largest party with related parties",
    "CNY",
    FGC,
    Q,
    "Financing guarantee liability to the guaranteed party and its related parties with the largest combined balance.",
  ),
  item(
    "FGC_CONTROLLER_GUARANTEES",
    "为控股股东、实际控制人提供的担保余额",
    "Guarantees to controlling shareholder",
    "CNY",
    FGC,
    Q,
    "Guarantees outstanding in favour of the controlling shareholder or the actual controller.",
  ),
  item(
    "FGC_CLASS1_ASSETS",
    "Ⅰ级资产",
    "Class I assets",
    "CNY",
    FGC,
    Q,
    "Cash, deposits, margin deposited, money-market funds, government and financial bonds, short WMPs and AAA bonds.",
  ),
  item(
    "FGC_CLASS2_ASSETS",
    "Ⅱ级资产",
    "Class II assets",
    "CNY",
    FGC,
    Q,
    "Other bank WMPs, AA/AA+ bonds, stakes in other guarantors and the admitted parts of client stakes, entrusted loans and own-use property.",
  ),
  item("FGC_CLASS3_ASSETS", "Ⅲ级资产", "Class III assets", "CNY", FGC, Q, "All assets not in class I or II."),
  item(
    "FGC_CLASS1_DEDUCTIONS",
    "Ⅰ级资产扣除项",
    "Class I deductions",
    "CNY",
    FGC,
    Q,
    "Amounts deducted from class I assets under the asset ratio measures.",
  ),
  item(
    "FGC_CLASS2_DEDUCTIONS",
    "Ⅱ级资产扣除项",
    "Class II deductions",
    "CNY",
    FGC,
    Q,
    "Amounts deducted from class II assets under the asset ratio measures.",
  ),
  item(
    "FGC_CLASS3_DEDUCTIONS",
    "Ⅲ级资产扣除项",
    "Class III deductions",
    "CNY",
    FGC,
    Q,
    "Amounts deducted from class III assets under the asset ratio measures.",
  ),
  item(
    "FGC_COMPENSATION_RECEIVABLE",
    "应收代偿款",
    "Compensation receivable",
    "CNY",
    FGC,
    Q,
    "Compensation paid on behalf of guaranteed parties and not yet recovered.",
  ),
  item("FGC_TOTAL_ASSETS", "资产总额", "Total assets", "CNY", FGC, Q, "Total assets at period end."),
  item(
    "FGC_SME_AGRI_FOCUS",
    "主要服务小微企业和农业农村农民",
    "Mainly serves small firms and agriculture",
    "flag",
    FGC,
    Q,
    "The company mainly serves small and micro firms and agriculture, rural areas and farmers, which raises its leverage cap.",
  ),

  // Local trading venues.
  item(
    "VEN_MARGIN_BALANCE",
    "交易保证金余额",
    "Trading margin balance",
    "CNY",
    VEN,
    M,
    "Trading margin held for participants at period end.",
  ),
  item(
    "VEN_SPOT_DELIVERY_VOLUME",
    "现货交割量",
    "Spot delivery volume",
    "count",
    VEN,
    M,
    "Contract units closed by physical delivery in the period.",
  ),
  item(
    "VEN_SETTLED_VOLUME",
    "合约了结总量",
    "Total settled volume",
    "count",
    VEN,
    M,
    "Contract units closed in the period by delivery or by offset.",
  ),
  item(
    "VEN_FLAG_EQUAL_SHARE_ISSUE",
    "权益拆分为均等份额公开发行",
    "Equal-share public issue",
    "flag",
    VEN,
    M,
    "The venue split rights into equal shares and issued them publicly.",
  ),
  item(
    "VEN_FLAG_CENTRALISED_TRADING",
    "采取集中交易方式交易",
    "Centralised trading",
    "flag",
    VEN,
    M,
    "The venue used call or continuous auction, electronic matching, anonymous trading or market-making.",
  ),
  item(
    "VEN_FLAG_CONTINUOUS_LISTING",
    "按标准化交易单位持续挂牌交易",
    "Continuous listing in standard units",
    "flag",
    VEN,
    M,
    "The venue listed rights continuously in standardised trading units (the T+5 test failed).",
  ),
  item(
    "VEN_FLAG_STANDARDISED_CONTRACTS",
    "集中交易标准化合约",
    "Standardised contract trading",
    "flag",
    VEN,
    M,
    "The venue traded standardised contracts by centralised trading without futures-exchange approval.",
  ),
  item(
    "VEN_FLAG_HIGH_LEVERAGE",
    "开展期货等高杠杆业务",
    "High-leverage business",
    "flag",
    VEN,
    M,
    "The venue ran futures-like or other high-leverage business.",
  ),
  item(
    "VEN_FLAG_HIGH_INTEREST_DEPOSITS",
    "高息揽储",
    "High-interest deposit taking",
    "flag",
    VEN,
    M,
    "The venue solicited funds at high interest.",
  ),
  item(
    "VEN_FLAG_UNTARGETED_FUNDRAISING",
    "无特定对象随意融资",
    "Untargeted fund-raising",
    "flag",
    VEN,
    M,
    "The venue raised funds without a specific target group.",
  ),
  item(
    "VEN_FLAG_FUND_POOL",
    "违规设立资金池",
    "Fund pool",
    "flag",
    VEN,
    M,
    "The venue pooled participants' money in violation of the rules.",
  ),
  item(
    "VEN_FLAG_ONLINE_LENDING",
    "开展网络借贷中介业务",
    "Online lending intermediation",
    "flag",
    VEN,
    M,
    "The venue ran online-lending intermediary business or companies.",
  ),

  // One asset-management product (the product is the reporting entity).
  item(
    "AMP_TOTAL_ASSETS",
    "产品总资产（穿透）",
    "Product total assets (look-through)",
    "CNY",
    AMP,
    M,
    "Total assets of the product including, look-through, the total assets of products it invests in.",
  ),
  item(
    "AMP_NET_ASSETS",
    "产品净资产",
    "Product net assets",
    "CNY",
    AMP,
    M,
    "Net asset value of the product.",
  ),
  item(
    "AMP_PRIORITY_SHARES",
    "优先级份额（含中间级）",
    "Priority shares",
    "CNY",
    AMP,
    M,
    "Priority tranche shares of a tiered product, mezzanine included.",
  ),
  item(
    "AMP_SUBORDINATED_SHARES",
    "劣后级份额",
    "Subordinated shares",
    "CNY",
    AMP,
    M,
    "Subordinated tranche shares of a tiered product.",
  ),
  item(
    "AMP_NESTING_DEPTH",
    "嵌套层数",
    "Nesting depth",
    "count",
    AMP,
    M,
    "Layers of other asset-management products held beneath the product (0 when it holds none).",
  ),
  item(
    "AMP_FLAG_NESTED_NON_FUND",
    "再投资于公募证券投资基金以外的资管产品",
    "Nested into non-fund products",
    "flag",
    AMP,
    M,
    "The product invests in an asset-management product other than a public securities fund.",
  ),
  item(
    "AMP_LARGEST_SECURITY_MV",
    "单只证券或基金市值（最大）",
    "Largest single security holding",
    "CNY",
    AMP,
    M,
    "Market value of the product's largest holding of one security or one fund.",
  ),
  item(
    "AMP_TERM_DAYS",
    "产品期限",
    "Product term",
    "days",
    AMP,
    M,
    "Days from the product's inception to its contractual maturity.",
  ),
  item(
    "AMP_FLAG_PRIORITY_GUARANTEE",
    "向优先级保本保收益",
    "Guarantee to the priority tranche",
    "flag",
    AMP,
    M,
    "Principal or return of the priority tranche is guaranteed directly or indirectly.",
  ),
  item(
    "AMP_FLAG_GUARANTEED_RETURN",
    "违反净值原则保本保收益",
    "Guaranteed principal or return",
    "flag",
    AMP,
    M,
    "The product guarantees principal or return in breach of net-value principles.",
  ),
  item(
    "AMP_FLAG_ROLLING_GUARANTEE",
    "滚动发行保本保收益",
    "Guarantee through rolling issuance",
    "flag",
    AMP,
    M,
    "Principal or return is guaranteed by rolling issuance of new products.",
  ),
  item(
    "AMP_FLAG_SELF_FUNDED_PAYOUT",
    "以自有资金或委托他机构代为支付",
    "Payout from the manager's own funds",
    "flag",
    AMP,
    M,
    "The manager paid investors from its own funds or had another institution pay on its behalf.",
  ),
  item(
    "AMP_FLAG_PROMISED_RETURN",
    "承诺保本保收益",
    "Promise of principal or return",
    "flag",
    AMP,
    M,
    "Principal or return was promised to investors.",
  ),

  // An institution's asset-management business as a whole.
  item(
    "AMM_PRODUCT_BALANCE",
    "资管产品余额",
    "Asset-management products outstanding",
    "CNY",
    AMM,
    M,
    "Total balance of the asset-management products the institution manages (0 when it manages none).",
  ),
  item(
    "AMM_MAX_SECURITY_SHARE_PUBLIC",
    "全部公募产品持有单只证券市值占比（最大）",
    "Public products' largest security share",
    "ratio",
    AMM,
    M,
    "Highest ratio, over securities, of the market value all the institution's public products hold to that security's market value.",
  ),
  item(
    "AMM_MAX_STOCK_FLOAT_OPEN_PUBLIC",
    "全部开放式公募产品持股占流通股比例（最大）",
    "Open public products' largest float share",
    "ratio",
    AMM,
    M,
    "Highest share of one listed company's tradable float held by all the institution's open-ended public products.",
  ),
  item(
    "AMM_MAX_STOCK_FLOAT_ALL",
    "全部资管产品持股占流通股比例（最大）",
    "All products' largest float share",
    "ratio",
    AMM,
    M,
    "Highest share of one listed company's tradable float held by all the institution's asset-management products.",
  ),
  item(
    "AMM_MAX_SINGLE_ASSET",
    "全部产品投资单一资产余额（最大）",
    "Largest single-asset investment",
    "CNY",
    AMM,
    M,
    "Largest aggregate investment of all the institution's products in one asset.",
  ),
  item(
    "AMM_MANAGEMENT_FEES",
    "管理费收入（年初至今）",
    "Management fees, year to date",
    "CNY",
    AMM,
    M,
    "Management-fee income from asset-management products from the start of the year.",
  ),
  item(
    "AMM_RISK_RESERVE_ACCRUAL",
    "风险准备金计提（年初至今）",
    "Risk reserve accrued, year to date",
    "CNY",
    AMM,
    M,
    "Risk reserve accrued from management fees from the start of the year.",
  ),
  item(
    "AMM_RISK_RESERVE_BALANCE",
    "风险准备金余额",
    "Risk reserve balance",
    "CNY",
    AMM,
    M,
    "Balance of the asset-management risk reserve.",
  ),
  item(
    "AMM_FLAG_PLEDGED_PRODUCT_SHARES",
    "质押所管理产品份额融资",
    "Pledged shares of own products",
    "flag",
    AMM,
    M,
    "The institution pledged shares of products it manages to raise funds.",
  ),

  // Every institution.
  item(
    "GEN_COMPLAINTS",
    "投诉件数",
    "Complaints",
    "count",
    ALL,
    M,
    "Consumer complaints received in the period.",
  ),
  item(
    "GEN_FILINGS_DUE",
    "应报送报告和披露件数",
    "Filings due",
    "count",
    ALL,
    M,
    "Returns and mandatory disclosures due in the period.",
  ),
  item(
    "GEN_FILINGS_LATE",
    "逾期报送报告和披露件数",
    "Filings late",
    "count",
    ALL,
    M,
    "Returns and mandatory disclosures filed after their deadline in the period.",
  ),
] as const;

export type ItemCode = (typeof itemDictionary)[number]["code"];

export const itemsByCode: ReadonlyMap<string, ItemDef<ItemCode>> = new Map(
  itemDictionary.map((i) => [i.code, i]),
);

/** The item definition for a code; undefined for an unknown code. */
export function findItem(code: string): ItemDef<ItemCode> | undefined {
  return itemsByCode.get(code);
}

/** Items that give an entity's size when the registry does not (used for size-based applicability). */
export const totalAssetsItemByType: Partial<Record<EntityType, ItemCode>> = {
  bank: "BANK_TOTAL_ASSETS",
  life_insurer: "INS_TOTAL_ASSETS",
  pc_insurer: "INS_TOTAL_ASSETS",
  financing_guarantee: "FGC_TOTAL_ASSETS",
  am_product: "AMP_TOTAL_ASSETS",
};

// Plain decimals, as intake stores them ("12.50", "-3", "1.000000"); checked by pattern, without parsing.
const decimalValue = /^-?\d+(?:\.\d+)?$/;
const wholeValue = /^\d+(?:\.0+)?$/;
const flagValue = /^[01](?:\.0+)?$/;

/** Why a value is not acceptable for the item, or undefined when it is. */
export function checkItemValue(def: ItemDef, value: string): string | undefined {
  switch (def.unit) {
    case "grade":
      return (insurerRiskGrades as readonly string[]).includes(value)
        ? undefined
        : `expected a grade (${insurerRiskGrades.join(", ")})`;
    case "flag":
      return flagValue.test(value) ? undefined : 'expected "0" or "1"';
    case "count":
    case "days":
      return wholeValue.test(value) ? undefined : "expected a whole number, not negative";
    default:
      return decimalValue.test(value) ? undefined : "expected a decimal number";
  }
}

/** True for plain decimal text such as intake stores ("12.50", "-3"). */
export function isPlainDecimal(value: string): boolean {
  return decimalValue.test(value);
}

/** A fact of a periodic return in long format. */
export interface Fact {
  institution: string;
  period: string;
  item: string;
  value: string;
  unit?: string;
}

/** A reporting period: a month ("2024-03") or a quarter ("2024-Q1"). */
export const periodPattern = /^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$/;

/** The month a period closes in, "YYYY-MM": quarters map to their last month. Throws on a malformed period. */
export function periodMonth(period: string): string {
  const m = periodPattern.exec(period);
  if (!m) throw new Error(`Malformed period "${period}" (expected YYYY-MM or YYYY-Qn)`);
  if (m[2]) return period;
  return `${m[1]}-${String(Number(m[3]) * 3).padStart(2, "0")}`;
}

/** The last day of a period as "YYYY-MM-DD", for comparing with effective dates. */
export function periodEnd(period: string): string {
  const month = periodMonth(period);
  const year = Number(month.slice(0, 4));
  const mm = Number(month.slice(5, 7));
  const day = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}

/** True for periods that close a quarter (March, June, September, December, or a "Qn" period). */
export function isQuarterEnd(period: string): boolean {
  return Number(periodMonth(period).slice(5, 7)) % 3 === 0;
}

export type ConsistencyRelation = "eq" | "le";

/**
 * A cross-item check run at intake: sum(lhs) relation rhs, within a tolerance of
 * max(absolute, relative × |rhs|). Checks whose items are not all present are skipped.
 */
export interface ItemConsistencyCheck {
  id: string;
  description: string;
  lhs: readonly ItemCode[];
  relation: ConsistencyRelation;
  rhs: ItemCode;
  tolerance: { absolute: string; relative: string };
}

const roundingTolerance = { absolute: "1", relative: "0.0001" };

export const itemConsistencyChecks: readonly ItemConsistencyCheck[] = [
  {
    id: "bank.loan_categories_sum",
    description: "The five loan categories sum to total loans.",
    lhs: [
      "BANK_LOANS_NORMAL",
      "BANK_LOANS_SPECIAL_MENTION",
      "BANK_LOANS_SUBSTANDARD",
      "BANK_LOANS_DOUBTFUL",
      "BANK_LOANS_LOSS",
    ],
    relation: "eq",
    rhs: "BANK_LOANS_TOTAL",
    tolerance: roundingTolerance,
  },
  {
    id: "bank.cet1_within_tier1",
    description: "CET1 capital does not exceed tier 1 capital.",
    lhs: ["BANK_CET1_CAPITAL"],
    relation: "le",
    rhs: "BANK_TIER1_CAPITAL",
    tolerance: roundingTolerance,
  },
  {
    id: "bank.tier1_within_total_capital",
    description: "Tier 1 capital does not exceed total capital.",
    lhs: ["BANK_TIER1_CAPITAL"],
    relation: "le",
    rhs: "BANK_TOTAL_CAPITAL",
    tolerance: roundingTolerance,
  },
  {
    id: "bank.mortgages_within_real_estate",
    description: "Personal housing mortgages are part of real-estate loans.",
    lhs: ["BANK_MORTGAGE_LOANS"],
    relation: "le",
    rhs: "BANK_RE_LOANS",
    tolerance: roundingTolerance,
  },
  {
    id: "bank.real_estate_within_rmb_loans",
    description: "Real-estate loans do not exceed RMB loans.",
    lhs: ["BANK_RE_LOANS"],
    relation: "le",
    rhs: "BANK_RMB_LOANS",
    tolerance: roundingTolerance,
  },
  {
    id: "bank.rmb_within_total_loans",
    description: "RMB loans do not exceed total loans.",
    lhs: ["BANK_RMB_LOANS"],
    relation: "le",
    rhs: "BANK_LOANS_TOTAL",
    tolerance: roundingTolerance,
  },
  {
    id: "bank.interbank_within_liabilities",
    description: "Interbank liabilities are part of total liabilities.",
    lhs: ["BANK_INTERBANK_LIABILITIES"],
    relation: "le",
    rhs: "BANK_TOTAL_LIABILITIES",
    tolerance: roundingTolerance,
  },
  {
    id: "sec.core_within_net_capital",
    description: "Core net capital does not exceed net capital.",
    lhs: ["SEC_CORE_NET_CAPITAL"],
    relation: "le",
    rhs: "SEC_NET_CAPITAL",
    tolerance: roundingTolerance,
  },
  {
    id: "sec.largest_client_within_total_margin",
    description: "The largest client's margin balance is part of total margin business.",
    lhs: ["SEC_LARGEST_CLIENT_MARGIN"],
    relation: "le",
    rhs: "SEC_MARGIN_TOTAL",
    tolerance: roundingTolerance,
  },
  {
    id: "ins.core_within_actual_capital",
    description: "Core capital does not exceed actual capital.",
    lhs: ["INS_CORE_CAPITAL"],
    relation: "le",
    rhs: "INS_ACTUAL_CAPITAL",
    tolerance: roundingTolerance,
  },
  {
    id: "ins.short_medium_within_premiums",
    description: "Short/medium-duration premiums are part of total premiums.",
    lhs: ["INS_SHORT_MEDIUM_PREMIUMS"],
    relation: "le",
    rhs: "INS_PREMIUMS",
    tolerance: roundingTolerance,
  },
  {
    id: "slc.largest_borrower_within_related",
    description:
      "The largest borrower's balance does not exceed the largest borrower-with-related-parties balance.",
    lhs: ["SLC_LARGEST_BORROWER_BALANCE"],
    relation: "le",
    rhs: "SLC_LARGEST_BORROWER_RELATED_BALANCE",
    tolerance: roundingTolerance,
  },
  {
    id: "slc.largest_related_within_loans",
    description: "The largest borrower-with-related-parties balance is part of loans outstanding.",
    lhs: ["SLC_LARGEST_BORROWER_RELATED_BALANCE"],
    relation: "le",
    rhs: "SLC_LOANS_OUTSTANDING",
    tolerance: roundingTolerance,
  },
  {
    id: "slc.npl_within_loans",
    description: "Non-performing loans are part of loans outstanding.",
    lhs: ["SLC_NPL"],
    relation: "le",
    rhs: "SLC_LOANS_OUTSTANDING",
    tolerance: roundingTolerance,
  },
  {
    id: "osl.own_within_joint_loans",
    description: "The company's share of joint loans does not exceed the joint loans' total.",
    lhs: ["OSL_JOINT_LOANS_OWN"],
    relation: "le",
    rhs: "OSL_JOINT_LOANS_TOTAL",
    tolerance: roundingTolerance,
  },
  {
    id: "fgc.asset_classes_sum",
    description: "Class I, II and III assets sum to total assets.",
    lhs: ["FGC_CLASS1_ASSETS", "FGC_CLASS2_ASSETS", "FGC_CLASS3_ASSETS"],
    relation: "eq",
    rhs: "FGC_TOTAL_ASSETS",
    tolerance: roundingTolerance,
  },
  {
    id: "fgc.largest_party_within_related",
    description:
      "The largest guaranteed party does not exceed the largest party-with-related-parties balance.",
    lhs: ["FGC_LARGEST_PARTY_BALANCE"],
    relation: "le",
    rhs: "FGC_LARGEST_PARTY_RELATED_BALANCE",
    tolerance: roundingTolerance,
  },
  {
    id: "ven.spot_within_settled",
    description: "Spot delivery volume is part of total settled volume.",
    lhs: ["VEN_SPOT_DELIVERY_VOLUME"],
    relation: "le",
    rhs: "VEN_SETTLED_VOLUME",
    tolerance: { absolute: "0", relative: "0" },
  },
  {
    id: "gen.late_within_due",
    description: "Late filings do not exceed filings due.",
    lhs: ["GEN_FILINGS_LATE"],
    relation: "le",
    rhs: "GEN_FILINGS_DUE",
    tolerance: { absolute: "0", relative: "0" },
  },
];
