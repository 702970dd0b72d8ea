import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { binder, pageWithTotal } from "../identity/scope-sql.ts";
import { iso } from "../identity/values.ts";

export const listAuditEntriesQuery = z.strictObject({
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)?$/, "must be noun or noun.verb")
    .optional()
    .describe("An action (case.created) or every action on a noun (case)."),
  actor: z.string().min(1).max(100).optional(),
  subjectKind: z
    .string()
    .regex(/^[a-z_]+$/)
    .max(40)
    .optional(),
  subjectId: z.string().min(1).max(100).optional(),
  fromSeq: z.coerce.number().int().min(1).optional(),
  toSeq: z.coerce.number().int().min(1).optional(),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

/** Audit entries, filtered and paged; the detail is parsed back from its canonical JSON. */
export async function listAuditEntries(db: Sql, query: z.infer<typeof listAuditEntriesQuery>) {
  const { params, bind } = binder();
  const where: string[] = [];
  if (query.action) {
    where.push(
      query.action.includes(".")
        ? `action = ${bind(query.action)}`
        : `action like ${bind(`${query.action}.%`)}`,
    );
  }
  if (query.actor) where.push(`actor = ${bind(query.actor)}`);
  if (query.subjectKind) where.push(`subject_kind = ${bind(query.subjectKind)}`);
  if (query.subjectId) where.push(`subject_id = ${bind(query.subjectId)}`);
  if (query.fromSeq) where.push(`seq >= ${bind(query.fromSeq)}`);
  if (query.toSeq) where.push(`seq <= ${bind(query.toSeq)}`);
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const { rows, total } = await pageWithTotal(
    db,
    `seq::text, at, actor, action, subject_kind as "subjectKind", subject_id as "subjectId", detail, hash`,
    `from audit_log ${whereSql}`,
    `order by audit_log.seq ${query.order === "asc" ? "asc" : "desc"}
     limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return {
    items: rows.map((r) => ({
      seq: Number(r.seq),
      at: iso(r.at),
      actor: String(r.actor),
      action: String(r.action),
      subjectKind: String(r.subjectKind),
      subjectId: r.subjectId == null ? null : String(r.subjectId),
      detail: JSON.parse(String(r.detail)) as unknown,
      hash: String(r.hash),
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
