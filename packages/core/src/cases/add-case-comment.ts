import { createHash } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { loadCase } from "./load-case.ts";

export const commentInput = z.strictObject({ body: z.string().trim().min(1).max(20_000) });

/** A supervisor of the owner or a coordinating unit comments on a case; the text is stored exactly as given. */
export async function addCaseComment(
  db: Db,
  actor: Principal,
  caseId: number,
  input: z.input<typeof commentInput>,
): Promise<{ id: number }> {
  const { body } = commentInput.parse(input);
  return db.transaction(async (tx) => {
    const c = await loadCase(tx, actor, "cases.comment", caseId);
    const [row] = await tx.query<{ id: string }>(
      "insert into case_comments (case_id, body, author, author_unit) values ($1, $2, $3, $4) returning id::text",
      [caseId, body, actorName(actor), actor.kind === "user" ? actor.unit : null],
    );
    await tx.query("update cases set updated_at = now() where id = $1", [caseId]);
    await notify(
      tx,
      { units: [c.ownerUnit, ...c.coordinatingUnits], except: actor.kind === "user" ? actor.userId : null },
      { kind: "case.commented", title: `New comment on case ${caseId}`, link: `/cases/${caseId}` },
    );
    // The log keeps the comment's digest: proof of what was said, without copying the text into the log.
    await appendAudit(tx, {
      actor,
      action: "case.commented",
      subjectKind: "case",
      subjectId: caseId,
      detail: { commentId: Number(row!.id), sha256: createHash("sha256").update(body).digest("hex") },
    });
    return { id: Number(row!.id) };
  });
}
