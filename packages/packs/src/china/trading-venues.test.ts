import { describe } from "vitest";
import { entity, table } from "./test-helpers.ts";
import { chongqingFiveProhibitions, decision38Prohibitions } from "./trading-venues.ts";

const decision = {
  en: "Decision on Cleaning Up and Rectifying Trading Venues to Prevent Financial Risks, State Council, 2011",
  zh: "《国务院关于清理整顿各类交易场所切实防范金融风险的决定》，国务院，2011年，国发〔2011〕38号",
};
const plan = {
  en: "Chongqing plan for preventing and resolving major financial risks, Chongqing municipality, Part 2(1)",
  zh: "《重庆市防范化解重大金融风险工作方案》，重庆市，第二部分第（一）项",
};
const clean38 = {
  VEN_FLAG_EQUAL_SHARE_ISSUE: "0",
  VEN_FLAG_CENTRALISED_TRADING: "0",
  VEN_FLAG_CONTINUOUS_LISTING: "0",
  VEN_FLAG_STANDARDISED_CONTRACTS: "0",
};
const cleanFive = {
  VEN_FLAG_HIGH_LEVERAGE: "0",
  VEN_FLAG_HIGH_INTEREST_DEPOSITS: "0",
  VEN_FLAG_UNTARGETED_FUNDRAISING: "0",
  VEN_FLAG_FUND_POOL: "0",
  VEN_FLAG_ONLINE_LENDING: "0",
};
const { VEN_FLAG_FUND_POOL: _reported, ...withoutFundPool } = cleanFive;
const venue = (facts: Record<string, string>) => entity("trading_venue", facts);

describe("trading venues", () => {
  table(decision38Prohibitions, [
    {
      name: "no prohibited practice",
      input: venue(clean38),
      kind: "pass",
      en: `No prohibited conduct reported among: Equal-share public issue; Centralised trading; Continuous listing in standard units; Standardised contract trading (${decision.en}).`,
      zh: `未报告禁止行为（检查项：权益拆分为均等份额公开发行；采取集中交易方式交易；按标准化交易单位持续挂牌交易；集中交易标准化合约）（${decision.zh}）。`,
    },
    {
      name: "centralised trading",
      input: venue({ ...clean38, VEN_FLAG_CENTRALISED_TRADING: "1" }),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Centralised trading (${decision.en}).`,
      zh: `报告存在禁止行为：采取集中交易方式交易（${decision.zh}）。`,
    },
  ]);
  table(chongqingFiveProhibitions, [
    {
      name: "a fund pool and online lending",
      input: venue({ ...cleanFive, VEN_FLAG_FUND_POOL: "1", VEN_FLAG_ONLINE_LENDING: "1" }),
      kind: "breach_regulatory",
      en: `Prohibited conduct reported: Fund pool; Online lending intermediation (${plan.en}).`,
      zh: `报告存在禁止行为：违规设立资金池；开展网络借贷中介业务（${plan.zh}）。`,
    },
    {
      name: "one flag missing",
      input: venue(withoutFundPool),
      kind: "not_computable",
      en: "Factor-market five prohibitions (Chongqing) cannot be assessed: missing VEN_FLAG_FUND_POOL (Fund pool).",
      zh: "要素市场“五不得”（重庆）无法评估：缺少VEN_FLAG_FUND_POOL（违规设立资金池）。",
    },
    {
      name: "not a venue",
      input: entity("pawn", {}),
      kind: "not_applicable",
      en: "Not applicable: the rule covers Local trading venue; the entity's type is Pawnshop.",
      zh: "不适用：本规则适用于地方交易场所，该主体为典当行。",
    },
  ]);
});
