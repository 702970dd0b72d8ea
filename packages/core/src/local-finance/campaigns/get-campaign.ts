import type { Sql } from "../../db/client.ts";
import {
  type Campaign,
  type CampaignTarget,
  loadCampaign,
  targetColumns,
  todayOr,
  toTarget,
} from "./campaign-row.ts";

export interface CampaignDetail extends Campaign {
  targets: (CampaignTarget & {
    history: {
      from: string | null;
      to: string;
      classification: string | null;
      note: string;
      actor: string;
      at: string;
    }[];
  })[];
  alerts: {
    id: number;
    targetId: number;
    code: string;
    stage: string;
    dueOn: string;
    daysOverdue: number;
    raisedAt: string;
  }[];
}

/**
 * A campaign with every target, each target's history, and the overdue alerts raised; `districts` keeps only
 * those districts' targets and their alerts (a district office's view).
 */
export async function getCampaign(
  db: Sql,
  id: number,
  options: { today?: string; districts?: readonly string[] | null } = {},
): Promise<CampaignDetail> {
  const today = todayOr(options.today);
  const campaign = await loadCampaign(db, id, today);
  const targets = (
    await db.query<Record<string, unknown>>(
      `select ${targetColumns("$2")} from lf_campaign_targets t where t.campaign_id = $1 order by t.district, t.subject_code`,
      [id, today],
    )
  )
    .map(toTarget)
    .filter((t) => !options.districts || options.districts.includes(t.district));
  const history = await db.query<{
    target_id: string;
    from_stage: string | null;
    to_stage: string;
    classification: string | null;
    note: string;
    actor: string;
    at: string;
  }>(
    `select h.target_id::text, h.from_stage, h.to_stage, h.classification, h.note, h.actor, to_json(h.at) #>> '{}' as at
     from lf_campaign_history h join lf_campaign_targets t on t.id = h.target_id where t.campaign_id = $1 order by h.id`,
    [id],
  );
  const alerts = await db.query<{
    id: string;
    target_id: string;
    code: string;
    stage: string;
    due_on: string;
    days_overdue: number;
    raised_at: string;
  }>(
    `select a.id::text, a.target_id::text, trim(t.subject_code) as code, a.stage, a.due_on::text as due_on, a.days_overdue,
       to_json(a.raised_at) #>> '{}' as raised_at
     from lf_campaign_alerts a join lf_campaign_targets t on t.id = a.target_id where a.campaign_id = $1 order by a.id desc`,
    [id],
  );
  return {
    ...campaign,
    targets: targets.map((t) => ({
      ...t,
      history: history
        .filter((h) => Number(h.target_id) === t.id)
        .map((h) => ({
          from: h.from_stage,
          to: h.to_stage,
          classification: h.classification,
          note: h.note,
          actor: h.actor,
          at: h.at,
        })),
    })),
    alerts: alerts
      .filter((a) => targets.some((t) => t.id === Number(a.target_id)))
      .map((a) => ({
        id: Number(a.id),
        targetId: Number(a.target_id),
        code: a.code,
        stage: a.stage,
        dueOn: a.due_on,
        daysOverdue: Number(a.days_overdue),
        raisedAt: a.raised_at,
      })),
  };
}
