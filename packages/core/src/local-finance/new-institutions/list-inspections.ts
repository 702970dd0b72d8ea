import { z } from "zod";
import type { Sql } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { type Inspection, loadInspections } from "./inspection-row.ts";

export const listInspectionsQuery = z.strictObject({
  status: z.enum(["planned", "in_progress", "completed", "cancelled"]).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, "must be an 18-character credit code")
    .optional(),
  type: z.string().min(2).max(40).optional(),
});

/** On-site inspections with their findings, filtered by status, institution or institution type. */
export async function listInspections(
  db: Sql,
  query: z.input<typeof listInspectionsQuery> = {},
): Promise<Inspection[]> {
  const parsed = listInspectionsQuery.safeParse(query);
  if (!parsed.success)
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  const q = parsed.data;
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status) where.push(`i.status = $${params.push(q.status)}`);
  if (q.institution) where.push(`i.institution_code = $${params.push(q.institution)}`);
  if (q.type) where.push(`n.type = $${params.push(q.type)}`);
  return loadInspections(db, where.join(" and "), params);
}
