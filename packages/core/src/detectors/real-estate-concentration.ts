/**
 * Real-estate loan concentration (房地产贷款集中度管理): each bank's shares of real-estate loans and personal
 * mortgages in its loans, from its loan book, against its tier's caps (PBoC and CBIRC notice of 2020-12-31:
 * tier 1 40% / 32.5%, tier 2 27.5% / 20%, tier 3 22.5% / 17.5%, tier 4 17.5% / 12.5%, tier 5 12.5% / 7.5%), with
 * the warning line at a fraction of the cap and the trend over the periods the lake holds.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { bankConcentrations, type ConcentrationRow, trend } from "./lending-concentration.ts";
import { num } from "./params.ts";
import { groupBy, pct, score, severityOf } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

type Caps = Record<`tier${1 | 2 | 3 | 4 | 5}_${"real_estate" | "mortgage"}`, string>;
export type RealEstateParams = Caps & { warning_fraction: string };

const cap = (tier: number, kind: string, d: string) =>
  decimalParam(d, {
    status: "confirmed",
    en: `Tier ${tier} cap on ${kind === "real_estate" ? "real-estate loans" : "personal mortgages"} over total loans`,
    zh: `第${tier}档${kind === "real_estate" ? "房地产贷款" : "个人住房贷款"}占比上限`,
  });

const params = defineParams({
  tier1_real_estate: cap(1, "real_estate", "0.40"),
  tier1_mortgage: cap(1, "mortgage", "0.325"),
  tier2_real_estate: cap(2, "real_estate", "0.275"),
  tier2_mortgage: cap(2, "mortgage", "0.20"),
  tier3_real_estate: cap(3, "real_estate", "0.225"),
  tier3_mortgage: cap(3, "mortgage", "0.175"),
  tier4_real_estate: cap(4, "real_estate", "0.175"),
  tier4_mortgage: cap(4, "mortgage", "0.125"),
  tier5_real_estate: cap(5, "real_estate", "0.125"),
  tier5_mortgage: cap(5, "mortgage", "0.075"),
  warning_fraction: decimalParam("0.9", {
    status: "to_confirm",
    en: "Warning line as a fraction of the cap",
    zh: "预警线占上限的比例",
  }),
});

/** One finding per bank at or above the warning line on either share in the latest period. */
export function realEstateFindings(list: readonly ConcentrationRow[], p: RealEstateParams): FindingDraft[] {
  const warn = num(p.warning_fraction);
  const out: FindingDraft[] = [];
  for (const [bank, series] of groupBy(list, (r) => r.lender_code)) {
    const last = series[series.length - 1]!;
    const tier = last.bank_tier;
    if (tier === null || tier < 1 || tier > 5 || last.total <= 0) continue;
    const caps = p as unknown as Record<string, string>;
    const checks = [
      {
        kind: "real_estate",
        en: "real-estate loans",
        zh: "房地产贷款",
        cap: num(caps[`tier${tier}_real_estate`]!),
        t: trend(series, (r) => r.real_estate),
      },
      {
        kind: "mortgage",
        en: "personal mortgages",
        zh: "个人住房贷款",
        cap: num(caps[`tier${tier}_mortgage`]!),
        t: trend(series, (r) => r.mortgage),
      },
    ];
    const hits = checks
      .map((c) => ({ ...c, share: c.t.series[c.t.series.length - 1]!.share }))
      .filter((c) => c.share >= warn * c.cap);
    if (hits.length === 0) continue;
    const breach = hits.some((h) => h.share > h.cap);
    const worst = Math.max(...hits.map((h) => h.share / h.cap));
    const rising = hits.some((h) => h.t.periods > 1 && h.t.change > 0);
    const s = score((breach ? 55 : 30) + 60 * Math.max(0, worst - 1) + (rising ? 10 : 0));
    const trendText = (h: (typeof hits)[number]) =>
      h.t.periods > 1
        ? `, ${h.t.change >= 0 ? "up" : "down"} ${pct(Math.abs(h.t.change))} since ${h.t.series[0]!.period}`
        : "";
    const trendZh = (h: (typeof hits)[number]) =>
      h.t.periods > 1
        ? `，较 ${h.t.series[0]!.period} ${h.t.change >= 0 ? "上升" : "下降"} ${pct(Math.abs(h.t.change))}`
        : "";
    out.push({
      subjectKind: "institution",
      subjectId: bank,
      memberKind: "institution",
      members: [bank],
      institutions: [bank],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Tier ${tier} bank ${bank} in ${last.period}: ${hits
          .map(
            (h) =>
              `${h.en} are ${pct(h.share)} of loans, ${h.share > h.cap ? "above" : "near"} the ${pct(h.cap, 1)} cap${trendText(h)}`,
          )
          .join("; ")}.`,
        zh: `第${tier}档银行 ${bank} ${last.period}：${hits
          .map(
            (h) =>
              `${h.zh}占比 ${pct(h.share)}，${h.share > h.cap ? "超过" : "接近"} ${pct(h.cap, 1)} 的上限${trendZh(h)}`,
          )
          .join("；")}。`,
      },
      evidence: {
        tier,
        period: last.period,
        totalLoans: last.total,
        realEstateLoans: last.real_estate,
        mortgages: last.mortgage,
        checks: hits.map((h) => ({
          kind: h.kind,
          share: h.share,
          cap: h.cap,
          warningLine: warn * h.cap,
          breach: h.share > h.cap,
          series: h.t.series,
        })),
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const realEstateConcentration = defineDetector<RealEstateParams>({
  id: "real_estate_concentration",
  version: "1.0.0",
  en: "Real-estate loan concentration against the tier caps",
  zh: "房地产贷款集中度",
  description: {
    en: "Banks whose real-estate or mortgage share of loans, from their loan book, is at or above their tier's warning line or cap.",
    zh: "根据贷款明细计算的房地产贷款或个人住房贷款占比达到所在档位预警线或上限的银行。",
  },
  leadUnit: "pbc_cq",
  datasets: [{ name: "loans", window: "history" }],
  params,
  async run(ctx, p) {
    return realEstateFindings(await bankConcentrations(ctx.duck, ctx.period), p);
  },
});
