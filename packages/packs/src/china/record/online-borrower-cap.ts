/**
 * Online small loans: each borrower's balance at one online small-loan company, summed over its loans, against the
 * 2020 draft's caps (Art. 13): a natural person at most RMB 300k and one third of the average annual income over
 * three years, the lower applying; a legal person at most RMB 1m. The returns report only the largest balance;
 * this rule finds every borrower over a cap, with the loans that make up the balance.
 */
import { decimalParam, defineParams } from "@beacon/core/rules/index";
import { defineRecordRule, sqlNumber } from "@beacon/core/rules/record/record-rule";
import { toConfirm } from "../common.ts";
import { art, docs } from "../legal-basis.ts";

const draft = (en: string, zh: string) =>
  toConfirm(
    en,
    zh,
    "2020 draft measures; no final version found (U). The later NFRA measures set RMB 200k / RMB 10m.",
  );

export const onlineBorrowerCap = defineRecordRule({
  id: "cn.osl.borrower_balance_cap",
  version: 1,
  zh: "网络小额贷款单户余额上限（逐户）",
  en: "Online small-loan balance per borrower",
  family: "online_small_loan",
  severity: "medium",
  appliesTo: { types: ["online_small_loan"] },
  effective: { from: "2020-11-02" },
  legalBasis: [art(docs.onlineSmallLoan2020, "Art. 13", "第十三条")],
  leadUnit: "finance_office",
  params: defineParams({
    naturalPersonMaximum: decimalParam(
      "300000",
      draft("Cap per natural person (CNY)", "单户自然人上限（元）"),
    ),
    incomeShare: decimalParam(
      "1/3",
      draft("Cap as a share of the natural person's average annual income", "自然人年均收入占比上限"),
    ),
    legalPersonMaximum: decimalParam("1000000", draft("Cap per legal person (CNY)", "单户法人上限（元）")),
  }),
  notes: [
    "Balances are summed per lender and borrower (pseudonymised resident id or credit code) over the period's loan book.",
    "The legal-person cap covers the entity with its related parties; related parties are not in the loan data, so each credit code is capped alone.",
    "Income is the reported three-year average; where it is unknown only the amount cap applies.",
  ],
  datasets: ["loans"],
  subject: { en: "borrower", zh: "借款人", counter: "户" },
  measure: { en: "balance outstanding", zh: "贷款余额" },
  display: "amount",
  sql(p) {
    const natural = sqlNumber(p.naturalPersonMaximum);
    const share = sqlNumber(p.incomeShare);
    const legal = sqlNumber(p.legalPersonMaximum);
    return `WITH b AS (
        SELECT l.lender_code, l.borrower_type, coalesce(l.borrower_id, l.borrower_code) AS borrower,
          CAST(sum(l.outstanding) AS DOUBLE) AS balance, CAST(max(l.borrower_annual_income) AS DOUBLE) AS income,
          count(*) AS loans, list(l.loan_id ORDER BY l.loan_id) AS loan_ids
        FROM loans l JOIN registry g ON g.code = l.lender_code AND g.type = 'online_small_loan'
        GROUP BY l.lender_code, l.borrower_type, coalesce(l.borrower_id, l.borrower_code)),
      capped AS (
        SELECT *, CASE WHEN borrower_type = 'enterprise' THEN ${legal}
                       WHEN income IS NOT NULL AND income * ${share} < ${natural} THEN income * ${share}
                       ELSE ${natural} END AS cap,
          CASE WHEN borrower_type = 'enterprise' THEN 'legalPersonMaximum'
               WHEN income IS NOT NULL AND income * ${share} < ${natural} THEN 'incomeShare'
               ELSE 'naturalPersonMaximum' END AS param
        FROM b)
      SELECT lender_code AS institution, borrower AS subject, balance AS value, NULL AS warning, cap AS regulatory, param,
        json_object('borrowerType', borrower_type, 'loanIds', loan_ids, 'loans', loans, 'annualIncome', income) AS detail
      FROM capped WHERE balance > cap`;
  },
  qualifier(row, p) {
    if (row.param === "legalPersonMaximum") return { en: "for a legal person", zh: "法人" };
    if (row.param === "incomeShare") {
      const income = Number(row.detail.annualIncome).toLocaleString("en-US", { minimumFractionDigits: 2 });
      return {
        en: `for a natural person (${p.incomeShare} of the average annual income of RMB ${income})`,
        zh: `自然人（年均收入${income}元的${p.incomeShare}）`,
      };
    }
    return { en: "for a natural person", zh: "自然人" };
  },
});
