import { z } from "zod";
import { institutionTypeCodes, sectors } from "../contract/institution-types.ts";
import type { Sql } from "../db/client.ts";

export const institutionSortFields = [
  "code",
  "name_zh",
  "name_en",
  "type",
  "district",
  "total_assets",
] as const;

/** Filters and paging of the institution list; the API's query schema and the use case's input. */
export const listInstitutionsQuery = z.strictObject({
  type: z.enum(institutionTypeCodes).optional(),
  sector: z.enum(sectors).optional(),
  district: z.string().min(1).max(50).optional(),
  status: z.enum(["active", "under_watch", "exited", "taken_over", "revoked"]).optional(),
  q: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("Matches code, Chinese or English name (case-insensitive substring)."),
  sort: z.enum(institutionSortFields).default("code"),
  order: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListInstitutionsQuery = z.infer<typeof listInstitutionsQuery>;

export interface InstitutionRow {
  code: string;
  nameZh: string;
  nameEn: string;
  type: string;
  sector: string;
  district: string;
  bankTier: number | null;
  totalAssets: string | null;
  parentCode: string | null;
  groupCode: string | null;
  status: string;
}

export const institutionColumns = `trim(code) as code, name_zh as "nameZh", name_en as "nameEn", type, sector, district, bank_tier as "bankTier",
  total_assets::text as "totalAssets", trim(parent_code) as "parentCode", trim(group_code) as "groupCode", status`;

/** One page of institutions with the total count; every filter is a bound parameter, the sort a whitelisted name. */
export async function listInstitutions(
  db: Sql,
  query: ListInstitutionsQuery,
): Promise<{ items: InstitutionRow[]; total: number; page: number; pageSize: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (query.type) where.push(`type = ${bind(query.type)}`);
  if (query.sector) where.push(`sector = ${bind(query.sector)}`);
  if (query.district) where.push(`district = ${bind(query.district)}`);
  if (query.status) where.push(`status = ${bind(query.status)}`);
  if (query.q) {
    const p = bind(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(code ilike ${p} or name_zh ilike ${p} or name_en ilike ${p})`);
  }
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const [count] = await db.query<{ n: string }>(
    `select count(*)::text as n from institutions ${whereSql}`,
    params,
  );
  const items = await db.query<InstitutionRow>(
    `select ${institutionColumns} from institutions ${whereSql} order by ${query.sort} ${query.order}, code limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return { items, total: Number(count?.n ?? 0), page: query.page, pageSize: query.pageSize };
}
