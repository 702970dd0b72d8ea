import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { getWarning, type WarningDetail } from "./get-warning.ts";
import { loadWarning } from "./load-warning.ts";
import { manualTransitions, warningStatuses, warningTransitionAction } from "./warning-row.ts";

export const warningTransitionInput = z.strictObject({
  to: z.enum(
    warningStatuses.filter((s) => s !== "new") as ["acknowledged", "escalated", "downgraded", "closed"],
  ),
  note: z.string().trim().max(5000).default(""),
});
export type WarningTransitionInput = z.input<typeof warningTransitionInput>;

/**
 * A supervisor's move of a warning: acknowledge it, escalate or downgrade it (with a note saying why), or close it
 * (with a note). Closing records the level it was closed at: scoring opens a new warning for the institution only
 * once its level rises above that, or after it has been green. Each move is written to the history and audited.
 */
export async function transitionWarning(
  db: Db,
  actor: Principal,
  id: number,
  input: WarningTransitionInput,
): Promise<WarningDetail> {
  const parsed = warningTransitionInput.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    throw new AppError("INVALID_INPUT", issues.join("; "), { issues });
  }
  const t = parsed.data;
  if (t.to !== "acknowledged" && t.note.length < 3) {
    throw new AppError("INVALID_INPUT", `note: say why the warning is ${t.to} (at least 3 characters)`);
  }
  await db.transaction(async (tx) => {
    const w = await loadWarning(tx, actor, warningTransitionAction, id, true);
    const allowed = manualTransitions[w.status];
    if (!allowed.includes(t.to)) {
      throw new AppError(
        "CONFLICT",
        `warning ${id} is ${w.status} and cannot become ${t.to}${allowed.length ? `; it can become ${allowed.join(", ")}` : "; that status is final"}`,
      );
    }
    const closing = t.to === "closed";
    await tx.query(
      `update warnings set status = $2, updated_at = now(),
         closed_at = case when $3 then now() else closed_at end,
         closed_at_level = case when $3 then level else closed_at_level end,
         closed_reason = case when $3 then $4 else closed_reason end
       where id = $1`,
      [id, t.to, closing, `closed by ${actorName(actor)}: ${t.note}`],
    );
    await tx.query(
      `insert into warning_history (warning_id, period, event, from_status, to_status, from_level, to_level, score, actor, note)
       values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)`,
      [id, w.lastPeriod, t.to, w.status, t.to, w.level, w.score.toFixed(2), actorName(actor), t.note],
    );
    await appendAudit(tx, {
      actor,
      action: `warning.${t.to}`,
      subjectKind: "warning",
      subjectId: id,
      detail: {
        institution: w.institution.code,
        from: w.status,
        to: t.to,
        level: w.level,
        period: w.lastPeriod,
        note: t.note,
      },
    });
  });
  return getWarning(db, actor, id);
}
