import type { Db, Sql } from "../db/client.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { canonicalJson, entryHash, genesisHash } from "./canonical.ts";
import { auditLockKey, checkpointEvery, sealPending } from "./seal-audit.ts";

export interface AuditInput {
  actor: Principal | string;
  /** What happened, as `noun.verb`: case.created, user.disabled, filing.recorded. */
  action: string;
  subjectKind: string;
  subjectId?: string | number | null;
  /** What changed; never secrets or raw personal identifiers. */
  detail?: Record<string, unknown>;
}

const isDb = (s: Db | Sql): s is Db => typeof (s as Db).transaction === "function";

/**
 * Appends one entry to the hash-chained audit log. Given a transaction, the entry commits or rolls back with
 * the change it records; given the database, it runs in its own. Every `checkpointEvery` entries it seals a
 * Merkle checkpoint in the same transaction.
 */
export async function appendAudit(sql: Db | Sql, input: AuditInput): Promise<{ seq: number; hash: string }> {
  if (isDb(sql)) return sql.transaction((tx) => appendAudit(tx, input));
  await sql.query("select pg_advisory_xact_lock($1)", [auditLockKey]);
  const [last] = await sql.query<{ seq: string; hash: string }>(
    "select seq::text, hash from audit_log order by audit_log.seq desc limit 1",
  );
  const seq = Number(last?.seq ?? 0) + 1;
  const content = {
    at: new Date().toISOString(),
    actor: typeof input.actor === "string" ? input.actor : actorName(input.actor),
    action: input.action,
    subjectKind: input.subjectKind,
    subjectId: input.subjectId == null ? null : String(input.subjectId),
    detail: canonicalJson(input.detail ?? {}),
    prevHash: last?.hash ?? genesisHash,
  };
  const hash = entryHash(content);
  await sql.query(
    `insert into audit_log (seq, at, actor, action, subject_kind, subject_id, detail, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      seq,
      content.at,
      content.actor,
      content.action,
      content.subjectKind,
      content.subjectId,
      content.detail,
      content.prevHash,
      hash,
    ],
  );
  await sealPending(sql, checkpointEvery);
  return { seq, hash };
}
