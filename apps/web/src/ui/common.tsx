import type { ReactNode } from "react";
import type { ApiError } from "../api/client.ts";
import { type MessageKey, useI18n } from "../i18n/i18n.ts";
import { navigate } from "../lib/router.ts";

export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title">{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Card({
  title,
  actions,
  children,
  wide,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <section className={wide ? "card card-wide" : "card"} aria-label={title}>
      <header className="card-head">
        <h2>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" aria-live="polite">
      {t("common.loading")}
    </p>
  );
}

/** What went wrong, in words a supervisor can act on: a route not built yet, no access, or the server's message. */
export function ErrorView({ error }: { error: ApiError }) {
  const { t } = useI18n();
  if (error.routeMissing) return <NotAvailable />;
  let key: MessageKey = "error.generic";
  if (error.status === 403) key = "error.forbidden";
  else if (error.status === 401) key = "error.signedOut";
  else if (error.status === 404) key = "error.notFound";
  else if (error.status === 0) key = "error.network";
  return (
    <div className="alert alert-error" role="alert">
      <strong>{t(key)}</strong>
      {error.status !== 0 && error.status !== 401 ? (
        <span className="alert-detail">{error.message}</span>
      ) : null}
    </div>
  );
}

export function NotAvailable() {
  const { t } = useI18n();
  return (
    <div className="alert alert-info" role="status">
      {t("error.notAvailable")}
    </div>
  );
}

/** Loading, error or the content, for one API state. */
export function Async<T>({
  state,
  children,
}: {
  state: { data: T | undefined; error: ApiError | undefined; loading: boolean };
  children: (data: T) => ReactNode;
}) {
  if (state.error) return <ErrorView error={state.error} />;
  if (state.data === undefined) return <Loading />;
  return <>{children(state.data)}</>;
}

export function Empty({ text }: { text?: string }) {
  const { t } = useI18n();
  return <p className="muted">{text ?? t("common.none")}</p>;
}

const levelKeys: Record<string, MessageKey> = {
  red: "level.red",
  orange: "level.orange",
  yellow: "level.yellow",
  blue: "level.blue",
  green: "level.green",
};

export function LevelBadge({ level }: { level: string | null | undefined }) {
  const { t } = useI18n();
  if (!level) return <span className="muted">–</span>;
  const key = levelKeys[level];
  return <span className={`badge level-${level}`}>{key ? t(key) : level}</span>;
}

export function Badge({ text, tone }: { text: string; tone?: "ok" | "warn" | "bad" | "info" | "muted" }) {
  return <span className={`badge tone-${tone ?? "muted"}`}>{text}</span>;
}

export function Stat({
  label,
  value,
  tone,
  note,
}: {
  label: string;
  value: string;
  tone?: string;
  note?: string;
}) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ""}`}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
      {note ? <div className="stat-note">{note}</div> : null}
    </div>
  );
}

/** An in-app link: a real anchor (new tab, copy link) that navigates without a reload. */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <a
      href={to}
      className={className}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in.
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const { t, num } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t("common.pagination")}>
      <button type="button" className="btn" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t("common.previous")}
      </button>
      <span>{t("common.pageOf", { page: num(page), pages: num(pages), total: num(total) })}</span>
      <button type="button" className="btn" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("common.next")}
      </button>
    </nav>
  );
}
