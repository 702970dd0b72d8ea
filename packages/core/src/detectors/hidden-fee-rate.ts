/**
 * Hidden fees: loans whose nominal rate looks compliant while upfront, periodic and final fees push the borrower's
 * true annual rate (IRR of the real cash flows, see rules/record/true-rate.ts) above the cap for the lender:
 * 24% for local lenders (small-loan, online small-loan, pawn, leasing, factoring companies), four times the
 * one-year LPR at origination for banks, trusts and lending platforms (Supreme People's Court, 2020).
 */
import { type InstitutionType, institutionTypeCodes } from "../contract/institution-types.ts";
import { decimalParam, defineParams } from "../rules/params.ts";
import { exceedingRateSql, trueRateSql } from "../rules/record/true-rate.ts";
import { listParam, num } from "./params.ts";
import { pct, rows, score, severityOf, sqlList, sqlNum } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface HiddenFeeRateParams {
  local_cap: string;
  lpr_multiple: string;
  lpr_capped_types: InstitutionType[];
}

const params = defineParams({
  local_cap: decimalParam("0.24", {
    status: "to_confirm",
    en: "True annual rate cap for local lenders",
    zh: "地方金融组织贷款真实年化利率上限",
  }),
  lpr_multiple: decimalParam("4", {
    status: "confirmed",
    en: "Multiple of the one-year LPR at origination capping the true rate of the LPR-capped lender types",
    zh: "以放款时一年期LPR倍数计的利率上限",
  }),
  lpr_capped_types: listParam(
    institutionTypeCodes as [InstitutionType, ...InstitutionType[]],
    ["bank", "trust", "internet_lending_platform"],
    {
      status: "to_confirm",
      en: "Lender types capped at a multiple of the LPR (the others at the local cap)",
      zh: "适用LPR倍数上限的机构类型",
    },
  ),
});

export interface RateRow {
  loan_id: string;
  lender_code: string;
  lender_type: string;
  origination_date: string;
  true_rate: number;
  /** Whether Newton's method reached the root; the breach itself is decided exactly, without it. */
  converged: boolean;
  cap: number;
  lpr: number | null;
  nominal_rate: number;
  principal: number;
  upfront_fee: number;
  periodic_fee: number;
  other_fees: number;
  term_months: number;
  repayment_method: string;
}

/** SQL of the loans whose payments, discounted at their lender's cap, exceed the amount disbursed. */
export function aboveCapSql(p: HiddenFeeRateParams): string {
  const multiple = sqlNum(num(p.lpr_multiple));
  const local = sqlNum(num(p.local_cap));
  return `WITH bounds AS (
      SELECT min(month) AS first_month, arg_min(one_year, month) AS first_rate, arg_max(one_year, month) AS last_rate FROM lpr
    ),
    terms AS (
      SELECT l.lender_code, l.loan_id, l.period, l.origination_date, g.type AS lender_type, l.repayment_method,
        l.term_months, l.principal, l.nominal_rate, l.upfront_fee, l.periodic_fee, l.other_fees,
        g.type IN (${sqlList(p.lpr_capped_types)}) AS lpr_capped,
        strftime(l.origination_date - INTERVAL 19 DAY, '%Y-%m') AS lpr_month
      FROM loans l JOIN registry g ON g.code = l.lender_code
      WHERE l.term_months >= 1 AND l.principal > l.upfront_fee
        -- Without fees the true rate never exceeds the nominal rate (equal to it, or below it for simple-interest
        -- bullets): only loans with a fee or a nominal rate above the lowest cap can breach.
        AND (l.upfront_fee > 0 OR l.periodic_fee > 0 OR l.other_fees > 0
          OR l.nominal_rate > least(${local}, ${multiple} * (SELECT min(one_year) FROM lpr)))
    ),
    capped AS (
      SELECT t.*, coalesce(m.one_year, CASE WHEN t.lpr_month < b.first_month THEN b.first_rate ELSE b.last_rate END) AS lpr
      FROM terms t CROSS JOIN bounds b LEFT JOIN lpr m ON m.month = t.lpr_month
    ),
    priced AS (
      SELECT *, CASE WHEN lpr_capped THEN ${multiple} * lpr ELSE ${local} END AS cap FROM capped
    )
    SELECT lender_code, loan_id, period, origination_date, repayment_method, term_months, principal, nominal_rate,
      upfront_fee, periodic_fee, other_fees, lender_type, cap, CASE WHEN lpr_capped THEN lpr END AS lpr
    -- The true rate exceeds the cap exactly when the payments discounted at the cap exceed the amount disbursed:
    -- one evaluation per loan, no root finding; the IRR is computed only for the loans that breach.
    FROM (${exceedingRateSql("priced", "cap")})`;
}

/** SQL of the true rates and terms of the loans in table `above` (which carries their terms: no second scan). */
export function breachDetailSql(): string {
  return `WITH rates AS (${trueRateSql("above")})
    SELECT a.loan_id, a.lender_code, a.lender_type, strftime(a.origination_date, '%Y-%m-%d') AS origination_date,
      t.true_rate, t.converged, a.cap, a.lpr, CAST(a.nominal_rate AS DOUBLE) AS nominal_rate, CAST(a.principal AS DOUBLE) AS principal,
      CAST(a.upfront_fee AS DOUBLE) AS upfront_fee, CAST(a.periodic_fee AS DOUBLE) AS periodic_fee,
      CAST(a.other_fees AS DOUBLE) AS other_fees, CAST(a.term_months AS INTEGER) AS term_months, a.repayment_method
    FROM above a JOIN rates t ON t.lender_code = a.lender_code AND t.loan_id = a.loan_id
    ORDER BY t.true_rate DESC, a.loan_id`;
}

/** One finding per loan above its cap. */
export function hiddenFeeFindings(list: readonly RateRow[], p: HiddenFeeRateParams): FindingDraft[] {
  return list.map((r) => {
    const fees = r.upfront_fee + r.periodic_fee * r.term_months + r.other_fees;
    const capText =
      r.lpr === null ? `the ${pct(r.cap)} cap` : `${p.lpr_multiple} x LPR (${pct(r.lpr)}) = ${pct(r.cap)}`;
    const capZh =
      r.lpr === null ? `${pct(r.cap)} 的上限` : `${p.lpr_multiple} 倍LPR（${pct(r.lpr)}）即 ${pct(r.cap)}`;
    const s = score(50 + 100 * (r.true_rate - r.cap));
    return {
      subjectKind: "loan",
      subjectId: r.loan_id,
      memberKind: "loan",
      members: [r.loan_id],
      institutions: [r.lender_code],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Loan ${r.loan_id} at ${r.lender_code}: nominal rate ${pct(r.nominal_rate)}, but with fees of RMB ${fees.toFixed(2)} on RMB ${r.principal.toFixed(2)} the true annual rate is ${pct(r.true_rate)}, above ${capText}.`,
        zh: `${r.lender_code} 的贷款 ${r.loan_id}：名义利率 ${pct(r.nominal_rate)}，计入 ${r.principal.toFixed(2)} 元本金上的费用 ${fees.toFixed(2)} 元后真实年化利率为 ${pct(r.true_rate)}，高于${capZh}。`,
      },
      evidence: {
        lenderType: r.lender_type,
        originationDate: r.origination_date,
        trueAnnualRate: r.true_rate,
        trueRateConverged: r.converged,
        cap: r.cap,
        lprAtOrigination: r.lpr,
        nominalRate: r.nominal_rate,
        principal: r.principal,
        upfrontFee: r.upfront_fee,
        periodicFee: r.periodic_fee,
        otherFees: r.other_fees,
        termMonths: r.term_months,
        repaymentMethod: r.repayment_method,
        method:
          "12 x monthly IRR of the amount disbursed (principal - upfront fee) against every payment and fee",
      },
    };
  });
}

export const hiddenFeeRate = defineDetector<HiddenFeeRateParams>({
  id: "hidden_fee_rate",
  version: "1.0.0",
  en: "True annual rate above the cap (hidden fees)",
  zh: "综合融资成本超限（隐性收费）",
  description: {
    en: "Loans whose true annual rate, fees included, exceeds 24% (local lenders) or four times the LPR (banks, trusts, platforms).",
    zh: "计入各项费用后真实年化利率超过24%（地方金融组织）或4倍LPR（银行、信托、平台）的贷款。",
  },
  leadUnit: "finance_office",
  datasets: [{ name: "loans", window: "period" }],
  params,
  async run(ctx, p) {
    await ctx.duck.run(`CREATE OR REPLACE TEMP TABLE above AS ${aboveCapSql(p)}`);
    const found = await rows<RateRow>(ctx.duck, breachDetailSql());
    await ctx.duck.run("DROP TABLE above");
    return hiddenFeeFindings(found, p);
  },
});
