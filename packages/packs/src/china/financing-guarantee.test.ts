import { describe } from "vitest";
import {
  classOneAssets,
  classOneTwoAssets,
  classThreeAssets,
  controllerGuarantees,
  guaranteeLeverage,
  singleGuaranteedParty,
  singlePartyWithRelated,
} from "./financing-guarantee.ts";
import { entity, table } from "./test-helpers.ts";

const regs = {
  en: "Regulations on the Supervision and Administration of Financing Guarantee Companies, State Council, 2017",
  zh: "《融资担保公司监督管理条例》，国务院，2017年，国务院令第683号",
};
const ratios = {
  en: "Measures for the Administration of the Asset Ratios of Financing Guarantee Companies, CBIRC, 2018",
  zh: "《融资担保公司资产比例管理办法》，中国银保监会，2018年，银保监发〔2018〕1号",
};
const provisional = { en: " [Threshold provisional: to be confirmed.]", zh: "〔阈值待确认〕" };
const fgc = (facts: Record<string, string>) => entity("financing_guarantee", facts);

describe("cn.fgc.leverage (10x, 15x for small-firm focus)", () => {
  table(guaranteeLeverage, [
    {
      name: "exactly 10x passes",
      input: fgc({ FGC_FIN_GUARANTEE_LIABILITY: "1000", FGC_NET_ASSETS: "100", FGC_SME_AGRI_FOCUS: "0" }),
      kind: "pass",
      en: `Financing guarantee leverage 10.00x is within the regulatory maximum 10.00x (${regs.en}, Arts. 14-15).`,
      zh: `融资担保放大倍数为10.00倍，不高于监管上限10.00倍（${regs.zh}，第十四条至第十五条）。`,
    },
    {
      name: "12x breaches for a general company",
      input: fgc({ FGC_FIN_GUARANTEE_LIABILITY: "1200", FGC_NET_ASSETS: "100", FGC_SME_AGRI_FOCUS: "0" }),
      kind: "breach_regulatory",
      en: `Financing guarantee leverage 12.00x exceeds the regulatory maximum 10.00x (${regs.en}, Arts. 14-15).`,
      zh: `融资担保放大倍数为12.00倍，高于监管上限10.00倍（${regs.zh}，第十四条至第十五条）。`,
    },
    {
      name: "12x passes for a small-firm focused company",
      input: fgc({ FGC_FIN_GUARANTEE_LIABILITY: "1200", FGC_NET_ASSETS: "100", FGC_SME_AGRI_FOCUS: "1" }),
      kind: "pass",
      en: `Financing guarantee leverage 12.00x is within the regulatory maximum 15.00x for companies mainly serving small firms and agriculture (${regs.en}, Arts. 14-15).`,
      zh: `融资担保放大倍数为12.00倍，不高于主要服务小微企业和“三农”的公司监管上限15.00倍（${regs.zh}，第十四条至第十五条）。`,
    },
    {
      name: "the focus flag and net assets both missing",
      input: fgc({ FGC_FIN_GUARANTEE_LIABILITY: "1200" }),
      kind: "not_computable",
      en: "Financing guarantee leverage cannot be assessed: missing FGC_NET_ASSETS (Net assets), FGC_SME_AGRI_FOCUS (Mainly serves small firms and agriculture).",
      zh: "融资担保放大倍数无法评估：缺少FGC_NET_ASSETS（净资产）、FGC_SME_AGRI_FOCUS（主要服务小微企业和农业农村农民）。",
    },
    {
      name: "quarterly returns: not assessed in a mid-quarter month",
      input: entity("financing_guarantee", {}, { period: "2024-08" }),
      kind: "not_applicable",
      en: "Not applicable: the rule is assessed at quarter ends; 2024-08 is not one.",
      zh: "不适用：本规则按季评估，2024-08不是季末。",
    },
  ]);
});

describe("concentration and related parties", () => {
  table(singleGuaranteedParty, [
    {
      name: "single party above 10% of net assets",
      input: fgc({ FGC_LARGEST_PARTY_BALANCE: "10.5", FGC_NET_ASSETS: "100" }),
      kind: "breach_regulatory",
      en: `Largest guaranteed party to net assets 10.50% exceeds the regulatory maximum 10.00% (${regs.en}, Art. 16).`,
      zh: `单一被担保人融资担保责任余额与净资产的比例为10.50%，高于监管上限10.00%（${regs.zh}，第十六条）。`,
    },
  ]);
  table(singlePartyWithRelated, [
    {
      name: "with related parties exactly 15%",
      input: fgc({ FGC_LARGEST_PARTY_RELATED_BALANCE: "15", FGC_NET_ASSETS: "100" }),
      kind: "pass",
      en: `Largest guaranteed party with related parties to net assets 15.00% is within the regulatory maximum 15.00% (${regs.en}, Art. 16).`,
      zh: `单一被担保人及其关联方融资担保责任余额与净资产的比例为15.00%，不高于监管上限15.00%（${regs.zh}，第十六条）。`,
    },
  ]);
  table(controllerGuarantees, [
    {
      name: "no guarantee to the controller",
      input: fgc({ FGC_CONTROLLER_GUARANTEES: "0" }),
      kind: "pass",
      en: `No prohibited conduct reported among: Guarantees to controlling shareholder (${regs.en}, Art. 17).`,
      zh: `未报告禁止行为（检查项：为控股股东、实际控制人提供的担保余额）（${regs.zh}，第十七条）。`,
    },
    {
      name: "a guarantee to the controller",
      input: fgc({ FGC_CONTROLLER_GUARANTEES: "5000000" }),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Guarantees to controlling shareholder (RMB 5,000,000.00) (${regs.en}, Art. 17).`,
      zh: `报告存在禁止行为：为控股股东、实际控制人提供的担保余额（5,000,000.00元）（${regs.zh}，第十七条）。`,
    },
  ]);
});

describe("asset ratios (thresholds to confirm)", () => {
  /** Total assets 1,000 of which 100 compensation receivable: the base is 900. */
  const assets = (c1: string, c2: string, c3: string) =>
    fgc({
      FGC_CLASS1_ASSETS: c1,
      FGC_CLASS2_ASSETS: c2,
      FGC_CLASS3_ASSETS: c3,
      FGC_CLASS1_DEDUCTIONS: "0",
      FGC_CLASS2_DEDUCTIONS: "0",
      FGC_CLASS3_DEDUCTIONS: "0",
      FGC_TOTAL_ASSETS: "1000",
      FGC_COMPENSATION_RECEIVABLE: "100",
    });
  table(classOneAssets, [
    {
      name: "class I exactly 20% of the base",
      input: assets("180", "500", "320"),
      kind: "pass",
      en: `Class I asset ratio 20.00% meets the regulatory minimum 20.00% (${ratios.en}).${provisional.en}`,
      zh: `Ⅰ级资产比例为20.00%，不低于监管最低要求20.00%（${ratios.zh}）。${provisional.zh}`,
    },
  ]);
  table(classOneTwoAssets, [
    {
      name: "class I and II below 70%",
      input: assets("180", "400", "420"),
      kind: "breach_regulatory",
      en: `Class I and II asset ratio 64.44% is below the regulatory minimum 70.00% (${ratios.en}).${provisional.en}`,
      zh: `Ⅰ级、Ⅱ级资产比例为64.44%，低于监管最低要求70.00%（${ratios.zh}）。${provisional.zh}`,
    },
  ]);
  table(classThreeAssets, [
    {
      name: "class III above 30%",
      input: assets("180", "400", "420"),
      kind: "breach_regulatory",
      en: `Class III asset ratio 46.67% exceeds the regulatory maximum 30.00% (${ratios.en}).${provisional.en}`,
      zh: `Ⅲ级资产比例为46.67%，高于监管上限30.00%（${ratios.zh}）。${provisional.zh}`,
    },
  ]);
});
