import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import { supervisoryUnits } from "../../contract/institution-types.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { type Inspection, loadInspection } from "./inspection-row.ts";
import { newInstitutionKinds } from "./offsite-indicators.ts";

export const planInspectionInput = z
  .strictObject({
    institution: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, "must be an 18-character credit code"),
    kind: z.enum(["routine", "special", "risk"]),
    scope: z.string().trim().min(5).max(4000),
    leadUnit: z.enum(Object.keys(supervisoryUnits) as [string, ...string[]]).default("finance_office"),
    inspectors: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    plannedStart: z.iso.date("must be a date written YYYY-MM-DD"),
    plannedEnd: z.iso.date("must be a date written YYYY-MM-DD"),
  })
  .refine((v) => v.plannedEnd >= v.plannedStart, {
    message: "plannedEnd must not be before plannedStart",
    path: ["plannedEnd"],
  });

/** Plans an on-site inspection of a small-loan, guarantee, leasing, pawn or factoring firm. */
export async function planInspection(
  db: Db,
  actor: string,
  input: z.input<typeof planInspectionInput>,
): Promise<Inspection> {
  const parsed = planInspectionInput.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  const v = parsed.data;
  const id = await db.transaction(async (tx) => {
    const [inst] = await tx.query<{ type: string }>("select type from institutions where code = $1", [
      v.institution,
    ]);
    if (!inst) throw new AppError("NOT_FOUND", `no institution ${v.institution}`);
    if (!(newInstitutionKinds as readonly string[]).includes(inst.type)) {
      throw new AppError(
        "INVALID_INPUT",
        `${v.institution} is a ${inst.type}; on-site plans here cover ${newInstitutionKinds.join(", ")}`,
      );
    }
    const [row] = await tx.query<{ id: string }>(
      `insert into lf_inspections (institution_code, kind, scope, lead_unit, inspectors, planned_start, planned_end, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id::text`,
      [v.institution, v.kind, v.scope, v.leadUnit, v.inspectors, v.plannedStart, v.plannedEnd, actor],
    );
    await appendAudit(tx, {
      actor,
      action: "inspection.planned",
      subjectKind: "inspection",
      subjectId: row!.id,
      detail: { ...v },
    });
    return Number(row!.id);
  });
  return loadInspection(db, id);
}
