import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { binder, pageWithTotal } from "../identity/scope-sql.ts";
import { type ListEntry, listEntryColumns, toListEntry } from "./list-entry-row.ts";

export const listEntriesQuery = z.strictObject({
  kind: z.enum(["black", "grey"]).optional(),
  subjectType: z.enum(["institution", "company", "person"]).optional(),
  subject: z
    .string()
    .regex(/^[0-9A-Za-z]{18}$|^[0-9a-f]{64}$/, "a credit code or a pseudonym")
    .optional(),
  state: z.enum(["active", "expired", "revoked", "all"]).default("active"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

/** Entries of the shared lists, active ones by default; every supervisor and auditor sees the whole lists. */
export async function listListEntries(
  db: Sql,
  actor: Principal,
  query: z.infer<typeof listEntriesQuery>,
): Promise<{ items: ListEntry[]; total: number }> {
  assertAllowed(actor, "lists.read", { kind: "none" });
  const { params, bind } = binder();
  const where: string[] = [];
  if (query.kind) where.push(`kind = ${bind(query.kind)}`);
  if (query.subjectType) where.push(`subject_type = ${bind(query.subjectType)}`);
  if (query.subject)
    where.push(
      `subject = ${bind(query.subject.length === 18 ? query.subject.toUpperCase() : query.subject)}`,
    );
  const active = "revoked_at is null and (expires_at is null or expires_at > now())";
  if (query.state === "active") where.push(active);
  if (query.state === "expired") where.push("revoked_at is null and expires_at <= now()");
  if (query.state === "revoked") where.push("revoked_at is not null");
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const { rows, total } = await pageWithTotal(
    db,
    listEntryColumns,
    `from shared_list_entries ${whereSql}`,
    `order by shared_list_entries.id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return { items: rows.map(toListEntry), total };
}
