import { type LoanTerms, trueAnnualRate } from "@beacon/core/generate/irr";
import { type Duck, openDuck } from "@beacon/core/lake/duckdb";
import { provisionalParams } from "@beacon/core/rules/catalog";
import { resolveParams } from "@beacon/core/rules/index";
import type { AnyRecordRule } from "@beacon/core/rules/record/record-rule";
import { type RecordRun, runRecordRules } from "@beacon/core/rules/record/run-record-rules";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { billTenor } from "./bill-tenor.ts";
import { lookThroughLeverage } from "./look-through-leverage.ts";
import { onlineBorrowerCap } from "./online-borrower-cap.ts";
import { parseCap, trueRateCap } from "./true-rate-cap.ts";

const BANK = "915000000000000001";
const SLC = "915000000000000002";
const ILP = "915000000000000003";
const OSL = "915000000000000004";
const WATCHED = "915000000000000005";
const MANAGER = "915000000000000006";

const provisional = { en: " [Threshold provisional: to be confirmed.]", zh: "〔阈值待确认〕" };
const cashLoans = {
  en: "Notice on Regulating and Rectifying Cash-Loan Business, Internet-finance and P2P rectification offices, 2017",
  zh: "《关于规范整顿“现金贷”业务的通知》，互联网金融风险专项整治工作领导小组办公室、P2P网络借贷风险专项整治工作领导小组办公室，2017年，整治办函〔2017〕141号",
};
const legacy = {
  en: "Provisions on Several Issues concerning the Application of Law in the Trial of Private Lending Cases, Supreme People's Court, 2015, Art. 26",
  zh: "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》，最高人民法院，2015年，法释〔2015〕18号，第二十六条",
};
const spc2020 = {
  en: "Provisions on Several Issues concerning the Application of Law in the Trial of Private Lending Cases (2020 revision), Supreme People's Court, 2020, Art. 25",
  zh: "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定（2020年修正）》，最高人民法院，2020年，第二十五条",
};

let duck: Duck;

/** Runs one rule over the tables in `duck`, with optional parameter overrides. */
async function run(rule: AnyRecordRule, override?: Record<string, unknown>): Promise<RecordRun> {
  return runRecordRules(duck, {
    period: "2026-09",
    periodEnd: "2026-09-30",
    rules: [rule],
    params: new Map([[rule.id, resolveParams(rule, override) as Record<string, unknown>]]),
    provisional: new Map([[rule.id, provisionalParams({ level: "record", rule }, override)]]),
    worst: 2,
  });
}

interface Loan {
  lender: string;
  id: string;
  signed: string;
  rate: number;
  principal?: number;
  outstanding?: number;
  upfront?: number;
  periodic?: number;
  other?: number;
  term?: number;
  borrowerType?: "individual" | "enterprise";
  borrower?: string;
  income?: number | null;
}

const loans: Loan[] = [
  // True rate = nominal rate when there are no fees.
  { lender: BANK, id: "B-30", signed: "2026-03-05", rate: 0.3 },
  { lender: BANK, id: "B-40", signed: "2026-03-05", rate: 0.4 },
  { lender: SLC, id: "S-24", signed: "2026-03-05", rate: 0.24 },
  { lender: SLC, id: "S-30", signed: "2026-03-05", rate: 0.3 },
  { lender: SLC, id: "S-36", signed: "2026-03-05", rate: 0.36 },
  // Nominal 10%, but 8% of the principal is withheld and a monthly fee charged.
  {
    lender: SLC,
    id: "S-FEES",
    signed: "2026-03-05",
    rate: 0.1,
    principal: 20_000,
    upfront: 1_600,
    periodic: 200,
    term: 12,
  },
  // LPR 3.00% from 2025-05-20: 4 × = 12%.
  { lender: ILP, id: "P-15", signed: "2025-05-25", rate: 0.15 },
  // The October 2024 cut (3.35% -> 3.10%) takes effect on the 20th: 13.40% before, 12.40% from then.
  { lender: ILP, id: "P-BEFORE", signed: "2024-10-19", rate: 0.132 },
  { lender: ILP, id: "P-AFTER", signed: "2024-10-20", rate: 0.132 },
  // Before the first LPR (2019-08-20): no 4 × LPR line to assess against.
  { lender: ILP, id: "P-2018", signed: "2018-06-01", rate: 0.3 },
  // Not a lender type the rule covers.
  { lender: WATCHED, id: "W-90", signed: "2026-03-05", rate: 0.9 },
  // Online small loans, per borrower.
  {
    lender: OSL,
    id: "O-A1",
    signed: "2026-08-01",
    rate: 0.1,
    outstanding: 200_000,
    borrower: "A",
    income: 2_000_000,
  },
  {
    lender: OSL,
    id: "O-A2",
    signed: "2026-08-02",
    rate: 0.1,
    outstanding: 150_000,
    borrower: "A",
    income: 2_000_000,
  },
  {
    lender: OSL,
    id: "O-B1",
    signed: "2026-08-01",
    rate: 0.1,
    outstanding: 40_000,
    borrower: "B",
    income: 90_000,
  },
  {
    lender: OSL,
    id: "O-C1",
    signed: "2026-08-01",
    rate: 0.1,
    outstanding: 300_000,
    borrower: "C",
    income: null,
  },
  {
    lender: OSL,
    id: "O-D1",
    signed: "2026-08-01",
    rate: 0.1,
    outstanding: 30_000,
    borrower: "D",
    income: 90_000,
  },
  {
    lender: OSL,
    id: "O-E1",
    signed: "2026-08-01",
    rate: 0.1,
    outstanding: 1_200_000,
    borrowerType: "enterprise",
    borrower: "915000000000000E01",
  },
  {
    lender: SLC,
    id: "S-BIG",
    signed: "2026-08-01",
    rate: 0.1,
    outstanding: 900_000,
    borrower: "F",
    income: 100_000,
  },
];

function loanValues(l: Loan): string {
  const principal = l.principal ?? l.outstanding ?? 10_000;
  const enterprise = l.borrowerType === "enterprise";
  const person = enterprise ? "NULL" : `'${l.borrower ?? `P-${l.id}`}'`;
  const code = enterprise ? `'${l.borrower}'` : "NULL";
  const income = l.income === undefined || l.income === null ? "NULL" : String(l.income);
  return `('${l.lender}', '${l.id}', '2026-09', DATE '${l.signed}', 'equal_instalment', ${l.term ?? 12}, ${principal},
    ${l.outstanding ?? principal}, ${l.rate}, ${l.upfront ?? 0}, ${l.periodic ?? 0}, ${l.other ?? 0},
    '${enterprise ? "enterprise" : "individual"}', ${person}, ${code}, ${income})`;
}

beforeAll(async () => {
  duck = await openDuck();
  await duck.run(`CREATE TABLE registry AS SELECT * FROM (VALUES ('${BANK}', 'bank'), ('${SLC}', 'small_loan'),
    ('${ILP}', 'internet_lending_platform'), ('${OSL}', 'online_small_loan'), ('${WATCHED}', 'watched_company'),
    ('${MANAGER}', 'securities_firm')) t(code, type)`);
  await duck.run(`CREATE TABLE lpr AS SELECT * FROM (VALUES (DATE '2019-08-20', 0.0425), (DATE '2024-09-20', 0.0335),
    (DATE '2024-10-20', 0.031), (DATE '2025-05-20', 0.03)) t(from_date, one_year)`);
  await duck.run(`CREATE TABLE loans AS SELECT lender_code, loan_id, period, origination_date, repayment_method, term_months,
      CAST(principal AS DECIMAL(18, 2)) AS principal, CAST(outstanding AS DECIMAL(18, 2)) AS outstanding,
      CAST(nominal_rate AS DECIMAL(9, 6)) AS nominal_rate, CAST(upfront_fee AS DECIMAL(18, 2)) AS upfront_fee,
      CAST(periodic_fee AS DECIMAL(18, 2)) AS periodic_fee, CAST(other_fees AS DECIMAL(18, 2)) AS other_fees,
      borrower_type, borrower_id, borrower_code, CAST(borrower_annual_income AS DECIMAL(18, 2)) AS borrower_annual_income
    FROM (VALUES ${loans.map(loanValues).join(", ")}) t(lender_code, loan_id, period, origination_date, repayment_method,
      term_months, principal, outstanding, nominal_rate, upfront_fee, periodic_fee, other_fees, borrower_type, borrower_id,
      borrower_code, borrower_annual_income)`);
  await duck.run(`CREATE TABLE bills AS SELECT bank_code, bill_id, role, CAST(issue_date AS DATE) AS issue_date,
      CAST(maturity_date AS DATE) AS maturity_date, CAST(face_amount AS DECIMAL(18, 2)) AS face_amount
    FROM (VALUES ('${BANK}', 'BL-6M', 'acceptor', '2026-01-31', '2026-07-31', 1000000),
                 ('${BANK}', 'BL-6M1D', 'acceptor', '2026-01-31', '2026-08-01', 2500000),
                 ('${SLC}', 'BL-NOT-A-BANK', 'acceptor', '2026-01-01', '2027-01-01', 100)) t(bank_code, bill_id, role, issue_date, maturity_date, face_amount)`);
  // A: open-ended public, own leverage 1.3, holds 30 of B (leverage 2.0): look-through 160 / 100.
  // C: tiered private, own 1.1, holds 50 of A: 110 + 50 × 0.6 = 140 / 100, exactly on its 140% line.
  await duck.run(`CREATE TABLE products AS SELECT * FROM (VALUES
      ('${MANAGER}', 'PA', 'public_fund', 'public', true, false, 130.0, 100.0),
      ('${MANAGER}', 'PB', 'securities_am', 'private', false, false, 300.0, 150.0),
      ('${MANAGER}', 'PC', 'private_fund', 'private', false, true, 110.0, 100.0),
      ('${MANAGER}', 'PZ', 'private_fund', 'private', false, false, 50.0, 0.0)
    ) t(manager_code, product_id, product_type, offering, open_ended, tiered, total_assets, net_assets)`);
  await duck.run(`CREATE TABLE product_holdings AS SELECT * FROM (VALUES
      ('${MANAGER}', 'H1', 'PA', 'product', 'PB', 30.0), ('${MANAGER}', 'H2', 'PA', 'bond', NULL, 100.0),
      ('${MANAGER}', 'H3', 'PC', 'product', 'PA', 50.0)
    ) t(manager_code, holding_id, product_id, asset_kind, asset_product_id, market_value)`);
});
afterAll(() => duck.close());

describe("cn.loan.true_rate_cap", () => {
  test("flags each loan above its lender type's line, with the line crossed and the basis of that line", async () => {
    const r = await run(trueRateCap);
    const rows = await r.breaches(trueRateCap.id);
    const byId = new Map(rows.map((b) => [b.subject, b]));
    expect([...byId.keys()].sort()).toEqual(["B-40", "P-15", "P-AFTER", "S-30", "S-36", "S-FEES"]);
    expect(byId.get("B-40")!.explanation).toEqual({
      en: `Loan B-40: true annual rate 40.00% exceeds the regulatory maximum 36.00% for a commercial bank (${cashLoans.en}).${provisional.en}`,
      zh: `贷款B-40：真实年化利率为40.00%，高于商业银行监管上限36.00%（${cashLoans.zh}）。${provisional.zh}`,
    });
    expect(byId.get("S-30")!.explanation).toEqual({
      en: `Loan S-30: true annual rate 30.00% exceeds the warning line 24.00%; the regulatory maximum is 36.00% for a small-loan company (${legacy.en}).${provisional.en}`,
      zh: `贷款S-30：真实年化利率为30.00%，高于预警线24.00%；小额贷款公司监管上限为36.00%（${legacy.zh}）。${provisional.zh}`,
    });
    // Exactly on the regulatory line is a warning, not a regulatory breach; exactly on 24% is no breach.
    expect(byId.get("S-36")!.line).toBe("warning");
    expect(byId.get("P-15")!.explanation).toEqual({
      en: `Loan P-15: true annual rate 15.00% exceeds the regulatory maximum 12.00% for an internet lending platform (4 × the one-year LPR of 3.00% at signing on 2025-05-25) (${spc2020.en}).${provisional.en}`,
      zh: `贷款P-15：真实年化利率为15.00%，高于网络借贷平台（签约日2025-05-25一年期LPR 3.00%的4倍）监管上限12.00%（${spc2020.zh}）。${provisional.zh}`,
    });
    expect(byId.get("P-AFTER")!.regulatory).toBeCloseTo(0.124, 12);
  });

  test("prices fees in: the true rate is the IRR of the cash flows, as an independent IRR computes it", async () => {
    const rows = await (await run(trueRateCap)).breaches(trueRateCap.id, { institution: SLC });
    const fees = rows.find((b) => b.subject === "S-FEES")!;
    const terms: LoanTerms = {
      principal: 20_000,
      nominalRate: 0.1,
      termMonths: 12,
      method: "equal_instalment",
      upfrontFee: 1_600,
      periodicFee: 200,
      otherFees: 0,
    };
    expect(Math.abs(fees.value - trueAnnualRate(terms).annual)).toBeLessThan(1e-7);
    expect(fees.line).toBe("regulatory");
    expect(fees.detail).toMatchObject({
      nominalRate: 0.1,
      upfrontFee: "1600.00",
      periodicFee: "200.00",
      cap: "0.24/0.36",
    });
  });

  test("aggregates per lender: counts by line and the worst loans first", async () => {
    const slc = (await run(trueRateCap)).outcomes.find((o) => o.institution === SLC)!;
    expect({
      count: slc.count,
      regulatory: slc.regulatoryCount,
      warning: slc.warningCount,
      line: slc.line,
    }).toEqual({
      count: 3,
      regulatory: 1,
      warning: 2,
      line: "regulatory",
    });
    expect(slc.worst.map((w) => w.subject)).toEqual(["S-FEES", "S-36"]);
    expect(slc.explanation.en).toBe(
      `3 loans above the cap (1 above the regulatory maximum, 2 above the warning line only). Worst: ${slc.worst[0]!.explanation.en}`,
    );
    expect(slc.explanation.zh).toBe(
      `共3笔贷款超过上限（其中1笔高于监管上限，2笔仅高于预警线）。最严重的一笔：${slc.worst[0]!.explanation.zh}`,
    );
  });

  test("a governed cap replaces the default and is no longer provisional", async () => {
    const r = await run(trueRateCap, { small_loan: "0.3", internet_lending_platform: "0.24/4xLPR" });
    const slc = await r.breaches(trueRateCap.id, { institution: SLC });
    expect(slc.map((b) => [b.subject, b.line])).toEqual([
      ["S-FEES", "regulatory"],
      ["S-36", "regulatory"],
    ]);
    expect(slc[1]!.explanation.en).toBe(
      `Loan S-36: true annual rate 36.00% exceeds the regulatory maximum 30.00% for a small-loan company (${legacy.en}).`,
    );
    // A 24% warning line below a 4 × LPR regulatory line that is lower still: only the regulatory line counts.
    const ilp = await r.breaches(trueRateCap.id, { institution: ILP });
    expect(ilp.map((b) => [b.subject, b.line])).toEqual([
      ["P-15", "regulatory"],
      ["P-AFTER", "regulatory"],
    ]);
  });

  test("caps are parsed strictly", () => {
    expect(parseCap("0.24/0.36")).toEqual({
      warning: { kind: "fixed", rate: "0.24" },
      regulatory: { kind: "fixed", rate: "0.36" },
    });
    expect(parseCap("4xLPR")).toEqual({ regulatory: { kind: "lpr", multiple: "4" } });
    expect(() => resolveParams(trueRateCap, { bank: "36%" })).toThrow(/bank: expected a cap such as/);
    expect(() => resolveParams(trueRateCap, { bank: "0.4/0.36" })).toThrow(/warning line must be below/);
    expect(() => resolveParams(trueRateCap, { bank: "36" })).toThrow(/as a fraction \(0.36 for 36%\)/);
  });
});

describe("cn.osl.borrower_balance_cap", () => {
  test("sums each borrower's loans at one online lender against the amount and income caps", async () => {
    const rows = await (await run(onlineBorrowerCap)).breaches(onlineBorrowerCap.id);
    // Worst first: the largest excess over its own cap.
    expect(rows.map((b) => [b.subject, b.param, b.value, b.regulatory])).toEqual([
      ["B", "incomeShare", 40_000, 30_000],
      ["915000000000000E01", "legalPersonMaximum", 1_200_000, 1_000_000],
      ["A", "naturalPersonMaximum", 350_000, 300_000],
    ]);
    const [b, enterprise, a] = rows;
    const draft = {
      en: "Interim Measures for the Administration of Online Small-Loan Business (draft for comment), CBIRC, PBoC, 2020, Art. 13",
      zh: "《网络小额贷款业务管理暂行办法（征求意见稿）》，中国银保监会、中国人民银行，2020年，第十三条",
    };
    expect(a!.explanation).toEqual({
      en: `Borrower A: balance outstanding RMB 350,000.00 exceeds the regulatory maximum RMB 300,000.00 for a natural person (${draft.en}).${provisional.en}`,
      zh: `借款人A：贷款余额为350,000.00元，高于自然人监管上限300,000.00元（${draft.zh}）。${provisional.zh}`,
    });
    expect(a!.detail).toEqual({
      borrowerType: "individual",
      loanIds: ["O-A1", "O-A2"],
      loans: 2,
      annualIncome: 2_000_000,
    });
    expect(b!.explanation.en).toBe(
      `Borrower B: balance outstanding RMB 40,000.00 exceeds the regulatory maximum RMB 30,000.00 for a natural person (1/3 of the average annual income of RMB 90,000.00) (${draft.en}).${provisional.en}`,
    );
    expect(enterprise!.explanation.zh).toBe(
      `借款人915000000000000E01：贷款余额为1,200,000.00元，高于法人监管上限1,000,000.00元（${draft.zh}）。${provisional.zh}`,
    );
  });
});

describe("cn.bills.tenor", () => {
  test("six calendar months from issue is the longest tenor; banks only", async () => {
    const rows = await (await run(billTenor)).breaches(billTenor.id);
    expect(rows.map((b) => b.subject)).toEqual(["BL-6M1D"]);
    const bills = {
      en: "Measures for the Administration of the Acceptance, Discount and Rediscount of Commercial Drafts, PBoC, CBIRC, 2022",
      zh: "《商业汇票承兑、贴现与再贴现管理办法》，中国人民银行、中国银保监会，2022年，中国人民银行 中国银行保险监督管理委员会令〔2022〕第4号",
    };
    expect(rows[0]!.explanation).toEqual({
      en: `Bill BL-6M1D: tenor 182 days exceeds the regulatory maximum 181 days (6 months from issue on 2026-01-31) (${bills.en}).`,
      zh: `票据BL-6M1D：期限为182天，高于自出票日2026-01-31起6个月的监管上限181天（${bills.zh}）。`,
    });
  });
});

describe("cn.amp.look_through_leverage", () => {
  test("counts held products for their share of total assets, layer after layer", async () => {
    const rows = await (await run(lookThroughLeverage)).breaches(lookThroughLeverage.id);
    // PC sits exactly on 140% after two layers of look-through; PZ has no net assets to divide by.
    expect(rows.map((b) => [b.subject, b.value])).toEqual([["PA", 1.6]]);
    expect(rows[0]!.detail).toMatchObject({
      ownLeverage: 1.3,
      lookThroughTotalAssets: 160,
      heldProducts: ["PB"],
    });
    expect(rows[0]!.explanation.en).toBe(
      "Product PA: look-through leverage 160.00% exceeds the regulatory maximum 140.00% for an open-ended public product (Guiding Opinions on Regulating the Asset Management Business of Financial Institutions, PBoC, CBIRC, CSRC, SAFE, 2018, Arts. 20-21).",
    );
    const lower = await (await run(lookThroughLeverage, { tieredPrivate: "1.39" })).breaches(
      lookThroughLeverage.id,
    );
    expect(lower.map((b) => b.subject)).toEqual(["PA", "PC"]);
  });
});
