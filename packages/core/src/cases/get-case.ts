import type { Sql } from "../db/client.ts";
import type { Principal } from "../identity/roles.ts";
import { iso } from "../identity/values.ts";
import type { CaseSummary } from "./case-row.ts";
import { loadCase } from "./load-case.ts";
import { type Rectification, rectificationsOf } from "./rectification-row.ts";

export interface CaseDetail extends CaseSummary {
  description: string;
  history: { from: string | null; to: string; note: string; actor: string; at: string }[];
  comments: { id: number; body: string; author: string; authorUnit: string | null; createdAt: string }[];
  attachments: {
    id: number;
    fileName: string;
    mediaType: string;
    bytes: number;
    sha256: string;
    uploadedBy: string;
    createdAt: string;
  }[];
  rectifications: Rectification[];
}

/** One case with its history, comments, attachments (metadata) and rectification requests. */
export async function getCase(db: Sql, actor: Principal, id: number): Promise<CaseDetail> {
  const c = await loadCase(db, actor, "cases.read", id);
  // One query for the three small lists: on PGlite each query costs more than its rows.
  const [lists] = await db.query<Record<string, unknown>>(
    `select
       (select coalesce(json_agg(json_build_object('from', from_status, 'to', to_status, 'note', note, 'actor', actor, 'at', at)
          order by h.id), '[]') from case_history h where h.case_id = $1) as history,
       (select coalesce(json_agg(json_build_object('id', m.id, 'body', body, 'author', author, 'authorUnit', author_unit,
          'createdAt', created_at) order by m.id), '[]') from case_comments m where m.case_id = $1) as comments,
       (select coalesce(json_agg(json_build_object('id', a.id, 'fileName', file_name, 'mediaType', media_type, 'bytes', bytes,
          'sha256', sha256, 'uploadedBy', uploaded_by, 'createdAt', created_at) order by a.id), '[]')
          from case_attachments a where a.case_id = $1) as attachments`,
    [id],
  );
  const json = <T>(v: unknown): T[] => (typeof v === "string" ? JSON.parse(v) : v) as T[];
  const history = json<Record<string, unknown>>(lists?.history);
  const comments = json<Record<string, unknown>>(lists?.comments);
  const attachments = json<Record<string, unknown>>(lists?.attachments);
  return {
    ...c,
    history: history.map((h) => ({
      from: (h.from as string | null) ?? null,
      to: String(h.to),
      note: String(h.note),
      actor: String(h.actor),
      at: iso(h.at),
    })),
    comments: comments.map((m) => ({
      id: Number(m.id),
      body: String(m.body),
      author: String(m.author),
      authorUnit: (m.authorUnit as string | null) ?? null,
      createdAt: iso(m.createdAt),
    })),
    attachments: attachments.map((a) => ({
      id: Number(a.id),
      fileName: String(a.fileName),
      mediaType: String(a.mediaType),
      bytes: Number(a.bytes),
      sha256: String(a.sha256),
      uploadedBy: String(a.uploadedBy),
      createdAt: iso(a.createdAt),
    })),
    rectifications: await rectificationsOf(db, "r.case_id = $1", [id]),
  };
}
