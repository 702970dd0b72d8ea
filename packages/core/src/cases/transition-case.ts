import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { caseStatuses, caseTransitions } from "./case-row.ts";
import { type CaseDetail, getCase } from "./get-case.ts";
import { loadCase } from "./load-case.ts";

export const transitionInput = z.strictObject({
  to: z.enum(caseStatuses),
  note: z.string().max(5000).default(""),
  referredTo: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("Required when referring: the authority it goes to."),
});

/**
 * Moves a case along its allowed transitions (owner unit only). Closing needs a note, referring names the
 * authority, and a case is rectified only once every rectification request on it is accepted.
 */
export async function transitionCase(
  db: Db,
  actor: Principal,
  id: number,
  input: z.input<typeof transitionInput>,
): Promise<CaseDetail> {
  const t = transitionInput.parse(input);
  await db.transaction(async (tx) => {
    const c = await loadCase(tx, actor, "cases.transition", id, true);
    if (!caseTransitions[c.status].includes(t.to)) {
      const next = caseTransitions[c.status];
      throw new AppError(
        "CONFLICT",
        `case ${id} is ${c.status} and cannot become ${t.to}${next.length ? `; it can become ${next.join(", ")}` : "; that status is final"}`,
      );
    }
    if (t.to === "closed" && !t.note.trim())
      throw new AppError("INVALID_INPUT", "note: say why the case is closed");
    if (t.to === "referred" && !t.referredTo)
      throw new AppError("INVALID_INPUT", "referredTo: name the authority");
    const [counts] = await tx.query<{ total: string; accepted: string; open: string }>(
      `select count(*)::text as total, count(*) filter (where status = 'accepted')::text as accepted,
              count(*) filter (where status <> 'accepted')::text as open
       from rectification_requests where case_id = $1`,
      [id],
    );
    if (t.to === "rectified" && (Number(counts?.total) === 0 || Number(counts?.open) > 0)) {
      throw new AppError(
        "CONFLICT",
        "a case is rectified once every rectification request on it is accepted",
      );
    }
    if (t.to === "rectification_required" && Number(counts?.open) === 0) {
      throw new AppError(
        "CONFLICT",
        "request rectification from the institution first (POST /api/cases/{id}/rectifications)",
      );
    }
    const final = t.to === "closed" || t.to === "referred";
    await tx.query(
      `update cases set status = $2, updated_at = now(), referred_to = coalesce($3, referred_to),
         closed_at = case when $4 then now() else closed_at end where id = $1`,
      [id, t.to, t.referredTo ?? null, final],
    );
    const note = t.to === "referred" ? `referred to ${t.referredTo}${t.note ? `: ${t.note}` : ""}` : t.note;
    await tx.query(
      "insert into case_history (case_id, from_status, to_status, note, actor) values ($1, $2, $3, $4, $5)",
      [id, c.status, t.to, note, actorName(actor)],
    );
    await notify(
      tx,
      { units: [c.ownerUnit, ...c.coordinatingUnits], except: actor.kind === "user" ? actor.userId : null },
      {
        kind: "case.transitioned",
        title: `Case ${id} is now ${t.to.replaceAll("_", " ")}`,
        body: note,
        link: `/cases/${id}`,
      },
    );
    await appendAudit(tx, {
      actor,
      action: "case.transitioned",
      subjectKind: "case",
      subjectId: id,
      detail: { from: c.status, to: t.to, note, referredTo: t.referredTo ?? null },
    });
  });
  return getCase(db, actor, id);
}
