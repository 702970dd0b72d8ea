import { evaluateRule } from "@beacon/core/rules/index";
import { describe, expect, it } from "vitest";
import {
  capitalLeverageRatio,
  marginTotal,
  netStableFundingRatio,
  proprietaryEquity,
  riskCoverageRatio,
  securitiesRules,
  singleEquityIssuerShare,
} from "./securities.ts";
import { entity, table } from "./test-helpers.ts";

const measures = {
  en: "Measures for the Administration of Risk Control Indicators of Securities Companies, CSRC, 2020",
  zh: "《证券公司风险控制指标管理办法》，中国证监会，2020年，中国证监会令第166号",
};
const standards = {
  en: "Calculation Standards for Risk Control Indicators of Securities Companies, CSRC, 2024",
  zh: "《证券公司风险控制指标计算标准规定》，中国证监会，2024年，中国证监会公告〔2024〕13号",
};
const provisional = { en: " [Threshold provisional: to be confirmed.]", zh: "〔阈值待确认〕" };
const firm = (facts: Record<string, string>) => entity("securities_firm", facts);

describe("cn.sec.risk_coverage_ratio (warning at 120% of the limit)", () => {
  const coverage = (netCapital: string) =>
    firm({ SEC_NET_CAPITAL: netCapital, SEC_RISK_CAPITAL_RESERVES: "100" });
  table(riskCoverageRatio, [
    {
      name: "exactly the warning line passes",
      input: coverage("120"),
      kind: "pass",
      en: `Risk coverage ratio 120.00% meets the regulatory minimum 100.00% and the warning line 120.00% (${measures.en}).`,
      zh: `风险覆盖率为120.00%，不低于监管最低要求100.00%及预警线120.00%（${measures.zh}）。`,
    },
    {
      name: "between the lines is a warning",
      input: coverage("110"),
      kind: "breach_warning",
      en: `Risk coverage ratio 110.00% is below the warning line 120.00%; the regulatory minimum is 100.00% (${measures.en}).`,
      zh: `风险覆盖率为110.00%，低于预警线120.00%；监管最低要求为100.00%（${measures.zh}）。`,
    },
    {
      name: "exactly the limit is a warning",
      input: coverage("100"),
      kind: "breach_warning",
      en: `Risk coverage ratio 100.00% is below the warning line 120.00%; the regulatory minimum is 100.00% (${measures.en}).`,
      zh: `风险覆盖率为100.00%，低于预警线120.00%；监管最低要求为100.00%（${measures.zh}）。`,
    },
    {
      name: "below the limit breaches",
      input: coverage("95"),
      kind: "breach_regulatory",
      en: `Risk coverage ratio 95.00% is below the regulatory minimum 100.00% (${measures.en}).`,
      zh: `风险覆盖率为95.00%，低于监管最低要求100.00%（${measures.zh}）。`,
    },
    {
      name: "not a securities firm",
      input: entity("futures_firm", {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers Securities firm; the entity's type is Futures firm.",
      zh: "不适用：本规则适用于证券公司，该主体为期货公司。",
    },
  ]);
});

describe("cn.sec.capital_leverage_ratio (8%, warning 9.6%)", () => {
  table(capitalLeverageRatio, [
    {
      name: "exactly 9.6% passes",
      input: firm({ SEC_CORE_NET_CAPITAL: "96", SEC_ON_OFF_BALANCE_ASSETS: "1000" }),
      kind: "pass",
      en: `Capital leverage ratio 9.60% meets the regulatory minimum 8.00% and the warning line 9.60% (${measures.en}).`,
      zh: `资本杠杆率为9.60%，不低于监管最低要求8.00%及预警线9.60%（${measures.zh}）。`,
    },
    {
      name: "just under 9.6% warns",
      input: firm({ SEC_CORE_NET_CAPITAL: "95.99", SEC_ON_OFF_BALANCE_ASSETS: "1000" }),
      kind: "breach_warning",
      en: `Capital leverage ratio 9.599% is below the warning line 9.600%; the regulatory minimum is 8.000% (${measures.en}).`,
      zh: `资本杠杆率为9.599%，低于预警线9.600%；监管最低要求为8.000%（${measures.zh}）。`,
    },
  ]);
});

describe("NSFR and a 'not higher than' limit", () => {
  table(netStableFundingRatio, [
    {
      name: "NSFR below 100%",
      input: firm({ SEC_ASF: "90", SEC_RSF: "100" }),
      kind: "breach_regulatory",
      en: `Net stable funding ratio 90.00% is below the regulatory minimum 100.00% (${measures.en}).`,
      zh: `净稳定资金率为90.00%，低于监管最低要求100.00%（${measures.zh}）。`,
    },
  ]);
  table(proprietaryEquity, [
    {
      name: "exactly 80% of the limit passes (provisional)",
      input: firm({ SEC_PROP_EQUITY_HOLDINGS: "80", SEC_NET_CAPITAL: "100" }),
      kind: "pass",
      en: `Proprietary equity and derivatives to net capital 80.00% is within the regulatory maximum 100.00% and the warning line 80.00% (${standards.en}).${provisional.en}`,
      zh: `自营权益类证券及其衍生品与净资本的比例为80.00%，不高于监管上限100.00%及预警线80.00%（${standards.zh}）。${provisional.zh}`,
    },
    {
      name: "above 80% of the limit warns",
      input: firm({ SEC_PROP_EQUITY_HOLDINGS: "90", SEC_NET_CAPITAL: "100" }),
      kind: "breach_warning",
      en: `Proprietary equity and derivatives to net capital 90.00% exceeds the warning line 80.00%; the regulatory maximum is 100.00% (${standards.en}).${provisional.en}`,
      zh: `自营权益类证券及其衍生品与净资本的比例为90.00%，高于预警线80.00%；监管上限为100.00%（${standards.zh}）。${provisional.zh}`,
    },
    {
      name: "above the limit breaches",
      input: firm({ SEC_PROP_EQUITY_HOLDINGS: "101", SEC_NET_CAPITAL: "100" }),
      kind: "breach_regulatory",
      en: `Proprietary equity and derivatives to net capital 101.00% exceeds the regulatory maximum 100.00% (${standards.en}).${provisional.en}`,
      zh: `自营权益类证券及其衍生品与净资本的比例为101.00%，高于监管上限100.00%（${standards.zh}）。${provisional.zh}`,
    },
  ]);
  table(singleEquityIssuerShare, [
    {
      name: "a ratio item read directly",
      input: firm({ SEC_MAX_EQUITY_ISSUER_SHARE: "0.045" }),
      kind: "breach_warning",
      en: `Largest holding as share of issuer market value 4.50% exceeds the warning line 4.00%; the regulatory maximum is 5.00% (${standards.en}).${provisional.en}`,
      zh: `持有单一权益类证券市值占其总市值比例（最大）为4.50%，高于预警线4.00%；监管上限为5.00%（${standards.zh}）。${provisional.zh}`,
    },
  ]);
  table(marginTotal, [
    {
      name: "margin business above 4x net capital",
      input: firm({ SEC_MARGIN_TOTAL: "450", SEC_NET_CAPITAL: "100" }),
      kind: "breach_regulatory",
      en: `Total margin business to net capital 4.50x exceeds the regulatory maximum 4.00x (Measures for the Administration of Margin Trading and Securities Lending by Securities Companies, CSRC, 2015).${provisional.en}`,
      zh: `融资融券业务规模与净资本的倍数为4.50倍，高于监管上限4.00倍（《证券公司融资融券业务管理办法》，中国证监会，2015年）。${provisional.zh}`,
    },
  ]);
});

describe("warning factors", () => {
  it("confirming the 80% factor makes the warning final", () => {
    const o = evaluateRule(
      proprietaryEquity,
      firm({ SEC_PROP_EQUITY_HOLDINGS: "90", SEC_NET_CAPITAL: "100" }),
      {
        warningFactor: "0.8",
        limit: "1",
      },
    );
    expect(o.kind).toBe("breach_warning");
    expect(o.provisional).toBeUndefined();
  });

  it("'not lower than' limits warn at 120% and 'not higher than' limits at 80% by default", () => {
    const factors = Object.fromEntries(
      securitiesRules
        .filter((r) => r !== marginTotal)
        .map((r) => [r.id, (r.params.defaults as { warningFactor: string }).warningFactor]),
    );
    expect(factors).toEqual({
      "cn.sec.risk_coverage_ratio": "1.2",
      "cn.sec.capital_leverage_ratio": "1.2",
      "cn.sec.lcr": "1.2",
      "cn.sec.nsfr": "1.2",
      "cn.sec.net_capital_to_net_assets": "1.2",
      "cn.sec.net_capital_to_liabilities": "1.2",
      "cn.sec.net_assets_to_liabilities": "1.2",
      "cn.sec.proprietary_equity": "0.8",
      "cn.sec.proprietary_non_equity": "0.8",
      "cn.sec.single_equity_cost": "0.8",
      "cn.sec.single_equity_issuer_share": "0.8",
      "cn.sec.margin_single_client": "0.8",
      "cn.sec.margin_single_collateral": "0.8",
    });
  });
});
