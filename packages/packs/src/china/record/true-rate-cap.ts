/**
 * The borrower's true annual rate of every loan (fees included: monthly IRR of the actual cash flows × 12) against
 * the cap for its lender's type. Which cap applies is contested, so each lender type's cap is its own governed
 * parameter, every default to confirm:
 * - licensed local financial organisations (small-loan, online small-loan, pawn, leasing, factoring, local AMC): the
 *   SPC reply keeps them outside the 2020 private-lending interpretation, so the legacy lines of the 2015
 *   interpretation stay: 24% (above it the excess is not enforceable; warning line) and 36% (void; regulatory line);
 * - banks and trusts: licensed financial institutions, outside the private-lending interpretations altogether; the
 *   2017 cash-loan notice's 36% all-in line applies;
 * - internet lending platforms intermediate private lending, so 4 × the one-year LPR at signing (2020
 *   interpretation, Art. 25).
 */
import { institutionTypes } from "@beacon/core/contract/institution-types";
import { type Bilingual, defineParams, type LegalBasis, type ParamSpec } from "@beacon/core/rules/index";
import { defineRecordRule, sqlText } from "@beacon/core/rules/record/record-rule";
import { exceedingRateSql, trueRateSql } from "@beacon/core/rules/record/true-rate";
import { z } from "zod";
import { docs } from "../legal-basis.ts";
import { privateLending2015, privateLending2020, scopeReply2020 } from "./lending-law.ts";

/** One line of a cap: a fixed annual rate, or a multiple of the one-year LPR at signing. */
export type CapLine = { kind: "fixed"; rate: string } | { kind: "lpr"; multiple: string };
export interface Cap {
  warning?: CapLine;
  regulatory: CapLine;
}

const linePattern = /^(\d+(?:\.\d+)?)(x ?LPR)?$/i;

function parseLine(text: string): CapLine | undefined {
  const m = linePattern.exec(text.trim());
  if (!m) return undefined;
  return m[2] ? { kind: "lpr", multiple: m[1]! } : { kind: "fixed", rate: m[1]! };
}

/** Parses "0.36", "4xLPR" or "0.24/0.36" (warning line / regulatory line); undefined when malformed. */
export function parseCap(text: string): Cap | undefined {
  const parts = text.split("/");
  if (parts.length > 2) return undefined;
  const lines = parts.map(parseLine);
  if (lines.some((l) => l === undefined)) return undefined;
  return lines.length === 1 ? { regulatory: lines[0]! } : { warning: lines[0]!, regulatory: lines[1]! };
}

function lineText(l: CapLine): string {
  return l.kind === "lpr" ? `${l.multiple}xLPR` : l.rate;
}

const capSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const cap = parseCap(String(v));
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  if (!cap) {
    return fail(
      `expected a cap such as "0.36", "4xLPR" or "0.24/0.36" (warning line / regulatory line), got ${JSON.stringify(v)}`,
    );
  }
  const lines = cap.warning ? [cap.warning, cap.regulatory] : [cap.regulatory];
  for (const l of lines) {
    const n = Number(l.kind === "lpr" ? l.multiple : l.rate);
    if (!(n > 0)) return fail("a cap line must be above zero");
    if (l.kind === "fixed" && n >= 10)
      return fail(`a fixed cap is an annual rate as a fraction (0.36 for 36%), got ${l.rate}`);
  }
  if (cap.warning?.kind === "fixed" && cap.regulatory.kind === "fixed") {
    if (Number(cap.warning.rate) >= Number(cap.regulatory.rate)) {
      return fail("the warning line must be below the regulatory line");
    }
  }
  return cap.warning ? `${lineText(cap.warning)}/${lineText(cap.regulatory)}` : lineText(cap.regulatory);
});

/** The lender types of the loans dataset, each with its own cap. */
export const lenderTypes = [
  "bank",
  "trust",
  "small_loan",
  "online_small_loan",
  "financial_leasing",
  "pawn",
  "commercial_factoring",
  "local_amc",
  "internet_lending_platform",
] as const;
type LenderType = (typeof lenderTypes)[number];

/** The licensed local financial organisations the SPC reply names (guarantee companies and regional equity markets lend no loans here). */
const localOrganisations = new Set<string>([
  "small_loan",
  "online_small_loan",
  "financial_leasing",
  "pawn",
  "commercial_factoring",
  "local_amc",
]);

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function capParam(type: LenderType, value: string, note: string): ParamSpec<string> {
  const name = institutionTypes[type];
  return {
    schema: capSchema as unknown as z.ZodType<string>,
    default: value,
    status: "to_confirm",
    en: `True-rate cap for ${article(name.en.toLowerCase())} (warning/regulatory)`,
    zh: `${name.zh}真实年化利率上限（预警线/监管上限）`,
    note,
  };
}

const legacy =
  "Licensed local financial organisations are outside the 2020 private-lending interpretation (SPC reply, S4 P); the legacy 24%/36% lines of the 2015 interpretation (S30 S*) are applied. Confirm.";
const cashLoan =
  "Licensed financial institutions are outside the private-lending interpretations; the 2017 cash-loan notice's 36% all-in line (S30 S) is applied. Confirm.";
const platform =
  "Loans intermediated by a platform are private lending: 4 × the one-year LPR at signing (2020 interpretation Art. 25, S3 P). Whether the platform itself is bound is an interpretation. Confirm.";

const params = defineParams({
  bank: capParam("bank", "0.36", cashLoan),
  trust: capParam("trust", "0.36", cashLoan),
  small_loan: capParam("small_loan", "0.24/0.36", legacy),
  online_small_loan: capParam("online_small_loan", "0.24/0.36", legacy),
  financial_leasing: capParam("financial_leasing", "0.24/0.36", legacy),
  pawn: capParam("pawn", "0.24/0.36", legacy),
  commercial_factoring: capParam("commercial_factoring", "0.24/0.36", legacy),
  local_amc: capParam("local_amc", "0.24/0.36", legacy),
  internet_lending_platform: capParam("internet_lending_platform", "4xLPR", platform),
});

function sqlLine(l: CapLine | undefined): [string, string] {
  if (!l) return ["NULL", "NULL"];
  return l.kind === "fixed"
    ? [`CAST(${l.rate} AS DOUBLE)`, "NULL"]
    : ["NULL", `CAST(${l.multiple} AS DOUBLE)`];
}

function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

export const trueRateCap = defineRecordRule({
  id: "cn.loan.true_rate_cap",
  version: 1,
  zh: "贷款真实年化利率上限",
  en: "True annual rate of loans",
  family: "lending_rates",
  severity: "high",
  appliesTo: { types: [...lenderTypes] },
  effective: { from: "2015-09-01" },
  legalBasis: [privateLending2020, scopeReply2020, privateLending2015, docs.cashLoans2017],
  leadUnit: "finance_office",
  params,
  notes: [
    "The true rate is 12 × the monthly IRR of what the borrower really receives (principal less upfront fees) against every instalment, periodic fee and final fee (trueRateSql).",
    "The LPR at signing is the rate announced on the 20th of the latest month at or before the origination date; loans signed before the first LPR (2019-08-20) have no LPR line and are not assessed against one.",
    "Loans whose IRR does not converge are left out rather than guessed.",
  ],
  datasets: ["loans"],
  subject: { en: "loan", zh: "贷款", counter: "笔" },
  measure: { en: "true annual rate", zh: "真实年化利率" },
  display: "percent",
  sql(p, ctx) {
    // The LPR in force on a day is the latest announced on the 20th on or before it: day d falls under the
    // announcement month of d - 19 days. One row per month (a hash join, no sort of the loans).
    const caps = lenderTypes
      .map((t) => {
        const cap = parseCap(p[t])!;
        const [wf, wm] = sqlLine(cap.warning);
        const [rf, rm] = sqlLine(cap.regulatory);
        return `(${sqlText(t)}, ${wf}, ${wm}, ${rf}, ${rm}, ${sqlText(p[t])})`;
      })
      .join(", ");
    // Present value falls as the rate rises, so a loan can cross its lower line only if its payments discounted at
    // that line exceed the amount disbursed: one evaluation per loan picks the candidates (with a margin of one part
    // in 10^6, a superset), and only they are solved for their IRR, which decides the line crossed.
    return `WITH caps(type, w_fixed, w_mult, r_fixed, r_mult, spec) AS (VALUES ${caps}),
      -- The one-year LPR of each announcement month since the first, as one list indexed by month.
      lpr_list AS (
        SELECT list((SELECT one_year FROM lpr WHERE from_date <= CAST(m AS DATE) + 19 ORDER BY from_date DESC LIMIT 1) ORDER BY m) AS rates
        FROM (SELECT unnest(generate_series(DATE '2019-08-01', DATE '${ctx.periodEnd}', INTERVAL 1 MONTH)) AS m)),
      lined AS (
        SELECT *, least(coalesce(warning, regulatory), regulatory) AS lowest FROM (
          SELECT l.*, c.type, c.spec, coalesce(c.w_fixed, c.w_mult * l.lpr) AS warning, coalesce(c.r_fixed, c.r_mult * l.lpr) AS regulatory
          FROM (SELECT l.*, CASE WHEN signed >= 0 THEN q.rates[signed + 1] END AS lpr
                FROM (SELECT *, 12 * year(origination_date - 19) + month(origination_date - 19) - (12 * 2019 + 8) AS signed FROM loans) l
                  CROSS JOIN lpr_list q) l
            JOIN registry g ON g.code = l.lender_code JOIN caps c ON c.type = g.type)
        WHERE regulatory IS NOT NULL AND principal > upfront_fee AND term_months >= 1
          -- Without fees the true rate is at most the nominal rate.
          AND (upfront_fee > 0 OR periodic_fee > 0 OR other_fees > 0 OR nominal_rate > least(coalesce(warning, regulatory), regulatory) - 1e-9)),
      candidates AS MATERIALIZED (${exceedingRateSql("lined", "lowest", -1e-6)}),
      rated AS (
        SELECT * FROM (${trueRateSql("candidates", undefined, ["type", "spec", "lpr", "warning", "regulatory", "lowest", "nominal_rate", "principal", "upfront_fee", "periodic_fee", "other_fees", "term_months", "repayment_method"])})
        WHERE converged AND true_rate > lowest)
      SELECT lender_code AS institution, loan_id AS subject, true_rate AS value, warning, regulatory, type AS param,
        {'lenderType': type, 'cap': spec, 'originationDate': strftime(origination_date, '%Y-%m-%d'),
          'lprAtSigning': lpr, 'nominalRate': CAST(nominal_rate AS DOUBLE), 'principal': CAST(principal AS VARCHAR),
          'upfrontFee': CAST(upfront_fee AS VARCHAR), 'periodicFee': CAST(periodic_fee AS VARCHAR),
          'otherFees': CAST(other_fees AS VARCHAR), 'termMonths': term_months, 'repaymentMethod': repayment_method} AS detail
      FROM rated`;
  },
  qualifier(row, p): Bilingual {
    const type = row.param as LenderType;
    const name = institutionTypes[type];
    const cap = parseCap(p[type])!;
    const lpr = row.detail.lprAtSigning;
    const signed = String(row.detail.originationDate);
    const usesLpr = cap.regulatory.kind === "lpr" || cap.warning?.kind === "lpr";
    if (!usesLpr || typeof lpr !== "number") {
      return { en: `for ${article(name.en.toLowerCase())}`, zh: name.zh };
    }
    const multiple =
      cap.regulatory.kind === "lpr"
        ? cap.regulatory.multiple
        : (cap.warning as { multiple: string }).multiple;
    return {
      en: `for ${article(name.en.toLowerCase())} (${multiple} × the one-year LPR of ${percent(lpr)} at signing on ${signed})`,
      zh: `${name.zh}（签约日${signed}一年期LPR ${percent(lpr)}的${multiple}倍）`,
    };
  },
  basisFor(row, p): LegalBasis {
    const cap = parseCap(p[row.param as LenderType])!;
    const crossed = row.value > row.regulatory || !cap.warning ? cap.regulatory : cap.warning;
    if (crossed.kind === "lpr") return privateLending2020;
    return localOrganisations.has(row.param) ? privateLending2015 : docs.cashLoans2017;
  },
});
