import type { PhraseEntry } from "./phrases.ts";

/** One version of the governed phrase list. */
export interface PhraseListVersion {
  version: number;
  status: "proposed" | "approved" | "rejected";
  note: string;
  entries: PhraseEntry[];
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

export const phraseListColumns = `version, status, note, entries, proposed_by, to_json(proposed_at) #>> '{}' as proposed_at,
  decided_by, to_json(decided_at) #>> '{}' as decided_at, decision_note`;

export function toPhraseListVersion(r: Record<string, unknown>): PhraseListVersion {
  return {
    version: Number(r.version),
    status: r.status as PhraseListVersion["status"],
    note: String(r.note),
    entries: (typeof r.entries === "string" ? JSON.parse(r.entries) : r.entries) as PhraseEntry[],
    proposedBy: String(r.proposed_by),
    proposedAt: String(r.proposed_at),
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: (r.decided_at as string | null) ?? null,
    decisionNote: (r.decision_note as string | null) ?? null,
  };
}
