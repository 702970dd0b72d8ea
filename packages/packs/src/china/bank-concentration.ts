/** Commercial banks: credit concentration, large exposures, interbank limits, real-estate concentration. */
import type { BankTier } from "@beacon/core/contract/institution-types";
import { decimalParam, defineParams, thresholdRule } from "@beacon/core/rules/index";
import { confirmed, maximumParams, tierQualifier, toConfirm } from "./common.ts";
import { art, docs } from "./legal-basis.ts";

const concentrationRule = {
  version: 1,
  family: "bank_concentration",
  severity: "medium",
  appliesTo: { types: ["bank"] },
  leadUnit: "cbrc_cq",
  comparator: "<=",
  regulatory: "maximum",
} as const;

export const singleCustomerLoans = thresholdRule({
  ...concentrationRule,
  id: "cn.bank.single_customer_loans",
  zh: "单一客户贷款集中度",
  en: "Single-customer loan concentration",
  effective: { from: "2015-10-01" },
  legalBasis: [art(docs.commercialBankLaw, "Art. 39(3)", "第三十九条第（三）项"), docs.coreIndicators],
  params: maximumParams("0.1"),
  metric: "BANK_SINGLE_CUSTOMER_RATIO",
});

export const singleGroupCredit = thresholdRule({
  ...concentrationRule,
  id: "cn.bank.single_group_credit",
  zh: "单一集团客户授信集中度",
  en: "Single group-customer credit concentration",
  effective: { from: "2006-01-01" },
  legalBasis: [docs.coreIndicators],
  params: maximumParams("0.15"),
  metric: "BANK_SINGLE_GROUP_RATIO",
});

export const relatedPartyCredit = thresholdRule({
  ...concentrationRule,
  id: "cn.bank.related_party_credit",
  zh: "全部关联度",
  en: "Related-party credit ratio",
  effective: { from: "2006-01-01" },
  legalBasis: [{ ...docs.coreIndicators, status: "S*" }],
  params: maximumParams(
    "0.5",
    toConfirm("Regulatory maximum", "监管上限", "50% found only on exam and Q&A sites [S12] S*."),
  ),
  metric: "BANK_RELATED_PARTY_RATIO",
});

export const largeExposureNonbankSingle = thresholdRule({
  ...concentrationRule,
  id: "cn.bank.large_exposure_nonbank_single",
  zh: "非同业单一客户大额风险暴露",
  en: "Large exposure to a single non-interbank customer",
  effective: { from: "2018-07-01" },
  legalBasis: [docs.largeExposures2018],
  params: maximumParams("0.15"),
  metric: "BANK_LE_NONBANK_SINGLE_RATIO",
});

export const largeExposureNonbankGroup = thresholdRule({
  ...concentrationRule,
  id: "cn.bank.large_exposure_nonbank_group",
  zh: "非同业关联客户大额风险暴露",
  en: "Large exposure to a group of connected non-interbank customers",
  effective: { from: "2018-07-01" },
  legalBasis: [{ ...docs.largeExposures2018, status: "U" }],
  params: maximumParams(
    "0.2",
    toConfirm("Regulatory maximum", "监管上限", "20% is unverified in the digest (U)."),
  ),
  metric: "BANK_LE_NONBANK_GROUP_RATIO",
});

export const largeExposureInterbank = thresholdRule({
  ...concentrationRule,
  id: "cn.bank.large_exposure_interbank",
  zh: "同业单一客户大额风险暴露",
  en: "Large exposure to a single interbank counterparty",
  // The measures (2018-07-01) gave this limit a 3-year transition.
  effective: { from: "2021-07-01" },
  legalBasis: [docs.largeExposures2018],
  params: maximumParams("0.25"),
  metric: "BANK_LE_INTERBANK_RATIO",
  notes: [
    "Assessed from 2021-07-01, the end of the 3-year transition counted from 2018-07-01; confirm the date.",
  ],
});

export const interbankLiabilities = thresholdRule({
  ...concentrationRule,
  id: "cn.bank.interbank_liabilities",
  zh: "同业融入资金占比",
  en: "Interbank funding share",
  // The digest gives no effective date: start of the document's year.
  effective: { from: "2014-01-01" },
  legalBasis: [docs.interbank2014],
  params: maximumParams("1/3"),
  metric: "BANK_INTERBANK_LIABILITY_RATIO",
});

export const interbankLendingToOne = thresholdRule({
  ...concentrationRule,
  id: "cn.bank.interbank_lending_single",
  zh: "单一金融机构同业融出资金集中度",
  en: "Interbank lending to one institution",
  effective: { from: "2014-01-01" },
  legalBasis: [docs.interbank2014],
  params: maximumParams("0.5"),
  metric: "BANK_INTERBANK_LENDING_RATIO",
});

/** Five tier caps; tiers 4 and 5 come from a weak source. */
function tierCaps(caps: readonly [string, string, string, string, string], what: { en: string; zh: string }) {
  const cap = (tier: BankTier, value: string) =>
    decimalParam(
      value,
      tier <= 3
        ? confirmed(`${what.en}, tier ${tier}`, `${what.zh}（第${tier}档）`)
        : toConfirm(
            `${what.en}, tier ${tier}`,
            `${what.zh}（第${tier}档）`,
            `Tier ${tier} caps are S* in the digest [S15].`,
          ),
    );
  return defineParams({
    tier1: cap(1, caps[0]),
    tier2: cap(2, caps[1]),
    tier3: cap(3, caps[2]),
    tier4: cap(4, caps[3]),
    tier5: cap(5, caps[4]),
  });
}

const realEstateRule = {
  ...concentrationRule,
  appliesTo: { types: ["bank"], bankTiers: [1, 2, 3, 4, 5] },
  effective: { from: "2021-01-01" },
  legalBasis: [docs.realEstate2020],
  regulatory: (p: Record<`tier${BankTier}`, string>, ctx: { entity: { bankTier: BankTier | undefined } }) => {
    const tier = ctx.entity.bankTier!;
    return { value: p[`tier${tier}`], params: [`tier${tier}`], qualifier: tierQualifier(tier) };
  },
  notes: ["The tier is registry data (EntityInput.bankTier); banks without one are not computable."],
} as const;

export const realEstateLoanShare = thresholdRule({
  ...realEstateRule,
  id: "cn.bank.real_estate_loan_share",
  zh: "房地产贷款占比",
  en: "Real-estate loan concentration",
  params: tierCaps(["0.4", "0.275", "0.225", "0.175", "0.125"], {
    en: "Real-estate loan cap",
    zh: "房地产贷款占比上限",
  }),
  metric: "BANK_RE_LOAN_RATIO",
});

export const mortgageShare = thresholdRule({
  ...realEstateRule,
  id: "cn.bank.mortgage_share",
  zh: "个人住房贷款占比",
  en: "Personal mortgage concentration",
  params: tierCaps(["0.325", "0.2", "0.175", "0.125", "0.075"], {
    en: "Personal mortgage cap",
    zh: "个人住房贷款占比上限",
  }),
  metric: "BANK_MORTGAGE_RATIO",
});

export const bankConcentrationRules = [
  singleCustomerLoans,
  singleGroupCredit,
  relatedPartyCredit,
  largeExposureNonbankSingle,
  largeExposureNonbankGroup,
  largeExposureInterbank,
  interbankLiabilities,
  interbankLendingToOne,
  realEstateLoanShare,
  mortgageShare,
];
