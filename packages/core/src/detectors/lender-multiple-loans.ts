/**
 * Each lender's exposure to multiple-loan borrowers: the share of its book (outstanding) owed by borrowers the
 * multiple-loans detector flagged in the same run, and how many they are.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { intParam, num } from "./params.ts";
import { pct, rows, score, severityOf, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface LenderMultipleLoansParams {
  min_borrowers: number;
  min_share: string;
}

const params = defineParams({
  min_borrowers: intParam(3, 1, 1_000_000, {
    status: "to_confirm",
    en: "Flagged borrowers a lender must have for a finding",
    zh: "机构的多头借贷客户达到该数即预警",
  }),
  min_share: decimalParam("0", {
    status: "to_confirm",
    en: "Share of the lender's outstanding owed by flagged borrowers from which it is reported",
    zh: "多头借贷客户贷款余额占比达到该值即预警",
  }),
});

interface LenderBook {
  lender_code: string;
  lender_type: string | null;
  loans: number;
  outstanding: number;
}

/** Findings per lender from the multiple-loans findings and the lenders' books. */
export function lenderFindings(
  flagged: readonly FindingDraft[],
  books: readonly LenderBook[],
  p: LenderMultipleLoansParams,
): FindingDraft[] {
  const per = new Map<string, { borrowers: Set<string>; outstanding: number; loans: number }>();
  for (const f of flagged) {
    for (const l of (f.evidence.lenders ?? []) as { lender: string; outstanding: number; loans: number }[]) {
      const x = per.get(l.lender) ?? { borrowers: new Set<string>(), outstanding: 0, loans: 0 };
      x.borrowers.add(f.subjectId);
      x.outstanding += l.outstanding;
      x.loans += l.loans;
      per.set(l.lender, x);
    }
  }
  const bookOf = new Map(books.map((b) => [b.lender_code, b]));
  const min = num(p.min_share);
  const out: FindingDraft[] = [];
  for (const [lender, x] of per) {
    const book = bookOf.get(lender);
    const share = book && book.outstanding > 0 ? x.outstanding / book.outstanding : 0;
    if (x.borrowers.size < p.min_borrowers || share < min) continue;
    const s = score(25 + 400 * share + 2 * Math.min(20, x.borrowers.size));
    out.push({
      subjectKind: "institution",
      subjectId: lender,
      memberKind: "institution",
      members: [lender],
      institutions: [lender],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `${lender} lends RMB ${yuan(x.outstanding)} (${pct(share, 3)} of its book, ${x.loans} loans) to ${x.borrowers.size} multiple-loan borrowers.`,
        zh: `${lender} 对 ${x.borrowers.size} 名多头借贷客户的贷款余额为 ${yuan(x.outstanding)} 元（占其贷款的 ${pct(share, 3)}，${x.loans} 笔）。`,
      },
      evidence: {
        lenderType: book?.lender_type ?? null,
        flaggedBorrowers: x.borrowers.size,
        flaggedOutstanding: x.outstanding,
        flaggedLoans: x.loans,
        bookOutstanding: book?.outstanding ?? null,
        bookLoans: book?.loans ?? null,
        share,
        borrowers: [...x.borrowers],
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const lenderMultipleLoans = defineDetector<LenderMultipleLoansParams>({
  id: "lender_multiple_loans",
  version: "1.0.0",
  en: "Lenders' exposure to multiple-loan borrowers",
  zh: "机构对多头借贷客户的敞口",
  description: {
    en: "The share of each lender's book owed by borrowers with loans at many lenders.",
    zh: "各机构贷款中多头借贷客户所占的比重。",
  },
  leadUnit: "pbc_cq",
  datasets: [{ name: "loans", window: "period" }],
  after: ["multiple_loans"],
  params,
  async run(ctx, p) {
    const flagged = ctx.prior.get("multiple_loans") ?? [];
    const lenders = [
      ...new Set(
        flagged.flatMap((f) => ((f.evidence.lenders ?? []) as { lender: string }[]).map((l) => l.lender)),
      ),
    ];
    if (lenders.length === 0) return [];
    const books = await rows<LenderBook>(
      ctx.duck,
      `SELECT l.lender_code, any_value(r.type) AS lender_type, CAST(count(*) AS INTEGER) AS loans, CAST(sum(l.outstanding) AS DOUBLE) AS outstanding
       FROM loans l LEFT JOIN registry r ON r.code = l.lender_code
       WHERE l.lender_code IN (${lenders.map((c) => `'${c.replaceAll("'", "''")}'`).join(", ")})
       GROUP BY l.lender_code`,
    );
    return lenderFindings(flagged, books, p);
  },
});
