/**
 * The borrower's true annual rate of every loan, as set-based SQL for DuckDB: the internal rate of return of the
 * actual cash flows (the amount really disbursed, after upfront fees, against every instalment, periodic fee and
 * final fee), monthly IRR × 12 as Chinese rules state annualised rates.
 *
 * No cash flow is expanded into rows: each repayment method's present value has a closed form, and Newton's
 * method on it converges in a few unrolled steps, so 10M loans cost a few vectorised passes.
 */

type Method = "equal_instalment" | "interest_only" | "bullet" | "equal_principal";

/**
 * Present value at monthly rate `i` of what the borrower pays under one repayment method (DuckDB expression over the
 * columns of `trueRateSql`). One formula per method, so that no per-row branching slows the vectorised passes.
 */
function presentValue(method: Method, i: string): string {
  const v = `(1.0 / (1.0 + ${i}))`;
  const vn = `power(1.0 + ${i}, -n)`;
  const annuity = `((1.0 - ${vn}) / ${i})`;
  switch (method) {
    case "equal_instalment":
      return `((pmt + f) * ${annuity} + o * ${vn})`;
    case "interest_only":
      return `((p * r + f) * ${annuity} + (p + o) * ${vn})`;
    case "bullet":
      return `(f * ${annuity} + (p * (1.0 + r * n) + o) * ${vn})`;
    case "equal_principal": {
      // Σ_{k=1..n} (k-1) v^k, the weight of the declining interest.
      const ramp = `(${v} * ${v} * (1.0 - n * power(1.0 + ${i}, 1 - n) + (n - 1) * ${vn}) / ((1.0 - ${v}) * (1.0 - ${v})))`;
      return `((p / n + p * r + f) * ${annuity} - (p * r / n) * ${ramp} + o * ${vn})`;
    }
  }
}

const methods: Method[] = ["equal_instalment", "interest_only", "bullet", "equal_principal"];
const newtonSteps = 6;
const h = "1e-9";

/**
 * SQL selecting, for every row of `source` (a relation with the loans dataset's columns), the loan's key and its true
 * annual rate `true_rate`, with `converged` telling whether the root was reached. Loans with nothing disbursed are
 * left out. `source` is trusted SQL.
 */
export function trueRateSql(source: string, steps = newtonSteps): string {
  const inputs = `SELECT *, CASE WHEN r = 0 THEN p / n ELSE p * r / (1.0 - power(1.0 + r, -n)) END AS pmt
    FROM (SELECT lender_code, loan_id, period, origination_date, repayment_method AS method, CAST(term_months AS DOUBLE) AS n,
            CAST(principal AS DOUBLE) AS p, CAST(nominal_rate AS DOUBLE) / 12.0 AS r, CAST(periodic_fee AS DOUBLE) AS f,
            CAST(other_fees AS DOUBLE) AS o, CAST(principal AS DOUBLE) - CAST(upfront_fee AS DOUBLE) AS d
          FROM ${source}) WHERE d > 0 AND n >= 1`;
  const perMethod = methods.map((m) => {
    // A rate of exactly zero has no annuity formula; the Newton iterate never lands on it, the start is nudged off.
    const f = (i: string) => `(${presentValue(m, i)} - d)`;
    let sql = `SELECT *, greatest(1e-10, (p * r + f + (p - d + o) / n) / d) AS i FROM (${inputs}) WHERE method = '${m}'`;
    for (let k = 0; k < steps; k++) {
      sql = `SELECT * EXCLUDE (fa, fb, i), greatest(-0.99, i - fa * ${h} / (fb - fa)) AS i
        FROM (SELECT *, ${f("i")} AS fa, ${f(`(i + ${h})`)} AS fb FROM (${sql}))`;
    }
    return `SELECT lender_code, loan_id, period, origination_date, 12.0 * i AS true_rate, abs(${f("i")}) <= 1e-6 * d AS converged FROM (${sql})`;
  });
  return perMethod.join("\nUNION ALL\n");
}
