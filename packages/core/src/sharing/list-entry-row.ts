import { iso, isoOrNull } from "../identity/values.ts";

export interface ListEntry {
  id: number;
  kind: "black" | "grey";
  subjectType: "institution" | "company" | "person";
  /** A credit code for organisations; for people, the HMAC pseudonym intake uses (never the identity number). */
  subject: string;
  subjectName: string | null;
  reason: string;
  source: string;
  addedBy: string;
  addedByUnit: string | null;
  addedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export const listEntryColumns = `id::text, kind, subject_type, subject, subject_name, reason, source, added_by, added_by_unit,
  added_at, expires_at, revoked_at`;

export function toListEntry(r: Record<string, unknown>): ListEntry {
  return {
    id: Number(r.id),
    kind: r.kind as ListEntry["kind"],
    subjectType: r.subject_type as ListEntry["subjectType"],
    subject: String(r.subject),
    subjectName: (r.subject_name as string | null) ?? null,
    reason: String(r.reason),
    source: String(r.source),
    addedBy: String(r.added_by),
    addedByUnit: (r.added_by_unit as string | null) ?? null,
    addedAt: iso(r.added_at),
    expiresAt: isoOrNull(r.expires_at),
    revokedAt: isoOrNull(r.revoked_at),
  };
}
