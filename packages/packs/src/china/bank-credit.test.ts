import { evaluateRule } from "@beacon/core/rules/index";
import { describe, expect, it } from "vitest";
import { loanProvisionRatio, nplRatio, provisionCoverage } from "./bank-credit.ts";
import { BANK_CODE, entity, table } from "./test-helpers.ts";

const core = {
  en: "Core Indicators for the Risk Supervision of Commercial Banks (Trial), CBRC, 2005",
  zh: "《商业银行风险监管核心指标（试行）》，中国银监会，2005年",
};
const notice = {
  en: "Notice on Adjusting the Regulatory Requirements for Loan-Loss Provisions of Commercial Banks, CBRC, 2018",
  zh: "《关于调整商业银行贷款损失准备监管要求的通知》，中国银监会，2018年",
};

/** Loans: total 1,000 with the given non-performing amount split over the three bad categories. */
function loans(npl: number, extra: Record<string, string> = {}) {
  return {
    BANK_LOANS_SUBSTANDARD: String(npl / 2),
    BANK_LOANS_DOUBTFUL: String(npl / 4),
    BANK_LOANS_LOSS: String(npl / 4),
    BANK_LOANS_TOTAL: "1000",
    ...extra,
  };
}

describe("cn.bank.npl_ratio", () => {
  table(nplRatio, [
    {
      name: "pass",
      input: entity("bank", loans(20)),
      kind: "pass",
      en: `NPL ratio 2.00% is within the regulatory maximum 5.00% (${core.en}).`,
      zh: `不良贷款率为2.00%，不高于监管上限5.00%（${core.zh}）。`,
    },
    {
      name: "exactly 5% passes",
      input: entity("bank", loans(50)),
      kind: "pass",
      en: `NPL ratio 5.00% is within the regulatory maximum 5.00% (${core.en}).`,
      zh: `不良贷款率为5.00%，不高于监管上限5.00%（${core.zh}）。`,
    },
    {
      name: "just above 5% breaches, shown with enough digits",
      input: entity("bank", loans(50, { BANK_LOANS_LOSS: "12.504" })),
      kind: "breach_regulatory",
      en: `NPL ratio 5.0004% exceeds the regulatory maximum 5.0000% (${core.en}).`,
      zh: `不良贷款率为5.0004%，高于监管上限5.0000%（${core.zh}）。`,
    },
    {
      name: "non-performing loans against zero total loans breach",
      input: entity("bank", loans(20, { BANK_LOANS_TOTAL: "0" })),
      kind: "breach_regulatory",
      en: `NPL ratio has a zero denominator (RMB 0.00) against a numerator of RMB 20.00, which is treated as exceeding the regulatory maximum 5.00% (${core.en}).`,
      zh: `不良贷款率的分母为0.00元（零），分子为20.00元，视为高于监管上限5.00%（${core.zh}）。`,
    },
    {
      name: "no loans at all cannot be assessed",
      input: entity("bank", loans(0, { BANK_LOANS_TOTAL: "0" })),
      kind: "not_computable",
      en: "NPL ratio cannot be assessed: its denominator is RMB 0.00 (zero) and its numerator is RMB 0.00.",
      zh: "不良贷款率无法评估：分母为0.00元（零），分子为0.00元。",
    },
    {
      name: "missing total loans",
      input: entity("bank", { BANK_LOANS_SUBSTANDARD: "1", BANK_LOANS_DOUBTFUL: "1", BANK_LOANS_LOSS: "1" }),
      kind: "not_computable",
      en: "NPL ratio cannot be assessed: missing BANK_LOANS_TOTAL (Total loans).",
      zh: "不良贷款率无法评估：缺少BANK_LOANS_TOTAL（各项贷款）。",
    },
    {
      name: "not a bank",
      input: entity("trust", {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers Commercial bank; the entity's type is Trust company.",
      zh: "不适用：本规则适用于商业银行，该主体为信托公司。",
    },
  ]);
});

/** Reserves over non-performing loans of 100 (of total loans 10,000). */
function coverage(reserves: string) {
  return entity("bank", { ...loans(100, { BANK_LOANS_TOTAL: "10000" }), BANK_LOAN_LOSS_RESERVES: reserves });
}
const setFor = (value: string) => ({ perBank: { [BANK_CODE]: value } });

describe("cn.bank.provision_coverage", () => {
  table(provisionCoverage, [
    {
      name: "no bank-specific value: pass at the top of the band",
      input: coverage("150"),
      kind: "pass",
      en: `Provision coverage ratio 150.00% meets the regulatory minimum 120.00% at the floor of the band (no bank-specific requirement is set) and the warning line 150.00% at the top of the band (${notice.en}).`,
      zh: `拨备覆盖率为150.00%，不低于按区间下限计（未对该行设定要求）的监管最低要求120.00%及按区间上限计的预警线150.00%（${notice.zh}）。`,
    },
    {
      name: "no bank-specific value: inside the band is a warning",
      input: coverage("130"),
      kind: "breach_warning",
      en: `Provision coverage ratio 130.00% is below the warning line 150.00% at the top of the band; the regulatory minimum is 120.00% at the floor of the band (no bank-specific requirement is set) (${notice.en}).`,
      zh: `拨备覆盖率为130.00%，低于按区间上限计的预警线150.00%；按区间下限计（未对该行设定要求）的监管最低要求为120.00%（${notice.zh}）。`,
    },
    {
      name: "no bank-specific value: exactly the floor is still a warning",
      input: coverage("120"),
      kind: "breach_warning",
      en: `Provision coverage ratio 120.00% is below the warning line 150.00% at the top of the band; the regulatory minimum is 120.00% at the floor of the band (no bank-specific requirement is set) (${notice.en}).`,
      zh: `拨备覆盖率为120.00%，低于按区间上限计的预警线150.00%；按区间下限计（未对该行设定要求）的监管最低要求为120.00%（${notice.zh}）。`,
    },
    {
      name: "no bank-specific value: below the floor breaches",
      input: coverage("110"),
      kind: "breach_regulatory",
      en: `Provision coverage ratio 110.00% is below the regulatory minimum 120.00% at the floor of the band (no bank-specific requirement is set) (${notice.en}).`,
      zh: `拨备覆盖率为110.00%，低于按区间下限计（未对该行设定要求）的监管最低要求120.00%（${notice.zh}）。`,
    },
    {
      name: "bank-specific value met exactly",
      input: coverage("140"),
      override: setFor("1.4"),
      kind: "pass",
      en: `Provision coverage ratio 140.00% meets the regulatory minimum 140.00% set for this bank (${notice.en}).`,
      zh: `拨备覆盖率为140.00%，不低于对该行设定的监管最低要求140.00%（${notice.zh}）。`,
    },
    {
      name: "bank-specific value missed",
      input: coverage("130"),
      override: setFor("1.4"),
      kind: "breach_regulatory",
      en: `Provision coverage ratio 130.00% is below the regulatory minimum 140.00% set for this bank (${notice.en}).`,
      zh: `拨备覆盖率为130.00%，低于对该行设定的监管最低要求140.00%（${notice.zh}）。`,
    },
    {
      name: "no non-performing loans: coverage is unbounded",
      input: entity("bank", { ...loans(0), BANK_LOAN_LOSS_RESERVES: "10" }),
      kind: "pass",
      en: `Provision coverage ratio has a zero denominator against a numerator of RMB 10.00, so it is unbounded and meets the regulatory minimum 120.00% at the floor of the band (no bank-specific requirement is set) (${notice.en}).`,
      zh: `拨备覆盖率的分母为零，分子为10.00元，比率无上限，不低于按区间下限计（未对该行设定要求）的监管最低要求120.00%（${notice.zh}）。`,
    },
    {
      name: "before the 2018 notice",
      input: { ...coverage("160"), period: "2017-12" },
      kind: "not_applicable",
      en: "Not applicable: the rule is in force from 2018-02-28; period 2017-12 ends 2017-12-31.",
      zh: "不适用：本规则自2018-02-28起施行，报告期2017-12截至2017-12-31。",
    },
  ]);

  it("refuses a bank-specific value outside the band, naming rule and parameter", () => {
    expect(() => evaluateRule(provisionCoverage, coverage("150"), setFor("1.1"))).toThrow(
      `Invalid parameter cn.bank.provision_coverage.perBank: ${BANK_CODE}: 1.1 is outside the band 1.2 to 1.5`,
    );
  });
});

describe("cn.bank.loan_provision_ratio", () => {
  table(loanProvisionRatio, [
    {
      name: "inside the band without a bank-specific value",
      input: entity("bank", { BANK_LOAN_LOSS_RESERVES: "200", BANK_LOANS_TOTAL: "10000" }),
      kind: "breach_warning",
      en: `Loan provision ratio 2.00% is below the warning line 2.50% at the top of the band; the regulatory minimum is 1.50% at the floor of the band (no bank-specific requirement is set) (${notice.en}).`,
      zh: `贷款拨备率为2.00%，低于按区间上限计的预警线2.50%；按区间下限计（未对该行设定要求）的监管最低要求为1.50%（${notice.zh}）。`,
    },
    {
      name: "bank-specific 1.8% met",
      input: entity("bank", { BANK_LOAN_LOSS_RESERVES: "200", BANK_LOANS_TOTAL: "10000" }),
      override: setFor("0.018"),
      kind: "pass",
      en: `Loan provision ratio 2.00% meets the regulatory minimum 1.80% set for this bank (${notice.en}).`,
      zh: `贷款拨备率为2.00%，不低于对该行设定的监管最低要求1.80%（${notice.zh}）。`,
    },
  ]);
});
