import type { Sql } from "../db/client.ts";
import { atSql, checkpointHash, entryHash, genesisHash } from "./canonical.ts";
import { merkleRoot } from "./merkle.ts";
import { type Checkpoint, checkpointColumns, toCheckpoint } from "./seal-audit.ts";

export interface AuditProblem {
  kind: "altered" | "inserted" | "deleted" | "broken_link" | "checkpoint";
  /** The entry the problem names, when it can be named. */
  seq: number | null;
  checkpoint: number | null;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  lastSeq: number;
  checkpoints: number;
  /** The newest checkpoint: publish its id and hash; a later verify with `expect` proves nothing was rewritten. */
  head: { checkpoint: number; toSeq: number; hash: string } | null;
  unsealed: number;
  problems: AuditProblem[];
}

export interface VerifyOptions {
  /** A checkpoint published earlier; the log must still hold it unchanged. */
  expect?: { checkpoint: number; hash: string };
  /** Entries read per query, to bound memory on a long log. */
  pageSize?: number;
}

interface StoredEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string | null;
  detail: string;
  prevHash: string;
  hash: string;
}

export const entryColumns = `seq::text, ${atSql} as at, actor, action, subject_kind as "subjectKind", subject_id as "subjectId",
  detail, prev_hash as "prevHash", hash`;

export function toEntry(r: Record<string, unknown>): StoredEntry {
  return {
    seq: Number(r.seq),
    at: String(r.at),
    actor: String(r.actor),
    action: String(r.action),
    subjectKind: String(r.subjectKind),
    subjectId: r.subjectId == null ? null : String(r.subjectId),
    detail: String(r.detail),
    prevHash: String(r.prevHash),
    hash: String(r.hash),
  };
}

/**
 * Walks the whole log and its checkpoints and names every entry that was altered, inserted or deleted:
 * each entry's hash must match its content, link to the entry before it, and the Merkle root of each sealed
 * run must match the stored entries. A rewrite of the whole chain shows against a published `expect` head.
 */
export async function verifyAudit(db: Sql, options: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 10_000;
  const problems: AuditProblem[] = [];
  const hashes = new Map<number, string>();
  const checkpoints = (
    await db.query(`select ${checkpointColumns} from audit_checkpoints order by audit_checkpoints.id`)
  ).map(toCheckpoint);
  // Entry hashes are kept only for sealed runs still to be checked; a run's leaves are dropped once checked.
  const sealedUpTo = checkpoints.at(-1)?.toSeq ?? 0;
  const checked = new Set<Checkpoint>();
  let prev: StoredEntry | null = null;
  let prevOk = true;
  let beforePrev: StoredEntry | null = null;
  let expected = 1;
  let count = 0;
  let after = 0;
  for (;;) {
    const page = (
      await db.query(`select ${entryColumns} from audit_log where seq > $1 order by audit_log.seq limit $2`, [
        after,
        pageSize,
      ])
    ).map(toEntry);
    for (const e of page) {
      count++;
      if (e.seq !== expected) {
        const gap = e.seq - expected;
        problems.push({
          kind: "deleted",
          seq: expected,
          checkpoint: null,
          message:
            gap === 1
              ? `entry ${expected} is missing: it was deleted`
              : `entries ${expected} to ${e.seq - 1} are missing: they were deleted`,
        });
      }
      const ownOk = entryHash(e) === e.hash;
      if (!ownOk) {
        problems.push({
          kind: "altered",
          seq: e.seq,
          checkpoint: null,
          message: `entry ${e.seq} was altered: its content no longer matches its hash`,
        });
      }
      const linkTo = prev && e.seq === expected ? prev.hash : e.seq === 1 ? genesisHash : null;
      if (linkTo !== null && e.prevHash !== linkTo) {
        if (prev && beforePrev && e.prevHash === beforePrev.hash) {
          problems.push({
            kind: "inserted",
            seq: prev.seq,
            checkpoint: null,
            message: `entry ${prev.seq} was inserted: entry ${e.seq} links past it to entry ${beforePrev.seq}`,
          });
        } else if (prev && prevOk) {
          problems.push({
            kind: "broken_link",
            seq: prev.seq,
            checkpoint: null,
            message: `entry ${prev.seq} was replaced, or an entry after it deleted: entry ${e.seq} does not link to it`,
          });
        } else if (!prev) {
          problems.push({
            kind: "broken_link",
            seq: e.seq,
            checkpoint: null,
            message: `entry ${e.seq} does not start the chain: earlier entries were deleted`,
          });
        }
      }
      if (e.seq <= sealedUpTo) hashes.set(e.seq, e.hash);
      beforePrev = prev;
      prev = e;
      prevOk = ownOk;
      expected = e.seq + 1;
    }
    if (page.length < pageSize) break;
    after = page.at(-1)!.seq;
    checkSealed(checked, checkpoints, hashes, after, problems);
  }
  checkSealed(checked, checkpoints, hashes, Number.MAX_SAFE_INTEGER, problems);
  checkChain(checkpoints, problems, prev?.seq ?? 0);
  if (options.expect) {
    const c = checkpoints.find((x) => x.id === options.expect!.checkpoint);
    if (!c) {
      problems.push({
        kind: "checkpoint",
        seq: null,
        checkpoint: options.expect.checkpoint,
        message: `checkpoint ${options.expect.checkpoint} is missing: the log was truncated`,
      });
    } else if (c.hash !== options.expect.hash) {
      problems.push({
        kind: "checkpoint",
        seq: null,
        checkpoint: c.id,
        message: `checkpoint ${c.id} differs from the published head: the log was rewritten up to entry ${c.toSeq}`,
      });
    }
  }
  const last = checkpoints.at(-1);
  return {
    ok: problems.length === 0,
    entries: count,
    lastSeq: prev?.seq ?? 0,
    checkpoints: checkpoints.length,
    head: last ? { checkpoint: last.id, toSeq: last.toSeq, hash: last.hash } : null,
    unsealed: Math.max(0, (prev?.seq ?? 0) - (last?.toSeq ?? 0)),
    problems,
  };
}

/** Recomputes the root of every checkpoint whose entries have all been read (up to `upTo`). */
function checkSealed(
  checked: Set<Checkpoint>,
  checkpoints: Checkpoint[],
  hashes: Map<number, string>,
  upTo: number,
  problems: AuditProblem[],
): void {
  for (const c of checkpoints) {
    if (checked.has(c) || c.toSeq > upTo) continue;
    checked.add(c);
    const leaves: string[] = [];
    for (let s = c.fromSeq; s <= c.toSeq; s++) {
      const h = hashes.get(s);
      if (h !== undefined) leaves.push(h);
      hashes.delete(s);
    }
    if (leaves.length !== c.toSeq - c.fromSeq + 1 || merkleRoot(leaves) !== c.root) {
      problems.push({
        kind: "checkpoint",
        seq: null,
        checkpoint: c.id,
        message: `checkpoint ${c.id}: entries ${c.fromSeq} to ${c.toSeq} no longer match the Merkle root sealed on ${c.at}`,
      });
    }
  }
}

function checkChain(checkpoints: Checkpoint[], problems: AuditProblem[], lastSeq: number): void {
  let prev: Checkpoint | null = null;
  for (const c of checkpoints) {
    const expectedId = (prev?.id ?? 0) + 1;
    const bad = (message: string) =>
      problems.push({ kind: "checkpoint", seq: null, checkpoint: c.id, message });
    if (c.id !== expectedId) bad(`checkpoint ${expectedId} is missing`);
    if (c.fromSeq !== (prev?.toSeq ?? 0) + 1)
      bad(`checkpoint ${c.id} does not start where the one before it ended`);
    if (c.prevHash !== (prev?.hash ?? genesisHash))
      bad(`checkpoint ${c.id} does not link to the one before it`);
    if (checkpointHash(c) !== c.hash) bad(`checkpoint ${c.id} was altered: it no longer matches its hash`);
    if (c.toSeq > lastSeq)
      bad(`checkpoint ${c.id} seals entries up to ${c.toSeq}, but the log ends at ${lastSeq}`);
    prev = c;
  }
}
