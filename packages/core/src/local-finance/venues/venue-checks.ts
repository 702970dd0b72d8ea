/** The checks run on trading venues, with the text that names each one's legal basis. */

export const venueChecks = {
  holders_over_200: {
    en: "More than 200 actual holders after look-through",
    zh: "穿透后实际持有人超过200人",
    basis: "State Council 国发〔2011〕38号; 国办发〔2012〕37号",
  },
  t_plus_5: {
    en: "Buy and sell of the same listing by one account within 5 trading days (T+5)",
    zh: "同一投资者买入后5个交易日内卖出（T+5）",
    basis: "State Council 国发〔2011〕38号",
  },
  centralised_trading: {
    en: "Centralised trading (call or continuous auction, electronic matching, market making)",
    zh: "采取集中交易方式（集合竞价、连续竞价、电子撮合、做市商等）",
    basis: "国发〔2011〕38号; 国办发〔2012〕37号",
  },
  standardised_units: {
    en: "Split into equal standardised units (standardised contract trading)",
    zh: "权益拆分为均等份额、标准化合约交易",
    basis: "国发〔2011〕38号",
  },
  leverage_trading: {
    en: "High-leverage margin trading",
    zh: "开展期货等高杠杆交易",
    basis: "Chongqing plan, five prohibitions (1)",
  },
  deposit_taking: {
    en: "Solicits deposits or promises fixed interest",
    zh: "高息揽储",
    basis: "Chongqing plan, five prohibitions (2)",
  },
  untargeted_fundraising: {
    en: "Raises funds from the public without fixed targets",
    zh: "无固定对象乱集资",
    basis: "Chongqing plan, five prohibitions (3)",
  },
  fund_pool: {
    en: "Investor funds pooled without segregation",
    zh: "违规设立资金池",
    basis: "Chongqing plan, five prohibitions (4)",
  },
  lending_intermediary: {
    en: "Online lending intermediary business",
    zh: "开展网络借贷中介业务",
    basis: "Chongqing plan, five prohibitions (5)",
  },
  unqualified_investors: {
    en: "Holders not verified as qualified investors",
    zh: "持有人未经合格投资者认定",
    basis: "Chongqing plan: qualified-investor management",
  },
  funds_source_unchecked: {
    en: "Holders whose source of funds was not reviewed",
    zh: "未审查资金来源合法性",
    basis: "Chongqing plan: review of the legality of capital sources",
  },
  excessive_speculation: {
    en: "Turnover above the speculation line",
    zh: "换手率超过过度投机监测线",
    basis: "Chongqing plan: limit excessive speculation (monitoring line)",
  },
  returns_flag: {
    en: "The venue's own return reports a prohibited activity",
    zh: "交易场所报表报告禁止行为",
    basis: "Venue returns (VEN_FLAG_* items)",
  },
} as const;
export type VenueCheck = keyof typeof venueChecks;

/** Prohibition flag items of the venue returns and the check each stands for. */
export const returnFlagChecks: Record<string, VenueCheck> = {
  VEN_FLAG_EQUAL_SHARE_ISSUE: "standardised_units",
  VEN_FLAG_CENTRALISED_TRADING: "centralised_trading",
  VEN_FLAG_CONTINUOUS_LISTING: "t_plus_5",
  VEN_FLAG_STANDARDISED_CONTRACTS: "standardised_units",
  VEN_FLAG_HIGH_LEVERAGE: "leverage_trading",
  VEN_FLAG_HIGH_INTEREST_DEPOSITS: "deposit_taking",
  VEN_FLAG_UNTARGETED_FUNDRAISING: "untargeted_fundraising",
  VEN_FLAG_FUND_POOL: "fund_pool",
  VEN_FLAG_ONLINE_LENDING: "lending_intermediary",
};
