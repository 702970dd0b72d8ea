import type { Db } from "../../db/client.ts";
import { literal } from "../../lake/duckdb.ts";
import { dec, toExactString } from "../../metrics/decimal.ts";
import { openLocalFinanceLake, runInstant } from "../lake.ts";
import { offsiteIndicators } from "./offsite-indicators.ts";

export interface OnlineLenderRow {
  code: string;
  name: string;
  district: string;
  /** From the returns. */
  reported: { period: string; item: string; value: string }[];
  /** Joint-lending share and leverage, as off-site indicators. */
  indicators: Awaited<ReturnType<typeof offsiteIndicators>>["rows"][number]["indicators"];
  /** From the loan book in the lake. */
  book: {
    borrowers: number;
    outstanding: number;
    overPersonCap: number;
    overIncomeShare: number;
    examples: { borrower: string; outstanding: number; income: number | null }[];
  } | null;
  flags: string[];
}

/**
 * Supervision of online small-loan companies: the returns (joint-lending share, largest balances, paid-in capital,
 * cross-province flag) and the loan book (borrowers whose total outstanding exceeds the per-person cap or one third
 * of their income), for one month.
 */
export async function onlineLendingWatch(
  deps: { db: Db; dataDir: string },
  input: {
    period: string;
    asOf?: string;
    personCap?: number;
    incomeShare?: number;
    minPaidInCapital?: number;
  },
): Promise<{
  period: string;
  personCap: number;
  incomeShare: number;
  minPaidInCapital: number;
  rows: OnlineLenderRow[];
}> {
  const { db, dataDir } = deps;
  // NFRA measures: a consumer's online small-loan balance ≤ RMB 200k; 2020 draft: ≤ 1/3 of average annual income
  // and paid-in capital ≥ RMB 1bn.
  const personCap = input.personCap ?? 200_000;
  const incomeShare = input.incomeShare ?? 1 / 3;
  const minPaidInCapital = input.minPaidInCapital ?? 1_000_000_000;
  const asOf = await runInstant(db, input.asOf);
  const lenders = await db.query<{ code: string; name: string; district: string }>(
    "select trim(code) as code, name_zh as name, district from institutions where type = 'online_small_loan' order by code",
  );
  const reported = await db.query<{ code: string; period: string; item: string; value: string }>(
    `select trim(f.institution_code) as code, f.period, f.item, f.value::text as value
     from facts f join submissions s on s.id = f.submission_id and s.superseded_at is null
     where f.period = $1 and f.item like 'OSL\\_%' and f.institution_code = any($2::text[]) order by f.item`,
    [input.period, lenders.map((l) => l.code)],
  );
  const offsite = await offsiteIndicators(db, { period: input.period, types: ["online_small_loan"] });
  const lake = await openLocalFinanceLake(db, dataDir, input.period, { loans: { kind: "period" } }, asOf);
  try {
    const book = await lake.all<{
      lender: string;
      borrowers: number;
      outstanding: number;
      over_cap: number;
      over_income: number;
      examples: { borrower: string; outstanding: number; income: number | null }[];
    }>(
      `WITH b AS (
         SELECT lender_code AS lender, borrower_id AS borrower, CAST(sum(outstanding) AS DOUBLE) AS outstanding,
           CAST(max(borrower_annual_income) AS DOUBLE) AS income
         FROM loans WHERE borrower_type = 'individual' AND lender_code IN (${lenders.map((l) => literal(l.code)).join(", ") || "NULL"})
         GROUP BY ALL)
       SELECT lender, CAST(count(*) AS INTEGER) AS borrowers, CAST(sum(outstanding) AS DOUBLE) AS outstanding,
         CAST(count(*) FILTER (WHERE outstanding > ${personCap}) AS INTEGER) AS over_cap,
         CAST(count(*) FILTER (WHERE income IS NOT NULL AND outstanding > income * ${incomeShare}) AS INTEGER) AS over_income,
         (list({'borrower': borrower, 'outstanding': outstanding, 'income': income} ORDER BY outstanding DESC)
           FILTER (WHERE outstanding > ${personCap} OR (income IS NOT NULL AND outstanding > income * ${incomeShare})))[1:5] AS examples
       FROM b GROUP BY lender`,
    );
    const bookBy = new Map(book.map((b) => [b.lender, b]));
    const rows = lenders.map((l): OnlineLenderRow => {
      const rep = reported
        .filter((r) => r.code === l.code)
        .map((r) => ({ period: r.period, item: r.item, value: toExactString(dec(r.value)) }));
      const indicators = offsite.rows.find((r) => r.code === l.code)?.indicators ?? [];
      const b = bookBy.get(l.code);
      const flags: string[] = [];
      for (const i of indicators)
        if (i.outsideLine) flags.push(`${i.en} ${i.value} is ${i.line?.op} ${i.line?.value}`);
      const item = (code: string) => rep.find((r) => r.item === code)?.value;
      const maxPerson = item("OSL_MAX_NATURAL_PERSON_BALANCE");
      if (maxPerson !== undefined && Number(maxPerson) > personCap)
        flags.push(`largest natural-person balance ${maxPerson} above ${personCap}`);
      const paidIn = item("OSL_PAID_IN_CAPITAL");
      if (paidIn !== undefined && Number(paidIn) < minPaidInCapital)
        flags.push(`paid-in capital ${paidIn} below ${minPaidInCapital}`);
      if (
        item("OSL_FLAG_UNAPPROVED_CROSS_PROVINCE") !== undefined &&
        Number(item("OSL_FLAG_UNAPPROVED_CROSS_PROVINCE")) !== 0
      ) {
        flags.push("lends across provinces without approval");
      }
      if (b && b.over_cap > 0)
        flags.push(`${b.over_cap} borrowers above the per-person cap in the loan book`);
      if (b && b.over_income > 0)
        flags.push(
          `${b.over_income} borrowers above ${(incomeShare * 100).toFixed(1)}% of income in the loan book`,
        );
      return {
        code: l.code,
        name: l.name,
        district: l.district,
        reported: rep,
        indicators,
        book: b
          ? {
              borrowers: b.borrowers,
              outstanding: Math.round(b.outstanding * 100) / 100,
              overPersonCap: b.over_cap,
              overIncomeShare: b.over_income,
              examples: b.examples ?? [],
            }
          : null,
        flags,
      };
    });
    rows.sort((a, b) => b.flags.length - a.flags.length || a.code.localeCompare(b.code));
    return { period: input.period, personCap, incomeShare, minPaidInCapital, rows };
  } finally {
    lake.close();
  }
}
