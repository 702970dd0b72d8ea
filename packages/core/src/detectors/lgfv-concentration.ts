/**
 * Banks' concentration in local-government financing vehicles (地方政府融资平台): the share of LGFV loans in each
 * bank's loans, from its loan book, above a watch line or rising fast. There is no single national cap; the
 * lines are governed parameters.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { bankConcentrations, type ConcentrationRow, trend } from "./lending-concentration.ts";
import { num } from "./params.ts";
import { groupBy, pct, score, severityOf } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface LgfvParams {
  watch_share: string;
  watch_rise: string;
}

const params = defineParams({
  watch_share: decimalParam("0.3", {
    status: "to_confirm",
    en: "Share of LGFV loans in a bank's loans from which the bank is watched",
    zh: "融资平台贷款占比达到该值即关注",
  }),
  watch_rise: decimalParam("0.05", {
    status: "to_confirm",
    en: "Rise of the LGFV share over the periods held (percentage points as a fraction) that is watched",
    zh: "融资平台贷款占比上升达到该幅度即关注",
  }),
});

/** One finding per bank above the watch share or rising by more than the watch rise. */
export function lgfvFindings(list: readonly ConcentrationRow[], p: LgfvParams): FindingDraft[] {
  const line = num(p.watch_share);
  const rise = num(p.watch_rise);
  const out: FindingDraft[] = [];
  for (const [bank, series] of groupBy(list, (r) => r.lender_code)) {
    const last = series[series.length - 1]!;
    if (last.total <= 0) continue;
    const t = trend(series, (r) => r.lgfv);
    const share = t.series[t.series.length - 1]!.share;
    const rising = t.periods > 1 && t.change >= rise;
    if (share < line && !rising) continue;
    const s = score(30 + 80 * Math.max(0, share - line) + (rising ? 20 : 0));
    out.push({
      subjectKind: "institution",
      subjectId: bank,
      memberKind: "institution",
      members: [bank],
      institutions: [bank],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Bank ${bank} in ${last.period}: loans to financing vehicles are ${pct(share)} of its loans (watch line ${pct(line, 0)})${t.periods > 1 ? `, ${t.change >= 0 ? "up" : "down"} ${pct(Math.abs(t.change))} since ${t.series[0]!.period}` : ""}.`,
        zh: `银行 ${bank} ${last.period}：融资平台贷款占其贷款的 ${pct(share)}（关注线 ${pct(line, 0)}）${t.periods > 1 ? `，较 ${t.series[0]!.period} ${t.change >= 0 ? "上升" : "下降"} ${pct(Math.abs(t.change))}` : ""}。`,
      },
      evidence: {
        period: last.period,
        totalLoans: last.total,
        lgfvLoans: last.lgfv,
        share,
        watchShare: line,
        series: t.series,
        change: t.change,
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const lgfvConcentration = defineDetector<LgfvParams>({
  id: "lgfv_concentration",
  version: "1.0.0",
  en: "Concentration in financing-vehicle lending",
  zh: "融资平台贷款集中度",
  description: {
    en: "Banks whose loans to local-government financing vehicles are a large or fast-rising share of their loans.",
    zh: "融资平台贷款占比较高或上升较快的银行。",
  },
  leadUnit: "cbrc_cq",
  datasets: [{ name: "loans", window: "history" }],
  params,
  async run(ctx, p) {
    return lgfvFindings(await bankConcentrations(ctx.duck, ctx.period), p);
  },
});
