import { describe, expect, test } from "vitest";
import { type LoanTerms, repaymentMethods, trueAnnualRate } from "../../generate/irr.ts";
import { openDuck } from "../../lake/duckdb.ts";
import { trueRateSql } from "./true-rate.ts";

/** Deterministic pseudo-random loans of every method, with and without fees. */
function loans(count: number): (LoanTerms & { id: string })[] {
  let s = 42;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: count }, (_, k) => {
    const principal = Math.round(1000 + rnd() * 500_000);
    return {
      id: `L${k}`,
      principal,
      nominalRate: Math.round(rnd() * 0.3 * 1e4) / 1e4,
      termMonths: 1 + Math.floor(rnd() * 60),
      method: repaymentMethods[k % repaymentMethods.length]!,
      upfrontFee: k % 3 === 0 ? Math.round(principal * rnd() * 0.1) : 0,
      periodicFee: k % 5 === 0 ? Math.round(principal * rnd() * 0.01) : 0,
      otherFees: k % 7 === 0 ? Math.round(principal * rnd() * 0.05) : 0,
    };
  });
}

describe("true annual rate in SQL", () => {
  test("agrees with an independent cash-flow IRR (bisection) on loans of every method", async () => {
    const sample = loans(4000);
    const duck = await openDuck();
    const values = sample
      .map(
        (l) =>
          `('B', '${l.id}', '2026-09', DATE '2026-01-01', '${l.method}', ${l.termMonths}, ${l.principal}, ${l.nominalRate}, ${l.upfrontFee}, ${l.periodicFee}, ${l.otherFees})`,
      )
      .join(", ");
    await duck.run(
      `CREATE TABLE loans AS SELECT * FROM (VALUES ${values}) t(lender_code, loan_id, period, origination_date, repayment_method, term_months, principal, nominal_rate, upfront_fee, periodic_fee, other_fees)`,
    );
    const rows = await duck.all<{ loan_id: string; true_rate: number; converged: boolean }>(
      trueRateSql("loans"),
    );
    duck.close();
    const byId = new Map(rows.map((r) => [r.loan_id, r]));
    for (const l of sample) {
      const expected = trueAnnualRate(l).annual;
      const got = byId.get(l.id);
      expect(got?.converged, l.id).toBe(true);
      expect(Math.abs(got!.true_rate - expected), `${l.id} ${l.method}`).toBeLessThan(1e-10);
    }
  });

  test("fees raise the true rate above the nominal rate; no fees leave it equal; no interest and no fees is 0", async () => {
    const duck = await openDuck();
    await duck.run(`CREATE TABLE loans AS SELECT * FROM (VALUES
      ('B', 'plain', '2026-09', DATE '2026-01-01', 'equal_instalment', 12, 12000, 0.12, 0, 0, 0),
      ('B', 'fees', '2026-09', DATE '2026-01-01', 'equal_instalment', 12, 12000, 0.12, 1200, 0, 0),
      ('B', 'free', '2026-09', DATE '2026-01-01', 'equal_principal', 24, 12000, 0, 0, 0, 0),
      ('B', 'tiny', '2026-09', DATE '2026-01-01', 'equal_principal', 360, 12000, 0.000001, 0, 0, 0)
    ) t(lender_code, loan_id, period, origination_date, repayment_method, term_months, principal, nominal_rate, upfront_fee, periodic_fee, other_fees)`);
    const rows = await duck.all<{ loan_id: string; true_rate: number; converged: boolean }>(
      `${trueRateSql("loans")} ORDER BY loan_id`,
    );
    duck.close();
    expect(rows.map((r) => [r.loan_id, r.converged])).toEqual([
      ["fees", true],
      ["free", true],
      ["plain", true],
      ["tiny", true],
    ]);
    expect(rows[2]!.true_rate).toBeCloseTo(0.12, 10);
    // 10% of the principal withheld at the start of a one-year amortising loan: about 31% a year.
    expect(rows[0]!.true_rate).toBeGreaterThan(0.3);
    expect(rows[1]!.true_rate).toBe(0);
    expect(rows[3]!.true_rate).toBeCloseTo(0.000001, 12);
  });
});
