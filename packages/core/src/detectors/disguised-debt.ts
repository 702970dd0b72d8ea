/**
 * Nominal equity, real debt (名股实债): equity stakes held by products that carry a fixed return or a buy-back term,
 * i.e. loans dressed as equity, often to developers and financing vehicles that could not borrow openly. The
 * investee's own loans (LGFV, real-estate flags) are shown where the lake has them.
 */
import { defineParams } from "../rules/params.ts";
import { boolParam } from "./params.ts";
import { distinct, pct, rows, score, severityOf, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface DisguisedDebtParams {
  require_both: boolean;
}

const params = defineParams({
  require_both: boolParam(false, {
    status: "to_confirm",
    en: "Flag only stakes with both a fixed return and a buy-back (otherwise either signal suffices)",
    zh: "仅在同时具有固定收益和回购条款时预警（否则任一即可）",
  }),
});

export interface StakeRow {
  holding_id: string;
  manager_code: string;
  product_id: string;
  issuer_code: string | null;
  market_value: number;
  fixed_return: boolean;
  buy_back: boolean;
  product_total: number | null;
  investee_lgfv: boolean | null;
  investee_real_estate: boolean | null;
  investee_loans: number | null;
}

/** SQL of equity stakes with a fixed return or buy-back, with the investee's loan flags. */
export const stakesSql = `WITH s AS (
    SELECT holding_id, manager_code, product_id, issuer_code, market_value, fixed_return, buy_back
    FROM product_holdings WHERE asset_kind = 'equity_stake' AND (fixed_return OR buy_back)
  ),
  inv AS (
    SELECT borrower_code, bool_or(lgfv) AS lgfv, bool_or(real_estate) AS real_estate, CAST(sum(outstanding) AS DOUBLE) AS loans
    FROM loans WHERE borrower_code IN (SELECT issuer_code FROM s) GROUP BY borrower_code
  )
  SELECT s.holding_id, s.manager_code, s.product_id, s.issuer_code, CAST(s.market_value AS DOUBLE) AS market_value,
    s.fixed_return, s.buy_back, CAST(p.total_assets AS DOUBLE) AS product_total,
    i.lgfv AS investee_lgfv, i.real_estate AS investee_real_estate, i.loans AS investee_loans
  FROM s
  LEFT JOIN products p ON p.product_id = s.product_id AND p.manager_code = s.manager_code
  LEFT JOIN inv i ON i.borrower_code = s.issuer_code
  ORDER BY s.holding_id`;

/** One finding per equity stake with debt features. */
export function disguisedDebtFindings(list: readonly StakeRow[], p: DisguisedDebtParams): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const r of list) {
    const both = r.fixed_return && r.buy_back;
    if (p.require_both && !both) continue;
    const features = [r.fixed_return ? "a fixed return" : null, r.buy_back ? "a buy-back term" : null].filter(
      Boolean,
    );
    const featuresZh = [r.fixed_return ? "固定收益" : null, r.buy_back ? "回购条款" : null].filter(Boolean);
    const share = r.product_total ? r.market_value / r.product_total : null;
    const investee = r.investee_lgfv
      ? "a financing vehicle"
      : r.investee_real_estate
        ? "a real-estate borrower"
        : null;
    const investeeZh = r.investee_lgfv ? "融资平台" : r.investee_real_estate ? "房地产借款人" : null;
    const s = score(45 + (both ? 20 : 0) + (investee ? 15 : 0) + (share ? 20 * Math.min(1, share) : 0));
    out.push({
      subjectKind: "holding",
      subjectId: r.holding_id,
      memberKind: "holding",
      members: [r.holding_id],
      institutions: distinct([r.manager_code]),
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Holding ${r.holding_id} of product ${r.product_id} (${r.manager_code}) is an equity stake in ${r.issuer_code ?? "an unnamed investee"} worth RMB ${yuan(r.market_value)}${share !== null ? ` (${pct(share, 1)} of the product)` : ""} carrying ${features.join(" and ")}: debt dressed as equity${investee ? `; the investee is ${investee}` : ""}.`,
        zh: `产品 ${r.product_id}（${r.manager_code}）的持仓 ${r.holding_id} 为对 ${r.issuer_code ?? "未列明企业"} 的股权投资，市值 ${yuan(r.market_value)} 元${share !== null ? `（占产品 ${pct(share, 1)}）` : ""}，附${featuresZh.join("和")}，属名股实债${investeeZh ? `；被投资方为${investeeZh}` : ""}。`,
      },
      evidence: {
        product: r.product_id,
        investee: r.issuer_code,
        marketValue: r.market_value,
        shareOfProduct: share,
        fixedReturn: r.fixed_return,
        buyBack: r.buy_back,
        investeeLgfv: r.investee_lgfv,
        investeeRealEstate: r.investee_real_estate,
        investeeLoansOutstanding: r.investee_loans,
      },
    });
  }
  return out;
}

export const disguisedDebt = defineDetector<DisguisedDebtParams>({
  id: "disguised_debt",
  version: "1.0.0",
  en: "Nominal equity, real debt",
  zh: "名股实债",
  description: {
    en: "Equity stakes held by products with a fixed return or buy-back term.",
    zh: "资管产品持有的附固定收益或回购条款的股权投资。",
  },
  leadUnit: "pbc_cq",
  datasets: [
    { name: "products", window: "period" },
    { name: "product_holdings", window: "period" },
    { name: "loans", window: "period" },
  ],
  params,
  async run(ctx, p) {
    return disguisedDebtFindings(await rows<StakeRow>(ctx.duck, stakesSql), p);
  },
});
