import { createHash } from "node:crypto";

/** JSON with object keys sorted at every depth and undefined members dropped: one text for one value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object" && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

export const genesisHash = "0".repeat(64);

/** The fields of an audit entry that its hash covers (its position is given by the chain, not its number). */
export interface EntryContent {
  at: string;
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string | null;
  detail: string;
  prevHash: string;
}

/** SHA-256 over the entry's content and the previous entry's hash. */
export function entryHash(e: EntryContent): string {
  const text = JSON.stringify([e.at, e.actor, e.action, e.subjectKind, e.subjectId, e.detail, e.prevHash]);
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export interface CheckpointContent {
  id: number;
  fromSeq: number;
  toSeq: number;
  root: string;
  at: string;
  prevHash: string;
}

/** SHA-256 over a checkpoint and the previous checkpoint's hash: the checkpoints form their own chain. */
export function checkpointHash(c: CheckpointContent): string {
  const text = JSON.stringify([c.id, c.fromSeq, c.toSeq, c.root, c.at, c.prevHash]);
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** How a stored instant is read back for hashing: the exact text it was written from. */
export const atSql = `to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
