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
  const history = await db.query<Record<string, unknown>>(
    "select from_status, to_status, note, actor, at from case_history where case_id = $1 order by id",
    [id],
  );
  const comments = await db.query<Record<string, unknown>>(
    "select id::text, body, author, author_unit, created_at from case_comments where case_id = $1 order by case_comments.id",
    [id],
  );
  const attachments = await db.query<Record<string, unknown>>(
    `select id::text, file_name, media_type, bytes::text, sha256, uploaded_by, created_at
     from case_attachments where case_id = $1 order by case_attachments.id`,
    [id],
  );
  return {
    ...c,
    history: history.map((h) => ({
      from: (h.from_status as string | null) ?? null,
      to: String(h.to_status),
      note: String(h.note),
      actor: String(h.actor),
      at: iso(h.at),
    })),
    comments: comments.map((m) => ({
      id: Number(m.id),
      body: String(m.body),
      author: String(m.author),
      authorUnit: (m.author_unit as string | null) ?? null,
      createdAt: iso(m.created_at),
    })),
    attachments: attachments.map((a) => ({
      id: Number(a.id),
      fileName: String(a.file_name),
      mediaType: String(a.media_type),
      bytes: Number(a.bytes),
      sha256: String(a.sha256),
      uploadedBy: String(a.uploaded_by),
      createdAt: iso(a.created_at),
    })),
    rectifications: await rectificationsOf(db, "r.case_id = $1", [id]),
  };
}
