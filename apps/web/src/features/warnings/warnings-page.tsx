import { sectors } from "@beacon/core/contract/institution-types";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, apiGet, apiPost } from "../../api/client.ts";
import { itemsOf, totalOf, type WarningView, warningOf } from "../../api/shapes.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { download, toCsv } from "../../lib/export.ts";
import { navigate, setSearch, useLocation } from "../../lib/router.ts";
import { hasRole, leaderRoles, useSession } from "../../session.ts";
import { ErrorView, Field, LevelBadge, Link, Loading, Page } from "../../ui/common.tsx";
import { VirtualRows } from "../../ui/virtual-rows.tsx";
import { type CaseSeed, OpenCaseDialog } from "../workflow/open-case-dialog.tsx";

const pageSize = 200;
const rowHeight = 38;

interface Filters {
  level: string;
  sector: string;
  status: string;
  q: string;
  sort: string;
  order: string;
}

/** The warnings inbox: filters and sort run on the server, pages load as they scroll into view. */
export function WarningsPage() {
  const { t, num, label, lang } = useI18n();
  const session = useSession();
  const { search } = useLocation();
  const filters: Filters = {
    level: search.get("level") ?? "",
    sector: search.get("sector") ?? "",
    status: search.get("status") ?? "",
    q: search.get("q") ?? "",
    sort: search.get("sort") ?? "level",
    order: search.get("order") ?? "desc",
  };
  const key = JSON.stringify(filters);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const pages = useRef(new Map<number, WarningView[]>());
  const pending = useRef(new Set<number>());
  const [, setVersion] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [note, setNote] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [caseSeed, setCaseSeed] = useState<CaseSeed | null>(null);
  const [qDraft, setQDraft] = useState(filters.q);

  const query = useCallback(
    (page: number) => ({
      page,
      pageSize,
      sort: filters.sort,
      order: filters.order,
      level: filters.level,
      sector: filters.sector,
      status: filters.status,
      q: filters.q,
    }),
    [filters.sort, filters.order, filters.status, filters.sector, filters.q, filters.level],
  );

  const loadPage = useCallback(
    async (page: number) => {
      if (pages.current.has(page) || pending.current.has(page)) return;
      pending.current.add(page);
      try {
        const body = await apiGet<unknown>("/api/warnings", query(page));
        pages.current.set(page, itemsOf(body, "warnings").map(warningOf));
        setTotal(totalOf(body, pages.current.get(page)!.length));
        setVersion((v) => v + 1);
      } catch (e) {
        setError(e instanceof ApiError ? e : new ApiError(0, "NETWORK", String(e)));
      } finally {
        pending.current.delete(page);
      }
    },
    [query],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset whenever the filters (key) change.
  useEffect(() => {
    pages.current = new Map();
    pending.current = new Set();
    setTotal(null);
    setError(null);
    setSelected(new Set());
    void loadPage(1);
  }, [key]);

  const onRange = useCallback(
    (from: number, to: number) => {
      for (
        let p = Math.floor(from / pageSize) + 1;
        p <= Math.floor(Math.max(from, to - 1) / pageSize) + 1;
        p++
      )
        void loadPage(p);
    },
    [loadPage],
  );
  const rowAt = (i: number) => pages.current.get(Math.floor(i / pageSize) + 1)?.[i % pageSize];

  /** Applies one move to every selected warning, one request each, and says how many went through. */
  const bulk = async (to: "acknowledged" | "escalated" | "closed" | "case") => {
    setNotice(null);
    setError(null);
    let ok = 0;
    let failed = 0;
    for (const id of selected) {
      try {
        if (to === "case") await apiPost(`/api/warnings/${id}/case`, note ? { note } : {});
        else await apiPost(`/api/warnings/${id}/transition`, { to, note });
        ok++;
      } catch (e) {
        if (e instanceof ApiError && e.routeMissing) {
          setNotice(t("error.notAvailable"));
          return;
        }
        failed++;
      }
    }
    setNotice(t("warnings.bulkDone", { ok: num(ok), failed: num(failed) }));
    setSelected(new Set());
    pages.current = new Map();
    void loadPage(1);
  };

  const openCase = async (w: WarningView) => {
    try {
      const c = await apiPost<{ id: number }>(`/api/warnings/${w.id}/case`, {});
      navigate(`/cases/${c.id}`);
    } catch (e) {
      // Without the warnings' own case route, open a case by hand on the warning.
      if (e instanceof ApiError && (e.routeMissing || e.status === 404)) {
        setCaseSeed({
          title: w.title ? pick(lang, w.title).slice(0, 200) : t("cases.fromWarning", { id: w.id }),
          source: { kind: "warning", ref: w.id },
          institution: w.institution,
          sector: w.sector,
        });
      } else setError(e instanceof ApiError ? e : new ApiError(0, "NETWORK", String(e)));
    }
  };

  const exportLoaded = () => {
    const rows = [...pages.current.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, r]) => r);
    download(
      `${t("warnings.title")}.csv`,
      toCsv(
        [
          t("warnings.id"),
          t("overview.level"),
          t("inst.code"),
          t("inst.name"),
          t("warnings.summary"),
          t("inst.sector"),
          t("warnings.period"),
          t("warnings.score"),
          t("warnings.status"),
        ],
        rows.map((w) => [
          w.id,
          w.level ? label("level", w.level) : "",
          w.institution,
          w.institutionName ? pick(lang, w.institutionName) : "",
          w.title ? pick(lang, w.title) : "",
          w.sector ? label("sector", w.sector) : "",
          w.period,
          w.score,
          w.status ? label("warningStatus", w.status) : "",
        ]),
      ),
      "text/csv;charset=utf-8",
    );
  };

  if (error?.routeMissing) {
    return (
      <Page title={t("warnings.title")}>
        <ErrorView error={error} />
      </Page>
    );
  }
  const canOpen = hasRole(session, leaderRoles);
  const sortButton = (field: string, text: string) => {
    const active = filters.sort === field;
    return (
      <button
        type="button"
        className="th-sort"
        aria-label={t("common.sortBy", { field: text })}
        onClick={() => setSearch({ sort: field, order: active && filters.order === "desc" ? "asc" : "desc" })}
      >
        {text}
        <span aria-hidden="true" className="sort-mark">
          {active ? (filters.order === "asc" ? "▲" : "▼") : ""}
        </span>
      </button>
    );
  };
  return (
    <Page
      title={t("warnings.title")}
      actions={
        total !== null ? <span className="muted">{t("warnings.count", { count: num(total) })}</span> : null
      }
    >
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch({ q: qDraft });
        }}
      >
        <Field label={t("overview.level")}>
          <select value={filters.level} onChange={(e) => setSearch({ level: e.target.value })}>
            <option value="">{t("common.all")}</option>
            {["red", "orange", "yellow", "blue", "green"].map((l) => (
              <option key={l} value={l}>
                {label("level", l)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("inst.sector")}>
          <select value={filters.sector} onChange={(e) => setSearch({ sector: e.target.value })}>
            <option value="">{t("common.all")}</option>
            {sectors.map((s) => (
              <option key={s} value={s}>
                {label("sector", s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("warnings.status")}>
          <select value={filters.status} onChange={(e) => setSearch({ status: e.target.value })}>
            <option value="">{t("warnings.openOnly")}</option>
            {["all", "new", "acknowledged", "escalated", "downgraded", "closed"].map((s) => (
              <option key={s} value={s}>
                {label("warningStatus", s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("common.search")}>
          <input
            type="search"
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            placeholder={t("warnings.searchHint")}
          />
        </Field>
        <button type="submit" className="btn">
          {t("common.apply")}
        </button>
        <button type="button" className="btn" onClick={exportLoaded}>
          {t("warnings.exportLoaded")}
        </button>
      </form>
      <div className="bulkbar" aria-live="polite">
        <span>{t("warnings.selected", { count: num(selected.size) })}</span>
        <Field label={t("warnings.note")}>
          <input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t("warnings.noteHint")}
          />
        </Field>
        {canOpen ? (
          <>
            <button
              type="button"
              className="btn"
              disabled={selected.size === 0}
              onClick={() => void bulk("acknowledged")}
            >
              {t("warnings.acknowledge")}
            </button>
            <button
              type="button"
              className="btn"
              disabled={selected.size === 0 || !note.trim()}
              onClick={() => void bulk("escalated")}
            >
              {t("warnings.escalate")}
            </button>
            <button
              type="button"
              className="btn"
              disabled={selected.size === 0 || !note.trim()}
              onClick={() => void bulk("closed")}
            >
              {t("warnings.close")}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={selected.size === 0}
              onClick={() => void bulk("case")}
            >
              {t("warnings.openCases")}
            </button>
          </>
        ) : null}
        {notice ? <span className="note">{notice}</span> : null}
      </div>
      {error ? <ErrorView error={error} /> : null}
      {total === null && !error ? (
        <Loading />
      ) : total !== null ? (
        <VirtualRows<WarningView>
          label={t("warnings.title")}
          total={total}
          rowHeight={rowHeight}
          height={Math.max(
            280,
            Math.min(620, typeof window === "undefined" ? 600 : window.innerHeight - 330),
          )}
          rowAt={rowAt}
          rowKey={(w, i) => (w ? w.id : `loading-${i}`)}
          onRange={onRange}
          columns={[
            { id: "check", width: "2.2rem", header: <span className="sr-only">{t("common.select")}</span> },
            { id: "level", width: "5.5rem", header: sortButton("level", t("overview.level")) },
            { id: "inst", width: "22%", header: t("inst.name") },
            { id: "title", width: "28%", header: t("warnings.summary"), className: "ellipsis" },
            { id: "sector", width: "8rem", header: t("inst.sector") },
            { id: "period", width: "6rem", header: sortButton("last_period", t("warnings.period")) },
            {
              id: "score",
              width: "5rem",
              header: sortButton("score", t("warnings.score")),
              className: "num",
            },
            { id: "status", width: "6.5rem", header: t("warnings.status") },
            { id: "action", width: "7rem", header: <span className="sr-only">{t("common.actions")}</span> },
          ]}
          renderCells={(w) =>
            w
              ? [
                  <input
                    key="c"
                    type="checkbox"
                    aria-label={t("common.selectRow", { row: w.id })}
                    checked={selected.has(w.id)}
                    onChange={() =>
                      setSelected((s) => {
                        const n = new Set(s);
                        if (n.has(w.id)) n.delete(w.id);
                        else n.add(w.id);
                        return n;
                      })
                    }
                  />,
                  <LevelBadge key="l" level={w.level} />,
                  w.institution ? (
                    <Link key="i" to={`/institutions/${w.institution}`}>
                      {w.institutionName ? pick(lang, w.institutionName) : w.institution}
                    </Link>
                  ) : (
                    "–"
                  ),
                  <span key="t" title={w.title ? pick(lang, w.title) : undefined}>
                    {w.title ? pick(lang, w.title) : ""}
                  </span>,
                  w.sector ? label("sector", w.sector) : "",
                  w.period ?? "",
                  w.score !== null ? num(w.score, 1) : "",
                  w.status ? label("warningStatus", w.status) : "",
                  w.caseId ? (
                    <Link key="k" to={`/cases/${w.caseId}`}>
                      {t("cases.case", { id: w.caseId })}
                    </Link>
                  ) : canOpen ? (
                    <button key="b" type="button" className="btn btn-small" onClick={() => void openCase(w)}>
                      {t("cases.open")}
                    </button>
                  ) : null,
                ]
              : [null, t("common.loading"), null, null, null, null, null, null, null]
          }
        />
      ) : null}
      {caseSeed ? <OpenCaseDialog seed={caseSeed} onClose={() => setCaseSeed(null)} /> : null}
    </Page>
  );
}
