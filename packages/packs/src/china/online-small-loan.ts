/**
 * Online small-loan companies, under the 2020 draft measures (no final text found, so every number is a
 * parameter to confirm). Leverage is covered by the small-loan rules, which apply to online companies too.
 */
import { decimalParam, defineParams, prohibitionRule, thresholdRule } from "@beacon/core/rules/index";
import { toConfirm } from "./common.ts";
import { art, docs } from "./legal-basis.ts";

const draft = (en: string, zh: string) =>
  toConfirm(en, zh, "2020 draft measures; no final version found (U).");

const oslRule = {
  version: 1,
  family: "online_small_loan",
  severity: "medium",
  appliesTo: { types: ["online_small_loan"] },
  effective: { from: "2020-11-02" },
  leadUnit: "finance_office",
} as const;

export const jointLendingShare = thresholdRule({
  ...oslRule,
  id: "cn.osl.joint_lending_share",
  zh: "联合贷款出资比例",
  en: "Own contribution to joint loans",
  appliesTo: {
    ...oslRule.appliesTo,
    activity: { item: "OSL_JOINT_LOANS_TOTAL", en: "companies with joint loans", zh: "开展联合贷款的公司" },
  },
  legalBasis: [docs.onlineSmallLoan2020],
  params: defineParams({ minimum: decimalParam("0.3", draft("Minimum own share", "最低出资比例")) }),
  metric: "OSL_JOINT_LENDING_SHARE",
  comparator: ">=",
  regulatory: "minimum",
  notes: [
    "The draft requires 30% of each joint loan; the aggregate share below 30% proves a breach, the per-loan test is record-level.",
  ],
});

export const naturalPersonCap = thresholdRule({
  ...oslRule,
  id: "cn.osl.natural_person_cap",
  zh: "单户自然人贷款余额上限",
  en: "Natural-person balance cap",
  legalBasis: [art(docs.onlineSmallLoan2020, "Art. 13", "第十三条")],
  params: defineParams({
    maximum: decimalParam("300000", draft("Cap per natural person (CNY)", "单户自然人上限（元）")),
  }),
  metric: "OSL_MAX_NATURAL_PERSON_BALANCE",
  comparator: "<=",
  regulatory: "maximum",
  notes: [
    "The cap is also one third of the borrower's average annual income over 3 years, whichever is lower: a record-level check joining loans to income.",
    "The later NFRA measures set RMB 200k for consumer loans and RMB 10m for business loans; switch once confirmed.",
  ],
});

export const legalPersonCap = thresholdRule({
  ...oslRule,
  id: "cn.osl.legal_person_cap",
  zh: "单户法人贷款余额上限",
  en: "Legal-person balance cap",
  legalBasis: [art(docs.onlineSmallLoan2020, "Art. 13", "第十三条")],
  params: defineParams({
    maximum: decimalParam(
      "1000000",
      draft("Cap per legal person with related parties (CNY)", "单户法人及其关联方上限（元）"),
    ),
  }),
  metric: "OSL_MAX_LEGAL_PERSON_BALANCE",
  comparator: "<=",
  regulatory: "maximum",
});

export const registeredCapital = thresholdRule({
  ...oslRule,
  id: "cn.osl.registered_capital",
  zh: "网络小额贷款公司注册资本",
  en: "Paid-in registered capital",
  severity: "high",
  legalBasis: [docs.onlineSmallLoan2020],
  params: defineParams({
    minimum: decimalParam("1000000000", draft("Minimum paid-in capital (CNY)", "最低实缴注册资本（元）")),
    crossProvinceMinimum: decimalParam(
      "5000000000",
      draft("Minimum paid-in capital for cross-province business (CNY)", "跨省经营最低实缴注册资本（元）"),
    ),
  }),
  metric: "OSL_PAID_IN_CAPITAL",
  comparator: ">=",
  alsoReads: ["OSL_CROSS_PROVINCE"],
  regulatory: (p, ctx) =>
    ctx.requireFlag("OSL_CROSS_PROVINCE")
      ? {
          value: p.crossProvinceMinimum,
          params: ["crossProvinceMinimum"],
          qualifier: { en: "for cross-province business", zh: "跨省经营" },
        }
      : { value: p.minimum, params: ["minimum"] },
  notes: ["The draft also requires payment in one instalment; that is a registry fact, not checked here."],
});

export const crossProvinceApproval = prohibitionRule({
  ...oslRule,
  id: "cn.osl.cross_province_approval",
  zh: "未经批准跨省经营",
  en: "Cross-province business without approval",
  legalBasis: [docs.onlineSmallLoan2020],
  params: defineParams({}),
  prohibited: ["OSL_FLAG_UNAPPROVED_CROSS_PROVINCE"],
});

export const onlineSmallLoanRules = [
  jointLendingShare,
  naturalPersonCap,
  legalPersonCap,
  registeredCapital,
  crossProvinceApproval,
];
