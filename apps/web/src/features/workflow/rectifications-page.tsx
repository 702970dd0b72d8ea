import { itemsOf } from "../../api/shapes.ts";
import { useApi } from "../../api/use-api.ts";
import { useI18n } from "../../i18n/i18n.ts";
import { unitName } from "../../lib/labels.ts";
import { setSearch, useLocation } from "../../lib/router.ts";
import { Async, Badge, Card, ErrorView, Field, Link, NotAvailable, Page } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";

interface Rectification {
  id: number;
  caseId: number;
  institution: string;
  requirements: string;
  dueAt: string;
  overdue: boolean;
  status: string;
  createdAt: string;
  responses: { id: number }[];
}

/** Rectification requests: the campaign's progress, overdue ones first to chase. */
export function RectificationsPage() {
  const { t, label, date, num } = useI18n();
  const { search } = useLocation();
  const f = { status: search.get("status") ?? "", overdue: search.get("overdue") ?? "" };
  const list = useApi<{ items: Rectification[] }>("/api/rectifications", { ...f, pageSize: 200 });
  const columns: Column<Rectification>[] = [
    { id: "id", header: t("cases.id"), value: (r) => r.id },
    {
      id: "case",
      header: t("rect.case"),
      value: (r) => r.caseId,
      cell: (r) => <Link to={`/cases/${r.caseId}`}>{`#${r.caseId}`}</Link>,
    },
    {
      id: "institution",
      header: t("inst.code"),
      value: (r) => r.institution,
      cell: (r) => <Link to={`/institutions/${r.institution}`}>{r.institution}</Link>,
    },
    { id: "requirements", header: t("rect.requirements"), value: (r) => r.requirements },
    {
      id: "due",
      header: t("cases.due"),
      value: (r) => r.dueAt,
      cell: (r) => <span className={r.overdue ? "bad-text" : undefined}>{date(r.dueAt)}</span>,
    },
    {
      id: "responses",
      header: t("rect.responses"),
      value: (r) => r.responses.length,
      cell: (r) => num(r.responses.length),
      align: "right",
    },
    {
      id: "status",
      header: t("cases.status"),
      value: (r) => label("rectStatus", r.status),
      cell: (r) => (
        <Badge
          text={label("rectStatus", r.status)}
          tone={r.status === "accepted" ? "ok" : r.overdue ? "bad" : "warn"}
        />
      ),
    },
  ];
  return (
    <Page title={t("rect.title")}>
      <Campaigns />
      <div className="filters">
        <Field label={t("cases.status")}>
          <select value={f.status} onChange={(e) => setSearch({ status: e.target.value })}>
            <option value="">{t("common.all")}</option>
            {["pending", "responded", "accepted", "rejected"].map((s) => (
              <option key={s} value={s}>
                {label("rectStatus", s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("cases.overdue")}>
          <select value={f.overdue} onChange={(e) => setSearch({ overdue: e.target.value })}>
            <option value="">{t("common.all")}</option>
            <option value="true">{t("common.yes")}</option>
          </select>
        </Field>
      </div>
      <h2>{t("rect.requests")}</h2>
      <Async state={list}>
        {(d) => {
          const accepted = d.items.filter((r) => r.status === "accepted").length;
          return (
            <>
              <p className="muted">
                {t("rect.progress", { accepted: num(accepted), total: num(d.items.length) })}
              </p>
              <DataTable
                caption={t("rect.title")}
                columns={columns}
                rows={d.items}
                rowKey={(r) => String(r.id)}
              />
            </>
          );
        }}
      </Async>
    </Page>
  );
}

interface Campaign {
  id: number;
  name: string;
  kind: string;
  leadUnit: string;
  deadline: string;
  status: string;
  progress: { targets: number; done: number; overdue: number };
}

/** Rectification campaigns (local financial organisations), with how far each has got. */
function Campaigns() {
  const { t, lang, date, num } = useI18n();
  const c = useApi<unknown>("/api/local-finance/campaigns");
  // Campaigns belong to the local-finance sector: units that do not see it have no card (not an error).
  if (c.error?.status === 403 && !c.error.routeMissing) return null;
  if (c.error?.routeMissing || (!c.data && !c.error))
    return c.error ? (
      <Card title={t("rect.campaigns")} wide>
        <NotAvailable />
      </Card>
    ) : null;
  if (c.error) return <ErrorView error={c.error} />;
  const items = itemsOf(c.data, "campaigns") as unknown as Campaign[];
  return (
    <Card title={t("rect.campaigns")} wide>
      <DataTable
        caption={t("rect.campaigns")}
        rows={items}
        rowKey={(x) => String(x.id)}
        dense
        columns={[
          { id: "name", header: t("cases.title"), value: (x) => x.name },
          { id: "lead", header: t("cases.owner"), value: (x) => unitName(lang, x.leadUnit) },
          { id: "deadline", header: t("cases.due"), value: (x) => x.deadline, cell: (x) => date(x.deadline) },
          {
            id: "progress",
            header: t("rect.responses"),
            value: (x) => x.progress?.done ?? 0,
            cell: (x) => (
              <span>
                <progress
                  max={Math.max(1, x.progress?.targets ?? 0)}
                  value={x.progress?.done ?? 0}
                  aria-label={x.name}
                />{" "}
                {t("rect.campaignProgress", {
                  done: num(x.progress?.done ?? 0),
                  total: num(x.progress?.targets ?? 0),
                })}
              </span>
            ),
          },
          {
            id: "overdue",
            header: t("cases.overdue"),
            value: (x) => x.progress?.overdue ?? 0,
            align: "right",
          },
        ]}
      />
    </Card>
  );
}
