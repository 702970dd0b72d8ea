import type { Sql } from "../db/client.ts";
import { iso } from "../identity/values.ts";

export interface Rectification {
  id: number;
  caseId: number;
  institution: string;
  requirements: string;
  dueAt: string;
  overdue: boolean;
  status: "pending" | "responded" | "accepted" | "rejected";
  reviewNote: string | null;
  createdBy: string;
  createdAt: string;
  responses: { id: number; body: string; respondedBy: string; createdAt: string }[];
}

/** Rectification requests matching `where` (over alias r), each with its responses. */
export async function rectificationsOf(
  db: Sql,
  where: string,
  params: unknown[],
  tail = "order by r.id",
): Promise<Rectification[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select r.id::text, r.case_id::text, trim(r.institution_code) as institution, r.requirements, r.due_at,
            r.due_at < now() and r.status in ('pending', 'rejected') as overdue, r.status, r.review_note, r.created_by, r.created_at
     from rectification_requests r join cases c on c.id = r.case_id where ${where} ${tail}`,
    params,
  );
  const ids = rows.map((r) => String(r.id));
  const responses =
    ids.length === 0
      ? []
      : await db.query<Record<string, unknown>>(
          `select id::text, request_id::text, body, responded_by, created_at from rectification_responses
           where request_id = any($1::bigint[]) order by rectification_responses.id`,
          [ids],
        );
  return rows.map((r) => ({
    id: Number(r.id),
    caseId: Number(r.case_id),
    institution: String(r.institution),
    requirements: String(r.requirements),
    dueAt: iso(r.due_at),
    overdue: Boolean(r.overdue),
    status: r.status as Rectification["status"],
    reviewNote: (r.review_note as string | null) ?? null,
    createdBy: String(r.created_by),
    createdAt: iso(r.created_at),
    responses: responses
      .filter((x) => x.request_id === r.id)
      .map((x) => ({
        id: Number(x.id),
        body: String(x.body),
        respondedBy: String(x.responded_by),
        createdAt: iso(x.created_at),
      })),
  }));
}
