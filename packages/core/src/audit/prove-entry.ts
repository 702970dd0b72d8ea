import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { inclusionPath } from "./merkle.ts";
import { type Checkpoint, checkpointColumns, checkpointEvery, toCheckpoint } from "./seal-audit.ts";
import { entryColumns, toEntry } from "./verify-audit.ts";

/** Everything needed to check, without the database, that an entry is in a sealed checkpoint. */
export interface InclusionProof {
  entry: ReturnType<typeof toEntry>;
  /** The entry's position among the checkpoint's leaves (seq - fromSeq). */
  leafIndex: number;
  treeSize: number;
  /** Sibling subtree roots from the leaf up (RFC 9162 audit path). */
  path: string[];
  checkpoint: Checkpoint;
}

/** The inclusion proof of audit entry `seq` in the checkpoint that seals it. */
export async function proveEntry(db: Sql, seq: number): Promise<InclusionProof> {
  const [row] = await db.query(`select ${entryColumns} from audit_log where seq = $1`, [seq]);
  if (!row) throw new AppError("NOT_FOUND", `no audit entry ${seq}`);
  const [cp] = await db.query(
    `select ${checkpointColumns} from audit_checkpoints where from_seq <= $1 and to_seq >= $1`,
    [seq],
  );
  if (!cp) {
    throw new AppError(
      "CONFLICT",
      `audit entry ${seq} is not sealed yet: a checkpoint is made every ${checkpointEvery} entries, or on demand with \`beacon audit seal\``,
    );
  }
  const checkpoint = toCheckpoint(cp);
  const leaves = await db.query<{ hash: string }>(
    "select hash from audit_log where seq between $1 and $2 order by seq",
    [checkpoint.fromSeq, checkpoint.toSeq],
  );
  const index = seq - checkpoint.fromSeq;
  return {
    entry: toEntry(row),
    leafIndex: index,
    treeSize: leaves.length,
    path: inclusionPath(
      leaves.map((l) => l.hash),
      index,
    ),
    checkpoint,
  };
}
