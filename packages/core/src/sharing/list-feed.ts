import { z } from "zod";
import { sectors } from "../contract/institution-types.ts";
import type { Sql } from "../db/client.ts";
import { assertAllowed, scopeOf } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { binder, scopeSql } from "../identity/scope-sql.ts";
import { iso } from "../identity/values.ts";

export const listFeedQuery = z.strictObject({
  sector: z.enum(sectors).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, "must be an 18-character credit code")
    .optional(),
  kind: z
    .string()
    .regex(/^[a-z_]+$/)
    .max(40)
    .optional(),
  before: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe("Items older than this id (paging backwards)."),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * The cross-unit feed the caller may read: province-wide items (no sector) and items in the sectors its unit
 * sees, or by its own unit; newest first.
 */
export async function listFeed(db: Sql, actor: Principal, query: z.infer<typeof listFeedQuery>) {
  assertAllowed(actor, "feed.read", { kind: "collection" });
  const scope = scopeOf(actor, "feed.read");
  const { params, bind } = binder();
  const where = [
    `(f.sector is null or ${scopeSql(scope, { sector: "f.sector", ownerUnit: "f.author_unit", district: "i.district" }, bind)})`,
  ];
  if (query.sector) where.push(`f.sector = ${bind(query.sector)}`);
  if (query.institution) where.push(`f.institution_code = ${bind(query.institution)}`);
  if (query.kind) where.push(`f.kind = ${bind(query.kind)}`);
  if (query.before) where.push(`f.id < ${bind(query.before)}`);
  const rows = await db.query<Record<string, unknown>>(
    `select f.id::text, f.kind, f.title, f.body, f.sector, trim(f.institution_code) as institution, f.link, f.author,
            f.author_unit, f.created_at
     from feed_items f left join institutions i on i.code = f.institution_code
     where ${where.join(" and ")} order by f.id desc limit ${query.pageSize}`,
    params,
  );
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      kind: String(r.kind),
      title: String(r.title),
      body: String(r.body),
      sector: (r.sector as string | null) ?? null,
      institution: (r.institution as string | null) ?? null,
      link: (r.link as string | null) ?? null,
      author: String(r.author),
      authorUnit: (r.author_unit as string | null) ?? null,
      createdAt: iso(r.created_at),
    })),
  };
}
