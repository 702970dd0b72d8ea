import { z } from "zod";
import { sectors } from "../contract/institution-types.ts";
import type { Sql } from "../db/client.ts";
import { assertAllowed, scopeOf } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { binder, scopeSql } from "../identity/scope-sql.ts";
import { eventColumns, eventFrom, toEvent } from "./event-row.ts";
import { eventTypeCodes } from "./event-types.ts";

export const eventSortFields = [
  "id",
  "occurred_at",
  "filed_at",
  "amount",
  "people_affected",
  "escalation_level",
] as const;

export const listEventsQuery = z.strictObject({
  type: z.enum(eventTypeCodes).optional(),
  status: z.enum(["open", "closed"]).optional(),
  sector: z.enum(sectors).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, "must be an 18-character credit code")
    .optional(),
  unacknowledged: z
    .enum(["true", "false"])
    .optional()
    .describe("Only events some unit in the chain has yet to acknowledge."),
  sort: z.enum(eventSortFields).default("id"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

/** Major-risk events the caller may see, filtered and paged. */
export async function listRiskEvents(db: Sql, actor: Principal, query: z.infer<typeof listEventsQuery>) {
  assertAllowed(actor, "events.list", { kind: "collection" });
  const { params, bind } = binder();
  const scope = scopeOf(actor, "events.list");
  const where = [
    scopeSql(
      scope,
      {
        institution: "e.institution_code",
        sector: "e.sector",
        district: "e.district",
        units: "array(select u.unit from risk_event_units u where u.event_id = e.id)",
      },
      bind,
    ),
  ];
  if (query.type) where.push(`e.type = ${bind(query.type)}`);
  if (query.status) where.push(`e.status = ${bind(query.status)}`);
  if (query.sector) where.push(`e.sector = ${bind(query.sector)}`);
  if (query.institution) where.push(`e.institution_code = ${bind(query.institution)}`);
  if (query.unacknowledged) {
    where.push(
      `${query.unacknowledged === "true" ? "" : "not "}exists (select 1 from risk_event_units u where u.event_id = e.id and u.acknowledged_at is null)`,
    );
  }
  const whereSql = `where ${where.join(" and ")}`;
  // Counted apart: a window count would build every matching event's unit list, not just the page's.
  const [count] = await db.query<{ n: string }>(
    `select count(*)::text as n from ${eventFrom} ${whereSql}`,
    params,
  );
  const total = Number(count?.n ?? 0);
  // Events without an amount or a count of people come last; on the not-null columns the clause would only keep
  // the primary key's index from giving the page in order.
  const nullsLast = query.sort === "amount" || query.sort === "people_affected" ? " nulls last" : "";
  const rows = await db.query<Record<string, unknown>>(
    `select ${eventColumns} from ${eventFrom} ${whereSql}
     order by e.${query.sort} ${query.order}${nullsLast}, e.id ${query.order}
     limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return {
    items: rows.map(toEvent),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
