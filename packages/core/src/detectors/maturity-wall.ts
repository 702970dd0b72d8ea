/**
 * Maturity walls (兑付风险): issuers with several bonds maturing in the same month within the horizon, joined with
 * signs that the issuer is already under stress (classified loans, coupons far above the market, a place in other
 * findings of the same run) and with the exposure of banks (loans) and asset-management products (holdings) to it.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { intParam, num } from "./params.ts";
import { distinct, groupBy, pct, rows, score, severityOf, sqlNum, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface MaturityWallParams {
  horizon_months: number;
  min_bonds: number;
  min_amount: string;
  min_share: string;
  high_coupon: string;
}

const params = defineParams({
  horizon_months: intParam(12, 1, 60, {
    status: "to_confirm",
    en: "Months after the period in which maturities are watched",
    zh: "关注的到期期间（月）",
  }),
  min_bonds: intParam(2, 2, 100, {
    status: "to_confirm",
    en: "Bonds of one issuer maturing in one month that make a wall",
    zh: "同一发行人同月到期债券达到该只数即为集中到期",
  }),
  min_amount: decimalParam("500000000", {
    status: "to_confirm",
    en: "Smallest amount maturing in the month for a wall (yuan)",
    zh: "集中到期的最低金额（元）",
  }),
  min_share: decimalParam("0.25", {
    status: "to_confirm",
    en: "Smallest share of the issuer's bonds outstanding maturing in the month for a wall",
    zh: "当月到期金额占发行人存续债券的最低比例",
  }),
  high_coupon: decimalParam("0.06", {
    status: "to_confirm",
    en: "Coupon from which an issuer's funding cost is a stress signal",
    zh: "票面利率达到该值视为融资成本承压",
  }),
});

export interface WallRow {
  issuer_code: string;
  month: string;
  bonds: number;
  amount: number;
  avg_coupon: number;
  issuer_outstanding: number;
  bond_ids: string[];
  reporters: string[];
  bond_types: string[];
}

export interface IssuerLoanRow {
  issuer_code: string;
  lender_code: string;
  loans: number;
  outstanding: number;
  classified: number;
  worst: string;
}

/** Bonds of an issuer that is itself a reporting institution, held by other institutions (the exposures dataset). */
export interface IssuerBondHoldingRow {
  issuer_code: string;
  lender_code: string;
  amount: number;
}

export interface IssuerHoldingRow {
  issuer_code: string;
  manager_code: string;
  product_id: string;
  market_value: number;
}

/** SQL of (issuer, month) walls within the horizon. */
export function wallSql(p: MaturityWallParams, periodEnd: string): string {
  return `WITH b AS (
      SELECT issuer_code, bond_id, reporter_code, bond_type, maturity_date, CAST(outstanding AS DOUBLE) AS amount, CAST(coupon AS DOUBLE) AS coupon
      FROM bond_maturities
    ),
    tot AS (SELECT issuer_code, sum(amount) AS issuer_outstanding FROM b WHERE maturity_date > DATE '${periodEnd}' GROUP BY issuer_code),
    m AS (
      SELECT issuer_code, strftime(maturity_date, '%Y-%m') AS month, CAST(count(*) AS INTEGER) AS bonds, sum(amount) AS amount,
        sum(amount * coupon) / sum(amount) AS avg_coupon, list(bond_id ORDER BY bond_id) AS bond_ids,
        list(DISTINCT reporter_code) AS reporters, list(DISTINCT bond_type) AS bond_types
      FROM b
      WHERE maturity_date > DATE '${periodEnd}' AND maturity_date <= DATE '${periodEnd}' + INTERVAL ${p.horizon_months} MONTH
      GROUP BY issuer_code, strftime(maturity_date, '%Y-%m')
      HAVING count(*) >= ${p.min_bonds} AND sum(amount) >= ${sqlNum(num(p.min_amount))}
    )
    SELECT m.*, tot.issuer_outstanding FROM m JOIN tot USING (issuer_code)
    WHERE m.amount >= ${sqlNum(num(p.min_share))} * tot.issuer_outstanding
    ORDER BY issuer_code, month`;
}

/** One finding per issuer with a wall, scored on the wall and the issuer's stress. */
export function wallFindings(
  walls: readonly WallRow[],
  loans: readonly IssuerLoanRow[],
  holdings: readonly IssuerHoldingRow[],
  bondHolders: readonly IssuerBondHoldingRow[],
  elsewhere: ReadonlyMap<string, string[]>,
  p: MaturityWallParams,
): FindingDraft[] {
  const bondHoldersOf = groupBy(bondHolders, (r) => r.issuer_code);
  const high = num(p.high_coupon);
  const loansOf = groupBy(loans, (r) => r.issuer_code);
  const holdingsOf = groupBy(holdings, (r) => r.issuer_code);
  const out: FindingDraft[] = [];
  for (const [issuer, months] of groupBy(walls, (w) => w.issuer_code)) {
    const top = [...months].sort((a, b) => b.amount - a.amount)[0]!;
    const lent = loansOf.get(issuer) ?? [];
    const held = holdingsOf.get(issuer) ?? [];
    const bonds = bondHoldersOf.get(issuer) ?? [];
    const classified = lent.reduce((s, r) => s + r.classified, 0);
    const bankExposure =
      lent.reduce((s, r) => s + r.outstanding, 0) + bonds.reduce((s, r) => s + r.amount, 0);
    const productExposure = held.reduce((s, r) => s + r.market_value, 0);
    const other = elsewhere.get(issuer) ?? [];
    const stress: string[] = [];
    const stressZh: string[] = [];
    if (classified > 0) {
      stress.push(`${classified} loan(s) classified special mention or worse`);
      stressZh.push(`${classified} 笔贷款为关注类及以下`);
    }
    if (top.avg_coupon >= high) {
      stress.push(`coupons averaging ${pct(top.avg_coupon)}`);
      stressZh.push(`平均票面利率 ${pct(top.avg_coupon)}`);
    }
    if (other.length > 0) {
      stress.push(`also in ${other.join(", ")} findings`);
      stressZh.push(`同时出现在 ${other.join("、")} 预警中`);
    }
    const share = top.issuer_outstanding > 0 ? top.amount / top.issuer_outstanding : 1;
    const s = score(
      30 + 3 * Math.min(10, top.bonds) + 15 * stress.length + 10 * share + Math.min(10, top.amount / 1e9),
    );
    out.push({
      subjectKind: "enterprise",
      subjectId: issuer,
      memberKind: "enterprise",
      members: [issuer],
      institutions: distinct([
        ...lent.map((r) => r.lender_code),
        ...bonds.map((r) => r.lender_code),
        ...held.map((r) => r.manager_code),
        ...months.flatMap((m) => m.reporters),
      ]),
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Issuer ${issuer} has ${top.bonds} bonds of RMB ${yuan(top.amount)} maturing in ${top.month} (${pct(share, 0)} of its bonds outstanding)${stress.length > 0 ? `, while under stress: ${stress.join("; ")}` : ""}; banks lend it or hold its bonds for RMB ${yuan(bankExposure)} and products hold RMB ${yuan(productExposure)} of its assets.`,
        zh: `发行人 ${issuer} 有 ${top.bonds} 只债券、合计 ${yuan(top.amount)} 元于 ${top.month} 集中到期（占其存续债券的 ${pct(share, 0)}）${stressZh.length > 0 ? `，且已承压：${stressZh.join("；")}` : ""}；银行对其贷款及持有其债券 ${yuan(bankExposure)} 元，资管产品持有其资产 ${yuan(productExposure)} 元。`,
      },
      evidence: {
        walls: months.map((m) => ({
          month: m.month,
          bonds: m.bonds,
          amount: m.amount,
          averageCoupon: m.avg_coupon,
          bondIds: m.bond_ids,
          bondTypes: m.bond_types,
        })),
        issuerBondsOutstanding: top.issuer_outstanding,
        stress: { classifiedLoans: classified, highCoupon: top.avg_coupon >= high, otherFindings: other },
        bankExposure: lent.map((r) => ({
          lender: r.lender_code,
          loans: r.loans,
          outstanding: r.outstanding,
          classified: r.classified,
          worst: r.worst,
        })),
        bondHoldings: bonds.map((r) => ({ holder: r.lender_code, amount: r.amount })),
        productExposure: held.map((r) => ({
          manager: r.manager_code,
          product: r.product_id,
          marketValue: r.market_value,
        })),
        underwriters: distinct(months.flatMap((m) => m.reporters)),
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

/** Enterprises named in earlier findings of the run, with the detectors that named them. */
export function enterprisesInFindings(
  prior: ReadonlyMap<string, readonly FindingDraft[]>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [detector, list] of prior) {
    for (const f of list) {
      if (f.memberKind !== "enterprise") continue;
      for (const m of f.members) {
        const l = out.get(m) ?? [];
        if (!l.includes(detector)) l.push(detector);
        out.set(m, l);
      }
    }
  }
  return out;
}

export const maturityWall = defineDetector<MaturityWallParams>({
  id: "maturity_wall",
  version: "1.0.0",
  en: "Bond maturity walls of stressed issuers",
  zh: "债券集中到期与发行人兑付压力",
  description: {
    en: "Issuers with several bonds maturing in one month, with their stress signals and banks' and products' exposure to them.",
    zh: "同月多只债券集中到期的发行人，附其承压信号及银行、资管产品对其的敞口。",
  },
  leadUnit: "csrc_cq",
  datasets: [
    { name: "bond_maturities", window: "period" },
    { name: "loans", window: "period" },
    { name: "product_holdings", window: "period" },
    { name: "exposures", window: "period" },
  ],
  params,
  async run(ctx, p) {
    await ctx.duck.run(`CREATE OR REPLACE TEMP TABLE walls AS ${wallSql(p, ctx.periodEnd)}`);
    const walls = await rows<WallRow>(ctx.duck, "SELECT * FROM walls");
    if (walls.length === 0) return [];
    const loans = await rows<IssuerLoanRow>(
      ctx.duck,
      `SELECT l.borrower_code AS issuer_code, l.lender_code, CAST(count(*) AS INTEGER) AS loans, CAST(sum(l.outstanding) AS DOUBLE) AS outstanding,
         CAST(count(*) FILTER (WHERE l.classification <> 'normal') AS INTEGER) AS classified,
         CASE max(CASE l.classification WHEN 'normal' THEN 0 WHEN 'special_mention' THEN 1 WHEN 'substandard' THEN 2 WHEN 'doubtful' THEN 3 ELSE 4 END)
           WHEN 0 THEN 'normal' WHEN 1 THEN 'special_mention' WHEN 2 THEN 'substandard' WHEN 3 THEN 'doubtful' ELSE 'loss' END AS worst
       FROM loans l WHERE l.borrower_code IN (SELECT issuer_code FROM walls)
       GROUP BY l.borrower_code, l.lender_code ORDER BY 1, 2`,
    );
    const holdings = await rows<IssuerHoldingRow>(
      ctx.duck,
      `SELECT issuer_code, manager_code, product_id, CAST(sum(market_value) AS DOUBLE) AS market_value
       FROM product_holdings WHERE issuer_code IN (SELECT issuer_code FROM walls)
       GROUP BY issuer_code, manager_code, product_id ORDER BY 1, 2, 3`,
    );
    const bondHolders = await rows<IssuerBondHoldingRow>(
      ctx.duck,
      `SELECT borrower_code AS issuer_code, lender_code, CAST(sum(amount) AS DOUBLE) AS amount
       FROM exposures WHERE exposure_type = 'bond_holding' AND borrower_code IN (SELECT issuer_code FROM walls)
       GROUP BY borrower_code, lender_code ORDER BY 1, 2`,
    );
    return wallFindings(walls, loans, holdings, bondHolders, enterprisesInFindings(ctx.prior), p);
  },
});
