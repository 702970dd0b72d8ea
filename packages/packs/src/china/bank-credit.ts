/** Commercial banks: credit quality and loan-loss provisioning. */
import { compare, dec } from "@beacon/core/metrics/decimal";
import {
  decimalParam,
  defineParams,
  type LineSpec,
  perInstitutionParam,
  type RuleContext,
  thresholdRule,
} from "@beacon/core/rules/index";
import { confirmed, maximumParams } from "./common.ts";
import { docs, during } from "./legal-basis.ts";

export const nplRatio = thresholdRule({
  id: "cn.bank.npl_ratio",
  version: 1,
  zh: "不良贷款率",
  en: "Non-performing loan ratio",
  family: "bank_credit",
  severity: "high",
  appliesTo: { types: ["bank"] },
  // The Core Indicators (trial) took effect on 2006-01-01.
  effective: { from: "2006-01-01" },
  legalBasis: [docs.coreIndicators],
  leadUnit: "cbrc_cq",
  params: maximumParams("0.05"),
  metric: "BANK_NPL_RATIO",
  comparator: "<=",
  regulatory: "maximum",
});

/**
 * Since 2018-02-28 the provision requirements are set bank by bank within a band. A bank with a set value
 * is held to it; a bank without one breaches for certain below the band floor, and gets a warning below
 * the band top, where its own value may lie.
 */
function perBankParams(floor: string, ceiling: string, en: string, zh: string) {
  return defineParams(
    {
      perBank: perInstitutionParam({}, confirmed(`${en} set for each bank`, `对各行设定的${zh}`)),
      bandFloor: decimalParam(floor, confirmed("Floor of the band", "区间下限")),
      bandCeiling: decimalParam(ceiling, confirmed("Top of the band", "区间上限")),
    },
    (p) => {
      const [low, high] = [dec(p.bandFloor), dec(p.bandCeiling)];
      if (compare(low, high) > 0)
        return { param: "bandFloor", message: "the band floor is above the band top" };
      for (const [code, value] of Object.entries(p.perBank)) {
        if (compare(dec(value), low) < 0 || compare(dec(value), high) > 0) {
          return {
            param: "perBank",
            message: `${code}: ${value} is outside the band ${p.bandFloor} to ${p.bandCeiling}`,
          };
        }
      }
      return undefined;
    },
  );
}

type PerBank = ReturnType<typeof perBankParams>["defaults"];

function perBankLine(p: PerBank, ctx: RuleContext<PerBank>): LineSpec {
  const set = p.perBank[ctx.entity.institution];
  if (set !== undefined)
    return { value: set, params: ["perBank"], qualifier: { en: "set for this bank", zh: "对该行设定的" } };
  return {
    value: p.bandFloor,
    params: ["bandFloor"],
    qualifier: {
      en: "at the floor of the band (no bank-specific requirement is set)",
      zh: "按区间下限计（未对该行设定要求）的",
    },
  };
}

function bandTop(p: PerBank, ctx: RuleContext<PerBank>): LineSpec | undefined {
  if (p.perBank[ctx.entity.institution] !== undefined) return undefined;
  return {
    value: p.bandCeiling,
    params: ["bandCeiling"],
    qualifier: { en: "at the top of the band", zh: "按区间上限计的" },
  };
}

const provisionBasis = [during(docs.provisionNotice2018, "2018-02-28"), docs.newStandards2011];

export const provisionCoverage = thresholdRule({
  id: "cn.bank.provision_coverage",
  version: 1,
  zh: "拨备覆盖率",
  en: "Provision coverage ratio",
  family: "bank_credit",
  severity: "medium",
  appliesTo: { types: ["bank"] },
  effective: { from: "2018-02-28" },
  legalBasis: provisionBasis,
  leadUnit: "cbrc_cq",
  params: perBankParams("1.2", "1.5", "Provision coverage requirement", "拨备覆盖率要求"),
  metric: "BANK_PROVISION_COVERAGE",
  comparator: ">=",
  regulatory: perBankLine,
  warning: bandTop,
});

export const loanProvisionRatio = thresholdRule({
  id: "cn.bank.loan_provision_ratio",
  version: 1,
  zh: "贷款拨备率",
  en: "Loan provision ratio",
  family: "bank_credit",
  severity: "medium",
  appliesTo: { types: ["bank"] },
  effective: { from: "2018-02-28" },
  legalBasis: provisionBasis,
  leadUnit: "cbrc_cq",
  params: perBankParams("0.015", "0.025", "Loan provision requirement", "贷款拨备率要求"),
  metric: "BANK_LOAN_PROVISION_RATIO",
  comparator: ">=",
  regulatory: perBankLine,
  warning: bandTop,
});

export const bankCreditRules = [nplRatio, provisionCoverage, loanProvisionRatio];
