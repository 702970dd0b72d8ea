import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { attachmentType, safeFileName } from "./attachments.ts";
import { loadCase } from "./load-case.ts";

/** Where an attachment with this SHA-256 lives under the data folder. */
export function attachmentPath(dataDir: string, sha256: string): string {
  return join(dataDir, "attachments", sha256.slice(0, 2), sha256);
}

/**
 * Attaches a file to a case: size and type checked, stored once per content under
 * BEACON_DATA_DIR/attachments by its SHA-256, recorded with that hash (and in the audit log).
 */
export async function addCaseAttachment(
  db: Db,
  actor: Principal,
  caseId: number,
  file: { name: string; bytes: Uint8Array },
  ctx: { dataDir: string },
): Promise<{ id: number; fileName: string; mediaType: string; bytes: number; sha256: string }> {
  const fileName = safeFileName(file.name);
  const mediaType = attachmentType(fileName, file.bytes);
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  return db.transaction(async (tx) => {
    await loadCase(tx, actor, "cases.attach", caseId);
    const path = attachmentPath(ctx.dataDir, sha256);
    if (!existsSync(path)) {
      // Written aside and renamed, so a half-written file never sits under a hash it does not have.
      mkdirSync(join(path, ".."), { recursive: true });
      const tmp = `${path}.${randomUUID()}.tmp`;
      writeFileSync(tmp, file.bytes, { mode: 0o600 });
      renameSync(tmp, path);
    }
    const [row] = await tx.query<{ id: string }>(
      `insert into case_attachments (case_id, file_name, media_type, bytes, sha256, uploaded_by)
       values ($1, $2, $3, $4, $5, $6) returning id::text`,
      [caseId, fileName, mediaType, file.bytes.length, sha256, actorName(actor)],
    );
    await tx.query("update cases set updated_at = now() where id = $1", [caseId]);
    const id = Number(row!.id);
    await appendAudit(tx, {
      actor,
      action: "case.attachment_added",
      subjectKind: "case",
      subjectId: caseId,
      detail: { attachmentId: id, fileName, mediaType, bytes: file.bytes.length, sha256 },
    });
    return { id, fileName, mediaType, bytes: file.bytes.length, sha256 };
  });
}
