/**
 * Bill arbitrage (票据套利): a company discounts bills and the proceeds come straight back to the bank as deposits,
 * structured deposits or wealth-management products earning more than the discount rate, inflating deposits and
 * loans alike. One finding per bank and discounting company, listing the bills.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { listParam, num } from "./params.ts";
import { groupBy, pct, rows, score, severityOf, sqlList, sqlNum, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

const placements = ["demand_deposit", "time_deposit", "structured_deposit", "wmp"] as const;
type Placement = (typeof placements)[number];

export interface BillArbitrageParams {
  min_spread: string;
  always_flag: Placement[];
}

const params = defineParams({
  min_spread: decimalParam("0", {
    status: "to_confirm",
    en: "Placement rate above the discount rate by more than this is arbitrage",
    zh: "存放利率高于贴现利率超过该值即为套利",
  }),
  always_flag: listParam(placements, ["structured_deposit", "wmp"], {
    status: "to_confirm",
    en: "Placements of discount proceeds flagged whatever their rate",
    zh: "无论利率高低均预警的贴现资金去向",
  }),
});

export interface ArbitrageRow {
  bank_code: string;
  payee_code: string;
  drawer_code: string;
  bill_id: string;
  face_amount: number;
  discount_date: string;
  maturity_date: string;
  discount_rate: number;
  proceeds_placement: string;
  placement_rate: number | null;
}

/** SQL of discounted bills whose proceeds were placed back above the discount rate, or in flagged placements. */
export function arbitrageSql(p: BillArbitrageParams): string {
  return `SELECT bank_code, payee_code, drawer_code, bill_id, CAST(face_amount AS DOUBLE) AS face_amount,
      strftime(discount_date, '%Y-%m-%d') AS discount_date, strftime(maturity_date, '%Y-%m-%d') AS maturity_date,
      CAST(discount_rate AS DOUBLE) AS discount_rate, proceeds_placement, CAST(placement_rate AS DOUBLE) AS placement_rate
    FROM bills
    WHERE role = 'discounter' AND discount_rate IS NOT NULL AND coalesce(proceeds_placement, 'none') <> 'none'
      AND (placement_rate > discount_rate + ${sqlNum(num(p.min_spread))} OR proceeds_placement IN (${sqlList(p.always_flag)}))
    ORDER BY bank_code, payee_code, bill_id`;
}

const placementZh: Record<string, string> = {
  demand_deposit: "活期存款",
  time_deposit: "定期存款",
  structured_deposit: "结构性存款",
  wmp: "理财产品",
};

/** One finding per (bank, discounting company). */
export function arbitrageFindings(list: readonly ArbitrageRow[]): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const [, bills] of groupBy(list, (r) => `${r.bank_code}|${r.payee_code}`)) {
    const first = bills[0]!;
    const face = bills.reduce((s, b) => s + b.face_amount, 0);
    const spreads = bills
      .filter((b) => b.placement_rate !== null)
      .map((b) => b.placement_rate! - b.discount_rate);
    const avgSpread = spreads.length > 0 ? spreads.reduce((a, b) => a + b, 0) / spreads.length : 0;
    // What the company earns over the bills' remaining life by placing the proceeds back.
    const gain = bills.reduce((s, b) => {
      if (b.placement_rate === null) return s;
      const days = Math.max(0, (Date.parse(b.maturity_date) - Date.parse(b.discount_date)) / 86_400_000);
      return s + b.face_amount * (b.placement_rate - b.discount_rate) * (days / 365);
    }, 0);
    const kinds = [...new Set(bills.map((b) => b.proceeds_placement))];
    const s = score(45 + 2 * bills.length + Math.min(25, avgSpread * 2500) + Math.min(15, face / 1e8));
    out.push({
      subjectKind: "bill_group",
      subjectId: `${first.bank_code}:${first.payee_code}`,
      memberKind: "bill",
      members: bills.map((b) => b.bill_id),
      institutions: [first.bank_code],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `${first.payee_code} discounted ${bills.length} bill(s) of RMB ${yuan(face)} at ${first.bank_code} and placed the proceeds back in ${kinds.join(", ").replaceAll("_", " ")} at on average ${pct(avgSpread)} above the discount rate (about RMB ${yuan(gain)} over the bills' life).`,
        zh: `${first.payee_code} 在 ${first.bank_code} 贴现票据 ${bills.length} 张、金额 ${yuan(face)} 元，贴现资金回存为${kinds.map((k) => placementZh[k] ?? k).join("、")}，存放利率平均高于贴现利率 ${pct(avgSpread)}（票据存续期内约获利 ${yuan(gain)} 元）。`,
      },
      evidence: {
        bank: first.bank_code,
        discountedBy: first.payee_code,
        drawers: [...new Set(bills.map((b) => b.drawer_code))],
        totalFace: face,
        averageSpread: avgSpread,
        estimatedGain: gain,
        placements: kinds,
        bills: bills.map((b) => ({
          bill: b.bill_id,
          face: b.face_amount,
          discountDate: b.discount_date,
          discountRate: b.discount_rate,
          placement: b.proceeds_placement,
          placementRate: b.placement_rate,
        })),
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const billArbitrage = defineDetector<BillArbitrageParams>({
  id: "bill_arbitrage",
  version: "1.0.0",
  en: "Bill arbitrage",
  zh: "票据套利",
  description: {
    en: "Discount proceeds placed back at the bank as deposits, structured deposits or WMPs earning more than the discount rate.",
    zh: "贴现资金回存为存款、结构性存款或理财，收益高于贴现利率。",
  },
  leadUnit: "pbc_cq",
  datasets: [{ name: "bills", window: "period" }],
  params,
  async run(ctx, p) {
    return arbitrageFindings(await rows<ArbitrageRow>(ctx.duck, arbitrageSql(p)));
  },
});
