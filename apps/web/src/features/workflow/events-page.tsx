import { eventTypes } from "@beacon/core/events/event-types";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { unitName } from "../../lib/labels.ts";
import { setSearch, useLocation } from "../../lib/router.ts";
import { Async, Badge, Field, Page, Pager } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";

interface EventRow {
  id: number;
  type: string;
  title: string;
  institution: string | null;
  institutionName: string | null;
  sector: string;
  amount: string | null;
  peopleAffected: number | null;
  occurredAt: string;
  reportedLate: boolean;
  followUpOverdue: boolean;
  escalationLevel: number;
  status: string;
  units: { unit: string; level: number; acknowledgedAt: string | null }[];
}

/** Major-risk events with their escalation chain and who has yet to acknowledge. */
export function EventsPage() {
  const { t, lang, label, date, num } = useI18n();
  const { search } = useLocation();
  const f = {
    status: search.get("status") ?? "",
    unacknowledged: search.get("unacknowledged") ?? "",
    page: Number(search.get("page") ?? 1) || 1,
  };
  const events = useApi<{ items: EventRow[]; total: number; page: number; pageSize: number }>("/api/events", {
    ...f,
    pageSize: 50,
  });
  const columns: Column<EventRow>[] = [
    { id: "id", header: t("cases.id"), value: (e) => e.id },
    {
      id: "type",
      header: t("events.type"),
      value: (e) => {
        const x = (eventTypes as Record<string, { zh: string; en: string }>)[e.type];
        return x ? pick(lang, x) : e.type;
      },
    },
    { id: "title", header: t("cases.title"), value: (e) => e.title },
    {
      id: "institution",
      header: t("inst.name"),
      value: (e) => e.institutionName ?? e.institution ?? label("sector", e.sector),
    },
    {
      id: "occurred",
      header: t("events.occurred"),
      value: (e) => e.occurredAt,
      cell: (e) => date(e.occurredAt, true),
    },
    {
      id: "amount",
      header: t("events.amount"),
      value: (e) => (e.amount ? Number(e.amount) : null),
      cell: (e) => (e.amount ? num(Number(e.amount)) : "–"),
      align: "right",
    },
    {
      id: "people",
      header: t("events.people"),
      value: (e) => e.peopleAffected,
      cell: (e) => num(e.peopleAffected),
      align: "right",
    },
    { id: "level", header: t("events.escalation"), value: (e) => e.escalationLevel, align: "right" },
    {
      id: "ack",
      header: t("events.awaiting"),
      value: (e) =>
        e.units
          .filter((u) => !u.acknowledgedAt)
          .map((u) => unitName(lang, u.unit))
          .join("; "),
      cell: (e) => (
        <span className="small">
          {e.units
            .filter((u) => !u.acknowledgedAt)
            .map((u) => unitName(lang, u.unit))
            .join("、") || "–"}
        </span>
      ),
    },
    {
      id: "status",
      header: t("cases.status"),
      value: (e) => label("eventStatus", e.status),
      cell: (e) => (
        <>
          <Badge text={label("eventStatus", e.status)} tone={e.status === "closed" ? "ok" : "warn"} />
          {e.reportedLate ? <Badge text={t("events.late")} tone="bad" /> : null}
          {e.followUpOverdue ? <Badge text={t("events.followUpOverdue")} tone="bad" /> : null}
        </>
      ),
    },
  ];
  return (
    <Page title={t("events.title")}>
      <div className="filters">
        <Field label={t("cases.status")}>
          <select value={f.status} onChange={(e) => setSearch({ status: e.target.value, page: null })}>
            <option value="">{t("common.all")}</option>
            <option value="open">{label("eventStatus", "open")}</option>
            <option value="closed">{label("eventStatus", "closed")}</option>
          </select>
        </Field>
        <Field label={t("events.awaiting")}>
          <select
            value={f.unacknowledged}
            onChange={(e) => setSearch({ unacknowledged: e.target.value, page: null })}
          >
            <option value="">{t("common.all")}</option>
            <option value="true">{t("common.yes")}</option>
          </select>
        </Field>
      </div>
      <Async state={events}>
        {(d) => (
          <>
            <DataTable
              caption={t("events.title")}
              columns={columns}
              rows={d.items}
              rowKey={(e) => String(e.id)}
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
