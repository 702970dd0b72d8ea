import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import {
  type CampaignStage,
  type CampaignTarget,
  type Classification,
  campaignStages,
  classifications,
  finalStages,
  targetColumns,
  todayOr,
  toTarget,
} from "./campaign-row.ts";

export const advanceTargetInput = z.strictObject({
  to: z.enum(campaignStages),
  classification: z.enum(classifications).optional(),
  note: z.string().trim().min(2, "say what was done").max(4000),
  /** A new deadline for the next step. */
  dueOn: z.iso.date("must be a date written YYYY-MM-DD").optional(),
});
export type AdvanceTargetInput = z.input<typeof advanceTargetInput>;

/** The stages each stage may move to; referral is possible from any open stage. */
const next: Record<CampaignStage, readonly CampaignStage[]> = {
  listed: ["investigated", "referred"],
  investigated: ["classified", "referred"],
  classified: ["cleaned_up", "referred"],
  cleaned_up: ["rectified", "exited", "referred"],
  rectified: [],
  exited: [],
  referred: [],
};

/** Outcomes each classification allows once cleaned up. */
const outcomes: Record<Classification, readonly CampaignStage[]> = {
  compliant: ["rectified"],
  rectify: ["rectified", "exited"],
  close_down: ["exited"],
  criminal: [],
};

/**
 * Moves a campaign target one step along investigation, classification, clean-up and outcome. Classifying needs a
 * classification; a target classified as criminal can only be referred; the outcome must fit the classification
 * (a company to be closed down exits, a compliant one is rectified). Every step is recorded with its note.
 */
export async function advanceCampaignTarget(
  db: Db,
  actor: string,
  targetId: number,
  input: AdvanceTargetInput,
  options: { today?: string } = {},
): Promise<CampaignTarget> {
  const parsed = advanceTargetInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  const v = parsed.data;
  const today = todayOr(options.today);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{
      stage: CampaignStage;
      classification: Classification | null;
      status: string;
      campaign_id: string;
    }>(
      `select t.stage, t.classification, c.status, t.campaign_id::text as campaign_id
       from lf_campaign_targets t join lf_campaigns c on c.id = t.campaign_id where t.id = $1 for update of t`,
      [targetId],
    );
    if (!row) throw new AppError("NOT_FOUND", `no campaign target ${targetId}`);
    if (row.status !== "active") throw new AppError("CONFLICT", `campaign ${row.campaign_id} is closed`);
    if (finalStages.includes(row.stage))
      throw new AppError("CONFLICT", `target ${targetId} is already ${row.stage}`);
    if (!next[row.stage].includes(v.to)) {
      throw new AppError(
        "CONFLICT",
        `target ${targetId} is ${row.stage}; it can move to ${next[row.stage].join(" or ")}, not ${v.to}`,
      );
    }
    const classification = v.classification ?? row.classification;
    if (v.to === "classified" && !v.classification) {
      throw new AppError(
        "INVALID_INPUT",
        `classifying needs a classification (${classifications.join(", ")})`,
      );
    }
    if (v.classification && v.to !== "classified" && v.to !== "referred") {
      throw new AppError("INVALID_INPUT", "a classification is set when classifying (or when referring)");
    }
    if (v.to === "cleaned_up" && classification === "criminal") {
      throw new AppError(
        "CONFLICT",
        `target ${targetId} is classified criminal: refer it to the public-security authorities`,
      );
    }
    if (
      (v.to === "rectified" || v.to === "exited") &&
      classification &&
      !outcomes[classification].includes(v.to)
    ) {
      throw new AppError(
        "CONFLICT",
        `a target classified ${classification} cannot end ${v.to} (allowed: ${outcomes[classification].join(", ") || "referral only"})`,
      );
    }
    const [updated] = await tx.query<Record<string, unknown>>(
      `update lf_campaign_targets as t set stage = $2, classification = $3, stage_changed_at = now(),
         due_on = coalesce($4::date, due_on), overdue_alerted_at = case when $4::date is null then overdue_alerted_at else null end
       where id = $1 returning ${targetColumns("$5")}`,
      [targetId, v.to, classification, v.dueOn ?? null, today],
    );
    await tx.query(
      "insert into lf_campaign_history (target_id, from_stage, to_stage, classification, note, actor) values ($1, $2, $3, $4, $5, $6)",
      [targetId, row.stage, v.to, classification, v.note, actor],
    );
    await appendAudit(tx, {
      actor,
      action: "campaign.target_advanced",
      subjectKind: "campaign_target",
      subjectId: targetId,
      detail: { from: row.stage, to: v.to, classification, dueOn: v.dueOn ?? null },
    });
    return toTarget(updated!);
  });
}
