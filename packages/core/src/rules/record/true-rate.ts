/**
 * The borrower's true annual rate of every loan, as set-based SQL for DuckDB: the internal rate of return of the
 * actual cash flows (the amount really disbursed, after upfront fees, against every instalment, periodic fee and
 * final fee), monthly IRR × 12 as Chinese rules state annualised rates.
 *
 * No cash flow is expanded into rows: each repayment method's present value has a closed form in the annuity factor
 * a(i) = Σ v^k and its derivatives, so a Newton step costs one power() per loan and 10M loans a few vectorised passes.
 * Whether a loan's true rate exceeds a cap needs no root at all: present value falls as the rate rises, so the rate
 * exceeds the cap exactly when the payments discounted at the cap are worth more than the amount disbursed
 * (`exceedingRateSql`); the IRR is then computed only for the loans shown.
 */

type Method = "equal_instalment" | "interest_only" | "bullet" | "equal_principal";

const methods: Method[] = ["equal_instalment", "interest_only", "bullet", "equal_principal"];
// Present value is convex and falling in the rate, so Newton's iterates approach the root from below, quadratically
// from the flat rate; five steps reach it to machine precision (4,000 loans of every method against bisection).
const newtonSteps = 5;

/**
 * The loans dataset's terms as doubles (n months, p principal, r nominal monthly rate, f periodic fee, o final fee,
 * d amount disbursed, pmt the level instalment), for the rows of `source` with something disbursed.
 */
function inputsSql(source: string, carry: readonly string[]): string {
  return `SELECT *, CASE WHEN r = 0 THEN p / n ELSE p * r / (1.0 - power(1.0 + r, -n)) END AS pmt
    FROM (SELECT lender_code, loan_id, period, origination_date, ${carry.map((c) => `${c}, `).join("")}repayment_method AS method, CAST(term_months AS DOUBLE) AS n,
            CAST(principal AS DOUBLE) AS p, CAST(nominal_rate AS DOUBLE) / 12.0 AS r, CAST(periodic_fee AS DOUBLE) AS f,
            CAST(other_fees AS DOUBLE) AS o, CAST(principal AS DOUBLE) - CAST(upfront_fee AS DOUBLE) AS d
          FROM ${source}) WHERE d > 0 AND n >= 1`;
}

/**
 * Columns of the annuity factor at monthly rate `i` (a column), given vn = (1+i)^-n and b = n·vn/(1+i) (minus the
 * derivative of vn): a = Σ_{k=1..n} v^k and a1 = a'. The closed forms lose digits only as i approaches 0, which
 * only a loan without interest and fees reaches (its rate is exactly 0 and is not iterated, see `trueRateSql`).
 */
function annuityColumns(i: string): string {
  return `(1.0 - vn) / ${i} AS a, (b - (1.0 - vn) / ${i}) / ${i} AS a1`;
}

/**
 * Present value `pv` and its derivative `dpv` at monthly rate `i`, per method, from the columns of `annuityColumns`
 * (u = 1 + i). Equal principal pays the declining interest Σ (k-1) v^k = -u·a' - a.
 */
function presentValue(method: Method, i: string): { pv: string; dpv: string } {
  switch (method) {
    case "equal_instalment":
      return { pv: "((pmt + f) * a + o * vn)", dpv: "((pmt + f) * a1 - o * b)" };
    case "interest_only":
      return { pv: "((p * r + f) * a + (p + o) * vn)", dpv: "((p * r + f) * a1 - (p + o) * b)" };
    case "bullet":
      return {
        pv: "(f * a + (p * (1.0 + r * n) + o) * vn)",
        dpv: "(f * a1 - (p * (1.0 + r * n) + o) * b)",
      };
    case "equal_principal": {
      const u = `(1.0 + ${i})`;
      // a'' from i·a'' = (b)' - 2a', with (b)' = -(n+1)·b/u.
      const a2 = `((-(n + 1.0) * b / ${u} - 2.0 * a1) / ${i})`;
      return {
        pv: `((p / n + p * r + f) * a + (p * r / n) * (${u} * a1 + a) + o * vn)`,
        dpv: `((p / n + p * r + f) * a1 + (p * r / n) * (2.0 * a1 + ${u} * (${a2})) - o * b)`,
      };
    }
  }
}

/** Adds vn, b, a and a1 at the monthly rate column `i` to relation `sql`. */
function withAnnuity(sql: string, i: string): string {
  return `SELECT *, ${annuityColumns(i)} FROM (SELECT *, n * vn / (1.0 + ${i}) AS b FROM (SELECT *, power(1.0 + ${i}, -n) AS vn FROM (${sql})))`;
}

/**
 * SQL selecting, for every row of `source` (a relation with the loans dataset's columns), the loan's key and its true
 * annual rate `true_rate`, with `converged` telling whether the root was reached. Loans with nothing disbursed are
 * left out. Columns named in `carry` are passed through (so that no join back to the source is needed). `source` and
 * `carry` are trusted SQL.
 */
export function trueRateSql(source: string, steps = newtonSteps, carry: readonly string[] = []): string {
  const perMethod = methods.map((m) => {
    const { pv, dpv } = presentValue(m, "i");
    // Start from the flat rate the fees and interest add. A loan without interest or fees (flat rate 0) has a true
    // rate of exactly 0; it is iterated from an arbitrary start, harmlessly, and its result replaced by 0.
    let sql = `SELECT *, (p * r + f + (p - d + o) / n) / d AS flat, CASE WHEN flat = 0 THEN 0.01 ELSE flat END AS i
      FROM (${inputsSql(source, carry)}) WHERE method = '${m}'`;
    for (let k = 0; k < steps; k++) {
      sql = `SELECT * EXCLUDE (vn, b, a, a1, i), greatest(-0.99, i - (${pv} - d) / ${dpv}) AS i FROM (${withAnnuity(sql, "i")})`;
    }
    return `SELECT lender_code, loan_id, period, origination_date, ${carry.map((c) => `${c}, `).join("")}CASE WHEN flat = 0 THEN 0.0 ELSE 12.0 * i END AS true_rate,
        flat = 0 OR abs(${pv} - d) <= 1e-6 * d AS converged
      FROM (${withAnnuity(sql, "i")})`;
  });
  return perMethod.join("\nUNION ALL\n");
}

/**
 * SQL of the rows of `source` (a relation with the loans dataset's columns and the column `rateColumn`, an annual
 * rate) whose true annual rate exceeds that rate: their payments discounted at it are worth more than the amount
 * disbursed by more than the relative `margin` (default one part in 10^9, so that a rate exactly on the line is not
 * lost to binary rounding; a negative margin selects a superset, for candidates whose IRR then decides). One present
 * value per row, each power computed once. `source` and `rateColumn` are trusted SQL.
 */
export function exceedingRateSql(source: string, rateColumn: string, margin = 1e-9): string {
  // Σ (k-1) v^k = (a - n·vn) / i: the interest an equal-principal loan stops paying as it amortises.
  const pv = `CASE repayment_method
    WHEN 'equal_instalment' THEN (CASE WHEN x_r = 0 THEN x_p / x_n ELSE x_p * x_r / (1.0 - power(1.0 + x_r, -x_n)) END + x_f) * x_a + x_o * x_vn
    WHEN 'interest_only' THEN (x_p * x_r + x_f) * x_a + (x_p + x_o) * x_vn
    WHEN 'bullet' THEN x_f * x_a + (x_p * (1.0 + x_r * x_n) + x_o) * x_vn
    ELSE (x_p / x_n + x_p * x_r + x_f) * x_a - (x_p * x_r / x_n) * ((x_a - x_n * x_vn) / x_i) + x_o * x_vn END`;
  const terms = `SELECT *, ${rateColumn} / 12.0 AS x_i, CAST(term_months AS DOUBLE) AS x_n, CAST(principal AS DOUBLE) AS x_p,
      CAST(nominal_rate AS DOUBLE) / 12.0 AS x_r, CAST(periodic_fee AS DOUBLE) AS x_f, CAST(other_fees AS DOUBLE) AS x_o,
      CAST(principal AS DOUBLE) - CAST(upfront_fee AS DOUBLE) AS x_d
    FROM ${source}`;
  const annuity = `SELECT *, (1.0 - x_vn) / x_i AS x_a FROM (SELECT *, power(1.0 + x_i, -x_n) AS x_vn FROM (${terms}))`;
  return `SELECT * EXCLUDE (x_i, x_n, x_p, x_r, x_f, x_o, x_d, x_vn, x_a, x_pv)
    FROM (SELECT *, ${pv} AS x_pv FROM (${annuity})) WHERE x_pv > x_d * (1.0 + ${margin})`;
}
