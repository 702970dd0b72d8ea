import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import { supervisoryUnits } from "../../contract/institution-types.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { type Campaign, campaignKinds, loadCampaign, todayOr } from "./campaign-row.ts";

export const createCampaignInput = z.strictObject({
  name: z.string().trim().min(3).max(200),
  kind: z.enum(campaignKinds),
  description: z.string().trim().max(4000).default(""),
  leadUnit: z.enum(Object.keys(supervisoryUnits) as [string, ...string[]]),
  deadline: z.iso.date("must be a date written YYYY-MM-DD"),
});
export type CreateCampaignInput = z.input<typeof createCampaignInput>;

/** Opens a rectification campaign led by one unit, with a deadline that targets take unless given their own. */
export async function createCampaign(db: Db, actor: string, input: CreateCampaignInput): Promise<Campaign> {
  const parsed = createCampaignInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  const v = parsed.data;
  const id = await db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      "insert into lf_campaigns (name, kind, description, lead_unit, deadline, created_by) values ($1, $2, $3, $4, $5, $6) returning id::text",
      [v.name, v.kind, v.description, v.leadUnit, v.deadline, actor],
    );
    await appendAudit(tx, {
      actor,
      action: "campaign.created",
      subjectKind: "campaign",
      subjectId: row!.id,
      detail: { ...v },
    });
    return Number(row!.id);
  });
  return loadCampaign(db, id, todayOr(undefined));
}
