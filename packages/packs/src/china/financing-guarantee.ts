/** Financing guarantee companies: leverage, concentration, related-party guarantees and asset ratios. */
import { decimalParam, defineParams, prohibitionRule, thresholdRule } from "@beacon/core/rules/index";
import { confirmed, maximumParams, minimumParams, toConfirm } from "./common.ts";
import { art, docs } from "./legal-basis.ts";

const fgcRule = {
  version: 1,
  family: "financing_guarantee",
  severity: "medium",
  appliesTo: { types: ["financing_guarantee"] },
  effective: { from: "2017-10-01" },
  leadUnit: "finance_office",
} as const;

export const guaranteeLeverage = thresholdRule({
  ...fgcRule,
  id: "cn.fgc.leverage",
  zh: "融资担保放大倍数",
  en: "Financing guarantee leverage",
  severity: "high",
  legalBasis: [art(docs.financingGuarantee2017, "Arts. 14-15", "第十四条至第十五条")],
  params: defineParams({
    maximum: decimalParam("10", confirmed("Regulatory maximum", "监管上限")),
    smallFirmFocusMaximum: decimalParam(
      "15",
      confirmed(
        "Maximum for companies mainly serving small firms and agriculture",
        "主要服务小微和“三农”的公司上限",
      ),
    ),
  }),
  metric: "FGC_LEVERAGE",
  comparator: "<=",
  alsoReads: ["FGC_SME_AGRI_FOCUS"],
  regulatory: (p, ctx) =>
    ctx.requireFlag("FGC_SME_AGRI_FOCUS")
      ? {
          value: p.smallFirmFocusMaximum,
          params: ["smallFirmFocusMaximum"],
          qualifier: {
            en: "for companies mainly serving small firms and agriculture",
            zh: "主要服务小微企业和“三农”的公司",
          },
        }
      : { value: p.maximum, params: ["maximum"] },
});

export const singleGuaranteedParty = thresholdRule({
  ...fgcRule,
  id: "cn.fgc.single_party",
  zh: "单一被担保人集中度",
  en: "Single guaranteed party concentration",
  legalBasis: [art(docs.financingGuarantee2017, "Art. 16", "第十六条")],
  params: maximumParams("0.1"),
  metric: "FGC_SINGLE_PARTY_RATIO",
  comparator: "<=",
  regulatory: "maximum",
});

export const singlePartyWithRelated = thresholdRule({
  ...fgcRule,
  id: "cn.fgc.single_party_related",
  zh: "单一被担保人及其关联方集中度",
  en: "Single guaranteed party with related parties",
  legalBasis: [art(docs.financingGuarantee2017, "Art. 16", "第十六条")],
  params: maximumParams("0.15"),
  metric: "FGC_SINGLE_PARTY_RELATED_RATIO",
  comparator: "<=",
  regulatory: "maximum",
});

export const controllerGuarantees = prohibitionRule({
  ...fgcRule,
  id: "cn.fgc.controller_guarantees",
  zh: "为控股股东、实际控制人提供担保",
  en: "Guarantees for the controlling shareholder or actual controller",
  severity: "high",
  legalBasis: [art(docs.financingGuarantee2017, "Art. 17", "第十七条")],
  params: defineParams({}),
  prohibited: ["FGC_CONTROLLER_GUARANTEES"],
  notes: [
    "Guarantees to other related parties must be on terms no better than for unrelated parties and reported within 30 days: record-level checks.",
  ],
});

const assetRatioRule = {
  ...fgcRule,
  // The digest gives no effective date: start of the document's year.
  effective: { from: "2018-01-01" },
  legalBasis: [docs.guaranteeAssetRatios2018],
} as const;

export const classOneAssets = thresholdRule({
  ...assetRatioRule,
  id: "cn.fgc.class1_assets",
  zh: "Ⅰ级资产比例",
  en: "Class I asset ratio",
  params: minimumParams("0.2", toConfirm("Regulatory minimum", "监管最低要求", "20% per [S21] S*.")),
  metric: "FGC_CLASS1_RATIO",
  comparator: ">=",
  regulatory: "minimum",
});

export const classOneTwoAssets = thresholdRule({
  ...assetRatioRule,
  id: "cn.fgc.class12_assets",
  zh: "Ⅰ级、Ⅱ级资产比例",
  en: "Class I and II asset ratio",
  params: minimumParams(
    "0.7",
    toConfirm("Regulatory minimum", "监管最低要求", "70% is unverified (U); one quiz shows 60%."),
  ),
  metric: "FGC_CLASS12_RATIO",
  comparator: ">=",
  regulatory: "minimum",
});

export const classThreeAssets = thresholdRule({
  ...assetRatioRule,
  id: "cn.fgc.class3_assets",
  zh: "Ⅲ级资产比例",
  en: "Class III asset ratio",
  params: maximumParams("0.3", toConfirm("Regulatory maximum", "监管上限", "30% per [S21] S*.")),
  metric: "FGC_CLASS3_RATIO",
  comparator: "<=",
  regulatory: "maximum",
});

export const financingGuaranteeRules = [
  guaranteeLeverage,
  singleGuaranteedParty,
  singlePartyWithRelated,
  controllerGuarantees,
  classOneAssets,
  classOneTwoAssets,
  classThreeAssets,
];
