/**
 * A loan's actual cash flows and their internal rate of return: the "true annual rate" that fees hide behind a
 * compliant nominal rate. Rates are fractions; months are whole instalment periods.
 */

export const repaymentMethods = ["bullet", "equal_instalment", "equal_principal", "interest_only"] as const;
export type RepaymentMethod = (typeof repaymentMethods)[number];

export interface LoanTerms {
  principal: number;
  nominalRate: number;
  termMonths: number;
  method: RepaymentMethod;
  /** Deducted from the amount disbursed. */
  upfrontFee: number;
  /** Paid with every monthly instalment. */
  periodicFee: number;
  /** Paid at maturity. */
  otherFees: number;
}

/** Level monthly payment of an amortising loan. */
export function instalment(principal: number, monthlyRate: number, n: number): number {
  if (monthlyRate === 0) return principal / n;
  return (principal * monthlyRate) / (1 - (1 + monthlyRate) ** -n);
}

/**
 * Cash flows seen by the borrower's counterparty, month 0 to term: month 0 is minus the amount actually
 * disbursed (principal less upfront fees), later months are what the borrower pays.
 */
export function cashFlows(t: LoanTerms): Float64Array {
  const n = t.termMonths;
  const r = t.nominalRate / 12;
  const cf = new Float64Array(n + 1);
  cf[0] = -(t.principal - t.upfrontFee);
  switch (t.method) {
    case "bullet":
      // Simple interest for the whole term, paid with the principal at maturity.
      cf[n] = t.principal * (1 + (t.nominalRate * n) / 12);
      break;
    case "interest_only":
      for (let k = 1; k <= n; k++) cf[k] = t.principal * r;
      cf[n] = cf[n]! + t.principal;
      break;
    case "equal_instalment": {
      const pmt = instalment(t.principal, r, n);
      for (let k = 1; k <= n; k++) cf[k] = pmt;
      break;
    }
    case "equal_principal": {
      const part = t.principal / n;
      for (let k = 1; k <= n; k++) cf[k] = part + (t.principal - part * (k - 1)) * r;
      break;
    }
  }
  for (let k = 1; k <= n; k++) cf[k] = cf[k]! + t.periodicFee;
  cf[n] = cf[n]! + t.otherFees;
  return cf;
}

function npv(cf: Float64Array, r: number): number {
  let v = 0;
  let f = 1;
  for (let k = 0; k < cf.length; k++) {
    v += cf[k]! / f;
    f *= 1 + r;
  }
  return v;
}

/** Monthly internal rate of return of cash flows with one sign change (bisection: slow but never fails). */
export function monthlyIrr(cf: Float64Array): number {
  let lo = -0.99;
  let hi = 5;
  if (npv(cf, hi) > 0) return hi;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (npv(cf, mid) > 0) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-13) break;
  }
  return (lo + hi) / 2;
}

export interface TrueRate {
  /** Monthly IRR. */
  monthly: number;
  /** Monthly IRR times 12: the annualised rate Chinese rules compare with their caps. */
  annual: number;
  /** Compounded: (1 + monthly)^12 - 1. */
  effective: number;
}

/** The true annual rate of a loan, fees included. */
export function trueAnnualRate(t: LoanTerms): TrueRate {
  const m = monthlyIrr(cashFlows(t));
  return { monthly: m, annual: m * 12, effective: (1 + m) ** 12 - 1 };
}

/** Contractual balance after `elapsed` monthly instalments (0 <= elapsed <= term). */
export function scheduledBalance(t: LoanTerms, elapsed: number): number {
  const n = t.termMonths;
  const k = Math.max(0, Math.min(n, elapsed));
  switch (t.method) {
    case "bullet":
    case "interest_only":
      return k >= n ? 0 : t.principal;
    case "equal_principal":
      return t.principal * (1 - k / n);
    case "equal_instalment": {
      const r = t.nominalRate / 12;
      if (r === 0) return t.principal * (1 - k / n);
      const g = (1 + r) ** k;
      const pmt = instalment(t.principal, r, n);
      return Math.max(0, t.principal * g - (pmt * (g - 1)) / r);
    }
  }
}
