import type { Sql } from "../db/client.ts";
import { notify } from "./notify.ts";

export interface FeedItemInput {
  kind: string;
  title: string;
  body?: string;
  sector?: string | null;
  institution?: string | null;
  link?: string | null;
  author: string;
  authorUnit?: string | null;
  /** The acting user, who is not notified of their own item. */
  authorUserId?: number | null;
}

/** Puts an item on the cross-unit feed (in the caller's transaction) and tells the subscribers of its institution or sector. */
export async function publishFeedItem(tx: Sql, item: FeedItemInput): Promise<number> {
  const [row] = await tx.query<{ id: string }>(
    `insert into feed_items (kind, title, body, sector, institution_code, link, author, author_unit)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id::text`,
    [
      item.kind,
      item.title,
      item.body ?? "",
      item.sector ?? null,
      item.institution ?? null,
      item.link ?? null,
      item.author,
      item.authorUnit ?? null,
    ],
  );
  if (item.sector || item.institution) {
    await notify(
      tx,
      {
        subscribersOf: { institution: item.institution ?? null, sector: item.sector ?? null },
        except: item.authorUserId ?? null,
      },
      {
        kind: `feed.${item.kind}`,
        title: item.title,
        body: item.body ?? "",
        link: item.link ?? `/feed/${row!.id}`,
      },
    );
  }
  return Number(row!.id);
}
