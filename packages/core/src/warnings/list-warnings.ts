import { z } from "zod";
import { institutionTypeCodes, sectors } from "../contract/institution-types.ts";
import type { Sql } from "../db/client.ts";
import { assertAllowed, scopeOf } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { binder, scopeSql } from "../identity/scope-sql.ts";
import { levelRank, warningLevels } from "../scoring/levels.ts";
import {
  toWarning,
  type Warning,
  warningColumns,
  warningFrom,
  warningReadAction,
  warningStatuses,
} from "./warning-row.ts";

export const warningSortFields = [
  "level",
  "score",
  "updated_at",
  "opened_period",
  "last_period",
  "id",
] as const;

export const listWarningsQuery = z.strictObject({
  status: z
    .enum([...warningStatuses, "open", "all"])
    .default("open")
    .describe("A status, `open` (all but closed, the default) or `all`."),
  level: z.enum(warningLevels).optional(),
  minLevel: z.enum(warningLevels).optional().describe("This level and above."),
  sector: z.enum(sectors).optional(),
  district: z.string().min(1).max(100).optional(),
  type: z.enum(institutionTypeCodes as [string, ...string[]]).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, "must be an 18-character credit code")
    .optional(),
  period: z
    .string()
    .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM")
    .optional()
    .describe("Warnings last updated for this month."),
  q: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("Matches the institution's name (case-insensitive substring)."),
  sort: z.enum(warningSortFields).default("level").describe("`level` orders by level, then score."),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListWarningsQuery = z.input<typeof listWarningsQuery>;

export interface WarningPage {
  items: Warning[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Warnings the caller may see, filtered, sorted and paged. Filters are bound parameters and the sort a
 * whitelisted column; every sort ends on the id, so pages are stable. The indexes on (filter, level, score, id)
 * keep a page of 100,000 warnings at one index range scan.
 */
export async function listWarnings(
  db: Sql,
  actor: Principal,
  query: ListWarningsQuery = {},
): Promise<WarningPage> {
  assertAllowed(actor, warningReadAction, { kind: "collection" });
  const q = listWarningsQuery.parse(query);
  const { params, bind } = binder();
  const where = [
    scopeSql(
      scopeOf(actor, warningReadAction),
      { institution: "w.institution_code", sector: "w.sector", district: "w.district" },
      bind,
    ),
  ];
  if (q.status === "open") where.push("w.status <> 'closed'");
  else if (q.status !== "all") where.push(`w.status = ${bind(q.status)}`);
  if (q.level) where.push(`w.level_rank = ${bind(levelRank(q.level))}`);
  if (q.minLevel) where.push(`w.level_rank >= ${bind(levelRank(q.minLevel))}`);
  if (q.sector) where.push(`w.sector = ${bind(q.sector)}`);
  if (q.district) where.push(`w.district = ${bind(q.district)}`);
  if (q.type) where.push(`w.type = ${bind(q.type)}`);
  if (q.institution) where.push(`w.institution_code = ${bind(q.institution)}`);
  if (q.period) where.push(`w.last_period = ${bind(q.period)}`);
  if (q.q) {
    const like = bind(`%${q.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    where.push(
      `w.institution_code in (select code from institutions where name_zh ilike ${like} or name_en ilike ${like})`,
    );
  }
  const whereSql = `where ${where.join(" and ")}`;
  const dir = q.order;
  const order =
    q.sort === "level"
      ? `w.level_rank ${dir}, w.score ${dir}, w.id ${dir}`
      : q.sort === "id"
        ? `w.id ${dir}`
        : `w.${q.sort} ${dir}, w.id ${dir}`;
  const [count] = await db.query<{ n: string }>(
    `select count(*)::text as n from warnings w ${whereSql}`,
    params,
  );
  // Page the ids on the warnings table alone, then join the page to the registry for names.
  const rows = await db.query<Record<string, unknown>>(
    `with page as (select w.id from warnings w ${whereSql} order by ${order}
                   limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize})
     select ${warningColumns} from ${warningFrom} join page p on p.id = w.id order by ${order}`,
    params,
  );
  return { items: rows.map(toWarning), total: Number(count?.n ?? 0), page: q.page, pageSize: q.pageSize };
}
