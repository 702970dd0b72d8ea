import { type FormEvent, useState } from "react";
import { ApiError, apiPost } from "../../api/client.ts";
import { useApi } from "../../api/use-api.ts";
import { useI18n } from "../../i18n/i18n.ts";
import { unitName } from "../../lib/labels.ts";
import { hasRole, supervisorRoles, useSession } from "../../session.ts";
import { Async, Badge, Card, Empty, ErrorView, Field, Link, Page } from "../../ui/common.tsx";

interface CaseDetail {
  id: number;
  title: string;
  description: string;
  source: { kind: string; ref: string };
  institution: string | null;
  institutionName: string | null;
  sector: string;
  ownerUnit: string;
  coordinatingUnits: string[];
  status: string;
  priority: string;
  dueAt: string | null;
  overdue: boolean;
  createdBy: string;
  createdAt: string;
  history?: { from: string | null; to: string; note: string; actor: string; at: string }[];
  comments?: { id: number; body: string; author: string; at?: string; createdAt?: string }[];
  attachments?: { id: number; fileName: string; size: number; sha256: string }[];
  rectifications?: { id: number; requirements: string; dueAt: string; status: string }[];
  allowedTransitions?: string[];
}

const transitions: Record<string, string[]> = {
  open: ["investigating", "rectification_required", "closed", "referred"],
  investigating: ["rectification_required", "closed", "referred"],
  rectification_required: ["rectified", "investigating", "referred"],
  rectified: ["closed", "rectification_required", "investigating"],
  closed: [],
  referred: [],
};

export function CasePage({ id }: { id: string }) {
  const { t } = useI18n();
  const c = useApi<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`);
  return (
    <Page title={c.data ? `#${c.data.id} ${c.data.title}` : t("cases.case", { id })}>
      <Async state={c}>{(d) => <CaseView d={d} reload={c.reload} />}</Async>
    </Page>
  );
}

function CaseView({ d, reload }: { d: CaseDetail; reload: () => void }) {
  const { t, lang, label, date } = useI18n();
  const session = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const [note, setNote] = useState("");
  const [comment, setComment] = useState("");
  const [referTo, setReferTo] = useState("");
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "NETWORK", String(e)));
    }
  };
  const next = d.allowedTransitions ?? transitions[d.status] ?? [];
  const canAct = hasRole(session, supervisorRoles);
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t("cases.status")}</dt>
          <dd>
            <Badge text={label("caseStatus", d.status)} tone={d.status === "closed" ? "ok" : "info"} />
          </dd>
        </div>
        <div>
          <dt>{t("cases.priority")}</dt>
          <dd>{label("priority", d.priority)}</dd>
        </div>
        <div>
          <dt>{t("inst.name")}</dt>
          <dd>
            {d.institution ? (
              <Link to={`/institutions/${d.institution}`}>{d.institutionName ?? d.institution}</Link>
            ) : (
              label("sector", d.sector)
            )}
          </dd>
        </div>
        <div>
          <dt>{t("cases.owner")}</dt>
          <dd>{unitName(lang, d.ownerUnit)}</dd>
        </div>
        <div>
          <dt>{t("cases.coordinating")}</dt>
          <dd>{d.coordinatingUnits.map((u) => unitName(lang, u)).join("、") || "–"}</dd>
        </div>
        <div>
          <dt>{t("cases.source")}</dt>
          <dd>
            {label("sourceKind", d.source.kind)} · {d.source.ref}
          </dd>
        </div>
        <div>
          <dt>{t("cases.due")}</dt>
          <dd className={d.overdue ? "bad-text" : undefined}>{date(d.dueAt)}</dd>
        </div>
        <div>
          <dt>{t("cases.created")}</dt>
          <dd>
            {date(d.createdAt, true)} · {d.createdBy}
          </dd>
        </div>
      </dl>
      {d.description ? <p className="prose">{d.description}</p> : null}
      {error ? <ErrorView error={error} /> : null}
      {canAct && next.length > 0 ? (
        <Card title={t("cases.move")} wide>
          <div className="form-row">
            <Field label={t("cases.note")}>
              <input value={note} onChange={(e) => setNote(e.target.value)} />
            </Field>
            {next.includes("referred") ? (
              <Field label={t("cases.referTo")}>
                <input value={referTo} onChange={(e) => setReferTo(e.target.value)} />
              </Field>
            ) : null}
          </div>
          <div className="button-row">
            {next.map((s) => (
              <button
                key={s}
                type="button"
                className="btn"
                onClick={() =>
                  void act(() =>
                    apiPost(`/api/cases/${d.id}/transitions`, {
                      to: s,
                      note,
                      ...(s === "referred" && referTo ? { referredTo: referTo } : {}),
                    }),
                  )
                }
              >
                {t("cases.moveTo", { status: label("caseStatus", s) })}
              </button>
            ))}
          </div>
        </Card>
      ) : null}
      <div className="grid-2">
        <Card title={t("cases.history")}>
          {d.history?.length ? (
            <ol className="timeline">
              {d.history.map((h) => (
                <li key={`${h.at}:${h.to}`}>
                  <span className="small muted">{date(h.at, true)}</span>{" "}
                  {h.from ? `${label("caseStatus", h.from)} → ` : ""}
                  {label("caseStatus", h.to)} · {h.actor}
                  {h.note ? <div className="small">{h.note}</div> : null}
                </li>
              ))}
            </ol>
          ) : (
            <Empty />
          )}
        </Card>
        <Card title={t("cases.comments")}>
          {d.comments?.length ? (
            <ul className="list">
              {d.comments.map((c) => (
                <li key={c.id} className="comment">
                  <div className="small muted">
                    {c.author} · {date(c.at ?? c.createdAt, true)}
                  </div>
                  <div>{c.body}</div>
                </li>
              ))}
            </ul>
          ) : (
            <Empty />
          )}
          {canAct ? (
            <form
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                void act(async () => {
                  await apiPost(`/api/cases/${d.id}/comments`, { body: comment });
                  setComment("");
                });
              }}
            >
              <Field label={t("cases.addComment")}>
                <textarea rows={2} required value={comment} onChange={(e) => setComment(e.target.value)} />
              </Field>
              <button type="submit" className="btn">
                {t("cases.postComment")}
              </button>
            </form>
          ) : null}
        </Card>
      </div>
      <div className="grid-2">
        <Card title={t("cases.rectifications")}>
          {d.rectifications?.length ? (
            <ul className="list">
              {d.rectifications.map((r) => (
                <li key={r.id} className="list-row">
                  <Badge
                    text={label("rectStatus", r.status)}
                    tone={r.status === "accepted" ? "ok" : "warn"}
                  />
                  <span>{r.requirements}</span>
                  <span className="small muted">{date(r.dueAt)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <Empty />
          )}
        </Card>
        <Card title={t("cases.attachments")}>
          {d.attachments?.length ? (
            <ul className="list">
              {d.attachments.map((a) => (
                <li key={a.id} className="list-row">
                  <a href={`/api/cases/${d.id}/attachments/${a.id}`}>{a.fileName}</a>
                  <code className="small">{a.sha256?.slice(0, 16)}</code>
                </li>
              ))}
            </ul>
          ) : (
            <Empty />
          )}
        </Card>
      </div>
    </>
  );
}
