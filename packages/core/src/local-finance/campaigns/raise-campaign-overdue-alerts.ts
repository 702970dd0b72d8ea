import type { Db } from "../../db/client.ts";
import { notify } from "../../sharing/notify.ts";
import { todayOr } from "./campaign-row.ts";

/**
 * Raises one alert per campaign target past its deadline without an outcome, once per deadline (a new deadline
 * set when advancing re-arms it), and tells the target's owner unit in the in-app feed (a district office only of
 * its own districts' targets). Returns the alerts raised now.
 */
export async function raiseCampaignOverdueAlerts(
  db: Db,
  options: { today?: string } = {},
): Promise<
  { targetId: number; campaignId: number; code: string; stage: string; dueOn: string; daysOverdue: number }[]
> {
  const today = todayOr(options.today);
  return db.transaction(async (tx) => {
    const rows = await tx.query<{
      target_id: string;
      campaign_id: string;
      code: string;
      stage: string;
      due_on: string;
      days: number;
      owner_unit: string;
      district: string;
    }>(
      `with due as (
         update lf_campaign_targets t set overdue_alerted_at = now()
         from lf_campaigns c
         where c.id = t.campaign_id and c.status = 'active' and t.due_on < $1::date and t.overdue_alerted_at is null
           and t.stage not in ('rectified', 'exited', 'referred')
         returning t.id, t.campaign_id, t.subject_code, t.stage, t.due_on, t.owner_unit, t.district)
       insert into lf_campaign_alerts (campaign_id, target_id, kind, stage, due_on, days_overdue)
       select campaign_id, id, 'overdue', stage, due_on, ($1::date - due_on) from due
       returning target_id::text, campaign_id::text, stage, due_on::text, days_overdue as days,
         (select trim(subject_code) from lf_campaign_targets x where x.id = target_id) as code,
         (select owner_unit from lf_campaign_targets x where x.id = target_id) as owner_unit,
         (select district from lf_campaign_targets x where x.id = target_id) as district`,
      [today],
    );
    for (const r of rows) {
      await notify(
        tx,
        { units: [r.owner_unit], district: r.district },
        {
          kind: "campaign_target.overdue",
          title: `Campaign target ${r.code} is ${r.days} day(s) past its ${r.stage} deadline (${r.due_on})`,
          link: "/rectifications",
        },
      );
    }
    return rows
      .map((r) => ({
        targetId: Number(r.target_id),
        campaignId: Number(r.campaign_id),
        code: r.code,
        stage: r.stage,
        dueOn: r.due_on,
        daysOverdue: Number(r.days),
      }))
      .sort((a, b) => a.campaignId - b.campaignId || a.targetId - b.targetId);
  });
}
