import { describe } from "vitest";
import {
  hqlaAdequacyRatio,
  liquidityCoverageRatio,
  liquidityMatchingRatio,
  liquidityRatio,
  netStableFundingRatio,
} from "./bank-liquidity.ts";
import { entity, table } from "./test-helpers.ts";

const law = {
  en: "Commercial Bank Law, NPC Standing Committee, 2015, Art. 39(2)",
  zh: "《商业银行法》，全国人民代表大会常务委员会，2015年，第三十九条第（二）项",
};
const measures = {
  en: "Measures for the Liquidity Risk Management of Commercial Banks, CBIRC, 2018",
  zh: "《商业银行流动性风险管理办法》，中国银保监会，2018年",
};
const LARGE = "250000000000";
const SMALL = "150000000000";

describe("cn.bank.liquidity_ratio", () => {
  table(liquidityRatio, [
    {
      name: "exactly 25% passes",
      input: entity("bank", { BANK_LIQUID_ASSETS: "250", BANK_LIQUID_LIABILITIES: "1000" }),
      kind: "pass",
      en: `Liquidity ratio 25.00% meets the regulatory minimum 25.00% (${law.en}).`,
      zh: `流动性比例为25.00%，不低于监管最低要求25.00%（${law.zh}）。`,
    },
    {
      name: "below 25% breaches",
      input: entity("bank", { BANK_LIQUID_ASSETS: "249.99", BANK_LIQUID_LIABILITIES: "1000" }),
      kind: "breach_regulatory",
      en: `Liquidity ratio 24.999% is below the regulatory minimum 25.000% (${law.en}).`,
      zh: `流动性比例为24.999%，低于监管最低要求25.000%（${law.zh}）。`,
    },
    {
      name: "missing liquid liabilities",
      input: entity("bank", { BANK_LIQUID_ASSETS: "250" }),
      kind: "not_computable",
      en: "Liquidity ratio cannot be assessed: missing BANK_LIQUID_LIABILITIES (Liquid liabilities).",
      zh: "流动性比例无法评估：缺少BANK_LIQUID_LIABILITIES（流动性负债余额）。",
    },
  ]);
});

describe("cn.bank.lcr (banks of RMB 200bn and more)", () => {
  table(liquidityCoverageRatio, [
    {
      name: "large bank at exactly 100%",
      input: entity("bank", { BANK_TOTAL_ASSETS: LARGE, BANK_HQLA: "500", BANK_NET_CASH_OUTFLOW_30D: "500" }),
      kind: "pass",
      en: `Liquidity coverage ratio 100.00% meets the regulatory minimum 100.00% (${measures.en}).`,
      zh: `流动性覆盖率为100.00%，不低于监管最低要求100.00%（${measures.zh}）。`,
    },
    {
      name: "large bank below 100%",
      input: entity("bank", { BANK_TOTAL_ASSETS: LARGE, BANK_HQLA: "450", BANK_NET_CASH_OUTFLOW_30D: "500" }),
      kind: "breach_regulatory",
      en: `Liquidity coverage ratio 90.00% is below the regulatory minimum 100.00% (${measures.en}).`,
      zh: `流动性覆盖率为90.00%，低于监管最低要求100.00%（${measures.zh}）。`,
    },
    {
      name: "size from the registry wins over the return",
      input: entity(
        "bank",
        { BANK_TOTAL_ASSETS: LARGE, BANK_HQLA: "450", BANK_NET_CASH_OUTFLOW_30D: "500" },
        { totalAssets: SMALL },
      ),
      kind: "not_applicable",
      en: "Not applicable: the rule covers total assets of at least RMB 200,000,000,000; total assets are RMB 150,000,000,000.00.",
      zh: "不适用：本规则适用于资产总额不低于200,000,000,000元的机构，该机构资产总额为150,000,000,000.00元。",
    },
    {
      name: "exactly RMB 200bn is large",
      input: entity("bank", {
        BANK_TOTAL_ASSETS: "200000000000",
        BANK_HQLA: "1",
        BANK_NET_CASH_OUTFLOW_30D: "1",
      }),
      kind: "pass",
      en: `Liquidity coverage ratio 100.00% meets the regulatory minimum 100.00% (${measures.en}).`,
      zh: `流动性覆盖率为100.00%，不低于监管最低要求100.00%（${measures.zh}）。`,
    },
    {
      name: "size unknown",
      input: entity("bank", { BANK_HQLA: "1", BANK_NET_CASH_OUTFLOW_30D: "1" }),
      kind: "not_computable",
      en: "Liquidity coverage ratio cannot be assessed: missing BANK_TOTAL_ASSETS (Total assets).",
      zh: "流动性覆盖率无法评估：缺少BANK_TOTAL_ASSETS（资产总额）。",
    },
  ]);
});

describe("cn.bank.nsfr", () => {
  table(netStableFundingRatio, [
    {
      name: "large bank at quarter end",
      input: entity("bank", { BANK_TOTAL_ASSETS: LARGE, BANK_ASF: "1100", BANK_RSF: "1000" }),
      kind: "pass",
      en: `Net stable funding ratio 110.00% meets the regulatory minimum 100.00% (${measures.en}).`,
      zh: `净稳定资金比例为110.00%，不低于监管最低要求100.00%（${measures.zh}）。`,
    },
    {
      name: "quarterly: not assessed in November",
      input: entity("bank", { BANK_TOTAL_ASSETS: LARGE }, { period: "2024-11" }),
      kind: "not_applicable",
      en: "Not applicable: the rule is assessed at quarter ends; 2024-11 is not one.",
      zh: "不适用：本规则按季评估，2024-11不是季末。",
    },
  ]);
});

describe("cn.bank.hqla_adequacy_ratio (banks below RMB 200bn)", () => {
  const small = (hqla: string, period: string) =>
    entity(
      "bank",
      { BANK_HQLA_ADEQUACY_ASSETS: hqla, BANK_SHORT_TERM_NET_OUTFLOW: "100" },
      { totalAssets: SMALL, period },
    );
  table(hqlaAdequacyRatio, [
    {
      name: "85% passes during the transition",
      input: small("85", "2019-03"),
      kind: "pass",
      en: `HQLA adequacy ratio 85.00% meets the regulatory minimum 80.00% during the transition (${measures.en}).`,
      zh: `优质流动性资产充足率为85.00%，不低于过渡期监管最低要求80.00%（${measures.zh}）。`,
    },
    {
      name: "85% breaches from June 2019",
      input: small("85", "2019-Q2"),
      kind: "breach_regulatory",
      en: `HQLA adequacy ratio 85.00% is below the regulatory minimum 100.00% (${measures.en}).`,
      zh: `优质流动性资产充足率为85.00%，低于监管最低要求100.00%（${measures.zh}）。`,
    },
    {
      name: "before the end of 2018",
      input: small("85", "2018-11"),
      kind: "not_applicable",
      en: "Not applicable: the rule is in force from 2018-12-31; period 2018-11 ends 2018-11-30.",
      zh: "不适用：本规则自2018-12-31起施行，报告期2018-11截至2018-11-30。",
    },
    {
      name: "a large bank reports LCR instead",
      input: entity(
        "bank",
        { BANK_HQLA_ADEQUACY_ASSETS: "1", BANK_SHORT_TERM_NET_OUTFLOW: "1" },
        { totalAssets: LARGE },
      ),
      kind: "not_applicable",
      en: "Not applicable: the rule covers total assets below RMB 200,000,000,000; total assets are RMB 250,000,000,000.00.",
      zh: "不适用：本规则适用于资产总额低于200,000,000,000元的机构，该机构资产总额为250,000,000,000.00元。",
    },
  ]);
});

describe("cn.bank.liquidity_matching_ratio", () => {
  table(liquidityMatchingRatio, [
    {
      name: "below 100%",
      input: entity("bank", { BANK_WEIGHTED_FUNDING_SOURCES: "99", BANK_WEIGHTED_FUNDING_USES: "100" }),
      kind: "breach_regulatory",
      en: `Liquidity matching ratio 99.00% is below the regulatory minimum 100.00% (${measures.en}).`,
      zh: `流动性匹配率为99.00%，低于监管最低要求100.00%（${measures.zh}）。`,
    },
    {
      name: "not yet in force in 2019",
      input: entity(
        "bank",
        { BANK_WEIGHTED_FUNDING_SOURCES: "99", BANK_WEIGHTED_FUNDING_USES: "100" },
        { period: "2019-12" },
      ),
      kind: "not_applicable",
      en: "Not applicable: the rule is in force from 2020-01-01; period 2019-12 ends 2019-12-31.",
      zh: "不适用：本规则自2020-01-01起施行，报告期2019-12截至2019-12-31。",
    },
  ]);
});
