import { describe } from "vitest";
import {
  crossProvinceApproval,
  jointLendingShare,
  legalPersonCap,
  naturalPersonCap,
  registeredCapital,
} from "./online-small-loan.ts";
import { entity, table } from "./test-helpers.ts";

const draft = {
  en: "Interim Measures for the Administration of Online Small-Loan Business (draft for comment), CBIRC, PBoC, 2020",
  zh: "《网络小额贷款业务管理暂行办法（征求意见稿）》，中国银保监会、中国人民银行，2020年",
};
const art13 = { en: `${draft.en}, Art. 13`, zh: `${draft.zh}，第十三条` };
const provisional = { en: " [Threshold provisional: to be confirmed.]", zh: "〔阈值待确认〕" };
const osl = (facts: Record<string, string>) => entity("online_small_loan", facts);

describe("online small loans (2020 draft, thresholds to confirm)", () => {
  table(jointLendingShare, [
    {
      name: "own share exactly 30%",
      input: osl({ OSL_JOINT_LOANS_OWN: "30", OSL_JOINT_LOANS_TOTAL: "100" }),
      kind: "pass",
      en: `Own share of joint loans 30.00% meets the regulatory minimum 30.00% (${draft.en}).${provisional.en}`,
      zh: `联合贷款出资比例为30.00%，不低于监管最低要求30.00%（${draft.zh}）。${provisional.zh}`,
    },
    {
      name: "own share below 30%",
      input: osl({ OSL_JOINT_LOANS_OWN: "20", OSL_JOINT_LOANS_TOTAL: "100" }),
      kind: "breach_regulatory",
      en: `Own share of joint loans 20.00% is below the regulatory minimum 30.00% (${draft.en}).${provisional.en}`,
      zh: `联合贷款出资比例为20.00%，低于监管最低要求30.00%（${draft.zh}）。${provisional.zh}`,
    },
    {
      name: "no joint loans",
      input: osl({ OSL_JOINT_LOANS_OWN: "0", OSL_JOINT_LOANS_TOTAL: "0" }),
      kind: "not_applicable",
      en: "Not applicable: the rule covers companies with joint loans; OSL_JOINT_LOANS_TOTAL is 0.",
      zh: "不适用：本规则适用于开展联合贷款的公司，OSL_JOINT_LOANS_TOTAL为0。",
    },
    {
      name: "joint loans not reported",
      input: osl({}),
      kind: "not_computable",
      en: "Own contribution to joint loans cannot be assessed: missing OSL_JOINT_LOANS_TOTAL (Joint loans outstanding).",
      zh: "联合贷款出资比例无法评估：缺少OSL_JOINT_LOANS_TOTAL（联合贷款余额）。",
    },
  ]);
  table(naturalPersonCap, [
    {
      name: "exactly RMB 300k",
      input: osl({ OSL_MAX_NATURAL_PERSON_BALANCE: "300000" }),
      kind: "pass",
      en: `Largest natural-person balance RMB 300,000.00 is within the regulatory maximum RMB 300,000.00 (${art13.en}).${provisional.en}`,
      zh: `单户自然人贷款余额（最大）为300,000.00元，不高于监管上限300,000.00元（${art13.zh}）。${provisional.zh}`,
    },
    {
      name: "one fen above",
      input: osl({ OSL_MAX_NATURAL_PERSON_BALANCE: "300000.01" }),
      kind: "breach_regulatory",
      en: `Largest natural-person balance RMB 300,000.01 exceeds the regulatory maximum RMB 300,000.00 (${art13.en}).${provisional.en}`,
      zh: `单户自然人贷款余额（最大）为300,000.01元，高于监管上限300,000.00元（${art13.zh}）。${provisional.zh}`,
    },
  ]);
  table(legalPersonCap, [
    {
      name: "above RMB 1m",
      input: osl({ OSL_MAX_LEGAL_PERSON_BALANCE: "1200000" }),
      kind: "breach_regulatory",
      en: `Largest legal-person balance RMB 1,200,000.00 exceeds the regulatory maximum RMB 1,000,000.00 (${art13.en}).${provisional.en}`,
      zh: `单户法人及其关联方贷款余额（最大）为1,200,000.00元，高于监管上限1,000,000.00元（${art13.zh}）。${provisional.zh}`,
    },
  ]);
  table(registeredCapital, [
    {
      name: "RMB 1bn is enough within the province",
      input: osl({ OSL_PAID_IN_CAPITAL: "1000000000", OSL_CROSS_PROVINCE: "0" }),
      kind: "pass",
      en: `Paid-in registered capital RMB 1,000,000,000.00 meets the regulatory minimum RMB 1,000,000,000.00 (${draft.en}).${provisional.en}`,
      zh: `实缴注册资本为1,000,000,000.00元，不低于监管最低要求1,000,000,000.00元（${draft.zh}）。${provisional.zh}`,
    },
    {
      name: "but not across provinces",
      input: osl({ OSL_PAID_IN_CAPITAL: "1000000000", OSL_CROSS_PROVINCE: "1" }),
      kind: "breach_regulatory",
      en: `Paid-in registered capital RMB 1,000,000,000.00 is below the regulatory minimum RMB 5,000,000,000.00 for cross-province business (${draft.en}).${provisional.en}`,
      zh: `实缴注册资本为1,000,000,000.00元，低于跨省经营监管最低要求5,000,000,000.00元（${draft.zh}）。${provisional.zh}`,
    },
    {
      name: "the cross-province flag is needed to choose the line",
      input: osl({ OSL_PAID_IN_CAPITAL: "1000000000" }),
      kind: "not_computable",
      en: "Paid-in registered capital cannot be assessed: missing OSL_CROSS_PROVINCE (Operates across provinces).",
      zh: "实缴注册资本无法评估：缺少OSL_CROSS_PROVINCE（跨省经营）。",
    },
  ]);
  table(crossProvinceApproval, [
    {
      name: "unapproved cross-province lending",
      input: osl({ OSL_FLAG_UNAPPROVED_CROSS_PROVINCE: "1" }),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Cross-province business without approval (${draft.en}).`,
      zh: `报告存在禁止行为：未经批准跨省经营（${draft.zh}）。`,
    },
  ]);
});
