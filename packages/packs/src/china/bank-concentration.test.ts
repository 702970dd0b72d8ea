import { describe } from "vitest";
import {
  interbankLendingToOne,
  interbankLiabilities,
  largeExposureInterbank,
  largeExposureNonbankGroup,
  largeExposureNonbankSingle,
  mortgageShare,
  realEstateLoanShare,
  relatedPartyCredit,
  singleCustomerLoans,
  singleGroupCredit,
} from "./bank-concentration.ts";
import { entity, table } from "./test-helpers.ts";

const law = {
  en: "Commercial Bank Law, NPC Standing Committee, 2015, Art. 39(3)",
  zh: "《商业银行法》，全国人民代表大会常务委员会，2015年，第三十九条第（三）项",
};
const core = {
  en: "Core Indicators for the Risk Supervision of Commercial Banks (Trial), CBRC, 2005",
  zh: "《商业银行风险监管核心指标（试行）》，中国银监会，2005年",
};
const le = {
  en: "Measures for the Management of Large Exposures of Commercial Banks, CBIRC, 2018",
  zh: "《商业银行大额风险暴露管理办法》，中国银保监会，2018年",
};
const interbank = {
  en: "Notice on Regulating the Interbank Business of Financial Institutions, PBoC, CBRC, CSRC, CIRC, SAFE, 2014",
  zh: "《关于规范金融机构同业业务的通知》，中国人民银行、中国银监会、中国证监会、中国保监会、国家外汇管理局，2014年，银发〔2014〕127号",
};
const re = {
  en: "Notice on Establishing a Concentration Management System for Real-Estate Loans of Banking Financial Institutions, PBoC, CBIRC, 2020",
  zh: "《关于建立银行业金融机构房地产贷款集中度管理制度的通知》，中国人民银行、中国银保监会，2020年",
};
const provisional = { en: " [Threshold provisional: to be confirmed.]", zh: "〔阈值待确认〕" };

/** Net capital 1,000 (total capital 1,050 less 50 deductions), tier 1 net 800. */
const capital = {
  BANK_TOTAL_CAPITAL: "1050",
  BANK_TOTAL_CAPITAL_DEDUCTIONS: "50",
  BANK_TIER1_CAPITAL: "820",
  BANK_TIER1_DEDUCTIONS: "20",
};

describe("cn.bank.single_customer_loans", () => {
  table(singleCustomerLoans, [
    {
      name: "exactly 10% of net capital passes",
      input: entity("bank", { ...capital, BANK_LARGEST_CUSTOMER_LOANS: "100" }),
      kind: "pass",
      en: `Single-customer loan concentration 10.00% is within the regulatory maximum 10.00% (${law.en}).`,
      zh: `单一客户贷款集中度为10.00%，不高于监管上限10.00%（${law.zh}）。`,
    },
    {
      name: "above 10% breaches",
      input: entity("bank", { ...capital, BANK_LARGEST_CUSTOMER_LOANS: "120" }),
      kind: "breach_regulatory",
      en: `Single-customer loan concentration 12.00% exceeds the regulatory maximum 10.00% (${law.en}).`,
      zh: `单一客户贷款集中度为12.00%，高于监管上限10.00%（${law.zh}）。`,
    },
    {
      name: "loans against negative net capital breach",
      input: entity("bank", {
        ...capital,
        BANK_TOTAL_CAPITAL_DEDUCTIONS: "1100",
        BANK_LARGEST_CUSTOMER_LOANS: "1",
      }),
      kind: "breach_regulatory",
      en: `Single-customer loan concentration has a negative denominator (RMB -50.00) against a numerator of RMB 1.00, which is treated as exceeding the regulatory maximum 10.00% (${law.en}).`,
      zh: `单一客户贷款集中度的分母为-50.00元（负数），分子为1.00元，视为高于监管上限10.00%（${law.zh}）。`,
    },
  ]);
});

describe("group, related-party and large-exposure limits", () => {
  table(singleGroupCredit, [
    {
      name: "group credit above 15%",
      input: entity("bank", { ...capital, BANK_LARGEST_GROUP_CREDIT: "151" }),
      kind: "breach_regulatory",
      en: `Single group-customer credit concentration 15.10% exceeds the regulatory maximum 15.00% (${core.en}).`,
      zh: `单一集团客户授信集中度为15.10%，高于监管上限15.00%（${core.zh}）。`,
    },
  ]);
  table(relatedPartyCredit, [
    {
      name: "related parties within 50%, threshold to confirm",
      input: entity("bank", { ...capital, BANK_RELATED_PARTY_CREDIT: "500" }),
      kind: "pass",
      en: `Related-party credit ratio 50.00% is within the regulatory maximum 50.00% (${core.en}).${provisional.en}`,
      zh: `全部关联度为50.00%，不高于监管上限50.00%（${core.zh}）。${provisional.zh}`,
    },
  ]);
  table(largeExposureNonbankSingle, [
    {
      name: "single non-interbank exposure above 15% of tier 1",
      input: entity("bank", { ...capital, BANK_LE_NONBANK_SINGLE: "121" }),
      kind: "breach_regulatory",
      en: `Largest non-interbank single exposure to tier 1 capital 15.13% exceeds the regulatory maximum 15.00% (${le.en}).`,
      zh: `非同业单一客户风险暴露占一级资本净额比例为15.13%，高于监管上限15.00%（${le.zh}）。`,
    },
  ]);
  table(largeExposureNonbankGroup, [
    {
      name: "group exposure exactly 20% (to confirm)",
      input: entity("bank", { ...capital, BANK_LE_NONBANK_GROUP: "160" }),
      kind: "pass",
      en: `Largest non-interbank group exposure to tier 1 capital 20.00% is within the regulatory maximum 20.00% (${le.en}).${provisional.en}`,
      zh: `非同业关联客户风险暴露占一级资本净额比例为20.00%，不高于监管上限20.00%（${le.zh}）。${provisional.zh}`,
    },
  ]);
  table(largeExposureInterbank, [
    {
      name: "interbank exposure above 25%",
      input: entity("bank", { ...capital, BANK_LE_INTERBANK_SINGLE: "240" }),
      kind: "breach_regulatory",
      en: `Largest interbank exposure to tier 1 capital 30.00% exceeds the regulatory maximum 25.00% (${le.en}).`,
      zh: `同业单一客户风险暴露占一级资本净额比例为30.00%，高于监管上限25.00%（${le.zh}）。`,
    },
    {
      name: "during the transition",
      input: entity("bank", { ...capital, BANK_LE_INTERBANK_SINGLE: "240" }, { period: "2020-12" }),
      kind: "not_applicable",
      en: "Not applicable: the rule is in force from 2021-07-01; period 2020-12 ends 2020-12-31.",
      zh: "不适用：本规则自2021-07-01起施行，报告期2020-12截至2020-12-31。",
    },
  ]);
});

describe("interbank limits", () => {
  table(interbankLiabilities, [
    {
      name: "exactly one third passes",
      input: entity("bank", { BANK_INTERBANK_LIABILITIES: "100", BANK_TOTAL_LIABILITIES: "300" }),
      kind: "pass",
      en: `Interbank liabilities to total liabilities 33.33% is within the regulatory maximum 33.33% (${interbank.en}).`,
      zh: `同业融入资金占负债总额比例为33.33%，不高于监管上限33.33%（${interbank.zh}）。`,
    },
    {
      name: "a hair above one third breaches",
      input: entity("bank", { BANK_INTERBANK_LIABILITIES: "100.001", BANK_TOTAL_LIABILITIES: "300" }),
      kind: "breach_regulatory",
      en: `Interbank liabilities to total liabilities 33.334% exceeds the regulatory maximum 33.333% (${interbank.en}).`,
      zh: `同业融入资金占负债总额比例为33.334%，高于监管上限33.333%（${interbank.zh}）。`,
    },
  ]);
  table(interbankLendingToOne, [
    {
      name: "zero-risk-weight assets are deducted",
      input: entity("bank", {
        ...capital,
        BANK_LARGEST_INTERBANK_LENDING: "500",
        BANK_LARGEST_INTERBANK_LENDING_ZERO_RW: "100",
      }),
      kind: "pass",
      en: `Interbank lending to one institution to tier 1 capital 50.00% is within the regulatory maximum 50.00% (${interbank.en}).`,
      zh: `单一金融机构同业融出资金占一级资本比例为50.00%，不高于监管上限50.00%（${interbank.zh}）。`,
    },
  ]);
});

describe("real-estate concentration by tier", () => {
  const bank = (tier: 1 | 2 | 3 | 4 | 5 | undefined, reLoans: string, mortgages = "0") =>
    entity(
      "bank",
      { BANK_RE_LOANS: reLoans, BANK_MORTGAGE_LOANS: mortgages, BANK_RMB_LOANS: "1000" },
      tier === undefined ? {} : { bankTier: tier },
    );
  table(realEstateLoanShare, [
    {
      name: "tier 1 at 40% passes",
      input: bank(1, "400"),
      kind: "pass",
      en: `Real-estate loan share 40.00% is within the regulatory maximum 40.00% for tier 1 banks (${re.en}).`,
      zh: `房地产贷款占比为40.00%，不高于第一档银行监管上限40.00%（${re.zh}）。`,
    },
    {
      name: "the same share breaches for a tier 2 bank",
      input: bank(2, "400"),
      kind: "breach_regulatory",
      en: `Real-estate loan share 40.00% exceeds the regulatory maximum 27.50% for tier 2 banks (${re.en}).`,
      zh: `房地产贷款占比为40.00%，高于第二档银行监管上限27.50%（${re.zh}）。`,
    },
    {
      name: "tier 5 cap is to be confirmed",
      input: bank(5, "130"),
      kind: "breach_regulatory",
      en: `Real-estate loan share 13.00% exceeds the regulatory maximum 12.50% for tier 5 banks (${re.en}).${provisional.en}`,
      zh: `房地产贷款占比为13.00%，高于第五档银行监管上限12.50%（${re.zh}）。${provisional.zh}`,
    },
    {
      name: "a bank without a tier",
      input: bank(undefined, "130"),
      kind: "not_computable",
      en: "Real-estate loan concentration cannot be assessed: missing bankTier (bank tier in the registry).",
      zh: "房地产贷款占比无法评估：缺少bankTier（登记的银行档次）。",
    },
  ]);
  table(mortgageShare, [
    {
      name: "tier 3 mortgages above 17.5%",
      input: bank(3, "200", "180"),
      kind: "breach_regulatory",
      en: `Personal mortgage share 18.00% exceeds the regulatory maximum 17.50% for tier 3 banks (${re.en}).`,
      zh: `个人住房贷款占比为18.00%，高于第三档银行监管上限17.50%（${re.zh}）。`,
    },
  ]);
});
