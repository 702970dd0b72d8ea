import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { loadCase } from "./load-case.ts";
import type { Rectification } from "./rectification-row.ts";
import { rectificationsOf } from "./rectification-row.ts";

export const rectificationInput = z.strictObject({
  requirements: z.string().trim().min(1).max(20_000),
  dueAt: z.iso.datetime({ offset: true }),
  institution: z
    .string()
    .regex(/^[0-9A-Za-z]{18}$/)
    .optional()
    .describe("Defaults to the case's institution."),
});

/**
 * The owner unit asks an institution to rectify, by a due date; the case moves to rectification required and
 * the institution's users are told.
 */
export async function requestRectification(
  db: Db,
  actor: Principal,
  caseId: number,
  input: z.input<typeof rectificationInput>,
): Promise<Rectification> {
  const r = rectificationInput.parse(input);
  if (new Date(r.dueAt).getTime() <= Date.now())
    throw new AppError("INVALID_INPUT", "dueAt: must be in the future");
  const id = await db.transaction(async (tx) => {
    const c = await loadCase(tx, actor, "cases.rectify", caseId, true);
    const institution = r.institution?.toUpperCase() ?? c.institution;
    if (!institution)
      throw new AppError("INVALID_INPUT", "institution: this case concerns no single institution; name one");
    const [known] = await tx.query("select 1 from institutions where code = $1", [institution]);
    if (!known)
      throw new AppError("INVALID_INPUT", `institution: no institution with credit code ${institution}`);
    if (c.status === "closed" || c.status === "referred" || c.status === "rectified") {
      throw new AppError(
        "CONFLICT",
        `case ${caseId} is ${c.status}; reopen it before asking for rectification`,
      );
    }
    const [row] = await tx.query<{ id: string }>(
      `insert into rectification_requests (case_id, institution_code, requirements, due_at, created_by)
       values ($1, $2, $3, $4, $5) returning id::text`,
      [caseId, institution, r.requirements, r.dueAt, actorName(actor)],
    );
    const requestId = Number(row!.id);
    if (c.status !== "rectification_required") {
      await tx.query("update cases set status = 'rectification_required', updated_at = now() where id = $1", [
        caseId,
      ]);
      await tx.query(
        "insert into case_history (case_id, from_status, to_status, note, actor) values ($1, $2, 'rectification_required', $3, $4)",
        [caseId, c.status, `rectification request ${requestId}`, actorName(actor)],
      );
    }
    await notify(
      tx,
      { institutions: [institution] },
      {
        kind: "rectification.requested",
        title: `Rectification requested (due ${r.dueAt.slice(0, 10)})`,
        body: r.requirements,
        link: `/rectifications/${requestId}`,
      },
    );
    await appendAudit(tx, {
      actor,
      action: "rectification.requested",
      subjectKind: "rectification",
      subjectId: requestId,
      detail: { caseId, institution, dueAt: r.dueAt },
    });
    return requestId;
  });
  const [out] = await rectificationsOf(db, "r.id = $1", [id]);
  return out!;
}
