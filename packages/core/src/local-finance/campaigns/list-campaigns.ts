import type { Sql } from "../../db/client.ts";
import { type Campaign, loadCampaign, todayOr } from "./campaign-row.ts";

/** Every campaign, newest first, with its progress as of today (or the given date). */
export async function listCampaigns(
  db: Sql,
  options: { status?: "active" | "closed"; today?: string } = {},
): Promise<Campaign[]> {
  const today = todayOr(options.today);
  const rows = await db.query<{ id: string }>(
    `select id::text from lf_campaigns ${options.status ? "where status = $1" : ""} order by id desc`,
    options.status ? [options.status] : [],
  );
  const out: Campaign[] = [];
  for (const r of rows) out.push(await loadCampaign(db, Number(r.id), today));
  return out;
}
