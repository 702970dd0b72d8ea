/**
 * The borrower's true annual rate of every loan, as set-based SQL for DuckDB: the internal rate of return of the
 * actual cash flows (the amount really disbursed, after upfront fees, against every instalment, periodic fee and
 * final fee), monthly IRR × 12 as Chinese rules state annualised rates.
 *
 * No cash flow is expanded into rows: each repayment method's present value has a closed form, and Newton's
 * method on it converges in a few unrolled steps, so 10M loans cost a few vectorised passes.
 */

/** Present value at monthly rate `i` of what the borrower pays, per repayment method (DuckDB expression). */
function presentValue(i: string): string {
  const v = `(1.0 / (1.0 + ${i}))`;
  const vn = `power(${v}, n)`;
  const annuity = `(CASE WHEN abs(${i}) < 1e-12 THEN n ELSE (1.0 - ${vn}) / ${i} END)`;
  // Σ_{k=1..n} (k-1) v^k, the weight of the declining interest of equal-principal loans.
  const ramp = `(CASE WHEN abs(${i}) < 1e-12 THEN n * (n - 1) / 2.0 ELSE ${v} * ${v} * (1.0 - n * power(${v}, n - 1) + (n - 1) * ${vn}) / power(1.0 - ${v}, 2) END)`;
  return `(CASE method
    WHEN 'equal_instalment' THEN (pmt + f) * ${annuity} + o * ${vn}
    WHEN 'interest_only' THEN (p * r + f) * ${annuity} + (p + o) * ${vn}
    WHEN 'bullet' THEN f * ${annuity} + (p * (1.0 + r * n) + o) * ${vn}
    WHEN 'equal_principal' THEN (p / n + p * r + f) * ${annuity} - (p * r / n) * ${ramp} + o * ${vn}
  END)`;
}

const newtonSteps = 12;

/**
 * SQL selecting, for every row of `source` (a relation with the loans dataset's columns), the loan's key and its true
 * annual rate `true_rate` (NULL when it cannot be computed, e.g. nothing disbursed). `source` is trusted SQL.
 */
export function trueRateSql(source: string): string {
  const f = (i: string) => `(${presentValue(i)} - d)`;
  const h = "1e-9";
  let sql = `SELECT *,
      -- Start from the nominal rate plus every fee spread over the term: close, so Newton needs few steps.
      (p * r + f + (p - d + o) / n) / d AS i0
    FROM (SELECT lender_code, loan_id, period, origination_date, method, n, p, r, f, o, d,
            CASE WHEN r = 0 THEN p / n ELSE p * r / (1.0 - power(1.0 + r, -n)) END AS pmt
          FROM (SELECT lender_code, loan_id, period, origination_date, repayment_method AS method, CAST(term_months AS DOUBLE) AS n,
                  CAST(principal AS DOUBLE) AS p, CAST(nominal_rate AS DOUBLE) / 12.0 AS r, CAST(periodic_fee AS DOUBLE) AS f,
                  CAST(other_fees AS DOUBLE) AS o, CAST(principal AS DOUBLE) - CAST(upfront_fee AS DOUBLE) AS d
                FROM ${source}) WHERE d > 0 AND n >= 1)`;
  for (let k = 1; k <= newtonSteps; k++) {
    const prev = `i${k - 1}`;
    sql = `SELECT * EXCLUDE (${prev}), greatest(-0.99, ${prev} - ${f(prev)} / ((${f(`(${prev} + ${h})`)} - ${f(prev)}) / ${h})) AS i${k} FROM (${sql})`;
  }
  return `SELECT lender_code, loan_id, period, origination_date, 12.0 * i${newtonSteps} AS true_rate,
      abs(${f(`i${newtonSteps}`)}) <= 1e-6 * d AS converged FROM (${sql})`;
}
