import { sectors } from "@beacon/core/contract/institution-types";
import type { MonthlyReport } from "@beacon/core/reports/build-monthly-report";
import { useState } from "react";
import { withQuery } from "../../api/client.ts";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { instName } from "../../lib/labels.ts";
import { Async, Card, Field, Page } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";
import { IndicatorTable } from "../overview/indicator-table.tsx";

type Breach = MonthlyReport["breaches"][number];

/** The monthly supervisory report for a sector or the province: a preview, and the XLSX and PDF documents. */
export function ReportsPage() {
  const { t, lang, label } = useI18n();
  const [period, setPeriod] = useState("");
  const [sector, setSector] = useState("");
  const preview = useApi<MonthlyReport>("/api/reports/monthly", { format: "json", period, sector });
  const href = (format: "xlsx" | "pdf") =>
    withQuery("/api/reports/monthly", { format, period, sector, lang });
  const columns: Column<Breach>[] = [
    { id: "inst", header: t("inst.name"), value: (b) => instName(lang, b) },
    { id: "sector", header: t("inst.sector"), value: (b) => label("sector", b.sector) },
    { id: "rule", header: t("rules.rule"), value: (b) => pick(lang, b.rule) },
    { id: "kind", header: t("profile.line"), value: (b) => label("outcome", b.kind) },
    {
      id: "explanation",
      header: t("profile.explanation"),
      value: (b) => pick(lang, b.explanation),
      cell: (b) => <span className="small">{pick(lang, b.explanation)}</span>,
    },
    {
      id: "basis",
      header: t("rules.legalBasis"),
      value: (b) => pick(lang, b.legalBasis),
      cell: (b) => <span className="small">{pick(lang, b.legalBasis)}</span>,
    },
  ];
  return (
    <Page title={t("reports.title")}>
      <div className="filters">
        <Field label={t("reports.period")} hint={t("reports.periodHint")}>
          <input type="month" value={period} onChange={(e) => setPeriod(e.target.value)} />
        </Field>
        <Field label={t("inst.sector")}>
          <select value={sector} onChange={(e) => setSector(e.target.value)}>
            <option value="">{t("reports.province")}</option>
            {sectors.map((s) => (
              <option key={s} value={s}>
                {label("sector", s)}
              </option>
            ))}
          </select>
        </Field>
        <a className="btn btn-primary" href={href("xlsx")} download>
          {t("reports.downloadXlsx")}
        </a>
        <a className="btn btn-primary" href={href("pdf")} download>
          {t("reports.downloadPdf")}
        </a>
      </div>
      <p className="small muted">{t("reports.languageNote")}</p>
      <Async state={preview}>
        {(r) => (
          <>
            <Card
              title={t("reports.previewOf", {
                period: r.period,
                scope: r.sector ? label("sector", r.sector) : t("reports.province"),
              })}
              wide
            >
              <IndicatorTable report={r} charts={2} />
            </Card>
            <Card title={t("reports.breaches", { count: r.breaches.length })} wide>
              <DataTable
                caption={t("reports.breaches", { count: r.breaches.length })}
                columns={columns}
                rows={r.breaches}
                rowKey={(b) => `${b.institution}:${b.ruleId}`}
                dense
              />
            </Card>
          </>
        )}
      </Async>
    </Page>
  );
}
