import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { Principal } from "../identity/roles.ts";
import { attachmentPath } from "./add-case-attachment.ts";
import { loadCase } from "./load-case.ts";

/** An attachment's content, checked against its recorded SHA-256 before it is handed out. */
export async function readCaseAttachment(
  db: Sql,
  actor: Principal,
  caseId: number,
  attachmentId: number,
  ctx: { dataDir: string },
): Promise<{ fileName: string; mediaType: string; bytes: Buffer; sha256: string }> {
  await loadCase(db, actor, "cases.read", caseId);
  const [a] = await db.query<{ file_name: string; media_type: string; sha256: string }>(
    "select file_name, media_type, sha256 from case_attachments where id = $1 and case_id = $2",
    [attachmentId, caseId],
  );
  if (!a) throw new AppError("NOT_FOUND", `no attachment ${attachmentId} on case ${caseId}`);
  const path = attachmentPath(ctx.dataDir, a.sha256);
  if (!existsSync(path))
    throw new AppError("INTERNAL", `attachment ${attachmentId}: its file is missing from the store`);
  const bytes = readFileSync(path);
  if (createHash("sha256").update(bytes).digest("hex") !== a.sha256) {
    throw new AppError(
      "INTERNAL",
      `attachment ${attachmentId}: its file no longer matches its recorded SHA-256`,
    );
  }
  return { fileName: a.file_name, mediaType: a.media_type, bytes, sha256: a.sha256 };
}
