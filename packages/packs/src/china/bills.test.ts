import { describe } from "vitest";
import { acceptanceConcentration, acceptanceMargin } from "./bills.ts";
import { entity, table } from "./test-helpers.ts";

const measures = {
  en: "Measures for the Administration of the Acceptance, Discount and Rediscount of Commercial Drafts, PBoC, CBIRC, 2022",
  zh: "《商业汇票承兑、贴现与再贴现管理办法》，中国人民银行、中国银保监会，2022年，中国人民银行 中国银行保险监督管理委员会令〔2022〕第4号",
};

describe("bills", () => {
  table(acceptanceConcentration, [
    {
      name: "acceptances exactly 15% of total assets",
      input: entity("bank", { BANK_ACCEPTANCES_OUTSTANDING: "150", BANK_TOTAL_ASSETS: "1000" }),
      kind: "pass",
      en: `Acceptances to total assets 15.00% is within the regulatory maximum 15.00% (${measures.en}).`,
      zh: `承兑余额占总资产比例为15.00%，不高于监管上限15.00%（${measures.zh}）。`,
    },
    {
      name: "above 15%",
      input: entity("bank", { BANK_ACCEPTANCES_OUTSTANDING: "160", BANK_TOTAL_ASSETS: "1000" }),
      kind: "breach_regulatory",
      en: `Acceptances to total assets 16.00% exceeds the regulatory maximum 15.00% (${measures.en}).`,
      zh: `承兑余额占总资产比例为16.00%，高于监管上限15.00%（${measures.zh}）。`,
    },
    {
      name: "not before 2024",
      input: entity(
        "bank",
        { BANK_ACCEPTANCES_OUTSTANDING: "160", BANK_TOTAL_ASSETS: "1000" },
        { period: "2023-12" },
      ),
      kind: "not_applicable",
      en: "Not applicable: the rule is in force from 2024-01-01; period 2023-12 ends 2023-12-31.",
      zh: "不适用：本规则自2024-01-01起施行，报告期2023-12截至2023-12-31。",
    },
  ]);
  table(acceptanceMargin, [
    {
      name: "margin deposits above 10% of deposits",
      input: entity("bank", { BANK_ACCEPTANCE_MARGIN: "120", BANK_DEPOSITS: "1000" }),
      kind: "breach_regulatory",
      en: `Acceptance margin to deposits 12.00% exceeds the regulatory maximum 10.00% (${measures.en}).`,
      zh: `承兑保证金占存款比例为12.00%，高于监管上限10.00%（${measures.zh}）。`,
    },
    {
      name: "missing deposits",
      input: entity("bank", { BANK_ACCEPTANCE_MARGIN: "120" }),
      kind: "not_computable",
      en: "Acceptance margin to deposits cannot be assessed: missing BANK_DEPOSITS (Total deposits).",
      zh: "承兑保证金占存款比例无法评估：缺少BANK_DEPOSITS（各项存款）。",
    },
  ]);
});
