/**
 * Flying orders (飞单): sales of products the selling institution neither issued nor is authorised to sell as
 * agent, according to the filing ledger: products absent from the ledger altogether (typically an unregistered
 * private fund), products filed only by others, or whose agency filing was withdrawn. One finding per sale.
 */
import { defineParams } from "../rules/params.ts";
import { saleEvidence } from "./suitability.ts";
import { rows, score, severityOf, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export type FlyingOrderParams = Record<string, never>;

const params = defineParams({});

export interface UnauthorisedRow {
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
  filers: number;
  withdrawn_here: boolean;
  filed_issuer: string | null;
}

/** SQL of sales without a live issuer or agent filing by the seller for the product. */
export function unauthorisedSql(periodEnd: string): string {
  return `WITH live AS (
      SELECT DISTINCT institution_code, product_id FROM product_filings WHERE status = 'filed'
    ),
    known AS (
      SELECT product_id, CAST(count(DISTINCT institution_code) FILTER (WHERE status = 'filed') AS INTEGER) AS filers,
        min(issuer_code) FILTER (WHERE role = 'issuer') AS filed_issuer
      FROM product_filings GROUP BY product_id
    ),
    withdrawn AS (
      SELECT DISTINCT institution_code, product_id FROM product_filings WHERE status = 'withdrawn'
    )
    SELECT s.institution_code, s.sale_id, s.customer_id, s.product_id, s.issuer_code, CAST(substr(s.product_risk, 2) AS INTEGER) AS risk,
      strftime(s.sale_date, '%Y-%m-%d') AS sale_date, CAST(s.amount AS DOUBLE) AS amount, s.channel, s.employee_id, s.branch_id,
      coalesce(k.filers, 0) AS filers, w.product_id IS NOT NULL AS withdrawn_here, k.filed_issuer
    FROM sales s
    LEFT JOIN live l ON l.institution_code = s.institution_code AND l.product_id = s.product_id
    LEFT JOIN known k ON k.product_id = s.product_id
    LEFT JOIN withdrawn w ON w.institution_code = s.institution_code AND w.product_id = s.product_id
    WHERE l.product_id IS NULL AND s.sale_date <= DATE '${periodEnd}'
    ORDER BY s.institution_code, s.sale_date, s.sale_id`;
}

/** One finding per sale the seller was not authorised to make. */
export function flyingOrderFindings(list: readonly UnauthorisedRow[]): FindingDraft[] {
  return list.map((r) => {
    const reason =
      r.filers === 0 ? "unfiled_product" : r.withdrawn_here ? "agency_withdrawn" : "not_authorised";
    const s = score(55 + (reason === "unfiled_product" ? 25 : 10) + 4 * r.risk);
    const why =
      reason === "unfiled_product"
        ? { en: "the product appears in no filing at all", zh: "该产品未在备案台账中出现" }
        : reason === "agency_withdrawn"
          ? { en: "the seller's agency filing for it was withdrawn", zh: "销售机构对该产品的代销备案已撤回" }
          : {
              en: `the product is filed by ${r.filers} other institution(s) but neither issued by nor authorised to the seller`,
              zh: `该产品由其他 ${r.filers} 家机构备案，销售机构既非发行人也未获代销授权`,
            };
    return {
      subjectKind: "sale",
      subjectId: r.sale_id,
      memberKind: "sale",
      members: [r.sale_id],
      institutions: [r.institution_code],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Sale ${r.sale_id} by ${r.institution_code} (employee ${r.employee_id}, branch ${r.branch_id}) of ${r.product_id} (issuer ${r.issuer_code}, R${r.risk}, RMB ${yuan(r.amount)}) on ${r.sale_date}: ${why.en}.`,
        zh: `${r.institution_code} 于 ${r.sale_date} 的销售 ${r.sale_id}（员工 ${r.employee_id}，网点 ${r.branch_id}）：产品 ${r.product_id}（发行人 ${r.issuer_code}，R${r.risk}，${yuan(r.amount)} 元），${why.zh}。`,
      },
      evidence: { reason, ...saleEvidence(r), otherFilers: r.filers, filedIssuer: r.filed_issuer },
    };
  });
}

export const flyingOrder = defineDetector<FlyingOrderParams>({
  id: "flying_order",
  version: "1.0.0",
  en: "Flying orders (unauthorised product sales)",
  zh: "飞单（销售未授权产品）",
  description: {
    en: "Sales of products absent from the filing ledger, or neither issued by nor agency-authorised to the seller.",
    zh: "销售未备案产品，或销售机构既非发行人也未获代销授权的产品。",
  },
  leadUnit: "cbrc_cq",
  datasets: [
    { name: "sales", window: "flow" },
    { name: "product_filings", window: "period" },
  ],
  params,
  async run(ctx) {
    return flyingOrderFindings(await rows<UnauthorisedRow>(ctx.duck, unauthorisedSql(ctx.periodEnd)));
  },
});
