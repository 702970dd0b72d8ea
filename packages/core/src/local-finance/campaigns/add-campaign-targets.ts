import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import { supervisoryUnits } from "../../contract/institution-types.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { resolveRun } from "../fundraising/score-row.ts";
import { type CampaignTarget, classifications, targetColumns, todayOr, toTarget } from "./campaign-row.ts";

const unit = z.enum(Object.keys(supervisoryUnits) as [string, ...string[]]);
const code = z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, "must be an 18-character credit code");

export const addTargetsInput = z
  .strictObject({
    /** Targets from a fund-raising run: the latest of `period`, or run `runId`, with the given cards. */
    screening: z
      .strictObject({
        runId: z.number().int().positive().optional(),
        period: z
          .string()
          .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/)
          .optional(),
        cards: z
          .array(z.enum(["red", "yellow", "green"]))
          .min(1)
          .default(["red", "yellow"]),
      })
      .optional(),
    /** Targets from an imported list (e.g. another unit's investigation list). */
    targets: z
      .array(
        z.strictObject({
          code,
          name: z.string().trim().min(1).max(200).optional(),
          district: z.string().trim().min(1).max(100).optional(),
          ownerUnit: unit.optional(),
          classification: z.enum(classifications).optional(),
        }),
      )
      .max(10_000)
      .optional(),
    /** Where an imported list came from. */
    source: z.string().trim().min(1).max(300).optional(),
    /** Deadline for these targets; default the campaign's. */
    dueOn: z.iso.date("must be a date written YYYY-MM-DD").optional(),
    /** Owner unit for targets that name none; default the campaign's lead unit (screening: the card's referral unit). */
    ownerUnit: unit.optional(),
  })
  .refine((v) => v.screening !== undefined || (v.targets?.length ?? 0) > 0, "give screening or targets");
export type AddTargetsInput = z.input<typeof addTargetsInput>;

interface Candidate {
  code: string;
  name: string | null;
  district: string | null;
  ownerUnit: string | null;
  card: string | null;
  classification: string | null;
  sourceKind: "screening" | "import";
  sourceRef: string;
}

/**
 * Adds targets to a campaign, from screening (the red and yellow cards of a fund-raising run) or an imported list.
 * A company already in the campaign is skipped, not duplicated. Names and districts come from the registry or the
 * screening when an import leaves them out.
 */
export async function addCampaignTargets(
  db: Db,
  actor: string,
  campaignId: number,
  input: AddTargetsInput,
): Promise<{ added: CampaignTarget[]; skipped: string[] }> {
  const parsed = addTargetsInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  const v = parsed.data;
  const [campaign] = await db.query<{ lead_unit: string; deadline: string; status: string }>(
    "select lead_unit, deadline::text as deadline, status from lf_campaigns where id = $1",
    [campaignId],
  );
  if (!campaign) throw new AppError("NOT_FOUND", `no campaign ${campaignId}`);
  if (campaign.status !== "active") throw new AppError("CONFLICT", `campaign ${campaignId} is closed`);
  const candidates: Candidate[] = [];
  if (v.screening) {
    const run = await resolveRun(db, {
      ...(v.screening.runId ? { runId: v.screening.runId } : {}),
      ...(v.screening.period ? { period: v.screening.period } : {}),
    });
    const rows = await db.query<{
      code: string;
      name: string;
      district: string | null;
      card: string;
      refer: string | null;
    }>(
      `select trim(company_code) as code, name, district, card, evidence->'disposal'->>'referTo' as refer
       from lf_fundraising_scores where run_id = $1 and card = any($2::text[]) order by rank`,
      [run.id, v.screening.cards],
    );
    for (const r of rows) {
      candidates.push({
        code: r.code,
        name: r.name,
        district: r.district,
        // A red card goes to the public-security authorities through the campaign's lead unit.
        ownerUnit: v.ownerUnit ?? (r.refer && r.refer in supervisoryUnits ? r.refer : campaign.lead_unit),
        card: r.card,
        classification: r.card === "red" ? "criminal" : null,
        sourceKind: "screening",
        sourceRef: `fundraising-run:${run.id}`,
      });
    }
  }
  for (const t of v.targets ?? []) {
    candidates.push({
      code: t.code,
      name: t.name ?? null,
      district: t.district ?? null,
      ownerUnit: t.ownerUnit ?? v.ownerUnit ?? null,
      card: null,
      classification: t.classification ?? null,
      sourceKind: "import",
      sourceRef: v.source ?? "imported list",
    });
  }
  const codes = [...new Set(candidates.map((c) => c.code))];
  const known = new Map(
    (
      await db.query<{ code: string; name: string; district: string }>(
        "select trim(code) as code, name_zh as name, district from institutions where code = any($1::text[])",
        [codes],
      )
    ).map((r) => [r.code, r]),
  );
  const screened = new Map(
    (
      await db.query<{ code: string; name: string; district: string | null }>(
        `select distinct on (company_code) trim(company_code) as code, name, district from lf_fundraising_scores
         where company_code = any($1::text[]) order by company_code, run_id desc`,
        [codes],
      )
    ).map((r) => [r.code, r]),
  );
  const problems: string[] = [];
  for (const c of candidates) {
    c.name ??= known.get(c.code)?.name ?? screened.get(c.code)?.name ?? null;
    c.district ??= known.get(c.code)?.district ?? screened.get(c.code)?.district ?? null;
    if (!c.name || !c.district) problems.push(`${c.code}: unknown company; give its name and district`);
  }
  if (problems.length > 0) throw new AppError("INVALID_INPUT", problems.join("; "), { problems });
  const today = todayOr(undefined);
  return db.transaction(async (tx) => {
    const added: CampaignTarget[] = [];
    const skipped: string[] = [];
    const seen = new Set<string>();
    for (const c of candidates) {
      if (seen.has(c.code)) continue;
      seen.add(c.code);
      const rows = await tx.query<Record<string, unknown>>(
        `insert into lf_campaign_targets as t (campaign_id, subject_code, subject_name, district, owner_unit, source_kind, source_ref, card,
           classification, due_on)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (campaign_id, subject_code) do nothing
         returning ${targetColumns("$11")}`,
        [
          campaignId,
          c.code,
          c.name,
          c.district,
          c.ownerUnit ?? campaign.lead_unit,
          c.sourceKind,
          c.sourceRef,
          c.card,
          c.classification,
          v.dueOn ?? campaign.deadline,
          today,
        ],
      );
      if (rows[0]) {
        const t = toTarget(rows[0]);
        await tx.query(
          "insert into lf_campaign_history (target_id, from_stage, to_stage, classification, note, actor) values ($1, null, 'listed', $2, $3, $4)",
          [t.id, t.classification, `added from ${c.sourceRef}`, actor],
        );
        added.push(t);
      } else skipped.push(c.code);
    }
    await appendAudit(tx, {
      actor,
      action: "campaign.targets_added",
      subjectKind: "campaign",
      subjectId: campaignId,
      detail: {
        added: added.length,
        skipped: skipped.length,
        sources: [...new Set(candidates.map((c) => c.sourceRef))],
      },
    });
    return { added, skipped };
  });
}
