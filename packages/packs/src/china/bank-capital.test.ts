import { evaluatePack, evaluateRule } from "@beacon/core/rules/index";
import { describe, expect, it } from "vitest";
import { capitalAdequacyRatio, cet1Ratio, leverageRatio, tier1Ratio } from "./bank-capital.ts";
import { entity, summary } from "./test-helpers.ts";

const cite2023 = {
  en: "Commercial Bank Capital Rules, NFRA, 2023",
  zh: "《商业银行资本管理办法》，国家金融监督管理总局，2023年，国家金融监督管理总局令2023年第4号",
};
const cite2012 = {
  en: "Commercial Bank Capital Rules (Trial), CBRC, 2012",
  zh: "《商业银行资本管理办法（试行）》，中国银监会，2012年",
};
const citeLaw = {
  en: "Commercial Bank Law, NPC Standing Committee, 2015, Art. 39(1)",
  zh: "《商业银行法》，全国人民代表大会常务委员会，2015年，第三十九条第（一）项",
};

/** The countercyclical buffer default is to be confirmed; tables run with it set, as governance would. */
const ccybSet = { countercyclicalBuffer: "0" };

/** A bank quarter with CET1 capital net of deductions over RWA of 1,000,000. */
function capital(cet1: string, extra: Record<string, string> = {}) {
  return { BANK_CET1_CAPITAL: cet1, BANK_CET1_DEDUCTIONS: "0", BANK_RWA: "1000000", ...extra };
}

describe("cn.bank.cet1_ratio", () => {
  it.each([
    {
      name: "pass above the buffer requirement",
      input: entity("bank", capital("80000")),
      kind: "pass",
      en: `Core tier 1 ratio 8.00% meets the regulatory minimum 5.00% and the requirement including buffers 7.50% (${cite2023.en}).`,
      zh: `核心一级资本充足率为8.00%，不低于监管最低要求5.00%及含缓冲资本的要求7.50%（${cite2023.zh}）。`,
    },
    {
      name: "exactly at the buffer requirement passes",
      input: entity("bank", capital("75000")),
      kind: "pass",
      en: `Core tier 1 ratio 7.50% meets the regulatory minimum 5.00% and the requirement including buffers 7.50% (${cite2023.en}).`,
      zh: `核心一级资本充足率为7.50%，不低于监管最低要求5.00%及含缓冲资本的要求7.50%（${cite2023.zh}）。`,
    },
    {
      name: "below the buffers is a warning",
      input: entity("bank", capital("65000")),
      kind: "breach_warning",
      en: `Core tier 1 ratio 6.50% is below the requirement including buffers 7.50%; the regulatory minimum is 5.00% (${cite2023.en}).`,
      zh: `核心一级资本充足率为6.50%，低于含缓冲资本的要求7.50%；监管最低要求为5.00%（${cite2023.zh}）。`,
    },
    {
      name: "exactly at the minimum is a warning, not a regulatory breach",
      input: entity("bank", capital("60000", { BANK_CET1_DEDUCTIONS: "10000" })),
      kind: "breach_warning",
      en: `Core tier 1 ratio 5.00% is below the requirement including buffers 7.50%; the regulatory minimum is 5.00% (${cite2023.en}).`,
      zh: `核心一级资本充足率为5.00%，低于含缓冲资本的要求7.50%；监管最低要求为5.00%（${cite2023.zh}）。`,
    },
    {
      name: "below the minimum, with digits enough to tell it apart",
      input: entity("bank", capital("49999.9")),
      kind: "breach_regulatory",
      en: `Core tier 1 ratio 4.99999% is below the regulatory minimum 5.00000% (${cite2023.en}).`,
      zh: `核心一级资本充足率为4.99999%，低于监管最低要求5.00000%（${cite2023.zh}）。`,
    },
    {
      name: "a 2020 period cites the 2012 rules",
      input: entity("bank", capital("42000"), { period: "2020-Q4" }),
      kind: "breach_regulatory",
      en: `Core tier 1 ratio 4.20% is below the regulatory minimum 5.00% (${cite2012.en}).`,
      zh: `核心一级资本充足率为4.20%，低于监管最低要求5.00%（${cite2012.zh}）。`,
    },
    {
      name: "a systemically important bank carries the surcharge",
      input: entity("bank", capital("80000"), { systemicallyImportant: true }),
      kind: "breach_warning",
      en: `Core tier 1 ratio 8.00% is below the requirement including buffers 8.50% for systemically important banks; the regulatory minimum is 5.00% (${cite2023.en}).`,
      zh: `核心一级资本充足率为8.00%，低于系统重要性银行含缓冲资本的要求8.50%；监管最低要求为5.00%（${cite2023.zh}）。`,
    },
    {
      name: "zero risk-weighted assets with capital is unbounded",
      input: entity("bank", capital("1", { BANK_RWA: "0" })),
      kind: "pass",
      en: `Core tier 1 ratio has a zero denominator against a numerator of RMB 1.00, so it is unbounded and meets the regulatory minimum 5.00% (${cite2023.en}).`,
      zh: `核心一级资本充足率的分母为零，分子为1.00元，比率无上限，不低于监管最低要求5.00%（${cite2023.zh}）。`,
    },
    {
      name: "missing items are named",
      input: entity("bank", { BANK_CET1_CAPITAL: "1" }),
      kind: "not_computable",
      en: "Core tier 1 ratio cannot be assessed: missing BANK_CET1_DEDUCTIONS (CET1 deductions), BANK_RWA (Risk-weighted assets).",
      zh: "核心一级资本充足率无法评估：缺少BANK_CET1_DEDUCTIONS（核心一级资本扣除项）、BANK_RWA（风险加权资产）。",
    },
    {
      name: "not a bank",
      input: entity("small_loan", {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers Commercial bank; the entity's type is Small-loan company.",
      zh: "不适用：本规则适用于商业银行，该主体为小额贷款公司。",
    },
    {
      name: "a month that is not a quarter end",
      input: entity("bank", capital("80000"), { period: "2024-11" }),
      kind: "not_applicable",
      en: "Not applicable: the rule is assessed at quarter ends; 2024-11 is not one.",
      zh: "不适用：本规则按季评估，2024-11不是季末。",
    },
    {
      name: "before the rules took effect",
      input: entity("bank", capital("80000"), { period: "2012-12" }),
      kind: "not_applicable",
      en: "Not applicable: the rule is in force from 2013-01-01; period 2012-12 ends 2012-12-31.",
      zh: "不适用：本规则自2013-01-01起施行，报告期2012-12截至2012-12-31。",
    },
  ])("$name", ({ input, kind, en, zh }) => {
    expect(summary(evaluateRule(cet1Ratio, input, ccybSet))).toEqual({ kind, en, zh });
  });

  it("records the exact value, both lines and the line crossed", () => {
    const o = evaluateRule(cet1Ratio, entity("bank", capital("65000")));
    expect(o.value).toEqual({ exact: "0.065", number: 0.065, display: "percent" });
    expect(o.line).toBe("warning");
    expect(o.thresholds).toEqual([
      { line: "warning", comparator: ">=", exact: "0.075", number: 0.075 },
      { line: "regulatory", comparator: ">=", exact: "0.05", number: 0.05 },
    ]);
    // The countercyclical buffer default is to be confirmed, and it is part of the warning line.
    expect(o.provisional).toBe(true);
    expect(o.explanation.en.endsWith("[Threshold provisional: to be confirmed.]")).toBe(true);
  });

  it("is no longer provisional once the countercyclical buffer is set", () => {
    const o = evaluateRule(cet1Ratio, entity("bank", capital("80000")), { countercyclicalBuffer: "0.01" });
    expect(o.kind).toBe("breach_warning");
    expect(o.provisional).toBeUndefined();
    expect(o.explanation.en).toContain("requirement including buffers 8.50%");
  });
});

describe("tier 1, total capital and leverage", () => {
  const bank = entity("bank", {
    BANK_TIER1_CAPITAL: "61000",
    BANK_TIER1_DEDUCTIONS: "1000",
    BANK_TOTAL_CAPITAL: "106000",
    BANK_TOTAL_CAPITAL_DEDUCTIONS: "1000",
    BANK_RWA: "1000000",
    BANK_LEVERAGE_EXPOSURE: "1500000",
  });

  it.each([
    {
      rule: tier1Ratio,
      kind: "breach_warning",
      en: `Tier 1 ratio 6.00% is below the requirement including buffers 8.50%; the regulatory minimum is 6.00% (${cite2023.en}).`,
      zh: `一级资本充足率为6.00%，低于含缓冲资本的要求8.50%；监管最低要求为6.00%（${cite2023.zh}）。`,
    },
    {
      rule: capitalAdequacyRatio,
      kind: "pass",
      en: `Capital adequacy ratio 10.50% meets the regulatory minimum 8.00% and the requirement including buffers 10.50% (${citeLaw.en}).`,
      zh: `资本充足率为10.50%，不低于监管最低要求8.00%及含缓冲资本的要求10.50%（${citeLaw.zh}）。`,
    },
    {
      rule: leverageRatio,
      kind: "pass",
      en: "Leverage ratio 4.00% meets the regulatory minimum 4.00% (Guiding Opinion on Implementing New Regulatory Standards in China's Banking Sector, CBRC, 2011).",
      zh: "杠杆率为4.00%，不低于监管最低要求4.00%（《关于中国银行业实施新监管标准的指导意见》，中国银监会，2011年）。",
    },
  ])("$rule.id", ({ rule, kind, en, zh }) => {
    const o = evaluateRule(rule, bank, rule === leverageRatio ? {} : ccybSet);
    expect(summary(o)).toEqual({ kind, en, zh });
  });

  it("a leverage ratio just under 4% is a regulatory breach", () => {
    const o = evaluateRule(leverageRatio, {
      ...bank,
      facts: { ...bank.facts, BANK_LEVERAGE_EXPOSURE: "1500001" },
    });
    expect(o.kind).toBe("breach_regulatory");
    expect(o.explanation.en).toMatch(/^Leverage ratio 3\.99999\d*% is below the regulatory minimum 4\.0+%/);
  });

  it("runs as a pack and leaves out not-applicable rules", () => {
    const outcomes = evaluatePack([cet1Ratio, tier1Ratio, capitalAdequacyRatio, leverageRatio], [bank], {
      "cn.bank.tier1_ratio": ccybSet,
    });
    expect(outcomes.map((o) => [o.ruleId, o.kind])).toEqual([
      ["cn.bank.cet1_ratio", "not_computable"],
      ["cn.bank.tier1_ratio", "breach_warning"],
      ["cn.bank.capital_adequacy_ratio", "pass"],
      ["cn.bank.leverage_ratio", "pass"],
    ]);
  });
});
