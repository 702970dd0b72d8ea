import { z } from "zod";
import type { Sql } from "../db/client.ts";
import type { ReadScope } from "../identity/policy.ts";
import { binder, pageWithTotal, scopeSql } from "../identity/scope-sql.ts";
import { filingColumns, toFiling } from "./get-filing.ts";
import { productKinds } from "./record-filing.ts";

export const filingSortFields = ["filed_at", "product_code", "product_name"] as const;

export const listFilingsQuery = z.strictObject({
  institution: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, "must be an 18-character credit code")
    .optional(),
  productCode: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
  productKind: z.enum(productKinds).optional(),
  q: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("Matches product code or name (case-insensitive substring)."),
  sort: z.enum(filingSortFields).default("filed_at"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

/** Filings the scope may read, filtered and paged; the sort is a whitelisted column, filters are bound. */
export async function listFilings(db: Sql, scope: ReadScope, query: z.infer<typeof listFilingsQuery>) {
  const { params, bind } = binder();
  const where = [
    scopeSql(scope, { institution: "f.institution_code", sector: "i.sector", district: "i.district" }, bind),
  ];
  if (query.institution) where.push(`f.institution_code = ${bind(query.institution)}`);
  if (query.productCode) where.push(`f.product_code = ${bind(query.productCode)}`);
  if (query.productKind) where.push(`f.product_kind = ${bind(query.productKind)}`);
  if (query.q) {
    const p = bind(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(f.product_code ilike ${p} or f.product_name ilike ${p})`);
  }
  const from = `from product_filings f join institutions i on i.code = f.institution_code where ${where.join(" and ")}`;
  const { rows, total } = await pageWithTotal(
    db,
    filingColumns,
    from,
    `order by f.${query.sort} ${query.order}, f.id ${query.order}
     limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return {
    items: rows.map(toFiling),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
