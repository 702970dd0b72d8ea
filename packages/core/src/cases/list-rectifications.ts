import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { assertAllowed, scopeOf } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { binder, scopeSql } from "../identity/scope-sql.ts";
import { type Rectification, rectificationsOf } from "./rectification-row.ts";

export const listRectificationsQuery = z.strictObject({
  status: z.enum(["pending", "responded", "accepted", "rejected"]).optional(),
  caseId: z.coerce.number().int().positive().optional(),
  overdue: z.enum(["true", "false"]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * Rectification requests: an institution sees those addressed to it (never the case behind them); a unit those on
 * cases it sees.
 */
export async function listRectifications(
  db: Sql,
  actor: Principal,
  query: z.infer<typeof listRectificationsQuery>,
): Promise<{ items: Rectification[] }> {
  assertAllowed(actor, "rectifications.list", { kind: "collection" });
  const scope = scopeOf(actor, "rectifications.list");
  const { params, bind } = binder();
  const where = [
    scope.all || scope.institution === null
      ? scopeSql(
          scope,
          {
            sector: "c.sector",
            district: "c.district",
            ownerUnit: "c.owner_unit",
            units: "c.coordinating_units",
          },
          bind,
        )
      : scopeSql(scope, { institution: "r.institution_code" }, bind),
  ];
  if (query.status) where.push(`r.status = ${bind(query.status)}`);
  if (query.caseId) where.push(`r.case_id = ${bind(query.caseId)}`);
  if (query.overdue) {
    where.push(
      `${query.overdue === "true" ? "" : "not "}(r.due_at < now() and r.status in ('pending', 'rejected'))`,
    );
  }
  const items = await rectificationsOf(
    db,
    where.join(" and "),
    params,
    `order by r.id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
  );
  return { items };
}
