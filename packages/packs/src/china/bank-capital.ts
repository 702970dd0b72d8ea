/** Commercial banks: capital adequacy (CET1, tier 1, total) with buffers, and the leverage ratio. */
import { add, dec, type Rational } from "@beacon/core/metrics/decimal";
import {
  decimalParam,
  defineParams,
  type LineSpec,
  type RuleContext,
  thresholdRule,
} from "@beacon/core/rules/index";
import { confirmed, minimumParams, toConfirm } from "./common.ts";
import { art, docs, during } from "./legal-basis.ts";

function capitalParams(minimum: string) {
  return defineParams({
    minimum: decimalParam(minimum, confirmed("Regulatory minimum", "监管最低要求")),
    conservationBuffer: decimalParam("0.025", confirmed("Capital conservation buffer", "储备资本要求")),
    countercyclicalBuffer: decimalParam(
      "0",
      toConfirm(
        "Countercyclical buffer (0 to 2.5%)",
        "逆周期资本要求（0-2.5%）",
        "Set by the PBoC; the digest gives only the 0-2.5% range.",
      ),
    ),
    systemicSurcharge: decimalParam(
      "0.01",
      confirmed(
        "Surcharge for systemically important banks",
        "系统重要性银行附加资本要求",
        "1% per the 2011 opinion [S9].",
      ),
    ),
  });
}

type CapitalParams = ReturnType<typeof capitalParams>["defaults"];

/** The minimum plus the conservation and countercyclical buffers, plus the surcharge for a systemic bank. */
function withBuffers(p: CapitalParams, ctx: RuleContext<CapitalParams>): LineSpec {
  let line: Rational = add(add(dec(p.minimum), dec(p.conservationBuffer)), dec(p.countercyclicalBuffer));
  const params = ["minimum", "conservationBuffer", "countercyclicalBuffer"];
  if (!ctx.entity.systemicallyImportant) return { value: line, params };
  line = add(line, dec(p.systemicSurcharge));
  return {
    value: line,
    params: [...params, "systemicSurcharge"],
    qualifier: { en: "for systemically important banks", zh: "系统重要性银行" },
  };
}

const capitalBasis = [
  during(docs.bankCapital2023, "2024-01-01"),
  during(docs.bankCapital2012, undefined, "2023-12-31"),
  docs.newStandards2011,
];
const buffersLabel = { en: "requirement including buffers", zh: "含缓冲资本的要求" };

const capitalRule = {
  family: "bank_capital",
  version: 1,
  severity: "high",
  appliesTo: { types: ["bank"] },
  // The 2012 capital rules took effect on 2013-01-01.
  effective: { from: "2013-01-01" },
  leadUnit: "cbrc_cq",
  comparator: ">=",
  regulatory: "minimum",
  warning: withBuffers,
  warningLabel: buffersLabel,
  notes: [
    "The warning line is the minimum plus the conservation buffer, the countercyclical buffer and, for banks flagged systemically important in the registry, the systemic surcharge.",
  ],
} as const;

export const cet1Ratio = thresholdRule({
  ...capitalRule,
  id: "cn.bank.cet1_ratio",
  zh: "核心一级资本充足率",
  en: "Core tier 1 capital ratio",
  metric: "BANK_CET1_RATIO",
  legalBasis: capitalBasis,
  params: capitalParams("0.05"),
});

export const tier1Ratio = thresholdRule({
  ...capitalRule,
  id: "cn.bank.tier1_ratio",
  zh: "一级资本充足率",
  en: "Tier 1 capital ratio",
  metric: "BANK_TIER1_RATIO",
  legalBasis: capitalBasis,
  params: capitalParams("0.06"),
});

export const capitalAdequacyRatio = thresholdRule({
  ...capitalRule,
  id: "cn.bank.capital_adequacy_ratio",
  zh: "资本充足率",
  en: "Capital adequacy ratio",
  metric: "BANK_CAR",
  legalBasis: [art(docs.commercialBankLaw, "Art. 39(1)", "第三十九条第（一）项"), ...capitalBasis],
  params: capitalParams("0.08"),
});

export const leverageRatio = thresholdRule({
  id: "cn.bank.leverage_ratio",
  version: 1,
  zh: "杠杆率",
  en: "Leverage ratio",
  family: "bank_capital",
  severity: "high",
  appliesTo: { types: ["bank"] },
  // The digest cites the 2011 opinion and the leverage rules; the leverage rules took effect on 2012-01-01.
  effective: { from: "2012-01-01" },
  legalBasis: [docs.newStandards2011],
  leadUnit: "cbrc_cq",
  params: minimumParams("0.04"),
  metric: "BANK_LEVERAGE_RATIO",
  comparator: ">=",
  regulatory: "minimum",
});

export const bankCapitalRules = [cet1Ratio, tier1Ratio, capitalAdequacyRatio, leverageRatio];
