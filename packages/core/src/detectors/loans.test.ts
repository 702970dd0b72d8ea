import { describe, expect, test } from "vitest";
import { trueRateSql } from "../rules/record/true-rate.ts";
import { hiddenFeeRate } from "./hidden-fee-rate.ts";
import { lenderMultipleLoans } from "./lender-multiple-loans.ts";
import { lgfvConcentration } from "./lgfv-concentration.ts";
import { multipleLoans } from "./multiple-loans.ts";
import { onlineLoanCap } from "./online-loan-cap.ts";
import { realEstateConcentration } from "./real-estate-concentration.ts";
import { rows } from "./support.ts";
import { testContext, testLake } from "./test-lake.ts";

/** A loan row with sensible defaults; `over` sets what the test is about. */
function loan(
  id: string,
  lender: string,
  borrower: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const enterprise = borrower.startsWith("E");
  return {
    loan_id: id,
    lender_code: lender,
    period: "2026-09",
    borrower_type: enterprise ? "enterprise" : "individual",
    borrower_id: enterprise ? null : borrower,
    borrower_code: enterprise ? borrower : null,
    borrower_annual_income: enterprise ? null : 60000,
    principal: 50000,
    outstanding: 40000,
    origination_date: "2024-03-10",
    maturity_date: "2027-03-10",
    nominal_rate: 0.06,
    upfront_fee: 0,
    periodic_fee: 0,
    other_fees: 0,
    repayment_method: "equal_instalment",
    term_months: 36,
    classification: "normal",
    real_estate: false,
    mortgage: false,
    lgfv: false,
    ...over,
  };
}

const defaults = <P>(d: { params: { schema: { parse(x: unknown): P } } }): P => d.params.schema.parse({});

describe("multiple loans", () => {
  test("flags borrowers at k or more lenders, or adding many lenders within the year, and explains both numbers", async () => {
    const loans = [
      // P1: five lenders, two of them in the last twelve months, debt 5 x 40k = 200k on 60k income.
      ...["L1", "L2", "L3", "L4", "L5"].map((l, i) =>
        loan(`a${i}`, l, "P1", { origination_date: i < 3 ? "2024-01-15" : "2026-02-01" }),
      ),
      // P2: four lenders, all new within the year: flagged by the new-lender rule.
      ...["L1", "L2", "L3", "L4"].map((l, i) =>
        loan(`b${i}`, l, "P2", { origination_date: `2026-0${i + 1}-05` }),
      ),
      // P3: four lenders, old: not flagged. Two loans at one lender count once.
      ...["L1", "L2", "L3", "L4", "L4"].map((l, i) => loan(`c${i}`, l, "P3")),
      // E1: an enterprise at five lenders is below the enterprise threshold.
      ...["L1", "L2", "L3", "L4", "L5"].map((l, i) => loan(`d${i}`, l, "E1")),
    ];
    const duck = await testLake({ loans });
    const found = await multipleLoans.run(testContext(duck), defaults(multipleLoans));
    duck.close();
    expect(found.map((f) => f.subjectId).sort()).toEqual(["P1", "P2"]);
    const p1 = found.find((f) => f.subjectId === "P1")!;
    expect(p1.members).toEqual(["P1"]);
    expect([...p1.institutions].sort()).toEqual(["L1", "L2", "L3", "L4", "L5"]);
    expect(p1.explanation.en).toBe(
      "Borrower P1… has loans at 5 distinct lenders (threshold 5 for individuals); 2 of them first lent in the 12 months to 2026-09; non-mortgage debt of RMB 200,000.00 is 3.3 times annual income of RMB 60,000.00 (above 2).",
    );
    expect(p1.explanation.zh).toBe(
      "借款人 P1… 在 5 家机构有贷款（个人阈值 5 家）；其中 2 家为截至 2026-09 的 12 个月内新增；非按揭负债 200,000.00 元，为年收入 60,000.00 元的 3.3 倍（高于 2 倍）。",
    );
    expect(p1.evidence.lenderCountByMonth).toEqual([
      { month: "2024-01", lenders: 3 },
      { month: "2026-02", lenders: 5 },
    ]);
    const p2 = found.find((f) => f.subjectId === "P2")!;
    expect(p2.evidence).toMatchObject({ distinctLenders: 4, newLenders: 4 });
  });

  test("each lender's exposure to flagged borrowers is its share of its own book", async () => {
    const loans = [
      ...["L1", "L2", "L3", "L4", "L5"].map((l, i) => loan(`a${i}`, l, "P1", { outstanding: 10000 })),
      ...["L1", "L2", "L3", "L4", "L5"].map((l, i) => loan(`b${i}`, l, "P2", { outstanding: 10000 })),
      ...["L1", "L2", "L3", "L4", "L5"].map((l, i) => loan(`c${i}`, l, "P3", { outstanding: 10000 })),
      loan("z1", "L1", "P9", { outstanding: 70000 }),
    ];
    const duck = await testLake({ loans });
    const ctx = testContext(duck);
    const flagged = await multipleLoans.run(ctx, defaults(multipleLoans));
    const found = await lenderMultipleLoans.run(
      testContext(duck, "2026-09", new Map([["multiple_loans", flagged]])),
      defaults(lenderMultipleLoans),
    );
    duck.close();
    expect(found).toHaveLength(5);
    const l1 = found.find((f) => f.subjectId === "L1")!;
    expect(l1.evidence).toMatchObject({
      flaggedBorrowers: 3,
      flaggedOutstanding: 30000,
      bookOutstanding: 100000,
      share: 0.3,
    });
    expect(l1.explanation.en).toBe(
      "L1 lends RMB 30,000.00 (30.000% of its book, 3 loans) to 3 multiple-loan borrowers.",
    );
  });
});

describe("online small-loan caps", () => {
  test("flags a person's balance at one online lender above RMB 300k or a third of income, not at other lenders", async () => {
    const loans = [
      loan("a", "OSL1", "P1", { outstanding: 200000, borrower_annual_income: 2000000 }),
      loan("b", "OSL1", "P1", { outstanding: 110000, borrower_annual_income: 2000000 }),
      loan("c", "OSL1", "P2", { outstanding: 25000, borrower_annual_income: 60000 }),
      loan("d", "OSL1", "P3", { outstanding: 19000, borrower_annual_income: 60000 }),
      loan("e", "BANK", "P4", { outstanding: 400000, borrower_annual_income: 60000 }),
      loan("f", "OSL1", "P5", { outstanding: 50000, borrower_annual_income: null }),
    ];
    const duck = await testLake({ loans }, [
      { code: "OSL1", type: "online_small_loan" },
      { code: "BANK", type: "bank", bank_tier: 3 },
    ]);
    const found = await onlineLoanCap.run(testContext(duck), defaults(onlineLoanCap));
    duck.close();
    expect(found.map((f) => f.subjectId).sort()).toEqual(["P1", "P2"]);
    const p1 = found.find((f) => f.subjectId === "P1")!;
    expect(p1.explanation.en).toBe(
      "Natural person P1…: balance RMB 310,000.00 at OSL1 exceeds the RMB 300,000.00 cap; 1.03 times the binding limit.",
    );
    const p2 = found.find((f) => f.subjectId === "P2")!;
    expect(p2.explanation.en).toBe(
      "Natural person P2…: balance RMB 25,000.00 at OSL1 exceeds 1/3 of annual income RMB 60,000.00 (RMB 20,000.00); 1.25 times the binding limit.",
    );
    expect(p2.explanation.zh).toBe(
      "自然人 P2…：在 OSL1 的贷款余额 25,000.00 元超过年收入 60,000.00 元的 1/3（20,000.00 元）；为适用上限的 1.25 倍。",
    );
  });
});

describe("hidden fees", () => {
  const registry = [
    { code: "SLC", type: "small_loan" },
    { code: "BANK", type: "bank", bank_tier: 2 },
  ];

  test("the cap test (payments discounted at the cap against the amount disbursed) agrees with the IRR for every method", async () => {
    // A spread of terms around the caps: every method, fees of every kind, rates from 3% to 30%.
    const methods = ["equal_instalment", "interest_only", "bullet", "equal_principal"];
    const loans: Record<string, unknown>[] = [];
    let n = 0;
    for (const method of methods)
      for (const term of [3, 12, 36])
        for (const rate of [0.03, 0.1, 0.2, 0.3])
          for (const fee of [0, 800, 4000]) {
            n++;
            loans.push(
              loan(`x${n}`, n % 2 ? "SLC" : "BANK", `P${n}`, {
                repayment_method: method,
                term_months: term,
                nominal_rate: rate,
                principal: 50000,
                upfront_fee: fee,
                periodic_fee: fee / 100,
                other_fees: fee / 4,
                origination_date: "2026-01-25",
              }),
            );
          }
    const duck = await testLake({ loans }, registry);
    const ctx = testContext(duck);
    const found = await hiddenFeeRate.run(ctx, defaults(hiddenFeeRate));
    // Independently: the IRR of every loan against its cap (24% for the small-loan company, 4 x LPR 3% for the bank).
    const irr = await rows<{ loan_id: string; true_rate: number; lender_code: string }>(
      duck,
      `SELECT loan_id, lender_code, true_rate FROM (${trueRateSql("loans")}) WHERE converged`,
    );
    duck.close();
    const expected = irr
      .filter((r) => r.true_rate > (r.lender_code === "SLC" ? 0.24 : 0.12) + 1e-9)
      .map((r) => r.loan_id);
    expect(irr).toHaveLength(loans.length);
    expect(found.map((f) => f.subjectId).sort()).toEqual(expected.sort());
    expect(found.length).toBeGreaterThan(10);
    expect(found.length).toBeLessThan(loans.length - 10);
  });

  test("explains the nominal rate, the fees, the true rate and the cap that applies", async () => {
    const loans = [
      loan("fee", "SLC", "P1", {
        principal: 10000,
        nominal_rate: 0.1,
        upfront_fee: 1500,
        term_months: 6,
        origination_date: "2026-06-01",
      }),
      loan("nofee", "SLC", "P2", { nominal_rate: 0.2 }),
    ];
    const duck = await testLake({ loans }, registry);
    const [f, ...rest] = await hiddenFeeRate.run(testContext(duck), defaults(hiddenFeeRate));
    duck.close();
    expect(rest).toEqual([]);
    const rate = (f!.evidence.trueAnnualRate as number) * 100;
    expect(rate).toBeGreaterThan(24);
    expect(f!.explanation.en).toBe(
      `Loan fee at SLC: nominal rate 10.00%, but with fees of RMB 1500.00 on RMB 10000.00 the true annual rate is ${rate.toFixed(2)}%, above the 24.00% cap.`,
    );
    expect(f!.explanation.zh).toBe(
      `SLC 的贷款 fee：名义利率 10.00%，计入 10000.00 元本金上的费用 1500.00 元后真实年化利率为 ${rate.toFixed(2)}%，高于24.00% 的上限。`,
    );
  });
});

describe("lending concentrations", () => {
  test("real-estate and mortgage shares against the tier caps, with the warning line", async () => {
    const loans = [
      // Tier 3 bank A: real estate 30% (cap 22.5%), mortgages 10% (cap 17.5%).
      loan("a1", "A", "E1", { outstanding: 200, real_estate: true }),
      loan("a2", "A", "P1", { outstanding: 100, real_estate: true, mortgage: true }),
      loan("a3", "A", "P2", { outstanding: 700 }),
      // Tier 1 bank B: 38% real estate, under the 40% cap but over the 36% warning line.
      loan("b1", "B", "E2", { outstanding: 380, real_estate: true }),
      loan("b2", "B", "P3", { outstanding: 620 }),
      // Tier 2 bank C: well inside.
      loan("c1", "C", "P4", { outstanding: 100, real_estate: true }),
      loan("c2", "C", "P5", { outstanding: 900 }),
    ];
    const duck = await testLake({}, [
      { code: "A", type: "bank", bank_tier: 3 },
      { code: "B", type: "bank", bank_tier: 1 },
      { code: "C", type: "bank", bank_tier: 2 },
    ]);
    const { datasetTable } = await import("./test-lake.ts");
    await datasetTable(duck, "loans", loans, "loans_history");
    const found = await realEstateConcentration.run(testContext(duck), defaults(realEstateConcentration));
    const lgfv = await lgfvConcentration.run(testContext(duck), defaults(lgfvConcentration));
    duck.close();
    expect(found.map((f) => [f.subjectId, f.evidence.checks])).toEqual([
      ["A", [expect.objectContaining({ kind: "real_estate", share: 0.3, cap: 0.225, breach: true })]],
      ["B", [expect.objectContaining({ kind: "real_estate", share: 0.38, cap: 0.4, breach: false })]],
    ]);
    expect(found[0]!.explanation.en).toBe(
      "Tier 3 bank A in 2026-09: real-estate loans are 30.00% of loans, above the 22.5% cap.",
    );
    expect(found[0]!.explanation.zh).toBe("第3档银行 A 2026-09：房地产贷款占比 30.00%，超过 22.5% 的上限。");
    expect(found[1]!.explanation.en).toBe(
      "Tier 1 bank B in 2026-09: real-estate loans are 38.00% of loans, near the 40.0% cap.",
    );
    expect(lgfv).toEqual([]);
  });
});
