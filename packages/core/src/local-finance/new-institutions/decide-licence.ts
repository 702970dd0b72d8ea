import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";

export const decideLicenceInput = z.strictObject({
  licenceNo: z.string().trim().min(1).max(64),
  decision: z.enum(["renew", "exit", "merge"]),
  reason: z.string().trim().min(5, "give a reason of at least 5 characters").max(4000),
});

/** Records the decision on a licence coming up for expiry (renew, exit, or merge into another firm). */
export async function decideLicence(
  db: Db,
  actor: string,
  input: z.input<typeof decideLicenceInput>,
): Promise<{
  id: number;
  licenceNo: string;
  institutionCode: string;
  decision: string;
  reason: string;
  decidedBy: string;
}> {
  const parsed = decideLicenceInput.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  const v = parsed.data;
  return db.transaction(async (tx) => {
    const [lic] = await tx.query<{ code: string; expires_on: string | null; status: string }>(
      "select trim(institution_code) as code, expires_on::text as expires_on, status from licences where licence_no = $1",
      [v.licenceNo],
    );
    if (!lic) throw new AppError("NOT_FOUND", `no licence ${v.licenceNo}`);
    if (lic.expires_on === null)
      throw new AppError("CONFLICT", `licence ${v.licenceNo} has no term: there is no expiry to decide`);
    if (lic.status !== "active") throw new AppError("CONFLICT", `licence ${v.licenceNo} is ${lic.status}`);
    const [row] = await tx.query<{ id: string }>(
      "insert into lf_licence_decisions (licence_no, institution_code, decision, reason, decided_by) values ($1, $2, $3, $4, $5) returning id::text",
      [v.licenceNo, lic.code, v.decision, v.reason, actor],
    );
    await appendAudit(tx, {
      actor,
      action: "licence.expiry_decided",
      subjectKind: "licence",
      subjectId: v.licenceNo,
      detail: { ...v },
    });
    return {
      id: Number(row!.id),
      licenceNo: v.licenceNo,
      institutionCode: lic.code,
      decision: v.decision,
      reason: v.reason,
      decidedBy: actor,
    };
  });
}
