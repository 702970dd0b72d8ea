import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { creditCodeCheckChar, residentIdCheckChar } from "../contract/identifiers.ts";

/** A valid credit code for test institution number n (Chongqing Yuzhong district). */
export function testCreditCode(n: number): string {
  const body = `91500103MA${String(n).padStart(6, "0")}X`.slice(0, 17);
  return body + creditCodeCheckChar(body);
}

/** A valid resident identity number for test person n. */
export function testResidentId(n: number): string {
  const body = `500103${1960 + (n % 40)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, "0")}`;
  return body + residentIdCheckChar(body);
}

export function csv(rows: (string | number | null)[][]): string {
  return `${rows.map((r) => r.map((v) => (v === null ? "" : String(v))).join(",")).join("\n")}\n`;
}

export const bankA = testCreditCode(1);
export const bankB = testCreditCode(2);
export const smallLoanC = testCreditCode(3);

/** A tiny province folder: three institutions, their licences, and a few loans for period 2026-09. */
export function writeTinyProvince(dir: string, loansPerLender = 5): void {
  mkdirSync(join(dir, "loans"), { recursive: true });
  writeFileSync(
    join(dir, "institutions.csv"),
    csv([
      [
        "code",
        "name_zh",
        "name_en",
        "type",
        "district",
        "bank_tier",
        "total_assets",
        "parent_code",
        "group_code",
        "status",
      ],
      [
        bankA,
        "重庆测试银行股份有限公司",
        "Chongqing Test Bank",
        "bank",
        "渝中区",
        3,
        "150000000000.00",
        null,
        null,
        "active",
      ],
      [
        bankB,
        "重庆第二测试农村商业银行",
        "Chongqing Second Test Rural Commercial Bank",
        "bank",
        "江北区",
        4,
        "8000000000.00",
        null,
        null,
        "active",
      ],
      [
        smallLoanC,
        "重庆测试小额贷款有限公司",
        "Chongqing Test Small Loan Co.",
        "small_loan",
        "渝北区",
        null,
        null,
        null,
        null,
        "active",
      ],
    ]),
  );
  writeFileSync(
    join(dir, "licences.csv"),
    csv([
      ["licence_no", "institution_code", "kind", "issued_on", "expires_on", "status"],
      ["B0001", bankA, "bank", "2001-05-01", null, "active"],
      ["B0002", bankB, "bank", "2008-03-01", null, "active"],
      ["SLC-0003", smallLoanC, "small_loan", "2015-01-01", "2027-01-01", "active"],
    ]),
  );
  const header = [
    "loan_id",
    "lender_code",
    "period",
    "borrower_type",
    "borrower_id",
    "borrower_code",
    "borrower_annual_income",
    "principal",
    "outstanding",
    "origination_date",
    "maturity_date",
    "nominal_rate",
    "upfront_fee",
    "periodic_fee",
    "other_fees",
    "repayment_method",
    "term_months",
    "joint_partner_code",
    "partner_share",
    "classification",
    "industry",
    "real_estate",
    "mortgage",
    "lgfv",
  ];
  const rows: (string | number | null)[][] = [header];
  let n = 0;
  for (const lender of [bankA, bankB, smallLoanC]) {
    for (let i = 0; i < loansPerLender; i++) {
      n++;
      rows.push([
        `L${n}`,
        lender,
        "2026-09",
        "individual",
        testResidentId(n),
        null,
        "120000.00",
        "100000.00",
        "80000.00",
        "2025-10-15",
        "2027-10-15",
        "0.0435",
        "0.00",
        "0.00",
        "0.00",
        "equal_instalment",
        24,
        null,
        null,
        "normal",
        "K",
        "false",
        "false",
        "false",
      ]);
    }
  }
  // One enterprise borrower: no resident id, a credit code instead.
  rows.push([
    "E1",
    bankA,
    "2026-09",
    "enterprise",
    null,
    testCreditCode(900),
    null,
    "5000000.00",
    "5000000.00",
    "2026-01-10",
    "2029-01-10",
    "0.0385",
    "0.00",
    "0.00",
    "0.00",
    "interest_only",
    36,
    null,
    null,
    "special_mention",
    "C",
    "false",
    "false",
    "false",
  ]);
  writeFileSync(join(dir, "loans", "2026-09.csv"), csv(rows));
}
