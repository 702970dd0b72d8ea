import type { Db, Sql } from "../db/client.ts";
import { atSql, checkpointHash, genesisHash } from "./canonical.ts";
import { merkleRoot } from "./merkle.ts";

/** Entries per automatic checkpoint; `sealAudit` seals a shorter run on demand. */
export const checkpointEvery = 64;

/** Serialises appends to the chain: one writer at a time, until its transaction ends. */
export const auditLockKey = 4243;

export interface Checkpoint {
  id: number;
  fromSeq: number;
  toSeq: number;
  root: string;
  at: string;
  prevHash: string;
  hash: string;
}

export const checkpointColumns = `id::text, from_seq::text as "fromSeq", to_seq::text as "toSeq", root, ${atSql} as at,
  prev_hash as "prevHash", hash`;

export function toCheckpoint(r: Record<string, unknown>): Checkpoint {
  return {
    id: Number(r.id),
    fromSeq: Number(r.fromSeq),
    toSeq: Number(r.toSeq),
    root: String(r.root),
    at: String(r.at),
    prevHash: String(r.prevHash),
    hash: String(r.hash),
  };
}

/**
 * Inside a transaction that holds the audit lock: checkpoints the entries after the last checkpoint when there
 * are at least `minEntries` of them. Returns the new checkpoint, or null.
 */
export async function sealPending(tx: Sql, minEntries: number): Promise<Checkpoint | null> {
  const [lastRow] = await tx.query(
    `select ${checkpointColumns} from audit_checkpoints order by audit_checkpoints.id desc limit 1`,
  );
  const last = lastRow ? toCheckpoint(lastRow) : null;
  const from = (last?.toSeq ?? 0) + 1;
  const [top] = await tx.query<{ n: string }>("select coalesce(max(seq), 0)::text as n from audit_log");
  if (Number(top?.n ?? 0) - from + 1 < Math.max(1, minEntries)) return null;
  const hashes = await tx.query<{ hash: string }>("select hash from audit_log where seq >= $1 order by seq", [
    from,
  ]);
  const content = {
    id: (last?.id ?? 0) + 1,
    fromSeq: from,
    toSeq: from + hashes.length - 1,
    root: merkleRoot(hashes.map((h) => h.hash)),
    at: new Date().toISOString(),
    prevHash: last?.hash ?? genesisHash,
  };
  const hash = checkpointHash(content);
  await tx.query(
    "insert into audit_checkpoints (id, from_seq, to_seq, root, at, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7)",
    [content.id, content.fromSeq, content.toSeq, content.root, content.at, content.prevHash, hash],
  );
  return { ...content, hash };
}

/** Checkpoints every entry not yet covered by one (so each can be proven); null when there is none. */
export async function sealAudit(db: Db): Promise<Checkpoint | null> {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock($1)", [auditLockKey]);
    return sealPending(tx, 1);
  });
}
