import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { type Inspection, loadInspection } from "./inspection-row.ts";

export const updateInspectionInput = z.strictObject({
  action: z.enum(["start", "complete", "cancel"]),
  on: z.iso.date("must be a date written YYYY-MM-DD"),
  conclusion: z.string().trim().min(2).max(8000).optional(),
});

const from: Record<string, string[]> = {
  start: ["planned"],
  complete: ["in_progress"],
  cancel: ["planned", "in_progress"],
};

/** Starts, completes (with a conclusion) or cancels an on-site inspection. */
export async function updateInspection(
  db: Db,
  actor: string,
  id: number,
  input: z.input<typeof updateInspectionInput>,
): Promise<Inspection> {
  const parsed = updateInspectionInput.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  const v = parsed.data;
  if (v.action === "complete" && !v.conclusion)
    throw new AppError("INVALID_INPUT", "completing an inspection needs its conclusion");
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: string; started_on: string | null }>(
      "select status, started_on::text as started_on from lf_inspections where id = $1 for update",
      [id],
    );
    if (!row) throw new AppError("NOT_FOUND", `no inspection ${id}`);
    if (!from[v.action]!.includes(row.status))
      throw new AppError("CONFLICT", `inspection ${id} is ${row.status}; it cannot ${v.action}`);
    if (v.action === "complete" && row.started_on && v.on < row.started_on) {
      throw new AppError("INVALID_INPUT", `completion ${v.on} is before the start ${row.started_on}`);
    }
    const status = v.action === "start" ? "in_progress" : v.action === "complete" ? "completed" : "cancelled";
    await tx.query(
      `update lf_inspections set status = $2,
         started_on = case when $3 = 'start' then $4::date else started_on end,
         completed_on = case when $3 = 'complete' then $4::date else completed_on end,
         conclusion = coalesce($5, conclusion)
       where id = $1`,
      [id, status, v.action, v.on, v.conclusion ?? null],
    );
    await appendAudit(tx, {
      actor,
      action: `inspection.${v.action}`,
      subjectKind: "inspection",
      subjectId: id,
      detail: { ...v },
    });
  });
  return loadInspection(db, id);
}
