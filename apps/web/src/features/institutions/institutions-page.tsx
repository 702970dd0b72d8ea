import { institutionTypeCodes, sectors } from "@beacon/core/contract/institution-types";
import type { MonthlyReport } from "@beacon/core/reports/build-monthly-report";
import { useEffect, useState } from "react";
import { apiGet } from "../../api/client.ts";
import { useApi } from "../../api/use-api.ts";
import { useI18n } from "../../i18n/i18n.ts";
import { instName, typeName } from "../../lib/labels.ts";
import { setSearch, useLocation } from "../../lib/router.ts";
import { useSession } from "../../session.ts";
import { Async, Field, LevelBadge, Link, Page, Pager } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";

interface InstitutionRow {
  code: string;
  nameZh: string;
  nameEn: string;
  type: string;
  sector: string;
  district: string;
  totalAssets: string | null;
  status: string;
  level?: string | null;
}

interface ListAnswer {
  items: InstitutionRow[];
  total: number;
  page: number;
  pageSize: number;
}

/** The registry, filtered, sorted and paged on the server; a risk level filter reads this month's levels. */
export function InstitutionsPage() {
  const { t, label, lang } = useI18n();
  const { search } = useLocation();
  const session = useSession();
  // The registry lists the whole province only to global readers; a unit lists one of its sectors at a time.
  const user = session.user;
  const restricted = user !== null && user !== "open" && !["admin", "auditor"].includes(user.role);
  const sectorChoices: readonly string[] =
    user !== null && user !== "open" && restricted ? user.sectors : sectors;
  const f = {
    sector: search.get("sector") ?? (restricted ? (sectorChoices[0] ?? "") : ""),
    type: search.get("type") ?? "",
    district: search.get("district") ?? "",
    status: search.get("status") ?? "",
    q: search.get("q") ?? "",
    level: search.get("level") ?? "",
    sort: search.get("sort") ?? "code",
    order: (search.get("order") ?? "asc") as "asc" | "desc",
    page: Number(search.get("page") ?? 1) || 1,
  };
  const [qDraft, setQDraft] = useState(f.q);
  useEffect(() => setQDraft(f.q), [f.q]);
  const pageSize = 50;
  const list = useApi<ListAnswer>(f.level ? null : "/api/institutions", {
    sector: f.sector,
    type: f.type,
    district: f.district,
    status: f.status,
    q: f.q,
    sort: f.sort,
    order: f.order,
    page: f.page,
    pageSize,
  });
  const report = useApi<MonthlyReport>(f.level ? "/api/reports/monthly" : null, {
    format: "json",
    sector: f.sector,
  });
  const columns: Column<InstitutionRow>[] = [
    {
      id: "code",
      header: t("inst.code"),
      sortKey: "code",
      value: (r) => r.code,
      cell: (r) => <Link to={`/institutions/${r.code}`}>{r.code}</Link>,
    },
    {
      id: "name",
      header: t("inst.name"),
      sortKey: lang === "zh" ? "name_zh" : "name_en",
      value: (r) => instName(lang, r),
    },
    { id: "type", header: t("inst.type"), sortKey: "type", value: (r) => typeName(lang, r.type) },
    { id: "sector", header: t("inst.sector"), value: (r) => label("sector", r.sector) },
    { id: "district", header: t("inst.district"), sortKey: "district", value: (r) => r.district },
    {
      id: "assets",
      header: t("inst.totalAssets"),
      sortKey: "total_assets",
      value: (r) => (r.totalAssets === null ? null : Number(r.totalAssets)),
      cell: (r) =>
        r.totalAssets === null
          ? "–"
          : Number(r.totalAssets).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB"),
      align: "right",
    },
    { id: "status", header: t("inst.status"), value: (r) => label("instStatus", r.status) },
  ];
  const filters = (
    <form
      className="filters"
      onSubmit={(e) => {
        e.preventDefault();
        setSearch({ q: qDraft, page: null });
      }}
    >
      <Field label={t("inst.sector")}>
        <select value={f.sector} onChange={(e) => setSearch({ sector: e.target.value, page: null })}>
          {restricted ? null : <option value="">{t("common.all")}</option>}
          {sectorChoices.map((s) => (
            <option key={s} value={s}>
              {label("sector", s)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("inst.type")}>
        <select value={f.type} onChange={(e) => setSearch({ type: e.target.value, page: null })}>
          <option value="">{t("common.all")}</option>
          {institutionTypeCodes.map((c) => (
            <option key={c} value={c}>
              {typeName(lang, c)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("inst.status")}>
        <select value={f.status} onChange={(e) => setSearch({ status: e.target.value, page: null })}>
          <option value="">{t("common.all")}</option>
          {["active", "under_watch", "exited", "taken_over", "revoked"].map((s) => (
            <option key={s} value={s}>
              {label("instStatus", s)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("overview.level")}>
        <select value={f.level} onChange={(e) => setSearch({ level: e.target.value, page: null })}>
          <option value="">{t("common.all")}</option>
          {["red", "orange", "yellow", "green"].map((l) => (
            <option key={l} value={l}>
              {label("level", l)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("inst.district")}>
        <input value={f.district} onChange={(e) => setSearch({ district: e.target.value, page: null })} />
      </Field>
      <Field label={t("common.search")}>
        <input
          type="search"
          value={qDraft}
          onChange={(e) => setQDraft(e.target.value)}
          placeholder={t("inst.searchHint")}
        />
      </Field>
      <button type="submit" className="btn">
        {t("common.apply")}
      </button>
    </form>
  );
  if (f.level) {
    return (
      <Page title={t("inst.title")}>
        {filters}
        <Async state={report}>
          {(r) => {
            const rows = r.submissions.byInstitution
              .filter(
                (i) =>
                  i.level === f.level &&
                  (!f.district || i.district === f.district) &&
                  (!f.type || i.type === f.type),
              )
              .map((i) => ({ ...i, totalAssets: null, status: "" }));
            const levelColumns: Column<InstitutionRow>[] = [
              ...columns.filter((c) => c.id !== "assets" && c.id !== "status"),
              {
                id: "level",
                header: t("overview.level"),
                value: (x) => (x.level ? label("level", x.level) : ""),
                cell: (x) => <LevelBadge level={x.level} />,
              },
            ];
            return (
              <DataTable
                caption={t("inst.title")}
                columns={levelColumns}
                rows={rows}
                rowKey={(x) => x.code}
              />
            );
          }}
        </Async>
      </Page>
    );
  }
  return (
    <Page title={t("inst.title")}>
      {filters}
      <Async state={list}>
        {(d) => (
          <>
            <DataTable
              caption={t("inst.title")}
              columns={columns}
              rows={d.items}
              rowKey={(r) => r.code}
              sort={{
                key: f.sort,
                order: f.order,
                onSort: (sort, order) => setSearch({ sort, order, page: null }),
              }}
              exportRows={async () => {
                const all: InstitutionRow[] = [];
                for (let p = 1; p <= Math.ceil(d.total / 500); p++) {
                  const r = await apiGet<ListAnswer>("/api/institutions", {
                    ...f,
                    level: undefined,
                    page: p,
                    pageSize: 500,
                  });
                  all.push(...r.items);
                }
                return all;
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
    </Page>
  );
}
