import { describe } from "vitest";
import { lateFilings } from "./disclosure.ts";
import { entity, table } from "./test-helpers.ts";

const plan = {
  en: "Chongqing plan for preventing and resolving major financial risks, Chongqing municipality, Part 1(3)",
  zh: "《重庆市防范化解重大金融风险工作方案》，重庆市，第一部分第（三）项",
};
const provisional = { en: " [Threshold provisional: to be confirmed.]", zh: "〔阈值待确认〕" };

describe("cn.gen.late_filings", () => {
  table(lateFilings, [
    {
      name: "nothing late",
      input: entity("pawn", { GEN_FILINGS_LATE: "0" }),
      kind: "pass",
      en: `Filings late 0 is within the regulatory maximum 0 (${plan.en}).${provisional.en}`,
      zh: `逾期报送报告和披露件数为0，不高于监管上限0（${plan.zh}）。${provisional.zh}`,
    },
    {
      name: "two late filings",
      input: entity("bank", { GEN_FILINGS_LATE: "2" }),
      kind: "breach_regulatory",
      en: `Filings late 2 exceeds the regulatory maximum 0 (${plan.en}).${provisional.en}`,
      zh: `逾期报送报告和披露件数为2，高于监管上限0（${plan.zh}）。${provisional.zh}`,
    },
    {
      name: "a tolerance set by governance",
      input: entity("bank", { GEN_FILINGS_LATE: "2" }),
      override: { maximum: "2" },
      kind: "pass",
      en: `Filings late 2 is within the regulatory maximum 2 (${plan.en}).`,
      zh: `逾期报送报告和披露件数为2，不高于监管上限2（${plan.zh}）。`,
    },
    {
      name: "products do not file",
      input: entity("am_product", {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers Commercial bank, Securities firm, Futures firm, Public fund manager, Private fund manager, Trust company, Life insurer, Property and casualty insurer, Small-loan company, Online small-loan company, Financing guarantee company, Financial leasing company, Pawnshop, Commercial factoring company, Local trading venue, Local asset-management company, Investment-consulting company, Internet lending platform; the entity's type is Asset-management product.",
      zh: "不适用：本规则适用于商业银行、证券公司、期货公司、公募基金管理人、私募基金管理人、信托公司、人身保险公司、财产保险公司、小额贷款公司、网络小额贷款公司、融资担保公司、融资租赁公司、典当行、商业保理公司、地方交易场所、地方资产管理公司、投资咨询公司、网络借贷平台，该主体为资管产品。",
    },
  ]);
});
