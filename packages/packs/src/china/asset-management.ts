/**
 * Asset-management products (each product reports as an entity of type am_product, with its registry
 * profile) and institutions' asset-management business as a whole, under the 2018 Guiding Opinions.
 */
import type { ProductProfile } from "@beacon/core/contract/items";
import { assetManagerTypes } from "@beacon/core/contract/items";
import { compare, dec } from "@beacon/core/metrics/decimal";
import {
  decimalParam,
  defineParams,
  defineRule,
  formatValue,
  missingVerdict,
  prohibitionRule,
  thresholdRule,
} from "@beacon/core/rules/index";
import { confirmed, maximumParams, minimumParams } from "./common.ts";
import { art, docs } from "./legal-basis.ts";

const amRule = {
  version: 1,
  family: "asset_management",
  severity: "high",
  effective: { from: "2018-04-27" },
  leadUnit: "pbc_cq",
} as const;

const anyProduct = { test: () => true, en: "asset-management products", zh: "资管产品" };
const tieredProducts = { test: (p: ProductProfile) => p.tiered, en: "tiered products", zh: "分级产品" };
const productRule = { ...amRule, appliesTo: { types: ["am_product"], product: anyProduct } } as const;

export const productLeverage = thresholdRule({
  ...productRule,
  id: "cn.amp.leverage",
  zh: "资管产品负债比例",
  en: "Asset-management product leverage",
  legalBasis: [art(docs.assetManagement, "Arts. 20-21", "第二十条至第二十一条")],
  params: defineParams({
    openEndedPublic: decimalParam("1.4", confirmed("Open-ended public products", "开放式公募产品")),
    closedPublicOrPrivate: decimalParam(
      "2",
      confirmed("Closed-ended public and non-tiered private products", "封闭式公募产品和非分级私募产品"),
    ),
    tieredPrivate: decimalParam("1.4", confirmed("Tiered private products", "分级私募产品")),
  }),
  metric: "AMP_LEVERAGE_RATIO",
  comparator: "<=",
  regulatory: (p, ctx) => {
    const product = ctx.entity.product!;
    if (product.offering === "public" && product.structure === "open_ended") {
      return {
        value: p.openEndedPublic,
        params: ["openEndedPublic"],
        qualifier: { en: "for open-ended public products", zh: "开放式公募产品" },
      };
    }
    if (product.offering === "private" && product.tiered) {
      return {
        value: p.tieredPrivate,
        params: ["tieredPrivate"],
        qualifier: { en: "for tiered private products", zh: "分级私募产品" },
      };
    }
    return product.offering === "public"
      ? {
          value: p.closedPublicOrPrivate,
          params: ["closedPublicOrPrivate"],
          qualifier: { en: "for closed-ended public products", zh: "封闭式公募产品" },
        }
      : {
          value: p.closedPublicOrPrivate,
          params: ["closedPublicOrPrivate"],
          qualifier: { en: "for non-tiered private products", zh: "非分级私募产品" },
        };
  },
});

function formOf(p: ProductProfile) {
  const structure =
    p.structure === "open_ended" ? { en: "open-ended", zh: "开放式" } : { en: "closed-ended", zh: "封闭式" };
  const offering = p.offering === "public" ? { en: "public", zh: "公募" } : { en: "private", zh: "私募" };
  return { en: `${structure.en} ${offering.en}`, zh: `${structure.zh}${offering.zh}` };
}

export const tieringBan = defineRule({
  ...amRule,
  id: "cn.amp.tiering_ban",
  zh: "禁止分级的产品",
  en: "Products that may not be tiered",
  appliesTo: { types: ["am_product"], product: tieredProducts },
  legalBasis: [art(docs.assetManagement, "Art. 21", "第二十一条")],
  reads: [],
  params: defineParams({}),
  evaluate(ctx) {
    const product = ctx.entity.product!;
    const form = formOf(product);
    const cite = ctx.citation;
    if (product.offering === "public" || product.structure === "open_ended") {
      return {
        kind: "breach_regulatory",
        line: "regulatory",
        explanation: {
          en: `The product is a tiered ${form.en} product; public and open-ended products may not be tiered (${cite.en}).`,
          zh: `该产品为分级${form.zh}产品，公募产品和开放式私募产品不得进行份额分级（${cite.zh}）。`,
        },
      };
    }
    return {
      kind: "pass",
      explanation: {
        en: `The product is a tiered ${form.en} product, a form that may be tiered (${cite.en}).`,
        zh: `该产品为分级${form.zh}产品，属于可以分级的产品（${cite.zh}）。`,
      },
    };
  },
});

const assetClassNames = {
  fixed_income: { en: "for fixed-income products", zh: "固定收益类产品" },
  equity: { en: "for equity products", zh: "权益类产品" },
  commodity_derivative: { en: "for commodity and derivative products", zh: "商品及金融衍生品类产品" },
  mixed: { en: "for mixed products", zh: "混合类产品" },
} as const;

export const tieringRatio = thresholdRule({
  ...amRule,
  id: "cn.amp.tiering_ratio",
  zh: "分级产品分级比例",
  en: "Tiering ratio of tiered products",
  severity: "medium",
  appliesTo: {
    types: ["am_product"],
    product: {
      test: (p) => p.tiered && p.offering === "private" && p.structure === "closed_ended",
      en: "tiered closed-ended private products",
      zh: "分级封闭式私募产品",
    },
  },
  legalBasis: [art(docs.assetManagement, "Art. 21", "第二十一条")],
  params: defineParams({
    fixedIncome: decimalParam("3", confirmed("Fixed-income products", "固定收益类产品")),
    equity: decimalParam("1", confirmed("Equity products", "权益类产品")),
    commodityOrMixed: decimalParam(
      "2",
      confirmed("Commodity, derivative and mixed products", "商品及金融衍生品类、混合类产品"),
    ),
  }),
  metric: "AMP_TIERING_RATIO",
  comparator: "<=",
  regulatory: (p, ctx) => {
    const assetClass = ctx.entity.product!.assetClass;
    const key =
      assetClass === "fixed_income" ? "fixedIncome" : assetClass === "equity" ? "equity" : "commodityOrMixed";
    return { value: p[key], params: [key], qualifier: assetClassNames[assetClass] };
  },
});

export const priorityTrancheGuarantee = prohibitionRule({
  ...amRule,
  id: "cn.amp.priority_guarantee",
  zh: "向优先级份额保本保收益",
  en: "Guarantee to the priority tranche",
  appliesTo: { types: ["am_product"], product: tieredProducts },
  legalBasis: [art(docs.assetManagement, "Art. 21", "第二十一条")],
  params: defineParams({}),
  prohibited: ["AMP_FLAG_PRIORITY_GUARANTEE"],
  notes: ["The digest found this only in the 2017 draft text [S8]."],
});

export const nestingDepth = thresholdRule({
  ...productRule,
  id: "cn.amp.nesting_depth",
  zh: "多层嵌套",
  en: "Nesting depth",
  severity: "medium",
  legalBasis: [art(docs.assetManagement, "Art. 22", "第二十二条", "U")],
  params: maximumParams("1", confirmed("Maximum further layers", "最多嵌套层数")),
  metric: "AMP_NESTING_DEPTH",
  comparator: "<=",
  regulatory: "maximum",
});

export const nestedTarget = prohibitionRule({
  ...productRule,
  id: "cn.amp.nested_target",
  zh: "嵌套投资于公募证券投资基金以外的产品",
  en: "Nested investment other than in public securities funds",
  severity: "medium",
  legalBasis: [art(docs.assetManagement, "Art. 22", "第二十二条", "U")],
  params: defineParams({}),
  prohibited: ["AMP_FLAG_NESTED_NON_FUND"],
});

export const singleSecurity = thresholdRule({
  ...amRule,
  id: "cn.amp.single_security",
  zh: "单只证券集中度",
  en: "Single-security concentration",
  severity: "medium",
  appliesTo: {
    types: ["am_product"],
    product: { test: (p) => p.offering === "public", en: "public products", zh: "公募产品" },
  },
  legalBasis: [art(docs.assetManagement, "Art. 16(1)", "第十六条第（一）项")],
  params: maximumParams(
    "0.1",
    confirmed("Regulatory maximum", "监管上限", "From the 2017 draft text [S8]; final text not retrieved."),
  ),
  metric: "AMP_SINGLE_SECURITY_SHARE",
  comparator: "<=",
  regulatory: "maximum",
  notes: [
    "A passive breach may be cured within 10 trading days: that needs the daily holding series (record-level).",
  ],
});

export const closedEndTerm = thresholdRule({
  ...amRule,
  id: "cn.amp.closed_end_term",
  zh: "封闭式产品最短期限",
  en: "Minimum term of closed-ended products",
  severity: "medium",
  appliesTo: {
    types: ["am_product"],
    product: { test: (p) => p.structure === "closed_ended", en: "closed-ended products", zh: "封闭式产品" },
  },
  legalBasis: [art(docs.assetManagement, "Art. 15", "第十五条", "U")],
  params: minimumParams("90", confirmed("Minimum term in days", "最短期限（天）")),
  metric: "AMP_TERM_DAYS",
  comparator: ">=",
  regulatory: "minimum",
});

export const rigidRedemption = prohibitionRule({
  ...productRule,
  id: "cn.amp.rigid_redemption",
  zh: "刚性兑付",
  en: "Rigid redemption",
  severity: "critical",
  legalBasis: [art(docs.assetManagement, "Arts. 2, 19", "第二条、第十九条")],
  params: defineParams({}),
  prohibited: [
    "AMP_FLAG_GUARANTEED_RETURN",
    "AMP_FLAG_ROLLING_GUARANTEE",
    "AMP_FLAG_SELF_FUNDED_PAYOUT",
    "AMP_FLAG_PROMISED_RETURN",
  ],
});

const managerRule = {
  ...amRule,
  severity: "medium",
  appliesTo: {
    types: assetManagerTypes,
    activity: {
      item: "AMM_PRODUCT_BALANCE",
      en: "institutions managing asset-management products",
      zh: "管理资管产品的机构",
    },
  },
} as const;

export const pledgedProductShares = prohibitionRule({
  ...managerRule,
  id: "cn.amm.pledged_product_shares",
  zh: "质押所管理产品份额融资",
  en: "Pledging shares of own products",
  legalBasis: [art(docs.assetManagement, "Art. 20", "第二十条")],
  params: defineParams({}),
  prohibited: ["AMM_FLAG_PLEDGED_PRODUCT_SHARES"],
});

export const publicProductsSecurityShare = thresholdRule({
  ...managerRule,
  id: "cn.amm.public_security_share",
  zh: "全部公募产品持有单只证券比例",
  en: "All public products' holding of one security",
  legalBasis: [art(docs.assetManagement, "Art. 16(2)", "第十六条第（二）项")],
  params: maximumParams("0.3", confirmed("Regulatory maximum", "监管上限", "From the 2017 draft text [S8].")),
  metric: "AMM_MAX_SECURITY_SHARE_PUBLIC",
  comparator: "<=",
  regulatory: "maximum",
});

export const openPublicFloatShare = thresholdRule({
  ...managerRule,
  id: "cn.amm.open_public_float_share",
  zh: "全部开放式公募产品持有单一上市公司流通股比例",
  en: "All open-ended public products' share of one stock's float",
  legalBasis: [art(docs.assetManagement, "Art. 16", "第十六条")],
  params: maximumParams(
    "0.15",
    confirmed("Regulatory maximum", "监管上限", "From the 2017 draft text [S8]."),
  ),
  metric: "AMM_MAX_STOCK_FLOAT_OPEN_PUBLIC",
  comparator: "<=",
  regulatory: "maximum",
});

export const allProductsFloatShare = thresholdRule({
  ...managerRule,
  id: "cn.amm.all_products_float_share",
  zh: "全部资管产品持有单一上市公司流通股比例",
  en: "All products' share of one stock's float",
  legalBasis: [art(docs.assetManagement, "Art. 16(3)", "第十六条第（三）项")],
  params: maximumParams("0.3"),
  metric: "AMM_MAX_STOCK_FLOAT_ALL",
  comparator: "<=",
  regulatory: "maximum",
});

export const singleAssetInvestment = thresholdRule({
  ...managerRule,
  id: "cn.amm.single_asset_investment",
  zh: "全部产品投资单一资产余额",
  en: "All products' investment in one asset",
  legalBasis: [art(docs.assetManagement, "Art. 15", "第十五条", "U")],
  params: maximumParams(
    "30000000000",
    confirmed(
      "Regulatory maximum without approval (CNY)",
      "无需批准的上限（元）",
      "More needs the regulator's approval.",
    ),
  ),
  metric: "AMM_MAX_SINGLE_ASSET",
  comparator: "<=",
  regulatory: "maximum",
});

const reserveAccrual = thresholdRule({
  ...managerRule,
  id: "cn.amm.risk_reserve",
  zh: "风险准备金计提",
  en: "Risk reserve accrual",
  legalBasis: [art(docs.assetManagement, "Art. 17", "第十七条", "U")],
  params: defineParams({
    minimumAccrual: decimalParam(
      "0.1",
      confirmed("Accrual as a share of management fees", "按管理费收入计提比例"),
    ),
    stopAtCoverage: decimalParam(
      "0.01",
      confirmed(
        "Reserve share of products outstanding at which accrual may stop",
        "可不再计提的风险准备金余额占比",
      ),
    ),
  }),
  metric: "AMM_RISK_RESERVE_ACCRUAL_RATE",
  comparator: ">=",
  regulatory: "minimumAccrual",
});

const coverageName = { en: "Risk reserve to products outstanding", zh: "风险准备金余额占产品余额比例" };

/** Accrue 10% of fees, unless the reserve already reaches 1% of products outstanding. */
export const riskReserve = defineRule({
  ...reserveAccrual,
  reads: [...reserveAccrual.reads, "AMM_RISK_RESERVE_COVERAGE"],
  evaluate(ctx) {
    const coverage = ctx.metric("AMM_RISK_RESERVE_COVERAGE");
    const stopAt = dec(ctx.params.stopAtCoverage);
    if (coverage.status === "ok" && compare(coverage.value, stopAt) >= 0) {
      const cite = ctx.citation;
      return {
        kind: "pass",
        value: { exact: coverage.value, display: "percent" },
        thresholds: [
          {
            line: "regulatory",
            comparator: ">=",
            value: stopAt,
            display: "percent",
            params: ["stopAtCoverage"],
          },
        ],
        explanation: {
          en: `${coverageName.en} ${formatValue(coverage.value, "percent", "en")} reaches the ${formatValue(stopAt, "percent", "en")} at which accrual may stop (${cite.en}).`,
          zh: `${coverageName.zh}为${formatValue(coverage.value, "percent", "zh")}，已达到可不再计提的${formatValue(stopAt, "percent", "zh")}（${cite.zh}）。`,
        },
      };
    }
    const verdict = reserveAccrual.evaluate(ctx);
    // An accrual shortfall only counts once we know the reserve is not already large enough.
    if (
      verdict.kind.startsWith("breach") &&
      coverage.status === "not_computable" &&
      coverage.reason === "missing_inputs"
    ) {
      return missingVerdict({ en: reserveAccrual.en, zh: reserveAccrual.zh }, coverage.missing);
    }
    return verdict;
  },
});

export const assetManagementRules = [
  productLeverage,
  tieringBan,
  tieringRatio,
  priorityTrancheGuarantee,
  nestingDepth,
  nestedTarget,
  singleSecurity,
  closedEndTerm,
  rigidRedemption,
  pledgedProductShares,
  publicProductsSecurityShare,
  openPublicFloatShare,
  allProductsFloatShare,
  singleAssetInvestment,
  riskReserve,
];
