import { describe } from "vitest";
import {
  comprehensiveSolvencyRatio,
  coreSolvencyRatio,
  integratedRiskRating,
  shortMediumMultiple,
  shortMediumShare,
} from "./insurance.ts";
import { entity, table } from "./test-helpers.ts";

const solvency = {
  en: "Regulations on the Solvency Management of Insurance Companies, CBIRC, 2021",
  zh: "《保险公司偿付能力管理规定》，中国银保监会，2021年，中国银保监会令2021年第1号",
};
const notice = {
  en: "Notice on Regulating Short- and Medium-Duration Life Insurance Products, CIRC, 2016",
  zh: "《关于规范中短存续期人身保险产品有关事项的通知》，中国保监会，2016年",
};

describe("solvency ratios", () => {
  table(coreSolvencyRatio, [
    {
      name: "core solvency exactly 50%",
      input: entity("pc_insurer", { INS_CORE_CAPITAL: "50", INS_MINIMUM_CAPITAL: "100" }),
      kind: "pass",
      en: `Core solvency ratio 50.00% meets the regulatory minimum 50.00% (${solvency.en}).`,
      zh: `核心偿付能力充足率为50.00%，不低于监管最低要求50.00%（${solvency.zh}）。`,
    },
    {
      name: "core solvency below 50%",
      input: entity("life_insurer", { INS_CORE_CAPITAL: "49", INS_MINIMUM_CAPITAL: "100" }),
      kind: "breach_regulatory",
      en: `Core solvency ratio 49.00% is below the regulatory minimum 50.00% (${solvency.en}).`,
      zh: `核心偿付能力充足率为49.00%，低于监管最低要求50.00%（${solvency.zh}）。`,
    },
    {
      name: "quarterly returns only at quarter ends",
      input: entity(
        "life_insurer",
        { INS_CORE_CAPITAL: "49", INS_MINIMUM_CAPITAL: "100" },
        { period: "2024-Q3" },
      ),
      kind: "breach_regulatory",
      en: `Core solvency ratio 49.00% is below the regulatory minimum 50.00% (${solvency.en}).`,
      zh: `核心偿付能力充足率为49.00%，低于监管最低要求50.00%（${solvency.zh}）。`,
    },
  ]);
  table(comprehensiveSolvencyRatio, [
    {
      name: "comprehensive solvency below 100%",
      input: entity("life_insurer", { INS_ACTUAL_CAPITAL: "99.5", INS_MINIMUM_CAPITAL: "100" }),
      kind: "breach_regulatory",
      en: `Comprehensive solvency ratio 99.50% is below the regulatory minimum 100.00% (${solvency.en}).`,
      zh: `综合偿付能力充足率为99.50%，低于监管最低要求100.00%（${solvency.zh}）。`,
    },
  ]);
});

describe("cn.ins.integrated_risk_rating", () => {
  const rated = (grade: string) => entity("life_insurer", { INS_IRR_GRADE: grade });
  table(integratedRiskRating, [
    {
      name: "AAA passes",
      input: rated("AAA"),
      kind: "pass",
      en: `Integrated risk rating AAA meets the required B or better (${solvency.en}).`,
      zh: `风险综合评级为AAA，达到B类及以上的要求（${solvency.zh}）。`,
    },
    {
      name: "B, the lowest compliant grade, passes",
      input: rated("B"),
      kind: "pass",
      en: `Integrated risk rating B meets the required B or better (${solvency.en}).`,
      zh: `风险综合评级为B，达到B类及以上的要求（${solvency.zh}）。`,
    },
    {
      name: "C breaches",
      input: rated("C"),
      kind: "breach_regulatory",
      en: `Integrated risk rating C is below the required B or better (${solvency.en}).`,
      zh: `风险综合评级为C，未达到B类及以上的要求（${solvency.zh}）。`,
    },
    {
      name: "a stricter governed grade",
      input: rated("B"),
      override: { lowestCompliant: "BB" },
      kind: "breach_regulatory",
      en: `Integrated risk rating B is below the required BB or better (${solvency.en}).`,
      zh: `风险综合评级为B，未达到BB类及以上的要求（${solvency.zh}）。`,
    },
    {
      name: "no rating reported",
      input: entity("life_insurer", {}),
      kind: "not_computable",
      en: "Integrated risk rating cannot be assessed: missing INS_IRR_GRADE (Integrated risk rating).",
      zh: "风险综合评级无法评估：缺少INS_IRR_GRADE（风险综合评级）。",
    },
  ]);
});

describe("short- and medium-duration products (life insurers)", () => {
  const life = (premiums: string) =>
    entity("life_insurer", {
      INS_SHORT_MEDIUM_PREMIUMS: premiums,
      INS_INVESTED_CAPITAL: "100",
      INS_NET_ASSETS: "80",
      INS_PREMIUMS: "1000",
    });
  table(shortMediumMultiple, [
    {
      name: "below twice the larger of invested capital and net assets",
      input: life("199"),
      kind: "pass",
      en: `Short/medium-duration premiums to capital 1.99x is below the regulatory ceiling 2.00x (${notice.en}).`,
      zh: `中短存续期产品保费与投入资本或净资产的倍数为1.99倍，低于监管上限2.00倍（${notice.zh}）。`,
    },
    {
      name: "exactly twice breaches a strict ceiling",
      input: life("200"),
      kind: "breach_regulatory",
      en: `Short/medium-duration premiums to capital 2.00x is not below the regulatory ceiling 2.00x (${notice.en}).`,
      zh: `中短存续期产品保费与投入资本或净资产的倍数为2.00倍，未低于监管上限2.00倍（${notice.zh}）。`,
    },
    {
      name: "property insurers are not covered",
      input: entity("pc_insurer", {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers Life insurer; the entity's type is Property and casualty insurer.",
      zh: "不适用：本规则适用于人身保险公司，该主体为财产保险公司。",
    },
  ]);
  table(shortMediumShare, [
    {
      name: "share above 50%",
      input: life("510"),
      kind: "breach_regulatory",
      en: `Short/medium-duration premium share 51.00% exceeds the regulatory maximum 50.00% (${notice.en}).`,
      zh: `中短存续期产品保费占比为51.00%，高于监管上限50.00%（${notice.zh}）。`,
    },
    {
      name: "not before 2018",
      input: { ...life("510"), period: "2017-12" },
      kind: "not_applicable",
      en: "Not applicable: the rule is in force from 2018-01-01; period 2017-12 ends 2017-12-31.",
      zh: "不适用：本规则自2018-01-01起施行，报告期2017-12截至2017-12-31。",
    },
  ]);
});
