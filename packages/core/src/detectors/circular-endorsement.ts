/**
 * Circular endorsement (循环背书): companies endorsing bills around a circle back to the first holder, creating
 * turnover (and discountable "trade") without trade. Strongly connected components of the endorser -> endorsee
 * graph, with the bills that travel around them and whether the companies are related (guaranteeing each other).
 */
import { defineParams } from "../rules/params.ts";
import { cyclicGroups } from "./cyclic-groups.ts";
import { loadLakeGraph, writeGroups } from "./lake-graph.ts";
import { intParam } from "./params.ts";
import { distinct, groupBy, groupId, rows, score, severityOf, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface CircularEndorsementParams {
  max_cycle_length: number;
}

const params = defineParams({
  max_cycle_length: intParam(8, 2, 8, {
    status: "confirmed",
    en: "Longest endorsement cycle listed inside a circle",
    zh: "背书圈内列示的最长背书环",
  }),
});

export interface EndorsedBill {
  grp: number;
  bank_code: string;
  bill_id: string;
  endorsements: number;
  face_amount: number | null;
  returns_to_holder: boolean;
}

export interface EndorsementCircle {
  members: string[];
  cycles: string[][];
  cyclesByLength: Record<number, number>;
  bills: EndorsedBill[];
  relatedPairs: number;
}

/** One finding per endorsement circle. */
export function endorsementFindings(circles: readonly EndorsementCircle[]): FindingDraft[] {
  return circles.map((c) => {
    const face = c.bills.reduce((s, b) => s + (b.face_amount ?? 0), 0);
    const closed = c.bills.filter((b) => b.returns_to_holder).length;
    const banks = distinct(c.bills.map((b) => b.bank_code));
    const s = score(
      45 + 4 * Math.min(8, c.members.length) + 3 * Math.min(10, closed) + (c.relatedPairs > 0 ? 10 : 0),
    );
    return {
      subjectKind: "endorsement_circle",
      subjectId: groupId("EC", c.members),
      memberKind: "enterprise",
      members: c.members,
      institutions: banks,
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `${c.members.length} companies endorse bills to each other in a circle: ${c.bills.length} bill(s) of RMB ${yuan(face)} travel around it, ${closed} returning to a company that already held them${c.relatedPairs > 0 ? `; ${c.relatedPairs} pair(s) of them also guarantee each other` : ""}.`,
        zh: `${c.members.length} 家企业之间循环背书：${c.bills.length} 张票据、金额 ${yuan(face)} 元在圈内流转，其中 ${closed} 张回到曾持有该票据的企业${c.relatedPairs > 0 ? `；其中 ${c.relatedPairs} 对企业之间还存在担保关系` : ""}。`,
      },
      evidence: {
        size: c.members.length,
        cycles: c.cycles,
        cyclesByLength: c.cyclesByLength,
        relatedPairs: c.relatedPairs,
        banks,
        totalFace: face,
        bills: c.bills.map((b) => ({
          bill: b.bill_id,
          bank: b.bank_code,
          endorsements: b.endorsements,
          face: b.face_amount,
          returnsToHolder: b.returns_to_holder,
        })),
      },
    };
  });
}

export const circularEndorsement = defineDetector<CircularEndorsementParams>({
  id: "circular_endorsement",
  version: "1.0.0",
  en: "Circular bill endorsement",
  zh: "票据循环背书",
  description: {
    en: "Companies endorsing bills around a circle back to the first holder.",
    zh: "企业之间循环背书、票据回到最初持票人。",
  },
  leadUnit: "pbc_cq",
  datasets: [
    { name: "bill_endorsements", window: "period" },
    { name: "bills", window: "period" },
    { name: "guarantees", window: "period" },
  ],
  params,
  async run(ctx, p) {
    const graph = await loadLakeGraph(
      ctx.duck,
      "ec",
      "SELECT endorser_code AS src, endorsee_code AS dst FROM bill_endorsements",
    );
    const groups = cyclicGroups(graph, { maxLength: p.max_cycle_length });
    if (groups.length === 0) return [];
    await writeGroups(
      ctx.duck,
      "ec_members",
      groups.map((g) => g.members),
    );
    const bills = await rows<EndorsedBill>(
      ctx.duck,
      `WITH e AS (
         SELECT a.grp, x.bank_code, x.bill_id, x.sequence, x.endorser_code, x.endorsee_code
         FROM bill_endorsements x JOIN ec_members a ON a.id = x.endorser_code JOIN ec_members b ON b.id = x.endorsee_code AND b.grp = a.grp
       ),
       per_bill AS (
         SELECT grp, bank_code, bill_id, CAST(count(*) AS INTEGER) AS endorsements FROM e GROUP BY grp, bank_code, bill_id
       ),
       back AS (
         SELECT DISTINCT e1.bank_code, e1.bill_id FROM e e1 JOIN e e2
           ON e2.bank_code = e1.bank_code AND e2.bill_id = e1.bill_id AND e2.sequence < e1.sequence AND e2.endorser_code = e1.endorsee_code
       )
       SELECT pb.grp, pb.bank_code, pb.bill_id, pb.endorsements, CAST(b.face_amount AS DOUBLE) AS face_amount,
         k.bill_id IS NOT NULL AS returns_to_holder
       FROM per_bill pb LEFT JOIN bills b ON b.bank_code = pb.bank_code AND b.bill_id = pb.bill_id
       LEFT JOIN back k ON k.bank_code = pb.bank_code AND k.bill_id = pb.bill_id
       ORDER BY pb.grp, pb.bank_code, pb.bill_id`,
    );
    const related = await rows<{ grp: number; pairs: number }>(
      ctx.duck,
      `SELECT a.grp, CAST(count(DISTINCT least(g.guarantor_code, g.guaranteed_code) || greatest(g.guarantor_code, g.guaranteed_code)) AS INTEGER) AS pairs
       FROM guarantees g JOIN ec_members a ON a.id = g.guarantor_code JOIN ec_members b ON b.id = g.guaranteed_code AND b.grp = a.grp
       GROUP BY a.grp`,
    );
    const billsOf = groupBy(bills, (b) => b.grp);
    const relatedOf = new Map(related.map((r) => [r.grp, r.pairs]));
    return endorsementFindings(
      groups.map((g, i) => ({
        members: g.members,
        cycles: g.cycles,
        cyclesByLength: g.cyclesByLength,
        bills: billsOf.get(i) ?? [],
        relatedPairs: relatedOf.get(i) ?? 0,
      })),
    );
  },
});
