/**
 * The governed phrase list of the fund-raising text signals, as shipped (version 1). Runs never read this file
 * directly: they read the approved version in force from lf_phrase_lists, which starts as this list and changes
 * only through a proposal approved by a second person (propose-phrase-list.ts, decide-phrase-list.ts).
 *
 * Categories follow the elements of illegal fund-raising in the SPC interpretation (法释〔2010〕18号, amended
 * 2022) Art. 1: a promise of principal or return, public promotion, and fund-taking without approval.
 */
import { z } from "zod";

export const phraseCategories = [
  /** Principal or return promised: 保本保息, 到期还本付息. */
  "guarantee",
  /** Risk denied: 零风险, 稳赚不赔. */
  "no_risk",
  /** High or fixed return advertised: 高额回报, 年化收益. */
  "high_return",
  /** Rebates for bringing in friends and relatives (pyramid-like recruitment). */
  "referral",
  /** Public promotion channels named in the text: 微信群, 推介会, 讲座. */
  "promotion",
  /** Financial business declared (taking funds, lending, wealth management): compared with the licence held. */
  "financial_activity",
] as const;
export type PhraseCategory = (typeof phraseCategories)[number];

export const phraseEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{2,40}$/, "ids are lower-case words joined by underscores"),
  /** A literal phrase; matched case-insensitively, whitespace-insensitively for English. */
  phrase: z.string().trim().min(2).max(60),
  lang: z.enum(["zh", "en"]),
  category: z.enum(phraseCategories),
  /** Contribution of one hit to its dimension; categories are capped, so weights rank phrases rather than add up. */
  weight: z.number().min(0.05).max(1),
});
export type PhraseEntry = z.infer<typeof phraseEntrySchema>;

export const phraseListSchema = z
  .array(phraseEntrySchema)
  .min(1)
  .max(2000)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, e] of list.entries()) {
      if (seen.has(e.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate id ${e.id}` });
      seen.add(e.id);
    }
  });

const zh = (id: string, phrase: string, category: PhraseCategory, weight: number): PhraseEntry => ({
  id,
  phrase,
  lang: "zh",
  category,
  weight,
});
const en = (id: string, phrase: string, category: PhraseCategory, weight: number): PhraseEntry => ({
  id,
  phrase,
  lang: "en",
  category,
  weight,
});

/** Version 1 of the list, seeded at first use as approved by "shipped". */
export const shippedPhraseList: readonly PhraseEntry[] = [
  zh("bao_ben_bao_xi", "保本保息", "guarantee", 1),
  zh("bao_ben", "保本", "guarantee", 0.8),
  zh("bao_xi", "保息", "guarantee", 0.8),
  zh("huan_ben_fu_xi", "还本付息", "guarantee", 0.8),
  zh("ben_jin_wu_you", "本金无忧", "guarantee", 0.8),
  zh("gang_xing_dui_fu", "刚性兑付", "guarantee", 0.8),
  zh("zheng_fu_dan_bao", "政府背景担保", "guarantee", 0.8),
  zh("zheng_fu_bei_jing", "政府背景", "guarantee", 0.5),
  zh("quan_e_dan_bao", "全额担保", "guarantee", 0.6),
  zh("an_yue_fu_xi", "按月付息", "guarantee", 0.5),
  zh("wen_zhuan_bu_pei", "稳赚不赔", "no_risk", 1),
  zh("ling_feng_xian", "零风险", "no_risk", 1),
  zh("wu_feng_xian", "无风险", "no_risk", 1),
  zh("jue_dui_an_quan", "绝对安全", "no_risk", 0.8),
  zh("zhi_zhang_bu_die", "只涨不跌", "no_risk", 0.8),
  zh("tang_zhuan", "躺赚", "no_risk", 0.6),
  zh("gao_e_hui_bao", "高额回报", "high_return", 1),
  zh("gao_hui_bao", "高回报", "high_return", 0.8),
  zh("gao_shou_yi", "高收益", "high_return", 0.6),
  zh("gao_xi", "高息", "high_return", 0.8),
  zh("gu_ding_hui_bao", "固定回报", "high_return", 0.6),
  zh("gu_ding_shou_yi", "固定收益", "high_return", 0.4),
  zh("nian_hua_shou_yi", "年化收益", "high_return", 0.3),
  zh("ri_xi", "日息", "high_return", 0.5),
  zh("yue_xi", "月息", "high_return", 0.5),
  zh("fan_bei", "翻倍", "high_return", 0.6),
  zh("fan_li", "返利", "referral", 0.6),
  zh("jie_shao_qin_you", "介绍亲友", "referral", 0.8),
  zh("la_ren_tou", "拉人头", "referral", 1),
  zh("fa_zhan_xia_xian", "发展下线", "referral", 1),
  zh("tui_jian_jiang_li", "推荐奖励", "referral", 0.6),
  zh("wei_xin_qun", "微信群", "promotion", 0.5),
  zh("xian_xia_jiang_zuo", "讲座", "promotion", 0.5),
  zh("tui_jie_hui", "推介会", "promotion", 0.6),
  zh("peng_you_quan", "朋友圈", "promotion", 0.4),
  zh("zhi_bo", "直播", "promotion", 0.3),
  zh("chuan_dan", "传单", "promotion", 0.4),
  zh("xi_shou_cun_kuan", "吸收存款", "financial_activity", 1),
  zh("xi_shou_zi_jin", "吸收资金", "financial_activity", 1),
  zh("ji_zi", "集资", "financial_activity", 1),
  zh("mu_ji_zi_jin", "募集资金", "financial_activity", 1),
  zh("zi_jin_chi", "资金池", "financial_activity", 1),
  zh("fa_fang_dai_kuan", "发放贷款", "financial_activity", 1),
  zh("fang_dai", "放贷", "financial_activity", 1),
  zh("jie_dai", "借贷", "financial_activity", 0.8),
  zh("li_cai", "理财", "financial_activity", 0.8),
  zh("tou_zi_ji_hua", "投资计划", "financial_activity", 0.8),
  zh("qi_tou", "起投", "financial_activity", 0.8),
  zh("ren_gou", "认购", "financial_activity", 0.6),
  zh("shou_yi_quan", "收益权", "financial_activity", 0.6),
  zh("cai_fu_guan_li", "财富管理", "financial_activity", 0.5),
  zh("zi_chan_guan_li", "资产管理", "financial_activity", 0.5),
  zh("rong_zi", "融资", "financial_activity", 0.5),
  en("guaranteed_return", "guaranteed return", "guarantee", 1),
  en("guaranteed_principal", "guaranteed principal", "guarantee", 1),
  en("principal_guaranteed", "principal guaranteed", "guarantee", 1),
  en("capital_guaranteed", "capital guaranteed", "guarantee", 1),
  en("capital_protected", "capital protected", "guarantee", 0.8),
  en("fixed_return", "fixed return", "high_return", 0.6),
  en("high_return", "high return", "high_return", 0.8),
  en("high_interest", "high interest", "high_return", 0.8),
  en("high_yield", "high yield", "high_return", 0.6),
  en("double_your_money", "double your money", "high_return", 1),
  en("no_risk", "no risk", "no_risk", 1),
  en("risk_free", "risk-free", "no_risk", 1),
  en("risk_free_space", "risk free", "no_risk", 1),
  en("zero_risk", "zero risk", "no_risk", 1),
  en("cannot_lose", "cannot lose", "no_risk", 1),
  en("referral_bonus", "referral bonus", "referral", 0.6),
  en("invite_friends", "invite your friends", "referral", 0.5),
  en("deposit_taking", "accept deposits", "financial_activity", 1),
  en("wealth_management", "wealth management", "financial_activity", 0.5),
  en("investment_plan", "investment plan", "financial_activity", 0.8),
];
