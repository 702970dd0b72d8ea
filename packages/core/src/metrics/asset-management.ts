/** Asset-management metrics: one product, and an institution's asset-management business. */
import { ratioMetric } from "./metric.ts";

export const assetManagementMetrics = [
  ratioMetric({
    code: "AMP_LEVERAGE_RATIO",
    zh: "产品负债比例（总资产/净资产）",
    en: "Product leverage (total assets to net assets)",
    formula: "total assets (look-through) / net assets",
    num: ["AMP_TOTAL_ASSETS"],
    den: ["AMP_NET_ASSETS"],
  }),
  ratioMetric({
    code: "AMP_TIERING_RATIO",
    zh: "分级比例（优先级/劣后级）",
    en: "Tiering ratio (priority to subordinated)",
    formula: "priority shares (mezzanine included) / subordinated shares",
    display: "multiple",
    num: ["AMP_PRIORITY_SHARES"],
    den: ["AMP_SUBORDINATED_SHARES"],
  }),
  ratioMetric({
    code: "AMP_SINGLE_SECURITY_SHARE",
    zh: "单只证券市值占产品净资产比例",
    en: "Largest single security to product net assets",
    formula: "market value of the largest single security or fund holding / net assets",
    num: ["AMP_LARGEST_SECURITY_MV"],
    den: ["AMP_NET_ASSETS"],
  }),
  ratioMetric({
    code: "AMM_RISK_RESERVE_ACCRUAL_RATE",
    zh: "风险准备金计提比例",
    en: "Risk reserve accrual rate",
    formula: "risk reserve accrued / management fees (both year to date)",
    num: ["AMM_RISK_RESERVE_ACCRUAL"],
    den: ["AMM_MANAGEMENT_FEES"],
  }),
  ratioMetric({
    code: "AMM_RISK_RESERVE_COVERAGE",
    zh: "风险准备金余额占产品余额比例",
    en: "Risk reserve to products outstanding",
    formula: "risk reserve balance / asset-management products outstanding",
    num: ["AMM_RISK_RESERVE_BALANCE"],
    den: ["AMM_PRODUCT_BALANCE"],
  }),
] as const;
