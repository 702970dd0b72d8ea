import { describe } from "vitest";
import {
  bankBorrowing2008,
  cashLoanCost,
  interCompanyBorrowing,
  lendingBanks2008,
  nonStandardFinancing,
  singleBorrower,
  singleBorrower2008,
  singleBorrowerRelated,
  standardisedFinancing,
  threeRedLines,
} from "./small-loan.ts";
import { entity, table } from "./test-helpers.ts";

const pilot = {
  en: "Guiding Opinions on the Pilot Programme of Small-Loan Companies, CBRC, PBoC, 2008",
  zh: "《关于小额贷款公司试点的指导意见》，中国银监会、中国人民银行，2008年，银监发〔2008〕23号",
};
const notice = {
  en: "Notice on Strengthening the Supervision and Administration of Small-Loan Companies, CBIRC, 2020",
  zh: "《关于加强小额贷款公司监督管理的通知》，中国银保监会，2020年，银保监办发〔2020〕86号",
};
const plan = {
  en: "Chongqing plan for preventing and resolving major financial risks, Chongqing municipality, Part 2(2)",
  zh: "《重庆市防范化解重大金融风险工作方案》，重庆市，第二部分第（二）项",
};
const provisional = { en: " [Threshold provisional: to be confirmed.]", zh: "〔阈值待确认〕" };
const slc = (facts: Record<string, string>, period = "2024-12") => entity("small_loan", facts, { period });

describe("2008 pilot limits (until 2020-09-15)", () => {
  table(bankBorrowing2008, [
    {
      name: "bank borrowing exactly half of net capital in 2019",
      input: slc({ SLC_BANK_BORROWINGS: "50", SLC_NET_CAPITAL: "100" }, "2019-06"),
      kind: "pass",
      en: `Bank borrowings to net capital 50.00% is within the regulatory maximum 50.00% (${pilot.en}).`,
      zh: `银行融入资金与资本净额的比例为50.00%，不高于监管上限50.00%（${pilot.zh}）。`,
    },
    {
      name: "replaced by the 2020 notice",
      input: slc({ SLC_BANK_BORROWINGS: "50", SLC_NET_CAPITAL: "100" }),
      kind: "not_applicable",
      en: "Not applicable: the rule is in force from 2008-05-04 to 2020-09-15; period 2024-12 ends 2024-12-31.",
      zh: "不适用：本规则施行期间为2008-05-04至2020-09-15，报告期2024-12截至2024-12-31。",
    },
  ]);
  table(lendingBanks2008, [
    {
      name: "three lending banks",
      input: slc({ SLC_BANK_LENDER_COUNT: "3" }, "2019-06"),
      kind: "breach_regulatory",
      en: `Number of lending banks 3 exceeds the regulatory maximum 2 (${pilot.en}).`,
      zh: `融入资金的银行业金融机构数为3，高于监管上限2（${pilot.zh}）。`,
    },
  ]);
  table(singleBorrower2008, [
    {
      name: "largest borrower above 5% of net capital",
      input: slc({ SLC_LARGEST_BORROWER_BALANCE: "6", SLC_NET_CAPITAL: "100" }, "2019-06"),
      kind: "breach_regulatory",
      en: `Largest borrower to net capital 6.00% exceeds the regulatory maximum 5.00% (${pilot.en}).`,
      zh: `单一借款人贷款余额与资本净额的比例为6.00%，高于监管上限5.00%（${pilot.zh}）。`,
    },
  ]);
});

describe("2020 notice: leverage and concentration", () => {
  table(nonStandardFinancing, [
    {
      name: "bank plus shareholder borrowing exactly equal to net assets",
      input: slc({ SLC_BANK_BORROWINGS: "60", SLC_SHAREHOLDER_BORROWINGS: "40", SLC_NET_ASSETS: "100" }),
      kind: "pass",
      en: `Non-standard financing to net assets 1.00x is within the regulatory maximum 1.00x (${notice.en}).`,
      zh: `非标准化融资与净资产的倍数为1.00倍，不高于监管上限1.00倍（${notice.zh}）。`,
    },
    {
      name: "above 1x",
      input: slc({ SLC_BANK_BORROWINGS: "60", SLC_SHAREHOLDER_BORROWINGS: "40.5", SLC_NET_ASSETS: "100" }),
      kind: "breach_regulatory",
      en: `Non-standard financing to net assets 1.01x exceeds the regulatory maximum 1.00x (${notice.en}).`,
      zh: `非标准化融资与净资产的倍数为1.01倍，高于监管上限1.00倍（${notice.zh}）。`,
    },
    {
      name: "borrowing against negative net assets breaches",
      input: slc({ SLC_BANK_BORROWINGS: "10", SLC_SHAREHOLDER_BORROWINGS: "0", SLC_NET_ASSETS: "-20" }),
      kind: "breach_regulatory",
      en: `Non-standard financing to net assets has a negative denominator (RMB -20.00) against a numerator of RMB 10.00, which is treated as exceeding the regulatory maximum 1.00x (${notice.en}).`,
      zh: `非标准化融资与净资产的倍数的分母为-20.00元（负数），分子为10.00元，视为高于监管上限1.00倍（${notice.zh}）。`,
    },
    {
      name: "online small-loan companies are covered too",
      input: entity("online_small_loan", {
        SLC_BANK_BORROWINGS: "200",
        SLC_SHAREHOLDER_BORROWINGS: "0",
        SLC_NET_ASSETS: "100",
      }),
      kind: "breach_regulatory",
      en: `Non-standard financing to net assets 2.00x exceeds the regulatory maximum 1.00x (${notice.en}).`,
      zh: `非标准化融资与净资产的倍数为2.00倍，高于监管上限1.00倍（${notice.zh}）。`,
    },
  ]);
  table(standardisedFinancing, [
    {
      name: "bonds and ABS within 4x",
      input: slc({ SLC_STANDARDISED_FINANCING: "400", SLC_NET_ASSETS: "100" }),
      kind: "pass",
      en: `Standardised financing to net assets 4.00x is within the regulatory maximum 4.00x (${notice.en}).`,
      zh: `标准化债权类资产融资与净资产的倍数为4.00倍，不高于监管上限4.00倍（${notice.zh}）。`,
    },
  ]);
  table(singleBorrower, [
    {
      name: "largest borrower above 10% of net assets",
      input: slc({ SLC_LARGEST_BORROWER_BALANCE: "11", SLC_NET_ASSETS: "100" }),
      kind: "breach_regulatory",
      en: `Largest borrower to net assets 11.00% exceeds the regulatory maximum 10.00% (${notice.en}).`,
      zh: `单一借款人贷款余额与净资产的比例为11.00%，高于监管上限10.00%（${notice.zh}）。`,
    },
  ]);
  table(singleBorrowerRelated, [
    {
      name: "with related parties exactly 15%",
      input: slc({ SLC_LARGEST_BORROWER_RELATED_BALANCE: "15", SLC_NET_ASSETS: "100" }),
      kind: "pass",
      en: `Largest borrower with related parties to net assets 15.00% is within the regulatory maximum 15.00% (${notice.en}).`,
      zh: `单一借款人及其关联方贷款余额与净资产的比例为15.00%，不高于监管上限15.00%（${notice.zh}）。`,
    },
  ]);
});

describe("Chongqing rules, cash loans and red lines", () => {
  table(interCompanyBorrowing, [
    {
      name: "borrowing from other SLCs above 30% (to confirm)",
      input: slc({ SLC_INTER_SLC_BORROWED: "31", SLC_NET_CAPITAL: "100" }),
      kind: "breach_regulatory",
      en: `Funds borrowed from other SLCs to net capital 31.00% exceeds the regulatory maximum 30.00% (Chongqing rules on borrowing between small-loan companies (title unverified), Chongqing municipality).${provisional.en}`,
      zh: `拆入资金与资本净额的比例为31.00%，高于监管上限30.00%（《重庆市小额贷款公司拆借资金管理规定（标题待核实）》，重庆市）。${provisional.zh}`,
    },
    {
      name: "online small-loan companies are not covered",
      input: entity("online_small_loan", {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers Small-loan company; the entity's type is Online small-loan company.",
      zh: "不适用：本规则适用于小额贷款公司，该主体为网络小额贷款公司。",
    },
  ]);
  table(cashLoanCost, [
    {
      name: "36% all-in cost passes",
      input: slc({ SLC_MAX_ANNUALISED_COST: "0.36" }),
      kind: "pass",
      en: "Highest all-in annualised cost 36.00% is within the regulatory maximum 36.00% (Notice on Regulating and Rectifying Cash-Loan Business, Internet-finance and P2P rectification offices, 2017).",
      zh: "最高综合年化成本为36.00%，不高于监管上限36.00%（《关于规范整顿“现金贷”业务的通知》，互联网金融风险专项整治工作领导小组办公室、P2P网络借贷风险专项整治工作领导小组办公室，2017年，整治办函〔2017〕141号）。",
    },
    {
      name: "above 36% breaches",
      input: slc({ SLC_MAX_ANNUALISED_COST: "0.3601" }),
      kind: "breach_regulatory",
      en: "Highest all-in annualised cost 36.01% exceeds the regulatory maximum 36.00% (Notice on Regulating and Rectifying Cash-Loan Business, Internet-finance and P2P rectification offices, 2017).",
      zh: "最高综合年化成本为36.01%，高于监管上限36.00%（《关于规范整顿“现金贷”业务的通知》，互联网金融风险专项整治工作领导小组办公室、P2P网络借贷风险专项整治工作领导小组办公室，2017年，整治办函〔2017〕141号）。",
    },
  ]);
  const flags = (deposits: string, rates: string, collection?: string) =>
    slc({
      SLC_FLAG_ILLEGAL_DEPOSITS: deposits,
      SLC_FLAG_UNLAWFUL_RATES: rates,
      ...(collection === undefined ? {} : { SLC_FLAG_ILLEGAL_COLLECTION: collection }),
    });
  table(threeRedLines, [
    {
      name: "no red line crossed",
      input: flags("0", "0", "0"),
      kind: "pass",
      en: `No prohibited conduct reported among: Illegal fund-raising or public deposits; Loans at unlawful rates; Violent or intimidating collection (${plan.en}).`,
      zh: `未报告禁止行为（检查项：非法集资或吸收公众存款；违规利率放贷；暴力恐吓等非法催收）（${plan.zh}）。`,
    },
    {
      name: "two red lines crossed",
      input: flags("1", "0", "1"),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Illegal fund-raising or public deposits; Violent or intimidating collection (${plan.en}).`,
      zh: `报告存在禁止行为：非法集资或吸收公众存款；暴力恐吓等非法催收（${plan.zh}）。`,
    },
    {
      name: "a crossed line decides even with a flag missing",
      input: flags("0", "1"),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Loans at unlawful rates (${plan.en}).`,
      zh: `报告存在禁止行为：违规利率放贷（${plan.zh}）。`,
    },
    {
      name: "a missing flag otherwise leaves it open",
      input: flags("0", "0"),
      kind: "not_computable",
      en: "Small-loan companies' three red lines cannot be assessed: missing SLC_FLAG_ILLEGAL_COLLECTION (Violent or intimidating collection).",
      zh: "小额贷款公司“三条红线”无法评估：缺少SLC_FLAG_ILLEGAL_COLLECTION（暴力恐吓等非法催收）。",
    },
  ]);
});
