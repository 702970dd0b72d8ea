/**
 * Suitability (适当性管理): sales of products riskier than the customer's latest assessed class at the seller, sales
 * to the lowest-tolerance subset of C1 of anything above R1, and sales with no assessment before them. Professional
 * investors are outside the class test. The latest assessment is the last one on or before the sale date.
 */
import { defineParams } from "../rules/params.ts";
import { boolParam } from "./params.ts";
import { rows, score, severityOf, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface SuitabilityParams {
  flag_signed_warnings: boolean;
}

const params = defineParams({
  flag_signed_warnings: boolParam(true, {
    status: "to_confirm",
    en: "Also flag above-class sales where the customer signed a warning (banks may not sell above class at all)",
    zh: "客户签署风险警示的超风险等级销售亦预警（银行理财不得超等级销售）",
  }),
});

/** One sale with the customer's latest assessment before it (null when there is none). */
export interface SaleAssessmentRow {
  institution_code: string;
  sale_id: string;
  customer_id: string;
  product_id: string;
  issuer_code: string;
  risk: number;
  sale_date: string;
  amount: number;
  channel: string;
  employee_id: string;
  branch_id: string;
  warning_signed: boolean;
  assessed_on: string | null;
  risk_class: number | null;
  lowest_category: boolean | null;
  professional: boolean | null;
}

/**
 * SQL joining each sale to the customer's latest assessment at the seller on or before the sale date; `where`
 * filters the joined rows (columns risk, risk_class, lowest_category, professional, warning_signed, assessed_on).
 */
export function saleAssessmentSql(where: string, periodEnd: string): string {
  return `WITH s AS (
      SELECT institution_code, sale_id, customer_id, product_id, issuer_code, CAST(substr(product_risk, 2) AS INTEGER) AS risk,
        sale_date, CAST(amount AS DOUBLE) AS amount, channel, employee_id, branch_id, warning_signed
      FROM sales WHERE sale_date <= DATE '${periodEnd}'
    ),
    latest AS (
      SELECT s.institution_code, s.sale_id, max(a.assessed_on) AS assessed_on
      FROM s JOIN risk_assessments a
        ON a.institution_code = s.institution_code AND a.customer_id = s.customer_id AND a.assessed_on <= s.sale_date
      GROUP BY s.institution_code, s.sale_id
    ),
    j AS (
      SELECT s.*, x.assessed_on, CAST(substr(a.risk_class, 2) AS INTEGER) AS risk_class, a.lowest_category, a.professional
      FROM s
      LEFT JOIN latest x ON x.institution_code = s.institution_code AND x.sale_id = s.sale_id
      LEFT JOIN risk_assessments a
        ON a.institution_code = s.institution_code AND a.customer_id = s.customer_id AND a.assessed_on = x.assessed_on
    )
    SELECT institution_code, sale_id, customer_id, product_id, issuer_code, risk, strftime(sale_date, '%Y-%m-%d') AS sale_date,
      amount, channel, employee_id, branch_id, warning_signed, strftime(assessed_on, '%Y-%m-%d') AS assessed_on, risk_class,
      lowest_category, professional
    FROM j WHERE ${where}
    ORDER BY institution_code, sale_date, sale_id`;
}

/** The breach of a sale, or null: no assessment, lowest category above R1, or above the customer's class. */
export function suitabilityBreach(
  r: SaleAssessmentRow,
  p: SuitabilityParams,
): "no_assessment" | "lowest_category" | "above_class" | null {
  if (r.risk_class === null) return "no_assessment";
  if (r.lowest_category && r.risk > 1) return "lowest_category";
  if (!r.professional && r.risk > r.risk_class && (p.flag_signed_warnings || !r.warning_signed))
    return "above_class";
  return null;
}

/** The evidence every sales-conduct finding carries (the hotspot detector groups on it). */
export function saleEvidence(r: {
  institution_code: string;
  customer_id: string;
  product_id: string;
  issuer_code: string;
  risk: number;
  sale_date: string;
  amount: number;
  channel: string;
  employee_id: string;
  branch_id: string;
}): Record<string, unknown> {
  return {
    seller: r.institution_code,
    employee: r.employee_id,
    branch: r.branch_id,
    customer: r.customer_id,
    product: r.product_id,
    issuer: r.issuer_code,
    productRisk: `R${r.risk}`,
    saleDate: r.sale_date,
    amount: r.amount,
    channel: r.channel,
  };
}

/** One finding per breaching sale. */
export function suitabilityFindings(
  list: readonly SaleAssessmentRow[],
  p: SuitabilityParams,
): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const r of list) {
    const breach = suitabilityBreach(r, p);
    if (!breach) continue;
    const gap = r.risk_class === null ? 2 : r.risk - r.risk_class;
    const s = score(
      45 +
        10 * Math.max(0, gap) +
        (breach === "lowest_category" ? 25 : 0) +
        (breach === "no_assessment" ? 15 : 0) -
        (r.warning_signed ? 15 : 0),
    );
    const sale = `Sale ${r.sale_id} by ${r.institution_code} (employee ${r.employee_id}, branch ${r.branch_id}) of ${r.product_id} (R${r.risk}, RMB ${yuan(r.amount)}) on ${r.sale_date}`;
    const saleZh = `${r.institution_code} 于 ${r.sale_date} 的销售 ${r.sale_id}（员工 ${r.employee_id}，网点 ${r.branch_id}）：产品 ${r.product_id}（R${r.risk}，${yuan(r.amount)} 元）`;
    const en =
      breach === "no_assessment"
        ? `${sale}: the customer had no risk assessment at the seller before the sale.`
        : breach === "lowest_category"
          ? `${sale}: the customer is in the lowest-tolerance category of C1 (assessed ${r.assessed_on}), who may buy only R1 products.`
          : `${sale}: the product is above the customer's class C${r.risk_class} (assessed ${r.assessed_on})${r.warning_signed ? "; a warning was signed" : ", with no signed warning"}.`;
    const zh =
      breach === "no_assessment"
        ? `${saleZh}，销售前客户在该机构无风险承受能力评估。`
        : breach === "lowest_category"
          ? `${saleZh}，客户属C1中风险承受能力最低类别（${r.assessed_on} 评估），只能购买R1产品。`
          : `${saleZh}，产品风险等级高于客户 C${r.risk_class} 的风险承受能力（${r.assessed_on} 评估）${r.warning_signed ? "，客户已签署风险警示" : "，且无签署的风险警示"}。`;
    out.push({
      subjectKind: "sale",
      subjectId: r.sale_id,
      memberKind: "sale",
      members: [r.sale_id],
      institutions: [r.institution_code],
      severity: severityOf(s),
      score: s,
      explanation: { en, zh },
      evidence: {
        breach,
        ...saleEvidence(r),
        customerClass: r.risk_class === null ? null : `C${r.risk_class}`,
        lowestCategory: r.lowest_category,
        assessedOn: r.assessed_on,
        warningSigned: r.warning_signed,
      },
    });
  }
  return out;
}

export const suitability = defineDetector<SuitabilityParams>({
  id: "suitability",
  version: "1.0.0",
  en: "Suitability mismatches",
  zh: "适当性不匹配",
  description: {
    en: "Sales of products above the customer's latest assessed class, to the lowest category of C1 above R1, or with no assessment.",
    zh: "向客户销售高于其最近一次风险承受能力评估等级的产品、向C1最低类别销售R1以上产品或销售前未评估。",
  },
  leadUnit: "cbrc_cq",
  datasets: [
    { name: "sales", window: "flow" },
    { name: "risk_assessments", window: "period" },
  ],
  params,
  async run(ctx, p) {
    const where =
      "risk_class IS NULL OR (lowest_category AND risk > 1) OR (NOT professional AND risk > risk_class)";
    return suitabilityFindings(
      await rows<SaleAssessmentRow>(ctx.duck, saleAssessmentSql(where, ctx.periodEnd)),
      p,
    );
  },
});
