/**
 * The indicators scoring watches per institution type: ratios that exist in real returns (capital, asset
 * quality, provisioning, liquidity, concentration, funding) and growth rates. They feed the trend and peer
 * components of the score and the features of the calibrated model.
 *
 * Ratios are computed in floating point from the same item terms as the metric of the same code (a test checks
 * them against the exact metric catalog): scoring ranks and compares, it never decides a threshold, and floats
 * keep a whole province's history fast.
 */
import type { InstitutionType } from "../contract/institution-types.ts";
import type { ItemCode } from "../contract/items.ts";

/** An item to add, or to subtract when prefixed with "-". */
export type IndicatorTerm = ItemCode | `-${ItemCode}`;

interface IndicatorBase {
  readonly code: string;
  readonly en: string;
  readonly zh: string;
  readonly types: readonly InstitutionType[];
  /** +1: a higher value is worse; -1: a lower value is worse. */
  readonly direction: 1 | -1;
  /** Counted in the trend component (levels that deteriorate); growth rates are not. */
  readonly trend: boolean;
}

/** (sum of num terms) / (sum of den terms); not computable when a term is missing or the denominator ≤ 0. */
export interface RatioIndicator extends IndicatorBase {
  readonly kind: "ratio";
  readonly num: readonly IndicatorTerm[];
  readonly den: readonly IndicatorTerm[];
  /** The metric of the catalog with the same formula, when there is one. */
  readonly metric?: string;
}

/** value(m) / value(m − months) − 1 of one item. */
export interface GrowthIndicator extends IndicatorBase {
  readonly kind: "growth";
  readonly item: ItemCode;
  readonly months: number;
}

export type IndicatorDef = RatioIndicator | GrowthIndicator;

const BANK: InstitutionType[] = ["bank"];
const SEC: InstitutionType[] = ["securities_firm"];
const INS: InstitutionType[] = ["life_insurer", "pc_insurer"];
const SLC: InstitutionType[] = ["small_loan", "online_small_loan"];
const FGC: InstitutionType[] = ["financing_guarantee"];
const VEN: InstitutionType[] = ["trading_venue"];

const netCapital: IndicatorTerm[] = ["BANK_TOTAL_CAPITAL", "-BANK_TOTAL_CAPITAL_DEDUCTIONS"];
const npl: IndicatorTerm[] = ["BANK_LOANS_SUBSTANDARD", "BANK_LOANS_DOUBTFUL", "BANK_LOANS_LOSS"];

function ratio(
  code: string,
  en: string,
  zh: string,
  types: InstitutionType[],
  direction: 1 | -1,
  num: IndicatorTerm[],
  den: IndicatorTerm[],
  metric = true,
): RatioIndicator {
  return {
    kind: "ratio",
    code,
    en,
    zh,
    types,
    direction,
    trend: true,
    num,
    den,
    ...(metric ? { metric: code } : {}),
  };
}

function growth(
  code: string,
  en: string,
  zh: string,
  types: InstitutionType[],
  direction: 1 | -1,
  item: ItemCode,
  months: number,
): GrowthIndicator {
  return { kind: "growth", code, en, zh, types, direction, trend: false, item, months };
}

export const indicatorCatalog: readonly IndicatorDef[] = [
  // Banks: capital.
  ratio("BANK_CAR", "Capital adequacy ratio", "资本充足率", BANK, -1, netCapital, ["BANK_RWA"]),
  ratio(
    "BANK_CET1_RATIO",
    "Core tier 1 ratio",
    "核心一级资本充足率",
    BANK,
    -1,
    ["BANK_CET1_CAPITAL", "-BANK_CET1_DEDUCTIONS"],
    ["BANK_RWA"],
  ),
  ratio(
    "BANK_LEVERAGE_RATIO",
    "Leverage ratio",
    "杠杆率",
    BANK,
    -1,
    ["BANK_TIER1_CAPITAL", "-BANK_TIER1_DEDUCTIONS"],
    ["BANK_LEVERAGE_EXPOSURE"],
  ),
  ratio(
    "BANK_EQUITY_RATIO",
    "Equity to assets",
    "所有者权益占资产比例",
    BANK,
    -1,
    ["BANK_TOTAL_ASSETS", "-BANK_TOTAL_LIABILITIES"],
    ["BANK_TOTAL_ASSETS"],
    false,
  ),
  // Banks: asset quality and provisioning.
  ratio("BANK_NPL_RATIO", "NPL ratio", "不良贷款率", BANK, 1, npl, ["BANK_LOANS_TOTAL"]),
  ratio(
    "BANK_SPECIAL_MENTION_RATIO",
    "Special-mention loans ratio",
    "关注类贷款占比",
    BANK,
    1,
    ["BANK_LOANS_SPECIAL_MENTION"],
    ["BANK_LOANS_TOTAL"],
    false,
  ),
  ratio(
    "BANK_PROVISION_COVERAGE",
    "Provision coverage ratio",
    "拨备覆盖率",
    BANK,
    -1,
    ["BANK_LOAN_LOSS_RESERVES"],
    npl,
  ),
  ratio(
    "BANK_LOAN_PROVISION_RATIO",
    "Loan provision ratio",
    "贷款拨备率",
    BANK,
    -1,
    ["BANK_LOAN_LOSS_RESERVES"],
    ["BANK_LOANS_TOTAL"],
  ),
  // Banks: liquidity and funding.
  ratio(
    "BANK_LIQUIDITY_RATIO",
    "Liquidity ratio",
    "流动性比例",
    BANK,
    -1,
    ["BANK_LIQUID_ASSETS"],
    ["BANK_LIQUID_LIABILITIES"],
  ),
  ratio(
    "BANK_LCR",
    "Liquidity coverage ratio",
    "流动性覆盖率",
    BANK,
    -1,
    ["BANK_HQLA"],
    ["BANK_NET_CASH_OUTFLOW_30D"],
  ),
  ratio(
    "BANK_LOAN_TO_DEPOSIT_RATIO",
    "Loan-to-deposit ratio",
    "存贷比",
    BANK,
    1,
    ["BANK_LOANS_TOTAL"],
    ["BANK_DEPOSITS"],
  ),
  ratio(
    "BANK_INTERBANK_LIABILITY_RATIO",
    "Interbank liabilities ratio",
    "同业负债占比",
    BANK,
    1,
    ["BANK_INTERBANK_LIABILITIES"],
    ["BANK_TOTAL_LIABILITIES"],
  ),
  // Banks: concentration.
  ratio(
    "BANK_SINGLE_CUSTOMER_RATIO",
    "Single-customer loan concentration",
    "单一客户贷款集中度",
    BANK,
    1,
    ["BANK_LARGEST_CUSTOMER_LOANS"],
    netCapital,
  ),
  ratio(
    "BANK_TOP10_CUSTOMER_RATIO",
    "Top-10 customer concentration",
    "最大十家客户贷款比例",
    BANK,
    1,
    ["BANK_TOP10_CUSTOMER_LOANS"],
    netCapital,
  ),
  // Banks: growth.
  growth(
    "BANK_DEPOSIT_GROWTH_3M",
    "Deposit growth over 3 months",
    "存款3个月增长率",
    BANK,
    -1,
    "BANK_DEPOSITS",
    3,
  ),
  growth(
    "BANK_LOAN_GROWTH_12M",
    "Loan growth over 12 months",
    "贷款12个月增长率",
    BANK,
    1,
    "BANK_LOANS_TOTAL",
    12,
  ),
  growth(
    "BANK_ASSET_GROWTH_12M",
    "Asset growth over 12 months",
    "资产12个月增长率",
    BANK,
    1,
    "BANK_TOTAL_ASSETS",
    12,
  ),
  // Securities firms.
  ratio(
    "SEC_RISK_COVERAGE_RATIO",
    "Risk coverage ratio",
    "风险覆盖率",
    SEC,
    -1,
    ["SEC_NET_CAPITAL"],
    ["SEC_RISK_CAPITAL_RESERVES"],
  ),
  ratio(
    "SEC_CAPITAL_LEVERAGE_RATIO",
    "Capital leverage ratio",
    "资本杠杆率",
    SEC,
    -1,
    ["SEC_CORE_NET_CAPITAL"],
    ["SEC_ON_OFF_BALANCE_ASSETS"],
  ),
  ratio(
    "SEC_LCR",
    "Liquidity coverage ratio",
    "流动性覆盖率",
    SEC,
    -1,
    ["SEC_HQLA"],
    ["SEC_NET_CASH_OUTFLOW_30D"],
  ),
  ratio("SEC_NSFR", "Net stable funding ratio", "净稳定资金率", SEC, -1, ["SEC_ASF"], ["SEC_RSF"]),
  // Insurers.
  ratio(
    "INS_COMPREHENSIVE_SOLVENCY_RATIO",
    "Comprehensive solvency ratio",
    "综合偿付能力充足率",
    INS,
    -1,
    ["INS_ACTUAL_CAPITAL"],
    ["INS_MINIMUM_CAPITAL"],
  ),
  ratio(
    "INS_CORE_SOLVENCY_RATIO",
    "Core solvency ratio",
    "核心偿付能力充足率",
    INS,
    -1,
    ["INS_CORE_CAPITAL"],
    ["INS_MINIMUM_CAPITAL"],
  ),
  ratio(
    "INS_SURRENDER_RATE",
    "Surrenders to premiums",
    "退保金占保费比例",
    INS,
    1,
    ["INS_SURRENDERS"],
    ["INS_PREMIUMS"],
  ),
  ratio(
    "INS_PAYOUTS_TO_LIQUID",
    "Surrenders and maturity benefits to liquid assets",
    "退保和满期给付占流动资产比例",
    INS,
    1,
    ["INS_SURRENDERS", "INS_MATURITY_BENEFITS"],
    ["INS_LIQUID_ASSETS"],
    false,
  ),
  // Small-loan companies.
  ratio("SLC_NPL_RATIO", "NPL ratio", "不良贷款率", SLC, 1, ["SLC_NPL"], ["SLC_LOANS_OUTSTANDING"]),
  ratio(
    "SLC_PROVISION_COVERAGE",
    "Provision coverage ratio",
    "拨备覆盖率",
    SLC,
    -1,
    ["SLC_LOAN_PROVISIONS"],
    ["SLC_NPL"],
  ),
  ratio(
    "SLC_NONSTANDARD_LEVERAGE",
    "Non-standard financing leverage",
    "非标融资杠杆",
    SLC,
    1,
    ["SLC_BANK_BORROWINGS", "SLC_SHAREHOLDER_BORROWINGS"],
    ["SLC_NET_ASSETS"],
  ),
  ratio(
    "SLC_SINGLE_BORROWER_RATIO",
    "Single-borrower concentration",
    "单户贷款集中度",
    SLC,
    1,
    ["SLC_LARGEST_BORROWER_BALANCE"],
    ["SLC_NET_ASSETS"],
  ),
  // Financing guarantee companies.
  ratio(
    "FGC_LEVERAGE",
    "Financing guarantee leverage",
    "融资担保放大倍数",
    FGC,
    1,
    ["FGC_FIN_GUARANTEE_LIABILITY"],
    ["FGC_NET_ASSETS"],
  ),
  ratio(
    "FGC_SINGLE_PARTY_RATIO",
    "Single guaranteed party concentration",
    "单一客户担保集中度",
    FGC,
    1,
    ["FGC_LARGEST_PARTY_BALANCE"],
    ["FGC_NET_ASSETS"],
  ),
  ratio(
    "FGC_CLASS1_RATIO",
    "Class I assets ratio",
    "I级资产比例",
    FGC,
    -1,
    ["FGC_CLASS1_ASSETS", "-FGC_CLASS1_DEDUCTIONS"],
    ["FGC_TOTAL_ASSETS", "-FGC_COMPENSATION_RECEIVABLE"],
  ),
  // Trading venues.
  growth(
    "VEN_MARGIN_GROWTH_3M",
    "Margin balance growth over 3 months",
    "保证金3个月增长率",
    VEN,
    1,
    "VEN_MARGIN_BALANCE",
    3,
  ),
];

/** The indicators of one institution type, in catalog order. */
export function indicatorsFor(type: string): IndicatorDef[] {
  return indicatorCatalog.filter((d) => (d.types as readonly string[]).includes(type));
}

/** Every item an indicator reads. */
export function indicatorItems(): ItemCode[] {
  const items = new Set<ItemCode>();
  for (const d of indicatorCatalog) {
    if (d.kind === "growth") items.add(d.item);
    else for (const t of [...d.num, ...d.den]) items.add((t.startsWith("-") ? t.slice(1) : t) as ItemCode);
  }
  return [...items];
}
