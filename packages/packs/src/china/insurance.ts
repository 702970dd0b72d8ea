/** Insurers: solvency (core, comprehensive, integrated risk rating) and life insurers' short-duration business. */
import { insurerRiskGrades } from "@beacon/core/contract/items";
import {
  choiceParam,
  defineParams,
  defineRule,
  missingVerdict,
  thresholdRule,
} from "@beacon/core/rules/index";
import { confirmed, maximumParams, minimumParams } from "./common.ts";
import { docs } from "./legal-basis.ts";

const solvencyRule = {
  version: 1,
  family: "insurance",
  severity: "high",
  appliesTo: { types: ["life_insurer", "pc_insurer"] },
  effective: { from: "2021-03-01" },
  legalBasis: [docs.solvency2021],
  leadUnit: "circ_cq",
  comparator: ">=",
  regulatory: "minimum",
} as const;

export const coreSolvencyRatio = thresholdRule({
  ...solvencyRule,
  id: "cn.ins.core_solvency_ratio",
  zh: "核心偿付能力充足率",
  en: "Core solvency ratio",
  params: minimumParams("0.5"),
  metric: "INS_CORE_SOLVENCY_RATIO",
});

export const comprehensiveSolvencyRatio = thresholdRule({
  ...solvencyRule,
  id: "cn.ins.comprehensive_solvency_ratio",
  zh: "综合偿付能力充足率",
  en: "Comprehensive solvency ratio",
  params: minimumParams("1"),
  metric: "INS_COMPREHENSIVE_SOLVENCY_RATIO",
  notes: [
    "Minimum capital is reported with any differentiated multiplier (NFRA 2023: 90% or 95% by size) applied.",
  ],
});

const gradeName = { en: "Integrated risk rating", zh: "风险综合评级" };

/** Grades rank from AAA down to D; a grade passes when it ranks at or above the lowest compliant one. */
export const integratedRiskRating = defineRule({
  id: "cn.ins.integrated_risk_rating",
  version: 1,
  zh: "风险综合评级",
  en: "Integrated risk rating",
  family: "insurance",
  severity: "high",
  appliesTo: { types: ["life_insurer", "pc_insurer"] },
  effective: { from: "2021-03-01" },
  legalBasis: [docs.solvency2021],
  leadUnit: "circ_cq",
  reads: ["INS_IRR_GRADE"],
  params: defineParams({
    lowestCompliant: choiceParam(
      insurerRiskGrades,
      "B",
      confirmed("Lowest compliant grade (B class: BBB, BB, B)", "最低达标评级（B类：BBB、BB、B）"),
    ),
  }),
  evaluate(ctx) {
    const grade = ctx.text("INS_IRR_GRADE");
    if (grade === undefined) return missingVerdict(gradeName, ["INS_IRR_GRADE"]);
    const lowest = ctx.params.lowestCompliant;
    const ok =
      insurerRiskGrades.indexOf(grade as (typeof insurerRiskGrades)[number]) <=
      insurerRiskGrades.indexOf(lowest);
    const cite = ctx.citation;
    return ok
      ? {
          kind: "pass",
          value: { text: grade },
          explanation: {
            en: `${gradeName.en} ${grade} meets the required ${lowest} or better (${cite.en}).`,
            zh: `${gradeName.zh}为${grade}，达到${lowest}类及以上的要求（${cite.zh}）。`,
          },
        }
      : {
          kind: "breach_regulatory",
          line: "regulatory",
          value: { text: grade },
          explanation: {
            en: `${gradeName.en} ${grade} is below the required ${lowest} or better (${cite.en}).`,
            zh: `${gradeName.zh}为${grade}，未达到${lowest}类及以上的要求（${cite.zh}）。`,
          },
        };
  },
});

const lifeRule = {
  version: 1,
  family: "insurance",
  severity: "medium",
  appliesTo: { types: ["life_insurer"] },
  legalBasis: [docs.shortDuration2016],
  leadUnit: "circ_cq",
  notes: [
    "Premiums are year to date, so the annual test is exact at the fourth quarter and a lower bound before.",
  ],
} as const;

export const shortMediumMultiple = thresholdRule({
  ...lifeRule,
  id: "cn.ins.short_medium_premium_multiple",
  zh: "中短存续期产品保费规模",
  en: "Short/medium-duration premiums to capital",
  effective: { from: "2016-01-01" },
  params: maximumParams("2", confirmed("Ceiling (must stay below)", "上限（须低于）")),
  metric: "INS_SHORT_MEDIUM_MULTIPLE",
  comparator: "<",
  regulatory: "maximum",
});

export const shortMediumShare = thresholdRule({
  ...lifeRule,
  id: "cn.ins.short_medium_premium_share",
  zh: "中短存续期产品保费占比",
  en: "Short/medium-duration premium share",
  effective: { from: "2018-01-01" },
  params: maximumParams("0.5"),
  metric: "INS_SHORT_MEDIUM_SHARE",
  comparator: "<=",
  regulatory: "maximum",
});

export const insuranceRules = [
  coreSolvencyRatio,
  comprehensiveSolvencyRatio,
  integratedRiskRating,
  shortMediumMultiple,
  shortMediumShare,
];
