/**
 * Bills: the tenor of every commercial draft a bank accepts or discounts, issue date to maturity, against the six
 * months of the 2022 Measures (in force 2023-01-01). The line is six calendar months from each bill's issue date,
 * shown in days.
 */
import { defineParams, type ParamSpec } from "@beacon/core/rules/index";
import { defineRecordRule } from "@beacon/core/rules/record/record-rule";
import { z } from "zod";
import { confirmed } from "../common.ts";
import { docs } from "../legal-basis.ts";

const monthsSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const text = String(v).trim();
  if (!/^[1-9][0-9]?$/.test(text)) {
    ctx.addIssue({
      code: "custom",
      message: `expected a whole number of months from 1 to 99, got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return text;
});

const maximumMonths: ParamSpec<string> = {
  schema: monthsSchema,
  default: "6",
  ...confirmed("Longest tenor (months from issue)", "最长期限（自出票日起月数）"),
};

export const billTenor = defineRecordRule({
  id: "cn.bills.tenor",
  version: 1,
  zh: "商业汇票最长期限",
  en: "Tenor of commercial drafts",
  family: "bills",
  severity: "medium",
  appliesTo: { types: ["bank"] },
  effective: { from: "2023-01-01" },
  legalBasis: [docs.bills2022],
  leadUnit: "pbc_cq",
  params: defineParams({ maximumMonths }),
  notes: ["Each reporting bank (acceptor or discounter) is flagged for the bills it reports."],
  datasets: ["bills"],
  subject: { en: "bill", zh: "票据", counter: "张" },
  measure: { en: "tenor", zh: "期限" },
  display: "days",
  sql(p) {
    const months = Number(p.maximumMonths);
    return `SELECT b.bank_code AS institution, b.bill_id AS subject,
        CAST(date_diff('day', b.issue_date, b.maturity_date) AS DOUBLE) AS value, NULL AS warning,
        CAST(date_diff('day', b.issue_date, CAST(b.issue_date + to_months(${months}) AS DATE)) AS DOUBLE) AS regulatory,
        'maximumMonths' AS param,
        json_object('role', b.role, 'issueDate', strftime(b.issue_date, '%Y-%m-%d'), 'maturityDate', strftime(b.maturity_date, '%Y-%m-%d'),
          'latestMaturity', strftime(CAST(b.issue_date + to_months(${months}) AS DATE), '%Y-%m-%d'), 'faceAmount', CAST(b.face_amount AS VARCHAR)) AS detail
      FROM bills b JOIN registry g ON g.code = b.bank_code AND g.type = 'bank'
      WHERE b.maturity_date > CAST(b.issue_date + to_months(${months}) AS DATE)`;
  },
  qualifier(row, p) {
    return {
      en: `(${p.maximumMonths} months from issue on ${String(row.detail.issueDate)})`,
      zh: `自出票日${String(row.detail.issueDate)}起${p.maximumMonths}个月的`,
    };
  },
});
