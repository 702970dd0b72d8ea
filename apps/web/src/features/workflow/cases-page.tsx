import { sectors } from "@beacon/core/contract/institution-types";
import { useState } from "react";
import { useApi } from "../../api/use-api.ts";
import { useI18n } from "../../i18n/i18n.ts";
import { unitName } from "../../lib/labels.ts";
import { setSearch, useLocation } from "../../lib/router.ts";
import { hasRole, leaderRoles, useSession } from "../../session.ts";
import { Async, Badge, Field, Link, Page, Pager } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";
import { type CaseSeed, OpenCaseDialog } from "./open-case-dialog.tsx";

export interface CaseRow {
  id: number;
  title: string;
  source: { kind: string; ref: string };
  institution: string | null;
  institutionName: string | null;
  sector: string;
  ownerUnit: string;
  status: string;
  priority: string;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
}

export const caseStatuses = [
  "open",
  "investigating",
  "rectification_required",
  "rectified",
  "closed",
  "referred",
];

export function CasesPage() {
  const { t, lang, label, date } = useI18n();
  const session = useSession();
  const { search } = useLocation();
  const f = {
    status: search.get("status") ?? "",
    sector: search.get("sector") ?? "",
    priority: search.get("priority") ?? "",
    overdue: search.get("overdue") ?? "",
    sort: search.get("sort") ?? "id",
    order: (search.get("order") ?? "desc") as "asc" | "desc",
    page: Number(search.get("page") ?? 1) || 1,
  };
  const [seed, setSeed] = useState<CaseSeed | null>(null);
  const cases = useApi<{ items: CaseRow[]; total: number; page: number; pageSize: number }>("/api/cases", {
    ...f,
    pageSize: 50,
  });
  const columns: Column<CaseRow>[] = [
    {
      id: "id",
      header: t("cases.id"),
      sortKey: "id",
      value: (c) => c.id,
      cell: (c) => <Link to={`/cases/${c.id}`}>{`#${c.id}`}</Link>,
    },
    {
      id: "title",
      header: t("cases.title"),
      value: (c) => c.title,
      cell: (c) => <Link to={`/cases/${c.id}`}>{c.title}</Link>,
    },
    { id: "institution", header: t("inst.name"), value: (c) => c.institutionName ?? c.institution ?? "" },
    { id: "sector", header: t("inst.sector"), value: (c) => label("sector", c.sector) },
    { id: "owner", header: t("cases.owner"), value: (c) => unitName(lang, c.ownerUnit) },
    {
      id: "status",
      header: t("cases.status"),
      sortKey: "status",
      value: (c) => label("caseStatus", c.status),
      cell: (c) => (
        <Badge text={label("caseStatus", c.status)} tone={c.status === "closed" ? "ok" : "info"} />
      ),
    },
    {
      id: "priority",
      header: t("cases.priority"),
      sortKey: "priority",
      value: (c) => label("priority", c.priority),
    },
    {
      id: "due",
      header: t("cases.due"),
      sortKey: "due_at",
      value: (c) => c.dueAt ?? "",
      cell: (c) => (
        <span className={c.overdue ? "bad-text" : undefined}>
          {date(c.dueAt)}
          {c.overdue ? ` · ${t("cases.overdue")}` : ""}
        </span>
      ),
    },
    {
      id: "created",
      header: t("cases.created"),
      sortKey: "created_at",
      value: (c) => c.createdAt,
      cell: (c) => date(c.createdAt),
    },
  ];
  return (
    <Page
      title={t("cases.titlePlural")}
      actions={
        hasRole(session, leaderRoles) ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setSeed({ title: "", source: { kind: "manual", ref: t("cases.manualRef") } })}
          >
            {t("cases.openManual")}
          </button>
        ) : null
      }
    >
      <div className="filters">
        <Field label={t("cases.status")}>
          <select value={f.status} onChange={(e) => setSearch({ status: e.target.value, page: null })}>
            <option value="">{t("common.all")}</option>
            {caseStatuses.map((s) => (
              <option key={s} value={s}>
                {label("caseStatus", s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("inst.sector")}>
          <select value={f.sector} onChange={(e) => setSearch({ sector: e.target.value, page: null })}>
            <option value="">{t("common.all")}</option>
            {sectors.map((s) => (
              <option key={s} value={s}>
                {label("sector", s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("cases.priority")}>
          <select value={f.priority} onChange={(e) => setSearch({ priority: e.target.value, page: null })}>
            <option value="">{t("common.all")}</option>
            {["low", "normal", "high", "urgent"].map((p) => (
              <option key={p} value={p}>
                {label("priority", p)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("cases.overdue")}>
          <select value={f.overdue} onChange={(e) => setSearch({ overdue: e.target.value, page: null })}>
            <option value="">{t("common.all")}</option>
            <option value="true">{t("common.yes")}</option>
            <option value="false">{t("common.no")}</option>
          </select>
        </Field>
      </div>
      <Async state={cases}>
        {(d) => (
          <>
            <DataTable
              caption={t("cases.titlePlural")}
              columns={columns}
              rows={d.items}
              rowKey={(c) => String(c.id)}
              sort={{
                key: f.sort,
                order: f.order,
                onSort: (sort, order) => setSearch({ sort, order, page: null }),
              }}
            />
            <Pager
              page={d.page}
              pageSize={d.pageSize}
              total={d.total}
              onPage={(p) => setSearch({ page: p })}
            />
          </>
        )}
      </Async>
      {seed ? <ManualCase seed={seed} onClose={() => setSeed(null)} /> : null}
    </Page>
  );
}

/** A manual case names its sector (no institution); the dialog asks for it first. */
function ManualCase({ seed, onClose }: { seed: CaseSeed; onClose: () => void }) {
  const { t, label } = useI18n();
  const session = useSession();
  const visible =
    session.user && session.user !== "open" && session.user.sectors.length
      ? session.user.sectors
      : [...sectors];
  const [sector, setSector] = useState<string | null>(null);
  if (sector) return <OpenCaseDialog seed={{ ...seed, sector }} onClose={onClose} />;
  return (
    <fieldset className="inline-form">
      <legend className="sr-only">{t("cases.chooseSector")}</legend>
      <Field label={t("cases.chooseSector")}>
        <select defaultValue="" onChange={(e) => e.target.value && setSector(e.target.value)}>
          <option value="">–</option>
          {visible.map((s) => (
            <option key={s} value={s}>
              {label("sector", s)}
            </option>
          ))}
        </select>
      </Field>
      <button type="button" className="btn" onClick={onClose}>
        {t("common.cancel")}
      </button>
    </fieldset>
  );
}
