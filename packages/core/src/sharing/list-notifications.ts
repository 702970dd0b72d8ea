import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { iso, isoOrNull } from "../identity/values.ts";

export const listNotificationsQuery = z.strictObject({
  unread: z.enum(["true", "false"]).default("false"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** The signed-in user's notification feed, newest first, with the unread count. */
export async function listNotifications(
  db: Sql,
  actor: Principal,
  query: z.infer<typeof listNotificationsQuery>,
) {
  assertAllowed(actor, "notifications.list", { kind: "none" });
  const userId = actor.kind === "user" ? actor.userId : -1;
  const unreadOnly = query.unread === "true";
  const [count] = await db.query<{ total: string; unread: string }>(
    `select count(*)::text as total, count(*) filter (where read_at is null)::text as unread
     from notifications where user_id = $1`,
    [userId],
  );
  const rows = await db.query<Record<string, unknown>>(
    `select id::text, kind, title, body, link, created_at, read_at from notifications
     where user_id = $1 and ($2::boolean = false or read_at is null)
     order by notifications.id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    [userId, unreadOnly],
  );
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      kind: String(r.kind),
      title: String(r.title),
      body: String(r.body),
      link: (r.link as string | null) ?? null,
      createdAt: iso(r.created_at),
      readAt: isoOrNull(r.read_at),
    })),
    total: Number(count?.total ?? 0),
    unread: Number(count?.unread ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}
