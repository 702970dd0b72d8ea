import type { Sql } from "../db/client.ts";

/** Who hears of something: supervisors of units, an institution's users, named users, subscribers. */
export interface Recipients {
  units?: readonly string[];
  /** The district the matter lies in: a unit's district office hears of it only when the district is one of its own. */
  district?: string | null;
  institutions?: readonly string[];
  users?: readonly number[];
  /** Users subscribed to this institution or sector. */
  subscribersOf?: { institution?: string | null; sector?: string | null };
  /** Not told of their own action. */
  except?: number | null;
}

export interface Notice {
  kind: string;
  title: string;
  body?: string;
  link?: string;
}

/**
 * Writes one in-app notification per recipient (active users only) and queues an e-mail in the outbox for those
 * with an address. Runs in the caller's transaction; returns how many were notified.
 */
export async function notify(tx: Sql, to: Recipients, n: Notice): Promise<number> {
  const rows = await tx.query<{ n: string }>(
    `with r as (
       select distinct u.id, u.email from users u
       where u.disabled_at is null and u.id is distinct from $9::bigint and (
         (u.unit = any($1::text[]) and u.role in ('lead_supervisor', 'coordinating_supervisor', 'finance_office')
           and ($11::text is null or u.districts is null or $11 = any(u.districts)))
         or (u.role = 'institution' and trim(u.institution_code) = any($2::text[]))
         or u.id = any($3::bigint[])
         or u.id in (select s.user_id from subscriptions s
                     where (s.target_kind = 'institution' and s.target = $4) or (s.target_kind = 'sector' and s.target = $5))
       )
     ), n as (
       insert into notifications (user_id, kind, title, body, link) select r.id, $6, $7, $8, $10 from r returning user_id
     ), m as (
       insert into email_outbox (user_id, to_address, subject, body)
       select r.id, r.email, $7, $8 from r where r.email is not null returning 1
     )
     select count(*)::text as n from n`,
    [
      to.units ?? [],
      to.institutions ?? [],
      to.users ?? [],
      to.subscribersOf?.institution ?? null,
      to.subscribersOf?.sector ?? null,
      n.kind,
      n.title,
      n.body ?? "",
      to.except ?? null,
      n.link ?? null,
      to.district ?? null,
    ],
  );
  return Number(rows[0]?.n ?? 0);
}
