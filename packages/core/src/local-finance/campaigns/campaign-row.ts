import type { Sql } from "../../db/client.ts";
import { AppError } from "../../errors.ts";

/** Stages of a campaign target: the plan's investigation, classification and clean-up, then an outcome. */
export const campaignStages = [
  "listed",
  "investigated",
  "classified",
  "cleaned_up",
  "rectified",
  "exited",
  "referred",
] as const;
export type CampaignStage = (typeof campaignStages)[number];
export const finalStages: readonly CampaignStage[] = ["rectified", "exited", "referred"];

/** The classification decided at the classified stage (合规 / 整改 / 取缔 / 涉嫌犯罪). */
export const classifications = ["compliant", "rectify", "close_down", "criminal"] as const;
export type Classification = (typeof classifications)[number];

export const campaignKinds = [
  "internet_finance",
  "illegal_fundraising",
  "trading_venues",
  "local_finance",
  "other",
] as const;
export type CampaignKind = (typeof campaignKinds)[number];

export interface Campaign {
  id: number;
  name: string;
  kind: CampaignKind;
  description: string;
  leadUnit: string;
  deadline: string;
  status: "active" | "closed";
  createdBy: string;
  createdAt: string;
  progress: { targets: number; done: number; overdue: number; byStage: Record<CampaignStage, number> };
}

export interface CampaignTarget {
  id: number;
  campaignId: number;
  code: string;
  name: string;
  district: string;
  ownerUnit: string;
  sourceKind: "screening" | "import" | "manual";
  sourceRef: string;
  card: "red" | "yellow" | "green" | null;
  classification: Classification | null;
  stage: CampaignStage;
  dueOn: string;
  overdue: boolean;
  stageChangedAt: string;
  createdAt: string;
}

/** Target columns; `$today` must be bound as a date parameter by the caller at the position given. */
export const targetColumns = (
  todayParam: string,
) => `t.id::text as id, t.campaign_id::text as campaign_id, trim(t.subject_code) as code,
  t.subject_name, t.district, t.owner_unit, t.source_kind, t.source_ref, t.card, t.classification, t.stage, t.due_on::text as due_on,
  (t.due_on < ${todayParam}::date and t.stage not in ('rectified', 'exited', 'referred')) as overdue,
  to_json(t.stage_changed_at) #>> '{}' as stage_changed_at, to_json(t.created_at) #>> '{}' as created_at`;

export function toTarget(r: Record<string, unknown>): CampaignTarget {
  return {
    id: Number(r.id),
    campaignId: Number(r.campaign_id),
    code: String(r.code),
    name: String(r.subject_name),
    district: String(r.district),
    ownerUnit: String(r.owner_unit),
    sourceKind: r.source_kind as CampaignTarget["sourceKind"],
    sourceRef: String(r.source_ref),
    card: (r.card as CampaignTarget["card"]) ?? null,
    classification: (r.classification as Classification | null) ?? null,
    stage: r.stage as CampaignStage,
    dueOn: String(r.due_on),
    overdue: Boolean(r.overdue),
    stageChangedAt: String(r.stage_changed_at),
    createdAt: String(r.created_at),
  };
}

export const campaignColumns = `c.id::text as id, c.name, c.kind, c.description, c.lead_unit, c.deadline::text as deadline, c.status,
  c.created_by, to_json(c.created_at) #>> '{}' as created_at`;

export function toCampaign(
  r: Record<string, unknown>,
  stageCounts: { stage: string; n: number; overdue: number }[],
): Campaign {
  const byStage = Object.fromEntries(campaignStages.map((s) => [s, 0])) as Record<CampaignStage, number>;
  let overdue = 0;
  for (const s of stageCounts) {
    byStage[s.stage as CampaignStage] = Number(s.n);
    overdue += Number(s.overdue);
  }
  const targets = Object.values(byStage).reduce((a, b) => a + b, 0);
  return {
    id: Number(r.id),
    name: String(r.name),
    kind: r.kind as CampaignKind,
    description: String(r.description),
    leadUnit: String(r.lead_unit),
    deadline: String(r.deadline),
    status: r.status as Campaign["status"],
    createdBy: String(r.created_by),
    createdAt: String(r.created_at),
    progress: { targets, done: finalStages.reduce((a, s) => a + byStage[s], 0), overdue, byStage },
  };
}

/** Today's date (UTC) as YYYY-MM-DD, or the given one checked. */
export function todayOr(today: string | undefined): string {
  if (today === undefined) return new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today)))
    throw new AppError("INVALID_INPUT", `today must be a date written YYYY-MM-DD (got "${today}")`);
  return today;
}

/** One campaign with its progress as of `today`; NOT_FOUND if there is none. */
export async function loadCampaign(db: Sql, id: number, today: string): Promise<Campaign> {
  const [row] = await db.query<Record<string, unknown>>(
    `select ${campaignColumns} from lf_campaigns c where c.id = $1`,
    [id],
  );
  if (!row) throw new AppError("NOT_FOUND", `no campaign ${id}`);
  const counts = await db.query<{ stage: string; n: number; overdue: number }>(
    `select stage, count(*)::int as n,
       count(*) filter (where due_on < $2::date and stage not in ('rectified', 'exited', 'referred'))::int as overdue
     from lf_campaign_targets where campaign_id = $1 group by stage`,
    [id, today],
  );
  return toCampaign(row, counts);
}
