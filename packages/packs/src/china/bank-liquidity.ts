/** Commercial banks: liquidity ratio, LCR and NSFR (large banks), HQLA adequacy (smaller banks), matching. */
import { dateParam, decimalParam, defineParams, thresholdRule } from "@beacon/core/rules/index";
import { confirmed, LARGE_BANK_ASSETS, minimumParams } from "./common.ts";
import { art, docs } from "./legal-basis.ts";

const liquidityRule = {
  version: 1,
  family: "bank_liquidity",
  severity: "high",
  leadUnit: "cbrc_cq",
  comparator: ">=",
  regulatory: "minimum",
} as const;

export const liquidityRatio = thresholdRule({
  ...liquidityRule,
  id: "cn.bank.liquidity_ratio",
  zh: "流动性比例",
  en: "Liquidity ratio",
  appliesTo: { types: ["bank"] },
  // The 2015 amendment of the Commercial Bank Law took effect on 2015-10-01.
  effective: { from: "2015-10-01" },
  legalBasis: [art(docs.commercialBankLaw, "Art. 39(2)", "第三十九条第（二）项"), docs.liquidity2018],
  params: minimumParams("0.25"),
  metric: "BANK_LIQUIDITY_RATIO",
});

export const liquidityCoverageRatio = thresholdRule({
  ...liquidityRule,
  id: "cn.bank.lcr",
  zh: "流动性覆盖率",
  en: "Liquidity coverage ratio",
  appliesTo: { types: ["bank"], totalAssets: { atLeast: LARGE_BANK_ASSETS } },
  effective: { from: "2018-07-01" },
  legalBasis: [docs.liquidity2018],
  params: minimumParams("1"),
  metric: "BANK_LCR",
});

export const netStableFundingRatio = thresholdRule({
  ...liquidityRule,
  id: "cn.bank.nsfr",
  zh: "净稳定资金比例",
  en: "Net stable funding ratio",
  appliesTo: { types: ["bank"], totalAssets: { atLeast: LARGE_BANK_ASSETS } },
  effective: { from: "2018-07-01" },
  legalBasis: [docs.liquidity2018],
  params: minimumParams("1"),
  metric: "BANK_NSFR",
});

export const hqlaAdequacyRatio = thresholdRule({
  ...liquidityRule,
  id: "cn.bank.hqla_adequacy_ratio",
  zh: "优质流动性资产充足率",
  en: "HQLA adequacy ratio",
  appliesTo: { types: ["bank"], totalAssets: { below: LARGE_BANK_ASSETS } },
  // 80% by the end of 2018, 100% from the end of June 2019.
  effective: { from: "2018-12-31" },
  legalBasis: [docs.liquidity2018],
  params: defineParams({
    minimum: decimalParam("1", confirmed("Regulatory minimum", "监管最低要求")),
    transitionalMinimum: decimalParam("0.8", confirmed("Minimum during the transition", "过渡期最低要求")),
    fullFrom: dateParam(
      "2019-06-30",
      confirmed("First period end the full minimum applies", "全面达标的首个报告期末"),
    ),
  }),
  metric: "BANK_HQLA_ADEQUACY_RATIO",
  regulatory: (p, ctx) =>
    ctx.entity.periodEnd < p.fullFrom
      ? {
          value: p.transitionalMinimum,
          params: ["transitionalMinimum", "fullFrom"],
          qualifier: { en: "during the transition", zh: "过渡期" },
        }
      : { value: p.minimum, params: ["minimum", "fullFrom"] },
});

export const liquidityMatchingRatio = thresholdRule({
  ...liquidityRule,
  id: "cn.bank.liquidity_matching_ratio",
  zh: "流动性匹配率",
  en: "Liquidity matching ratio",
  appliesTo: { types: ["bank"] },
  effective: { from: "2020-01-01" },
  legalBasis: [docs.liquidity2018],
  params: minimumParams("1"),
  metric: "BANK_LIQUIDITY_MATCHING_RATIO",
});

export const bankLiquidityRules = [
  liquidityRatio,
  liquidityCoverageRatio,
  netStableFundingRatio,
  hqlaAdequacyRatio,
  liquidityMatchingRatio,
];
