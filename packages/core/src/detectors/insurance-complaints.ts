/**
 * Internet insurance conduct from complaint texts: complaints set in an internet context (apps, live streams,
 * pop-ups...) that describe mis-selling by an insurer, or insurance business by a party that is not an insurer
 * (unlicensed operation). Phrase lists in Chinese and English are data (phrases/internet-insurance.json).
 */
import { readFileSync } from "node:fs";
import { defineParams } from "../rules/params.ts";
import { intParam } from "./params.ts";
import { groupBy, rows, score, severityOf, sqlText } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

interface PhraseGroup {
  zh: string[];
  en: string[];
}
export interface PhraseLists {
  internet: PhraseGroup;
  misSelling: PhraseGroup;
  unlicensed: PhraseGroup;
  insurance: PhraseGroup;
}

/** The shipped phrase lists. */
export function loadPhrases(): PhraseLists {
  return JSON.parse(
    readFileSync(new URL("./phrases/internet-insurance.json", import.meta.url), "utf8"),
  ) as PhraseLists;
}

export interface InsuranceComplaintParams {
  min_complaints: number;
}

const params = defineParams({
  min_complaints: intParam(3, 1, 10_000, {
    status: "to_confirm",
    en: "Complaints with a signal, within twelve months, from which a target is flagged",
    zh: "十二个月内含信号的投诉达到该件数即预警",
  }),
});

export interface ComplaintRow {
  complaint_id: string;
  target_code: string;
  target_type: string | null;
  received_on: string;
  category: string;
  text: string;
}

const insurerTypes = new Set(["life_insurer", "pc_insurer"]);

function anyOf(column: string, group: PhraseGroup): string {
  return [...group.zh, ...group.en]
    .map((ph) => `strpos(${column}, ${sqlText(ph.toLowerCase())}) > 0`)
    .join(" OR ");
}

/** SQL of internet complaints with a mis-selling or unlicensed-operation phrase, with the target's type. */
export function complaintSignalsSql(ph: PhraseLists, periodEnd: string): string {
  const t = "lower(c.text)";
  return `SELECT c.complaint_id, c.target_code, r.type AS target_type, strftime(c.received_on, '%Y-%m-%d') AS received_on, c.category, c.text
    FROM complaints c LEFT JOIN registry r ON r.code = c.target_code
    WHERE c.received_on <= DATE '${periodEnd}' AND (${anyOf(t, ph.internet)})
      AND ((r.type IN ('life_insurer', 'pc_insurer') AND (${anyOf(t, ph.misSelling)} OR ${anyOf(t, ph.unlicensed)}))
        OR (coalesce(r.type, '') NOT IN ('life_insurer', 'pc_insurer') AND (${anyOf(t, ph.insurance)})
          AND (${anyOf(t, ph.unlicensed)} OR ${anyOf(t, ph.misSelling)})))
    ORDER BY c.target_code, c.received_on, c.complaint_id`;
}

function hits(text: string, group: PhraseGroup): string[] {
  const lower = text.toLowerCase();
  return [...group.zh, ...group.en].filter((p) => lower.includes(p.toLowerCase()));
}

/** One finding per target with enough signalling complaints. */
export function complaintSignalFindings(
  list: readonly ComplaintRow[],
  ph: PhraseLists,
  p: InsuranceComplaintParams,
): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const [target, items] of groupBy(list, (r) => r.target_code)) {
    if (items.length < p.min_complaints) continue;
    const insurer = insurerTypes.has(items[0]!.target_type ?? "");
    const phraseCount: Record<string, number> = {};
    let unlicensed = 0;
    let misSelling = 0;
    for (const r of items) {
      const u = hits(r.text, ph.unlicensed);
      const m = hits(r.text, ph.misSelling);
      if (u.length > 0) unlicensed++;
      if (m.length > 0) misSelling++;
      for (const h of [...u, ...m]) phraseCount[h] = (phraseCount[h] ?? 0) + 1;
    }
    const signal = insurer ? "mis_selling" : "unlicensed_operation";
    const s = score((insurer ? 30 : 50) + 3 * items.length + (unlicensed > 0 ? 10 : 0));
    const top = Object.entries(phraseCount)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, n]) => `"${k}" ×${n}`);
    out.push({
      subjectKind: "institution",
      subjectId: target,
      memberKind: "institution",
      members: [target],
      institutions: [target],
      severity: severityOf(s),
      score: s,
      explanation: insurer
        ? {
            en: `${items.length} internet complaints about insurer ${target} in twelve months describe mis-selling (${misSelling}) or unlicensed intermediaries (${unlicensed}); most frequent phrases ${top.join(", ")}.`,
            zh: `十二个月内涉及保险机构 ${target} 的互联网投诉 ${items.length} 件反映销售误导（${misSelling} 件）或无资质中介（${unlicensed} 件）；高频词 ${top.join("、")}。`,
          }
        : {
            en: `${items.length} internet complaints in twelve months describe insurance business by ${target}, which holds no insurance licence (${unlicensed} with unlicensed-operation phrases); most frequent phrases ${top.join(", ")}.`,
            zh: `十二个月内 ${items.length} 件互联网投诉反映无保险经营资质的 ${target} 从事保险业务（${unlicensed} 件含无证经营表述）；高频词 ${top.join("、")}。`,
          },
      evidence: {
        signal,
        targetType: items[0]!.target_type,
        complaints: items.length,
        misSelling,
        unlicensed,
        phraseHits: phraseCount,
        samples: items.slice(0, 10).map((r) => ({
          id: r.complaint_id,
          receivedOn: r.received_on,
          category: r.category,
          text: r.text,
        })),
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const insuranceComplaints = defineDetector<InsuranceComplaintParams>({
  id: "insurance_complaints",
  version: "1.0.0",
  en: "Internet insurance mis-selling and unlicensed operation in complaints",
  zh: "互联网保险投诉中的销售误导与无证经营",
  description: {
    en: "Insurers drawing internet complaints that describe mis-selling, and non-insurers described as selling insurance online.",
    zh: "互联网投诉反映销售误导的保险机构，以及被反映在线经营保险业务的非保险机构。",
  },
  leadUnit: "circ_cq",
  datasets: [{ name: "complaints", window: "flow" }],
  params,
  async run(ctx, p) {
    const ph = loadPhrases();
    return complaintSignalFindings(
      await rows<ComplaintRow>(ctx.duck, complaintSignalsSql(ph, ctx.periodEnd)),
      ph,
      p,
    );
  },
});
