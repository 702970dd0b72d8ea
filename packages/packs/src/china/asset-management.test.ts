import type { ProductProfile } from "@beacon/core/contract/items";
import { describe } from "vitest";
import {
  allProductsFloatShare,
  closedEndTerm,
  nestingDepth,
  pledgedProductShares,
  priorityTrancheGuarantee,
  productLeverage,
  rigidRedemption,
  riskReserve,
  singleAssetInvestment,
  singleSecurity,
  tieringBan,
  tieringRatio,
} from "./asset-management.ts";
import { entity, PRODUCT_CODE, table } from "./test-helpers.ts";

const opinions = {
  en: "Guiding Opinions on Regulating the Asset Management Business of Financial Institutions, PBoC, CBIRC, CSRC, SAFE, 2018",
  zh: "《关于规范金融机构资产管理业务的指导意见》，中国人民银行、中国银保监会、中国证监会、国家外汇管理局，2018年，银发〔2018〕106号",
};
const at = (en: string, zh: string) => ({ en: `${opinions.en}, ${en}`, zh: `${opinions.zh}，${zh}` });

const openPublic: ProductProfile = {
  offering: "public",
  structure: "open_ended",
  tiered: false,
  assetClass: "equity",
};
const closedPublic: ProductProfile = { ...openPublic, structure: "closed_ended" };
const plainPrivate: ProductProfile = { ...openPublic, offering: "private", structure: "closed_ended" };
const tieredPrivate: ProductProfile = { ...plainPrivate, tiered: true };

function product(profile: ProductProfile | undefined, facts: Record<string, string>) {
  return entity("am_product", facts, { institution: PRODUCT_CODE, ...(profile ? { product: profile } : {}) });
}
const leverage = (profile: ProductProfile | undefined, total: string) =>
  product(profile, { AMP_TOTAL_ASSETS: total, AMP_NET_ASSETS: "100" });

describe("cn.amp.leverage by product form", () => {
  const art = at("Arts. 20-21", "第二十条至第二十一条");
  table(productLeverage, [
    {
      name: "open-ended public at exactly 140%",
      input: leverage(openPublic, "140"),
      kind: "pass",
      en: `Product leverage (total assets to net assets) 140.00% is within the regulatory maximum 140.00% for open-ended public products (${art.en}).`,
      zh: `产品负债比例（总资产/净资产）为140.00%，不高于开放式公募产品监管上限140.00%（${art.zh}）。`,
    },
    {
      name: "open-ended public above 140%",
      input: leverage(openPublic, "150"),
      kind: "breach_regulatory",
      en: `Product leverage (total assets to net assets) 150.00% exceeds the regulatory maximum 140.00% for open-ended public products (${art.en}).`,
      zh: `产品负债比例（总资产/净资产）为150.00%，高于开放式公募产品监管上限140.00%（${art.zh}）。`,
    },
    {
      name: "closed-ended public may reach 200%",
      input: leverage(closedPublic, "150"),
      kind: "pass",
      en: `Product leverage (total assets to net assets) 150.00% is within the regulatory maximum 200.00% for closed-ended public products (${art.en}).`,
      zh: `产品负债比例（总资产/净资产）为150.00%，不高于封闭式公募产品监管上限200.00%（${art.zh}）。`,
    },
    {
      name: "non-tiered private above 200%",
      input: leverage(plainPrivate, "201"),
      kind: "breach_regulatory",
      en: `Product leverage (total assets to net assets) 201.00% exceeds the regulatory maximum 200.00% for non-tiered private products (${art.en}).`,
      zh: `产品负债比例（总资产/净资产）为201.00%，高于非分级私募产品监管上限200.00%（${art.zh}）。`,
    },
    {
      name: "tiered private above 140%",
      input: leverage(tieredPrivate, "150"),
      kind: "breach_regulatory",
      en: `Product leverage (total assets to net assets) 150.00% exceeds the regulatory maximum 140.00% for tiered private products (${art.en}).`,
      zh: `产品负债比例（总资产/净资产）为150.00%，高于分级私募产品监管上限140.00%（${art.zh}）。`,
    },
    {
      name: "no product profile in the registry",
      input: leverage(undefined, "150"),
      kind: "not_computable",
      en: "Asset-management product leverage cannot be assessed: missing productProfile (product profile in the registry).",
      zh: "资管产品负债比例无法评估：缺少productProfile（登记的产品要素）。",
    },
    {
      name: "an institution is not a product",
      input: entity("trust", {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers Asset-management product; the entity's type is Trust company.",
      zh: "不适用：本规则适用于资管产品，该主体为信托公司。",
    },
  ]);
});

describe("tiering", () => {
  const art = at("Art. 21", "第二十一条");
  table(tieringBan, [
    {
      name: "a tiered public product",
      input: product({ ...closedPublic, tiered: true }, {}),
      kind: "breach_regulatory",
      en: `The product is a tiered closed-ended public product; public and open-ended products may not be tiered (${art.en}).`,
      zh: `该产品为分级封闭式公募产品，公募产品和开放式私募产品不得进行份额分级（${art.zh}）。`,
    },
    {
      name: "a tiered closed-ended private product",
      input: product(tieredPrivate, {}),
      kind: "pass",
      en: `The product is a tiered closed-ended private product, a form that may be tiered (${art.en}).`,
      zh: `该产品为分级封闭式私募产品，属于可以分级的产品（${art.zh}）。`,
    },
    {
      name: "an untiered product",
      input: product(openPublic, {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers tiered products only.",
      zh: "不适用：本规则仅适用于分级产品。",
    },
  ]);
  const tiers = (assetClass: ProductProfile["assetClass"], priority: string) =>
    product(
      { ...tieredPrivate, assetClass },
      { AMP_PRIORITY_SHARES: priority, AMP_SUBORDINATED_SHARES: "100" },
    );
  table(tieringRatio, [
    {
      name: "fixed income at exactly 3:1",
      input: tiers("fixed_income", "300"),
      kind: "pass",
      en: `Tiering ratio (priority to subordinated) 3.00x is within the regulatory maximum 3.00x for fixed-income products (${art.en}).`,
      zh: `分级比例（优先级/劣后级）为3.00倍，不高于固定收益类产品监管上限3.00倍（${art.zh}）。`,
    },
    {
      name: "equity above 1:1",
      input: tiers("equity", "110"),
      kind: "breach_regulatory",
      en: `Tiering ratio (priority to subordinated) 1.10x exceeds the regulatory maximum 1.00x for equity products (${art.en}).`,
      zh: `分级比例（优先级/劣后级）为1.10倍，高于权益类产品监管上限1.00倍（${art.zh}）。`,
    },
    {
      name: "mixed above 2:1",
      input: tiers("mixed", "250"),
      kind: "breach_regulatory",
      en: `Tiering ratio (priority to subordinated) 2.50x exceeds the regulatory maximum 2.00x for mixed products (${art.en}).`,
      zh: `分级比例（优先级/劣后级）为2.50倍，高于混合类产品监管上限2.00倍（${art.zh}）。`,
    },
  ]);
  table(priorityTrancheGuarantee, [
    {
      name: "a guarantee to the priority tranche",
      input: product(tieredPrivate, { AMP_FLAG_PRIORITY_GUARANTEE: "1" }),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Guarantee to the priority tranche (${art.en}).`,
      zh: `报告存在禁止行为：向优先级保本保收益（${art.zh}）。`,
    },
  ]);
});

describe("nesting, concentration, term and rigid redemption", () => {
  const art22 = at("Art. 22", "第二十二条");
  table(nestingDepth, [
    {
      name: "one further layer is allowed",
      input: product(openPublic, { AMP_NESTING_DEPTH: "1" }),
      kind: "pass",
      en: `Nesting depth 1 is within the regulatory maximum 1 (${art22.en}).`,
      zh: `嵌套层数为1，不高于监管上限1（${art22.zh}）。`,
    },
    {
      name: "two layers breach",
      input: product(openPublic, { AMP_NESTING_DEPTH: "2" }),
      kind: "breach_regulatory",
      en: `Nesting depth 2 exceeds the regulatory maximum 1 (${art22.en}).`,
      zh: `嵌套层数为2，高于监管上限1（${art22.zh}）。`,
    },
  ]);
  const art16 = at("Art. 16(1)", "第十六条第（一）项");
  table(singleSecurity, [
    {
      name: "a public product above 10% in one security",
      input: product(openPublic, { AMP_LARGEST_SECURITY_MV: "11", AMP_NET_ASSETS: "100" }),
      kind: "breach_regulatory",
      en: `Largest single security to product net assets 11.00% exceeds the regulatory maximum 10.00% (${art16.en}).`,
      zh: `单只证券市值占产品净资产比例为11.00%，高于监管上限10.00%（${art16.zh}）。`,
    },
    {
      name: "private products are not covered",
      input: product(plainPrivate, { AMP_LARGEST_SECURITY_MV: "11", AMP_NET_ASSETS: "100" }),
      kind: "not_applicable",
      en: "Not applicable: the rule covers public products only.",
      zh: "不适用：本规则仅适用于公募产品。",
    },
  ]);
  const art15 = at("Art. 15", "第十五条");
  table(closedEndTerm, [
    {
      name: "exactly 90 days",
      input: product(closedPublic, { AMP_TERM_DAYS: "90" }),
      kind: "pass",
      en: `Product term 90 days meets the regulatory minimum 90 days (${art15.en}).`,
      zh: `产品期限为90天，不低于监管最低要求90天（${art15.zh}）。`,
    },
    {
      name: "60 days",
      input: product(closedPublic, { AMP_TERM_DAYS: "60" }),
      kind: "breach_regulatory",
      en: `Product term 60 days is below the regulatory minimum 90 days (${art15.en}).`,
      zh: `产品期限为60天，低于监管最低要求90天（${art15.zh}）。`,
    },
  ]);
  const art219 = at("Arts. 2, 19", "第二条、第十九条");
  const noGuarantees = {
    AMP_FLAG_GUARANTEED_RETURN: "0",
    AMP_FLAG_ROLLING_GUARANTEE: "0",
    AMP_FLAG_SELF_FUNDED_PAYOUT: "0",
    AMP_FLAG_PROMISED_RETURN: "0",
  };
  table(rigidRedemption, [
    {
      name: "no rigid redemption",
      input: product(openPublic, noGuarantees),
      kind: "pass",
      en: `No prohibited conduct reported among: Guaranteed principal or return; Guarantee through rolling issuance; Payout from the manager's own funds; Promise of principal or return (${art219.en}).`,
      zh: `未报告禁止行为（检查项：违反净值原则保本保收益；滚动发行保本保收益；以自有资金或委托他机构代为支付；承诺保本保收益）（${art219.zh}）。`,
    },
    {
      name: "the manager paid out of its own funds",
      input: product(openPublic, { ...noGuarantees, AMP_FLAG_SELF_FUNDED_PAYOUT: "1" }),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Payout from the manager's own funds (${art219.en}).`,
      zh: `报告存在禁止行为：以自有资金或委托他机构代为支付（${art219.zh}）。`,
    },
  ]);
});

describe("an institution's asset-management business", () => {
  const manager = (facts: Record<string, string>) =>
    entity("public_fund_manager", { AMM_PRODUCT_BALANCE: "1000000", ...facts });
  table(pledgedProductShares, [
    {
      name: "a bank without asset-management products",
      input: entity("bank", { AMM_PRODUCT_BALANCE: "0", AMM_FLAG_PLEDGED_PRODUCT_SHARES: "1" }),
      kind: "not_applicable",
      en: "Not applicable: the rule covers institutions managing asset-management products; AMM_PRODUCT_BALANCE is 0.",
      zh: "不适用：本规则适用于管理资管产品的机构，AMM_PRODUCT_BALANCE为0。",
    },
    {
      name: "pledged shares of its own products",
      input: manager({ AMM_FLAG_PLEDGED_PRODUCT_SHARES: "1" }),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Pledged shares of own products (${at("Art. 20", "第二十条").en}).`,
      zh: `报告存在禁止行为：质押所管理产品份额融资（${at("Art. 20", "第二十条").zh}）。`,
    },
  ]);
  table(allProductsFloatShare, [
    {
      name: "all products hold above 30% of one stock's float",
      input: manager({ AMM_MAX_STOCK_FLOAT_ALL: "0.31" }),
      kind: "breach_regulatory",
      en: `All products' largest float share 31.00% exceeds the regulatory maximum 30.00% (${at("Art. 16(3)", "第十六条第（三）项").en}).`,
      zh: `全部资管产品持股占流通股比例（最大）为31.00%，高于监管上限30.00%（${at("Art. 16(3)", "第十六条第（三）项").zh}）。`,
    },
  ]);
  table(singleAssetInvestment, [
    {
      name: "RMB 30bn in one asset is the most without approval",
      input: manager({ AMM_MAX_SINGLE_ASSET: "30000000000" }),
      kind: "pass",
      en: `Largest single-asset investment RMB 30,000,000,000.00 is within the regulatory maximum RMB 30,000,000,000.00 (${at("Art. 15", "第十五条").en}).`,
      zh: `全部产品投资单一资产余额（最大）为30,000,000,000.00元，不高于监管上限30,000,000,000.00元（${at("Art. 15", "第十五条").zh}）。`,
    },
  ]);
  const art17 = at("Art. 17", "第十七条");
  table(riskReserve, [
    {
      name: "accrual of exactly 10% of fees",
      input: manager({
        AMM_RISK_RESERVE_ACCRUAL: "10",
        AMM_MANAGEMENT_FEES: "100",
        AMM_RISK_RESERVE_BALANCE: "0",
      }),
      kind: "pass",
      en: `Risk reserve accrual rate 10.00% meets the regulatory minimum 10.00% (${art17.en}).`,
      zh: `风险准备金计提比例为10.00%，不低于监管最低要求10.00%（${art17.zh}）。`,
    },
    {
      name: "accrual short of 10%",
      input: manager({
        AMM_RISK_RESERVE_ACCRUAL: "8",
        AMM_MANAGEMENT_FEES: "100",
        AMM_RISK_RESERVE_BALANCE: "0",
      }),
      kind: "breach_regulatory",
      en: `Risk reserve accrual rate 8.00% is below the regulatory minimum 10.00% (${art17.en}).`,
      zh: `风险准备金计提比例为8.00%，低于监管最低要求10.00%（${art17.zh}）。`,
    },
    {
      name: "no accrual needed once the reserve reaches 1% of products",
      input: manager({
        AMM_RISK_RESERVE_ACCRUAL: "0",
        AMM_MANAGEMENT_FEES: "100",
        AMM_RISK_RESERVE_BALANCE: "10000",
      }),
      kind: "pass",
      en: `Risk reserve to products outstanding 1.00% reaches the 1.00% at which accrual may stop (${art17.en}).`,
      zh: `风险准备金余额占产品余额比例为1.00%，已达到可不再计提的1.00%（${art17.zh}）。`,
    },
    {
      name: "a shortfall with the reserve balance unknown",
      input: manager({ AMM_RISK_RESERVE_ACCRUAL: "8", AMM_MANAGEMENT_FEES: "100" }),
      kind: "not_computable",
      en: "Risk reserve accrual cannot be assessed: missing AMM_RISK_RESERVE_BALANCE (Risk reserve balance).",
      zh: "风险准备金计提无法评估：缺少AMM_RISK_RESERVE_BALANCE（风险准备金余额）。",
    },
  ]);
});
