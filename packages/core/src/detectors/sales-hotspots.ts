/**
 * Where sales misconduct concentrates: the employees and branches behind the suitability, dual-recording and
 * flying-order findings of the same run, so that an inspection can start with the right desk.
 */
import { defineParams } from "../rules/params.ts";
import { intParam } from "./params.ts";
import { distinct, groupBy, score, severityOf, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface SalesHotspotParams {
  min_employee_sales: number;
  min_branch_sales: number;
}

const params = defineParams({
  min_employee_sales: intParam(3, 1, 100_000, {
    status: "to_confirm",
    en: "Flagged sales from which an employee is a hotspot",
    zh: "员工被预警销售达到该笔数即列为重点",
  }),
  min_branch_sales: intParam(5, 1, 100_000, {
    status: "to_confirm",
    en: "Flagged sales from which a branch is a hotspot",
    zh: "网点被预警销售达到该笔数即列为重点",
  }),
});

const sources = ["suitability", "dual_recording", "flying_order"] as const;
const sourceZh: Record<string, string> = {
  suitability: "适当性",
  dual_recording: "未双录",
  flying_order: "飞单",
};

interface FlaggedSale {
  detector: string;
  sale: string;
  seller: string;
  employee: string;
  branch: string;
  amount: number;
}

/** Employee and branch findings from the sales findings of the run. */
export function salesHotspotFindings(
  prior: ReadonlyMap<string, readonly FindingDraft[]>,
  p: SalesHotspotParams,
): FindingDraft[] {
  const flagged: FlaggedSale[] = [];
  for (const d of sources) {
    for (const f of prior.get(d) ?? []) {
      const e = f.evidence;
      flagged.push({
        detector: d,
        sale: f.subjectId,
        seller: String(e.seller),
        employee: String(e.employee),
        branch: String(e.branch),
        amount: Number(e.amount ?? 0),
      });
    }
  }
  const out: FindingDraft[] = [];
  const emit = (kind: "employee" | "branch", key: (s: FlaggedSale) => string, min: number) => {
    for (const [id, list] of groupBy(flagged, (s) => `${s.seller}:${key(s)}`)) {
      const sales = distinct(list.map((s) => s.sale));
      if (sales.length < min) continue;
      const byKind: Record<string, number> = {};
      for (const s of list) byKind[s.detector] = (byKind[s.detector] ?? 0) + 1;
      const amount = list.reduce((a, s) => a + s.amount, 0);
      const seller = list[0]!.seller;
      const local = key(list[0]!);
      const s = score(30 + 3 * sales.length + 10 * (Object.keys(byKind).length - 1));
      const kinds = Object.entries(byKind).map(([k, n]) => `${n} ${k.replace("_", " ")}`);
      const kindsZh = Object.entries(byKind).map(([k, n]) => `${sourceZh[k]} ${n} 笔`);
      out.push({
        subjectKind: kind,
        subjectId: id,
        memberKind: "sale",
        members: sales,
        institutions: [seller],
        severity: severityOf(s),
        score: s,
        explanation: {
          en: `${kind === "employee" ? "Employee" : "Branch"} ${local} of ${seller} is behind ${sales.length} flagged sales (${kinds.join(", ")}) worth RMB ${yuan(amount)}.`,
          zh: `${seller} 的${kind === "employee" ? "员工" : "网点"} ${local} 涉及 ${sales.length} 笔被预警销售（${kindsZh.join("、")}），金额 ${yuan(amount)} 元。`,
        },
        evidence: { seller, [kind]: local, flaggedSales: sales.length, byDetector: byKind, amount, sales },
      });
    }
  };
  emit("employee", (s) => s.employee, p.min_employee_sales);
  emit("branch", (s) => s.branch, p.min_branch_sales);
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const salesHotspots = defineDetector<SalesHotspotParams>({
  id: "sales_hotspots",
  version: "1.0.0",
  en: "Employees and branches concentrating sales misconduct",
  zh: "销售违规集中的员工与网点",
  description: {
    en: "Employees and branches behind many suitability, dual-recording or flying-order findings.",
    zh: "涉及较多适当性、未双录或飞单预警的员工和网点。",
  },
  leadUnit: "cbrc_cq",
  datasets: [],
  after: sources,
  params,
  async run(ctx, p) {
    return salesHotspotFindings(ctx.prior, p);
  },
});
