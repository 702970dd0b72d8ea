import { z } from "zod";
import { type SupervisoryUnit, sectors } from "../contract/institution-types.ts";
import type { Sql } from "../db/client.ts";
import { assertAllowed, scopeOf } from "../identity/policy.ts";
import { type Principal, unitCodes } from "../identity/roles.ts";
import { binder, pageWithTotal, scopeSql } from "../identity/scope-sql.ts";
import { caseColumns, caseFrom, caseStatuses, priorities, sourceKinds, toCase } from "./case-row.ts";

export const caseSortFields = [
  "id",
  "created_at",
  "updated_at",
  "due_at",
  "priority",
  "status",
  "title",
] as const;

export const listCasesQuery = z.strictObject({
  status: z.enum(caseStatuses).optional(),
  ownerUnit: z.enum(unitCodes as [SupervisoryUnit, ...SupervisoryUnit[]]).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, "must be an 18-character credit code")
    .optional(),
  sector: z.enum(sectors).optional(),
  sourceKind: z.enum(sourceKinds).optional(),
  sourceRef: z.string().min(1).max(200).optional(),
  priority: z.enum(priorities).optional(),
  overdue: z.enum(["true", "false"]).optional(),
  q: z.string().min(1).max(100).optional().describe("Matches the title (case-insensitive substring)."),
  sort: z.enum(caseSortFields).default("id"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

/** Cases the caller may see, filtered and paged; filters are bound parameters, the sort a whitelisted column. */
export async function listCases(db: Sql, actor: Principal, query: z.infer<typeof listCasesQuery>) {
  assertAllowed(actor, "cases.list", { kind: "collection" });
  const { params, bind } = binder();
  const where = [
    scopeSql(
      scopeOf(actor, "cases.list"),
      {
        institution: "c.institution_code",
        sector: "c.sector",
        district: "c.district",
        ownerUnit: "c.owner_unit",
        units: "c.coordinating_units",
      },
      bind,
    ),
  ];
  if (query.status) where.push(`c.status = ${bind(query.status)}`);
  if (query.ownerUnit) where.push(`c.owner_unit = ${bind(query.ownerUnit)}`);
  if (query.institution) where.push(`c.institution_code = ${bind(query.institution)}`);
  if (query.sector) where.push(`c.sector = ${bind(query.sector)}`);
  if (query.sourceKind) where.push(`c.source_kind = ${bind(query.sourceKind)}`);
  if (query.sourceRef) where.push(`c.source_ref = ${bind(query.sourceRef)}`);
  if (query.priority) where.push(`c.priority = ${bind(query.priority)}`);
  if (query.overdue) {
    where.push(
      `${query.overdue === "true" ? "" : "not "}coalesce(c.due_at < now() and c.status not in ('closed', 'referred'), false)`,
    );
  }
  if (query.q) where.push(`c.title ilike ${bind(`%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)}`);
  const whereSql = `where ${where.join(" and ")}`;
  const sort =
    query.sort === "priority"
      ? "array_position(array['low','normal','high','urgent'], c.priority)"
      : `c.${query.sort}`;
  // Cases without a due date come last; on the other (not null) columns the clause would only keep the primary
  // key's index from giving the page in order.
  const nullsLast = query.sort === "due_at" ? " nulls last" : "";
  const { rows, total } = await pageWithTotal(
    db,
    caseColumns,
    `from ${caseFrom} ${whereSql}`,
    `order by ${sort} ${query.order}${nullsLast}, c.id ${query.order}
     limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return {
    items: rows.map(toCase),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
