/**
 * Securities firms: risk control indicators. "Not lower than" limits warn at 120% of the limit and
 * "not higher than" limits at 80% (the 80% figure is verified for futures firms only, so it is a
 * parameter to confirm for securities firms).
 */
import type { ItemCode } from "@beacon/core/contract/items";
import { dec, mul } from "@beacon/core/metrics/decimal";
import type { MetricCode } from "@beacon/core/metrics/index";
import {
  type Bilingual,
  decimalParam,
  defineParams,
  type LegalBasis,
  type Severity,
  thresholdRule,
} from "@beacon/core/rules/index";
import { confirmed, toConfirm } from "./common.ts";
import { docs } from "./legal-basis.ts";

type Described = ReturnType<typeof confirmed>;

interface SecuritiesLimit {
  id: string;
  name: Bilingual;
  metric: MetricCode | ItemCode;
  limit: string;
  status: Described;
  basis?: LegalBasis;
  severity?: Severity;
}

const warningDescription = {
  min: confirmed("Warning line as a multiple of the limit", "预警标准（规定标准的倍数）"),
  max: toConfirm(
    "Warning line as a multiple of the limit",
    "预警标准（规定标准的倍数）",
    "80% is verified for futures firms only [S16].",
  ),
};

function securitiesRule(direction: "min" | "max", spec: SecuritiesLimit) {
  return thresholdRule({
    id: spec.id,
    version: 1,
    zh: spec.name.zh,
    en: spec.name.en,
    family: "securities",
    severity: spec.severity ?? "medium",
    appliesTo: { types: ["securities_firm"] },
    // The 2016 revision of the measures took effect on 2016-10-01.
    effective: { from: "2016-10-01" },
    legalBasis: [spec.basis ?? docs.securitiesRiskControl],
    leadUnit: "csrc_cq",
    params: defineParams({
      limit: decimalParam(spec.limit, spec.status),
      warningFactor: decimalParam(direction === "min" ? "1.2" : "0.8", warningDescription[direction]),
    }),
    metric: spec.metric,
    comparator: direction === "min" ? ">=" : "<=",
    regulatory: "limit",
    warning: (p) => ({ value: mul(dec(p.limit), dec(p.warningFactor)), params: ["limit", "warningFactor"] }),
  });
}

const core = confirmed("Regulatory standard", "规定标准");
const weak = (note: string) => toConfirm("Regulatory standard", "规定标准", note);

export const riskCoverageRatio = securitiesRule("min", {
  id: "cn.sec.risk_coverage_ratio",
  name: { en: "Risk coverage ratio", zh: "风险覆盖率" },
  metric: "SEC_RISK_COVERAGE_RATIO",
  limit: "1",
  status: core,
  severity: "high",
});

export const capitalLeverageRatio = securitiesRule("min", {
  id: "cn.sec.capital_leverage_ratio",
  name: { en: "Capital leverage ratio", zh: "资本杠杆率" },
  metric: "SEC_CAPITAL_LEVERAGE_RATIO",
  limit: "0.08",
  status: core,
  severity: "high",
});

export const liquidityCoverageRatio = securitiesRule("min", {
  id: "cn.sec.lcr",
  name: { en: "Liquidity coverage ratio", zh: "流动性覆盖率" },
  metric: "SEC_LCR",
  limit: "1",
  status: core,
  severity: "high",
});

export const netStableFundingRatio = securitiesRule("min", {
  id: "cn.sec.nsfr",
  name: { en: "Net stable funding ratio", zh: "净稳定资金率" },
  metric: "SEC_NSFR",
  limit: "1",
  status: core,
  severity: "high",
});

export const netCapitalToNetAssets = securitiesRule("min", {
  id: "cn.sec.net_capital_to_net_assets",
  name: { en: "Net capital to net assets", zh: "净资本与净资产的比例" },
  metric: "SEC_NET_CAPITAL_TO_NET_ASSETS",
  limit: "0.2",
  status: weak("20% after the 2016 revision is unverified (U); the 2008 rules had 40% (S*)."),
});

export const netCapitalToLiabilities = securitiesRule("min", {
  id: "cn.sec.net_capital_to_liabilities",
  name: { en: "Net capital to liabilities", zh: "净资本与负债的比例" },
  metric: "SEC_NET_CAPITAL_TO_LIABILITIES",
  limit: "0.08",
  status: weak("8% is from the 2008 text [S16] S*."),
});

export const netAssetsToLiabilities = securitiesRule("min", {
  id: "cn.sec.net_assets_to_liabilities",
  name: { en: "Net assets to liabilities", zh: "净资产与负债的比例" },
  metric: "SEC_NET_ASSETS_TO_LIABILITIES",
  limit: "0.1",
  status: confirmed("Regulatory standard", "规定标准", "10% per China Daily on the 2016 draft [S16] S."),
});

export const proprietaryEquity = securitiesRule("max", {
  id: "cn.sec.proprietary_equity",
  name: {
    en: "Proprietary equity and derivatives to net capital",
    zh: "自营权益类证券及其衍生品与净资本的比例",
  },
  metric: "SEC_PROP_EQUITY_RATIO",
  limit: "1",
  status: weak("100% per [S16] S*."),
  basis: docs.securitiesCalculation,
});

export const proprietaryNonEquity = securitiesRule("max", {
  id: "cn.sec.proprietary_non_equity",
  name: {
    en: "Proprietary non-equity holdings to net capital",
    zh: "自营非权益类证券及其衍生品与净资本的比例",
  },
  metric: "SEC_PROP_NON_EQUITY_RATIO",
  limit: "5",
  status: weak("500% per [S16] S*."),
  basis: docs.securitiesCalculation,
});

export const singleEquityCost = securitiesRule("max", {
  id: "cn.sec.single_equity_cost",
  name: { en: "Single equity holding at cost to net capital", zh: "持有单一权益类证券成本与净资本的比例" },
  metric: "SEC_SINGLE_EQUITY_COST_RATIO",
  limit: "0.3",
  status: weak("30% per [S16] S*."),
  basis: docs.securitiesCalculation,
});

export const singleEquityIssuerShare = securitiesRule("max", {
  id: "cn.sec.single_equity_issuer_share",
  name: { en: "Single equity holding to issuer market value", zh: "持有单一权益类证券市值与其总市值的比例" },
  metric: "SEC_MAX_EQUITY_ISSUER_SHARE",
  limit: "0.05",
  status: weak("5% per [S16] S*; underwriting positions are excepted, which the reported item must reflect."),
  basis: docs.securitiesCalculation,
});

export const marginSingleClient = securitiesRule("max", {
  id: "cn.sec.margin_single_client",
  name: {
    en: "Margin business with a single client to net capital",
    zh: "单一客户融资融券规模与净资本的比例",
  },
  metric: "SEC_MARGIN_SINGLE_CLIENT_RATIO",
  limit: "0.05",
  status: weak("5% per [S17] S*."),
  basis: docs.securitiesCalculation,
});

export const marginSingleCollateral = securitiesRule("max", {
  id: "cn.sec.margin_single_collateral",
  name: { en: "Single collateral stock to its market value", zh: "单一担保证券市值与其总市值的比例" },
  metric: "SEC_MAX_COLLATERAL_STOCK_SHARE",
  limit: "0.2",
  status: weak("20% per [S17] S*."),
  basis: docs.securitiesCalculation,
});

export const marginTotal = thresholdRule({
  id: "cn.sec.margin_total",
  version: 1,
  zh: "融资融券业务规模与净资本的倍数",
  en: "Total margin business to net capital",
  family: "securities",
  severity: "medium",
  appliesTo: { types: ["securities_firm"] },
  effective: { from: "2015-01-01" },
  legalBasis: [docs.marginTrading2015],
  leadUnit: "csrc_cq",
  params: defineParams({
    maximum: decimalParam(
      "4",
      toConfirm("Regulatory maximum", "监管上限", "4x is unverified in the digest (U)."),
    ),
  }),
  metric: "SEC_MARGIN_TOTAL_MULTIPLE",
  comparator: "<=",
  regulatory: "maximum",
  notes: ["Initial and maintenance margin ratios are investor-level rules for record-level detectors."],
});

export const securitiesRules = [
  riskCoverageRatio,
  capitalLeverageRatio,
  liquidityCoverageRatio,
  netStableFundingRatio,
  netCapitalToNetAssets,
  netCapitalToLiabilities,
  netAssetsToLiabilities,
  proprietaryEquity,
  proprietaryNonEquity,
  singleEquityCost,
  singleEquityIssuerShare,
  marginSingleClient,
  marginSingleCollateral,
  marginTotal,
];
