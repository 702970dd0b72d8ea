/**
 * Online small-loan caps per natural person: a person's balance at one online small-loan company must stay within
 * RMB 300,000 and one third of the person's average annual income over three years (CBIRC/PBoC draft measures on
 * online small loans, 2020). Balances are summed per borrower and lender; income comes from the loan records.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { num } from "./params.ts";
import { distinct, fixed, rows, score, severityOf, sqlNum, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface OnlineLoanCapParams {
  max_balance: string;
  max_income_share: string;
}

const params = defineParams({
  max_balance: decimalParam("300000", {
    status: "confirmed",
    en: "Largest balance of one natural person at one online small-loan company (yuan)",
    zh: "网络小额贷款对单户自然人贷款余额上限（元）",
  }),
  max_income_share: decimalParam("1/3", {
    status: "confirmed",
    en: "Largest balance as a share of the person's average annual income over three years",
    zh: "贷款余额占借款人最近三年年均收入的上限",
  }),
});

export interface CapRow {
  borrower: string;
  lender_code: string;
  loans: number;
  balance: number;
  income: number | null;
  loan_ids: string[];
}

/**
 * SQL of (person, online lender) balances above either cap, with the loans behind them. Balances are first summed
 * per hashed borrower id (cheap to group); the few candidates are then summed again by the real id, so a hash
 * collision can neither hide a breach nor invent one.
 */
export function onlineCapSql(p: OnlineLoanCapParams): string {
  const cap = sqlNum(num(p.max_balance));
  const share = sqlNum(num(p.max_income_share));
  const over = (b: string, i: string) => `(${b} > ${cap} OR (${i} > 0 AND ${b} > ${share} * ${i}))`;
  return `WITH osl AS (SELECT code FROM registry WHERE type = 'online_small_loan'),
    candidates AS (
      SELECT hash(borrower_id) AS h, lender_code
      FROM loans
      WHERE borrower_type = 'individual' AND lender_code IN (SELECT code FROM osl)
      GROUP BY hash(borrower_id), lender_code
      HAVING ${over("sum(outstanding)", "max(borrower_annual_income)")}
    )
    SELECT borrower, lender_code, loans, balance, income, loan_ids FROM (
      SELECT l.borrower_id AS borrower, l.lender_code, CAST(count(*) AS INTEGER) AS loans,
        CAST(sum(l.outstanding) AS DOUBLE) AS balance, CAST(max(l.borrower_annual_income) AS DOUBLE) AS income,
        list(l.loan_id ORDER BY l.loan_id) AS loan_ids
      FROM loans l SEMI JOIN candidates c ON c.h = hash(l.borrower_id) AND c.lender_code = l.lender_code
      WHERE l.borrower_type = 'individual'
      GROUP BY l.borrower_id, l.lender_code
    ) t
    WHERE ${over("balance", "income")}
    ORDER BY borrower, lender_code`;
}

/** Findings, one per person, listing each online lender whose cap the person's balance exceeds. */
export function onlineCapFindings(list: readonly CapRow[], p: OnlineLoanCapParams): FindingDraft[] {
  const cap = num(p.max_balance);
  const share = num(p.max_income_share);
  const byPerson = new Map<string, CapRow[]>();
  for (const r of list) (byPerson.get(r.borrower) ?? byPerson.set(r.borrower, []).get(r.borrower)!).push(r);
  const out: FindingDraft[] = [];
  for (const [person, items] of byPerson) {
    const en: string[] = [];
    const zh: string[] = [];
    let worst = 0;
    const evidence = items.map((r) => {
      const incomeCap = r.income && r.income > 0 ? share * r.income : null;
      const limit = incomeCap === null ? cap : Math.min(cap, incomeCap);
      const binding = incomeCap !== null && incomeCap < cap ? "income" : "amount";
      worst = Math.max(worst, r.balance / limit);
      if (binding === "amount") {
        en.push(`balance RMB ${yuan(r.balance)} at ${r.lender_code} exceeds the RMB ${yuan(cap)} cap`);
        zh.push(`在 ${r.lender_code} 的贷款余额 ${yuan(r.balance)} 元超过 ${yuan(cap)} 元上限`);
      } else {
        en.push(
          `balance RMB ${yuan(r.balance)} at ${r.lender_code} exceeds ${p.max_income_share} of annual income RMB ${yuan(r.income!)} (RMB ${yuan(incomeCap!)})`,
        );
        zh.push(
          `在 ${r.lender_code} 的贷款余额 ${yuan(r.balance)} 元超过年收入 ${yuan(r.income!)} 元的 ${p.max_income_share}（${yuan(incomeCap!)} 元）`,
        );
      }
      return {
        lender: r.lender_code,
        balance: r.balance,
        annualIncome: r.income,
        limit,
        binding,
        loans: r.loan_ids,
      };
    });
    const s = score(45 + 25 * Math.min(2, worst - 1) + 5 * (items.length - 1));
    out.push({
      subjectKind: "person",
      subjectId: person,
      memberKind: "person",
      members: [person],
      institutions: distinct(items.map((r) => r.lender_code)),
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Natural person ${person.slice(0, 12)}…: ${en.join("; ")}; ${fixed(worst, 2)} times the binding limit.`,
        zh: `自然人 ${person.slice(0, 12)}…：${zh.join("；")}；为适用上限的 ${fixed(worst, 2)} 倍。`,
      },
      evidence: { maxBalance: cap, maxIncomeShare: p.max_income_share, timesLimit: worst, lenders: evidence },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const onlineLoanCap = defineDetector<OnlineLoanCapParams>({
  id: "online_loan_cap",
  version: "1.0.0",
  en: "Online small-loan caps per natural person",
  zh: "网络小额贷款单户余额上限",
  description: {
    en: "Natural persons whose balance at an online small-loan company exceeds RMB 300,000 or one third of their annual income.",
    zh: "在网络小额贷款公司的贷款余额超过30万元或其年收入三分之一的自然人。",
  },
  leadUnit: "finance_office",
  datasets: [{ name: "loans", window: "period" }],
  params,
  async run(ctx, p) {
    return onlineCapFindings(await rows<CapRow>(ctx.duck, onlineCapSql(p)), p);
  },
});
