/**
 * Guarantee circles (担保圈) and mutual guarantees (互保): strongly connected components of the guarantor ->
 * guaranteed graph with the short cycles inside them (pairs, triangles, up to length 8), joined with the loans of
 * their members, so that each lender's exposure to each circle is visible. A default anywhere in a circle can run
 * around it.
 */
import { defineParams } from "../rules/params.ts";
import { cyclicGroups } from "./cyclic-groups.ts";
import { loadLakeGraph, writeGroups } from "./lake-graph.ts";
import { intParam } from "./params.ts";
import { distinct, groupBy, groupId, rows, score, severityOf, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface GuaranteeCircleParams {
  max_cycle_length: number;
  min_members: number;
}

const params = defineParams({
  max_cycle_length: intParam(8, 2, 8, {
    status: "confirmed",
    en: "Longest cycle listed inside a circle",
    zh: "担保圈内列示的最长担保环",
  }),
  min_members: intParam(2, 2, 1000, {
    status: "confirmed",
    en: "Smallest circle reported (2 = mutual guarantees)",
    zh: "报告的最小担保圈规模（2即互保）",
  }),
});

interface GuaranteeRow {
  grp: number;
  guarantee_id: string;
  reporter_code: string;
  guarantor_code: string;
  guaranteed_code: string;
  loan_id: string | null;
  amount: number;
  related_party: boolean;
}

export interface ExposureRow {
  grp: number;
  lender_code: string;
  loans: number;
  outstanding: number;
  non_performing: number;
  special_mention: number;
}

export interface CircleInput {
  members: string[];
  cycles: string[][];
  cyclesByLength: Record<number, number>;
  exhaustive: boolean;
  guarantees: {
    id: string;
    reporter: string;
    guarantor: string;
    guaranteed: string;
    loanId: string | null;
    amount: number;
    related: boolean;
  }[];
  exposures: ExposureRow[];
}

/** One finding per circle: its members, cycles, guarantees and each lender's exposure. */
export function guaranteeCircleFindings(circles: readonly CircleInput[]): FindingDraft[] {
  return circles.map((c) => {
    const exposure = c.exposures.reduce((s, e) => s + e.outstanding, 0);
    const npl = c.exposures.reduce((s, e) => s + e.non_performing, 0);
    const sm = c.exposures.reduce((s, e) => s + e.special_mention, 0);
    const guaranteed = c.guarantees.reduce((s, g) => s + g.amount, 0);
    const lenders = [...c.exposures].sort((a, b) => b.outstanding - a.outstanding);
    const pairs = c.cyclesByLength[2] ?? 0;
    const triangles = c.cyclesByLength[3] ?? 0;
    const s = score(
      35 +
        4 * Math.min(10, c.members.length) +
        (npl > 0 ? 20 : 0) +
        (sm > 0 ? 10 : 0) +
        Math.min(15, exposure / 1e8),
    );
    const top = lenders[0];
    return {
      subjectKind: "guarantee_circle",
      subjectId: groupId("GC", c.members),
      memberKind: "enterprise",
      members: c.members,
      institutions: distinct([...lenders.map((e) => e.lender_code), ...c.guarantees.map((g) => g.reporter)]),
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Guarantee circle of ${c.members.length} enterprises (${pairs} mutual pair(s), ${triangles} triangle(s), ${Object.values(c.cyclesByLength).reduce((a, b) => a + b, 0)} cycle(s) up to length 8) guaranteeing RMB ${yuan(guaranteed)} to each other; ${lenders.length} lender(s) have RMB ${yuan(exposure)} outstanding to its members${top ? `, the largest ${top.lender_code} with RMB ${yuan(top.outstanding)}` : ""}${npl + sm > 0 ? `; ${npl} non-performing and ${sm} special-mention loan(s)` : ""}.`,
        zh: `${c.members.length} 家企业形成担保圈（互保 ${pairs} 对、三角担保 ${triangles} 个、长度不超过8的担保环 ${Object.values(c.cyclesByLength).reduce((a, b) => a + b, 0)} 个），相互担保金额 ${yuan(guaranteed)} 元；${lenders.length} 家贷款机构对圈内企业贷款余额 ${yuan(exposure)} 元${top ? `，最大为 ${top.lender_code} 的 ${yuan(top.outstanding)} 元` : ""}${npl + sm > 0 ? `；不良贷款 ${npl} 笔、关注类 ${sm} 笔` : ""}。`,
      },
      evidence: {
        size: c.members.length,
        cyclesByLength: c.cyclesByLength,
        cycles: c.cycles,
        cycleSearchExhaustive: c.exhaustive,
        guaranteedTotal: guaranteed,
        guarantees: c.guarantees,
        exposureTotal: exposure,
        lenderExposure: lenders.map((e) => ({
          lender: e.lender_code,
          loans: e.loans,
          outstanding: e.outstanding,
          nonPerforming: e.non_performing,
          specialMention: e.special_mention,
        })),
      },
    };
  });
}

export const guaranteeCircle = defineDetector<GuaranteeCircleParams>({
  id: "guarantee_circle",
  version: "1.0.0",
  en: "Guarantee circles and chains",
  zh: "担保圈与担保链",
  description: {
    en: "Enterprises guaranteeing each other in circles (mutual pairs, triangles, longer cycles), with each lender's exposure to each circle.",
    zh: "相互担保形成闭环的企业（互保、三角担保及更长的担保环），附各贷款机构对每个担保圈的风险敞口。",
  },
  leadUnit: "cbrc_cq",
  datasets: [
    { name: "guarantees", window: "period" },
    { name: "loans", window: "period" },
  ],
  params,
  async run(ctx, p) {
    const graph = await loadLakeGraph(
      ctx.duck,
      "gc",
      "SELECT guarantor_code AS src, guaranteed_code AS dst FROM guarantees",
    );
    const groups = cyclicGroups(graph, { maxLength: p.max_cycle_length }).filter(
      (g) => g.members.length >= p.min_members,
    );
    if (groups.length === 0) return [];
    await writeGroups(
      ctx.duck,
      "gc_members",
      groups.map((g) => g.members),
    );
    const guarantees = await rows<GuaranteeRow>(
      ctx.duck,
      `SELECT a.grp, g.guarantee_id, g.reporter_code, g.guarantor_code, g.guaranteed_code, g.loan_id,
         CAST(g.amount AS DOUBLE) AS amount, g.related_party
       FROM guarantees g JOIN gc_members a ON a.id = g.guarantor_code JOIN gc_members b ON b.id = g.guaranteed_code AND b.grp = a.grp
       ORDER BY a.grp, g.guarantee_id`,
    );
    const exposures = await rows<ExposureRow>(
      ctx.duck,
      `SELECT m.grp, l.lender_code, CAST(count(*) AS INTEGER) AS loans, CAST(sum(l.outstanding) AS DOUBLE) AS outstanding,
         CAST(count(*) FILTER (WHERE l.classification IN ('substandard', 'doubtful', 'loss')) AS INTEGER) AS non_performing,
         CAST(count(*) FILTER (WHERE l.classification = 'special_mention') AS INTEGER) AS special_mention
       FROM loans l JOIN gc_members m ON m.id = l.borrower_code
       GROUP BY m.grp, l.lender_code ORDER BY m.grp, l.lender_code`,
    );
    const guaranteesOf = groupBy(guarantees, (r) => r.grp);
    const exposuresOf = groupBy(exposures, (r) => r.grp);
    return guaranteeCircleFindings(
      groups.map((g, i) => ({
        ...g,
        guarantees: (guaranteesOf.get(i) ?? []).map((r) => ({
          id: r.guarantee_id,
          reporter: r.reporter_code,
          guarantor: r.guarantor_code,
          guaranteed: r.guaranteed_code,
          loanId: r.loan_id,
          amount: r.amount,
          related: r.related_party,
        })),
        exposures: exposuresOf.get(i) ?? [],
      })),
    );
  },
});
