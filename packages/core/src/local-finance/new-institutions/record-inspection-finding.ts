import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { findingCategories, type Inspection, loadInspection } from "./inspection-row.ts";

export const recordFindingInput = z.strictObject({
  category: z.enum(findingCategories),
  severity: z.enum(["low", "medium", "high"]),
  description: z.string().trim().min(5).max(8000),
  rectificationDue: z.iso.date("must be a date written YYYY-MM-DD").optional(),
});

/** Records a finding of an inspection under way (or just completed); high-severity findings weigh on licence renewal. */
export async function recordInspectionFinding(
  db: Db,
  actor: string,
  inspectionId: number,
  input: z.input<typeof recordFindingInput>,
): Promise<Inspection> {
  const parsed = recordFindingInput.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  const v = parsed.data;
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: string }>(
      "select status from lf_inspections where id = $1 for update",
      [inspectionId],
    );
    if (!row) throw new AppError("NOT_FOUND", `no inspection ${inspectionId}`);
    if (row.status !== "in_progress" && row.status !== "completed") {
      throw new AppError(
        "CONFLICT",
        `inspection ${inspectionId} is ${row.status}: findings are recorded once it has started`,
      );
    }
    const [f] = await tx.query<{ id: string }>(
      `insert into lf_inspection_findings (inspection_id, category, severity, description, rectification_due, created_by)
       values ($1, $2, $3, $4, $5, $6) returning id::text`,
      [inspectionId, v.category, v.severity, v.description, v.rectificationDue ?? null, actor],
    );
    await appendAudit(tx, {
      actor,
      action: "inspection.finding_recorded",
      subjectKind: "inspection",
      subjectId: inspectionId,
      detail: { findingId: Number(f!.id), ...v },
    });
  });
  return loadInspection(db, inspectionId);
}
