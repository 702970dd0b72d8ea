import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { loadCase } from "./load-case.ts";
import { type Rectification, rectificationsOf } from "./rectification-row.ts";

export const reviewInput = z.strictObject({
  decision: z.enum(["accepted", "rejected"]),
  note: z.string().max(5000).default(""),
});

/** The owner unit accepts a response, or rejects it and the institution must answer again. */
export async function reviewRectification(
  db: Db,
  actor: Principal,
  requestId: number,
  input: z.input<typeof reviewInput>,
): Promise<Rectification> {
  const v = reviewInput.parse(input);
  await db.transaction(async (tx) => {
    const [r] = await tx.query<{ case_id: string; status: string; institution: string }>(
      "select case_id::text, status, trim(institution_code) as institution from rectification_requests where id = $1 for update",
      [requestId],
    );
    if (!r) throw new AppError("NOT_FOUND", `no rectification request ${requestId}`);
    await loadCase(tx, actor, "rectifications.review", Number(r.case_id));
    if (r.status !== "responded") {
      throw new AppError(
        "CONFLICT",
        `rectification request ${requestId} is ${r.status}; only a response can be reviewed`,
      );
    }
    if (v.decision === "rejected" && !v.note.trim())
      throw new AppError("INVALID_INPUT", "note: say what is still missing");
    await tx.query("update rectification_requests set status = $2, review_note = $3 where id = $1", [
      requestId,
      v.decision,
      v.note,
    ]);
    await notify(
      tx,
      { institutions: [r.institution] },
      {
        kind: `rectification.${v.decision}`,
        title: `Your rectification response was ${v.decision}`,
        body: v.note,
        link: `/rectifications/${requestId}`,
      },
    );
    await appendAudit(tx, {
      actor,
      action: `rectification.${v.decision}`,
      subjectKind: "rectification",
      subjectId: requestId,
      detail: { caseId: Number(r.case_id), note: v.note },
    });
  });
  const [out] = await rectificationsOf(db, "r.id = $1", [requestId]);
  return out!;
}
