import type { Sql } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { type CampaignStage, campaignStages, todayOr } from "./campaign-row.ts";

export interface ProgressRow {
  /** The district or unit. */
  key: string;
  targets: number;
  byStage: Record<CampaignStage, number>;
  /** Targets that reached an outcome (rectified, exited or referred). */
  done: number;
  overdue: number;
  /** done / targets. */
  completion: number;
}

/**
 * Progress of one campaign by district and by owner unit, with overdue counts as of today (or the given date);
 * `districts` keeps only those districts' targets (a district office's view).
 */
export async function campaignStats(
  db: Sql,
  campaignId: number,
  options: { today?: string; districts?: readonly string[] | null } = {},
): Promise<{
  campaignId: number;
  today: string;
  total: ProgressRow;
  byDistrict: ProgressRow[];
  byUnit: ProgressRow[];
}> {
  const today = todayOr(options.today);
  const [exists] = await db.query("select 1 from lf_campaigns where id = $1", [campaignId]);
  if (!exists) throw new AppError("NOT_FOUND", `no campaign ${campaignId}`);
  const rows = await db.query<{
    district: string;
    unit: string;
    stage: CampaignStage;
    n: number;
    overdue: number;
  }>(
    `select district, owner_unit as unit, stage, count(*)::int as n,
       count(*) filter (where due_on < $2::date and stage not in ('rectified', 'exited', 'referred'))::int as overdue
     from lf_campaign_targets where campaign_id = $1 and ($3::text[] is null or district = any($3::text[]))
     group by district, owner_unit, stage`,
    [campaignId, today, options.districts ? [...options.districts] : null],
  );
  const group = (keyOf: (r: (typeof rows)[number]) => string): ProgressRow[] => {
    const out = new Map<string, ProgressRow>();
    for (const r of rows) {
      const key = keyOf(r);
      const row =
        out.get(key) ??
        ({
          key,
          targets: 0,
          byStage: Object.fromEntries(campaignStages.map((s) => [s, 0])) as Record<CampaignStage, number>,
          done: 0,
          overdue: 0,
          completion: 0,
        } satisfies ProgressRow);
      row.targets += Number(r.n);
      row.byStage[r.stage] += Number(r.n);
      row.overdue += Number(r.overdue);
      if (r.stage === "rectified" || r.stage === "exited" || r.stage === "referred") row.done += Number(r.n);
      out.set(key, row);
    }
    for (const row of out.values())
      row.completion = row.targets > 0 ? Math.round((row.done / row.targets) * 10_000) / 10_000 : 0;
    return [...out.values()].sort((a, b) => b.targets - a.targets || a.key.localeCompare(b.key));
  };
  const [total] = group(() => "all");
  return {
    campaignId,
    today,
    total: total ?? {
      key: "all",
      targets: 0,
      byStage: Object.fromEntries(campaignStages.map((s) => [s, 0])) as Record<CampaignStage, number>,
      done: 0,
      overdue: 0,
      completion: 0,
    },
    byDistrict: group((r) => r.district),
    byUnit: group((r) => r.unit),
  };
}
