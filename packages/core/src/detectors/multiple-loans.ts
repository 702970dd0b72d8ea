/**
 * Multiple loans (多头借贷): borrowers with loans at k or more distinct lenders (k per borrower type), or who
 * added many new lenders within a year, with their debt against income and how their lender count rose over time
 * (from origination dates). Borrowers are compared by pseudonymised resident id or by credit code, so the same
 * person matches across lenders.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { intParam, num } from "./params.ts";
import { distinct, fixed, rows, score, severityOf, sqlText, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface MultipleLoansParams {
  min_lenders_individual: number;
  min_lenders_enterprise: number;
  new_lender_months: number;
  min_new_lenders: number;
  high_debt_to_income: string;
}

const params = defineParams({
  min_lenders_individual: intParam(5, 2, 100, {
    status: "to_confirm",
    en: "Distinct lenders from which an individual borrower is flagged",
    zh: "个人借款人多头借贷的机构数阈值",
    note: "No national number; 5 is common practice in credit-reporting based monitoring.",
  }),
  min_lenders_enterprise: intParam(8, 2, 200, {
    status: "to_confirm",
    en: "Distinct lenders from which an enterprise borrower is flagged",
    zh: "企业借款人多头借贷的机构数阈值",
  }),
  new_lender_months: intParam(12, 1, 60, {
    status: "to_confirm",
    en: "Window, in months up to the period, in which new lenders are counted",
    zh: "统计新增贷款机构的期间（月）",
  }),
  min_new_lenders: intParam(4, 2, 100, {
    status: "to_confirm",
    en: "New lenders within the window from which a borrower is flagged even below the threshold",
    zh: "期间内新增贷款机构达到该数即预警",
  }),
  high_debt_to_income: decimalParam("2", {
    status: "to_confirm",
    en: "Non-mortgage debt to annual income above which a flagged borrower is over-indebted",
    zh: "非按揭负债与年收入之比的过度负债线",
  }),
});

/** One (borrower, lender) pair of a flagged borrower. */
export interface BorrowerLenderRow {
  borrower_type: "individual" | "enterprise";
  borrower: string;
  lender_code: string;
  loans: number;
  outstanding: number;
  non_mortgage: number;
  first_origination: string;
  income: number | null;
  non_performing: number;
}

/**
 * SQL of the candidate borrowers: one aggregation by (borrower, lender) and one by borrower, kept to what a
 * distributed engine also runs, partitionable by borrower. Borrowers are grouped by a 64-bit hash of their id
 * (cheaper to group than 64-character strings); a collision can only merge two borrowers into a false candidate,
 * which the detail, grouped by the real id, then drops, so nothing is missed and nothing false is reported.
 */
export function flaggedBorrowersSql(p: MultipleLoansParams, windowStart: string): string {
  return `SELECT h, borrower_type, CAST(count(*) AS INTEGER) AS lenders
    FROM (
      SELECT hash(coalesce(borrower_id, borrower_code)) AS h, borrower_type, lender_code,
        min(origination_date) AS first_origination
      FROM loans
      GROUP BY hash(coalesce(borrower_id, borrower_code)), borrower_type, lender_code
    ) bl
    GROUP BY h, borrower_type
    HAVING count(*) >= CASE WHEN borrower_type = 'individual' THEN ${p.min_lenders_individual} ELSE ${p.min_lenders_enterprise} END
      OR count(*) FILTER (WHERE first_origination >= DATE ${sqlText(windowStart)}) >= ${p.min_new_lenders}`;
}

/** SQL of the (borrower, lender) detail of the candidates in table `flagged`, grouped by the real borrower id. */
export function borrowerDetailSql(): string {
  return `SELECT l.borrower_type, coalesce(l.borrower_id, l.borrower_code) AS borrower, l.lender_code,
      CAST(count(*) AS INTEGER) AS loans, CAST(sum(l.outstanding) AS DOUBLE) AS outstanding,
      CAST(sum(CASE WHEN l.mortgage THEN 0 ELSE l.outstanding END) AS DOUBLE) AS non_mortgage,
      strftime(min(l.origination_date), '%Y-%m-%d') AS first_origination,
      CAST(max(l.borrower_annual_income) AS DOUBLE) AS income,
      CAST(count(*) FILTER (WHERE l.classification IN ('substandard', 'doubtful', 'loss')) AS INTEGER) AS non_performing
    FROM loans l
    WHERE hash(coalesce(l.borrower_id, l.borrower_code)) IN (SELECT h FROM flagged)
    GROUP BY l.borrower_type, coalesce(l.borrower_id, l.borrower_code), l.lender_code
    ORDER BY borrower, first_origination, l.lender_code`;
}

/** Month (YYYY-MM) `months` before the given period, as the first day of that month's successor window. */
export function windowStart(period: string, months: number): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - months, 1)).toISOString().slice(0, 10);
}

/** Turns the (borrower, lender) rows of flagged borrowers into findings. */
export function multipleLoanFindings(
  detail: readonly BorrowerLenderRow[],
  p: MultipleLoansParams,
  period: string,
  windowFrom: string,
): FindingDraft[] {
  const byBorrower = new Map<string, BorrowerLenderRow[]>();
  for (const r of detail) {
    const list = byBorrower.get(r.borrower);
    if (list) list.push(r);
    else byBorrower.set(r.borrower, [r]);
  }
  const high = num(p.high_debt_to_income);
  const out: FindingDraft[] = [];
  for (const [borrower, list] of byBorrower) {
    const individual = list[0]!.borrower_type === "individual";
    const k = individual ? p.min_lenders_individual : p.min_lenders_enterprise;
    const lenders = list.length;
    const firsts = list.map((r) => r.first_origination).sort();
    const newLenders = firsts.filter((d) => d >= windowFrom).length;
    // The candidate query works on hashed ids: a collision may bring a borrower below the thresholds here.
    if (lenders < k && newLenders < p.min_new_lenders) continue;
    // Lender count at the end of each month in which a new lender first lent: the rise over time.
    const byMonth: { month: string; lenders: number }[] = [];
    firsts.forEach((d, i) => {
      const month = d.slice(0, 7);
      const last = byMonth[byMonth.length - 1];
      if (last && last.month === month) last.lenders = i + 1;
      else byMonth.push({ month, lenders: i + 1 });
    });
    const debt = list.reduce((s, r) => s + r.non_mortgage, 0);
    const total = list.reduce((s, r) => s + r.outstanding, 0);
    const incomes = list.map((r) => r.income).filter((x): x is number => x !== null && x > 0);
    const income = incomes.length > 0 ? Math.max(...incomes) : null;
    const dti = income ? debt / income : null;
    const npl = list.reduce((s, r) => s + r.non_performing, 0);
    const overIndebted = dti !== null && dti > high;
    const s = score(
      40 +
        6 * Math.max(0, lenders - k) +
        (newLenders >= p.min_new_lenders ? 15 : 0) +
        (overIndebted ? 15 : 0) +
        (npl > 0 ? 15 : 0),
    );
    const who = individual ? "Borrower" : "Enterprise borrower";
    const short = individual ? `${borrower.slice(0, 12)}…` : borrower;
    const partsEn = [
      `${who} ${short} has loans at ${lenders} distinct lenders (threshold ${k} for ${individual ? "individuals" : "enterprises"})`,
      `${newLenders} of them first lent in the ${p.new_lender_months} months to ${period}`,
    ];
    const partsZh = [
      `${individual ? "借款人" : "企业借款人"} ${short} 在 ${lenders} 家机构有贷款（${individual ? "个人" : "企业"}阈值 ${k} 家）`,
      `其中 ${newLenders} 家为截至 ${period} 的 ${p.new_lender_months} 个月内新增`,
    ];
    if (dti !== null && income !== null) {
      partsEn.push(
        `non-mortgage debt of RMB ${yuan(debt)} is ${fixed(dti, 1)} times annual income of RMB ${yuan(income)}${overIndebted ? ` (above ${p.high_debt_to_income})` : ""}`,
      );
      partsZh.push(
        `非按揭负债 ${yuan(debt)} 元，为年收入 ${yuan(income)} 元的 ${fixed(dti, 1)} 倍${overIndebted ? `（高于 ${p.high_debt_to_income} 倍）` : ""}`,
      );
    } else {
      partsEn.push(`total debt RMB ${yuan(total)}`);
      partsZh.push(`负债合计 ${yuan(total)} 元`);
    }
    if (npl > 0) {
      partsEn.push(`${npl} loan(s) non-performing`);
      partsZh.push(`${npl} 笔贷款已不良`);
    }
    out.push({
      subjectKind: individual ? "person" : "enterprise",
      subjectId: borrower,
      memberKind: individual ? "person" : "enterprise",
      members: [borrower],
      institutions: distinct(list.map((r) => r.lender_code)),
      severity: severityOf(s),
      score: s,
      explanation: { en: `${partsEn.join("; ")}.`, zh: `${partsZh.join("；")}。` },
      evidence: {
        borrowerType: list[0]!.borrower_type,
        distinctLenders: lenders,
        threshold: k,
        newLenders,
        newLenderWindowFrom: windowFrom,
        lenderCountByMonth: byMonth,
        debtOutstanding: total,
        nonMortgageDebt: debt,
        annualIncome: income,
        debtToIncome: dti,
        nonPerformingLoans: npl,
        lenders: list.map((r) => ({
          lender: r.lender_code,
          loans: r.loans,
          outstanding: r.outstanding,
          firstOrigination: r.first_origination,
        })),
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const multipleLoans = defineDetector<MultipleLoansParams>({
  id: "multiple_loans",
  version: "1.0.0",
  en: "Multiple loans and excessive credit",
  zh: "多头借贷与过度授信",
  description: {
    en: "Borrowers with loans at many lenders, or adding lenders fast, with debt against income and the rise in lender count over time.",
    zh: "在多家机构借款或短期内新增借款机构较多的借款人，附负债收入比与借款机构数随时间的变化。",
  },
  leadUnit: "pbc_cq",
  datasets: [{ name: "loans", window: "period" }],
  params,
  async run(ctx, p) {
    const from = windowStart(ctx.period, p.new_lender_months);
    await ctx.duck.run(`CREATE OR REPLACE TEMP TABLE flagged AS ${flaggedBorrowersSql(p, from)}`);
    const detail = await rows<BorrowerLenderRow>(ctx.duck, borrowerDetailSql());
    await ctx.duck.run("DROP TABLE IF EXISTS flagged");
    return multipleLoanFindings(detail, p, ctx.period, from);
  },
});
