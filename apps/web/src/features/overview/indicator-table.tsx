import { lineChart } from "@beacon/core/charts/scene";
import type { MonthlyReport } from "@beacon/core/reports/build-monthly-report";
import { formatDisplay } from "../../api/shapes.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { type Column, DataTable } from "../../ui/data-table.tsx";
import { SceneSvg } from "../../ui/scene-svg.tsx";

type Indicator = MonthlyReport["indicators"][number];

/** Key indicators: the median across institutions against the warning and regulatory lines, with breaches. */
export function IndicatorTable({ report, charts = 4 }: { report: MonthlyReport; charts?: number }) {
  const { t, lang, num, pct } = useI18n();
  const fmt = (n: number | null, d: string) => formatDisplay(n, d, { num, pct });
  const columns: Column<Indicator>[] = [
    { id: "rule", header: t("rules.rule"), value: (r) => pick(lang, r.rule) },
    {
      id: "median",
      header: t("overview.median"),
      value: (r) => r.median,
      cell: (r) => fmt(r.median, r.display),
      align: "right",
    },
    {
      id: "warningLine",
      header: t("lines.warning"),
      value: (r) => r.warningLine,
      cell: (r) => fmt(r.warningLine, r.display),
      align: "right",
    },
    {
      id: "regulatoryLine",
      header: t("lines.regulatory"),
      value: (r) => r.regulatoryLine,
      cell: (r) => `${r.comparator ?? ""} ${fmt(r.regulatoryLine, r.display)}`,
      align: "right",
    },
    {
      id: "assessed",
      header: t("overview.assessed"),
      value: (r) => r.assessed,
      cell: (r) => num(r.assessed),
      align: "right",
    },
    {
      id: "warning",
      header: t("overview.warningBreaches"),
      value: (r) => r.warning,
      cell: (r) => num(r.warning),
      align: "right",
    },
    {
      id: "regulatory",
      header: t("overview.regulatoryBreachesShort"),
      value: (r) => r.regulatory,
      cell: (r) => num(r.regulatory),
      align: "right",
    },
    {
      id: "basis",
      header: t("rules.legalBasis"),
      value: (r) => pick(lang, r.legalBasis),
      cell: (r) => <span className="small">{pick(lang, r.legalBasis)}</span>,
    },
  ];
  return (
    <>
      <div className="mini-charts">
        {report.indicators.slice(0, charts).map((ind) => {
          const lines = [];
          if (ind.warningLine !== null)
            lines.push({ value: ind.warningLine, label: t("lines.warning"), color: "#b58900" });
          if (ind.regulatoryLine !== null)
            lines.push({ value: ind.regulatoryLine, label: t("lines.regulatory"), color: "#c62828" });
          return (
            <figure key={ind.ruleId} className="mini-chart">
              <figcaption>{pick(lang, ind.rule)}</figcaption>
              <SceneSvg
                label={pick(lang, ind.rule)}
                scene={lineChart({
                  width: 340,
                  height: 180,
                  categories: report.trendPeriods,
                  series: [{ name: t("overview.median"), values: ind.medians }],
                  lines,
                  format: (n) => fmt(n, ind.display),
                })}
              />
            </figure>
          );
        })}
      </div>
      <DataTable
        caption={t("overview.indicators")}
        columns={columns}
        rows={report.indicators}
        rowKey={(r) => r.ruleId}
        dense
      />
    </>
  );
}
