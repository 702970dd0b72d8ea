import { createHash } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "../identity/policy.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";
import { type Rectification, rectificationsOf } from "./rectification-row.ts";

export const responseInput = z.strictObject({ body: z.string().trim().min(1).max(20_000) });

/** The institution answers a rectification request addressed to it; the owner unit is told. */
export async function respondRectification(
  db: Db,
  actor: Principal,
  requestId: number,
  input: z.input<typeof responseInput>,
): Promise<Rectification> {
  const { body } = responseInput.parse(input);
  await db.transaction(async (tx) => {
    const [r] = await tx.query<{ institution: string; status: string; case_id: string; owner_unit: string }>(
      `select trim(r.institution_code) as institution, r.status, r.case_id::text, c.owner_unit
       from rectification_requests r join cases c on c.id = r.case_id where r.id = $1 for update of r`,
      [requestId],
    );
    if (!r) throw new AppError("NOT_FOUND", `no rectification request ${requestId}`);
    assertAllowed(actor, "rectifications.respond", { kind: "data", institution: r.institution });
    if (r.status === "accepted")
      throw new AppError("CONFLICT", `rectification request ${requestId} is already accepted`);
    const [row] = await tx.query<{ id: string }>(
      "insert into rectification_responses (request_id, body, responded_by) values ($1, $2, $3) returning id::text",
      [requestId, body, actorName(actor)],
    );
    await tx.query("update rectification_requests set status = 'responded' where id = $1", [requestId]);
    await notify(
      tx,
      { units: [r.owner_unit] },
      {
        kind: "rectification.responded",
        title: `Institution responded to rectification request ${requestId} (case ${r.case_id})`,
        link: `/cases/${r.case_id}`,
      },
    );
    await appendAudit(tx, {
      actor,
      action: "rectification.responded",
      subjectKind: "rectification",
      subjectId: requestId,
      detail: { responseId: Number(row!.id), sha256: createHash("sha256").update(body).digest("hex") },
    });
  });
  const [out] = await rectificationsOf(db, "r.id = $1", [requestId]);
  return out!;
}
