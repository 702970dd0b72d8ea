/**
 * Stale suitability assessments: per seller, the sales made on an assessment older than the allowed age (banks'
 * wealth-management rules require re-assessment of customers not assessed for over a year before they buy again).
 * One finding per seller with a material share of such sales.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { intParam, num } from "./params.ts";
import { pct, rows, score, severityOf, sqlNum } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface StaleAssessmentParams {
  max_age_days: number;
  min_share: string;
  min_sales: number;
}

const params = defineParams({
  max_age_days: intParam(365, 30, 3650, {
    status: "to_confirm",
    en: "Age in days beyond which an assessment is stale at the time of sale",
    zh: "风险承受能力评估超过该天数视为过期",
    note: "One year in the 2018 measures on banks' wealth-management business (art. 26).",
  }),
  min_share: decimalParam("0.05", {
    status: "to_confirm",
    en: "Share of a seller's sales on stale assessments from which the seller is flagged",
    zh: "基于过期评估的销售占比达到该值即预警",
  }),
  min_sales: intParam(10, 1, 1_000_000, {
    status: "to_confirm",
    en: "Fewest sales on stale assessments for a finding",
    zh: "基于过期评估的最少销售笔数",
  }),
});

export interface StaleRow {
  institution_code: string;
  sales: number;
  stale: number;
  oldest_days: number;
  median_days: number;
}

/** SQL of sellers' sales counted against the age of the assessment they relied on. */
export function staleSql(p: StaleAssessmentParams, periodEnd: string): string {
  return `WITH s AS (
      SELECT institution_code, sale_id, customer_id, sale_date FROM sales WHERE sale_date <= DATE '${periodEnd}'
    ),
    j AS (
      SELECT s.institution_code, s.sale_id, s.sale_date, max(a.assessed_on) AS assessed_on
      FROM s JOIN risk_assessments a
        ON a.institution_code = s.institution_code AND a.customer_id = s.customer_id AND a.assessed_on <= s.sale_date
      GROUP BY s.institution_code, s.sale_id, s.sale_date
    )
    SELECT institution_code, CAST(count(*) AS INTEGER) AS sales,
      CAST(count(*) FILTER (WHERE date_diff('day', assessed_on, sale_date) > ${p.max_age_days}) AS INTEGER) AS stale,
      CAST(max(date_diff('day', assessed_on, sale_date)) AS INTEGER) AS oldest_days,
      CAST(median(date_diff('day', assessed_on, sale_date)) AS INTEGER) AS median_days
    FROM j GROUP BY institution_code
    HAVING count(*) FILTER (WHERE date_diff('day', assessed_on, sale_date) > ${p.max_age_days}) >= ${p.min_sales}
      AND count(*) FILTER (WHERE date_diff('day', assessed_on, sale_date) > ${p.max_age_days}) >= ${sqlNum(num(p.min_share))} * count(*)
    ORDER BY institution_code`;
}

/** One finding per seller relying on stale assessments. */
export function staleFindings(list: readonly StaleRow[], p: StaleAssessmentParams): FindingDraft[] {
  return list.map((r) => {
    const share = r.stale / r.sales;
    const s = score(15 + 50 * share);
    return {
      subjectKind: "institution",
      subjectId: r.institution_code,
      memberKind: "institution",
      members: [r.institution_code],
      institutions: [r.institution_code],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `${r.institution_code} made ${r.stale} of ${r.sales} sales (${pct(share, 1)}) on a risk assessment older than ${p.max_age_days} days (median age ${r.median_days} days, oldest ${r.oldest_days}).`,
        zh: `${r.institution_code} 的 ${r.sales} 笔销售中有 ${r.stale} 笔（${pct(share, 1)}）所依据的风险承受能力评估已超过 ${p.max_age_days} 天（评估距销售中位数 ${r.median_days} 天，最长 ${r.oldest_days} 天）。`,
      },
      evidence: {
        sales: r.sales,
        staleSales: r.stale,
        share,
        maxAgeDays: p.max_age_days,
        medianAgeDays: r.median_days,
        oldestAgeDays: r.oldest_days,
      },
    };
  });
}

export const staleAssessment = defineDetector<StaleAssessmentParams>({
  id: "stale_assessment",
  version: "1.0.0",
  en: "Sales on stale suitability assessments",
  zh: "依据过期风险评估销售",
  description: {
    en: "Sellers whose sales rely on customer risk assessments older than allowed.",
    zh: "销售所依据的客户风险承受能力评估已过期的机构。",
  },
  leadUnit: "cbrc_cq",
  datasets: [
    { name: "sales", window: "flow" },
    { name: "risk_assessments", window: "period" },
  ],
  params,
  async run(ctx, p) {
    return staleFindings(await rows<StaleRow>(ctx.duck, staleSql(p, ctx.periodEnd)), p);
  },
});
