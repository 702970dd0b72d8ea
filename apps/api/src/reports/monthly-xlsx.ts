import { levelColors } from "@beacon/core/charts/scene";
import { type MonthlyReport, riskLevels } from "@beacon/core/reports/build-monthly-report";
import ExcelJS from "exceljs";
import { type Lang, reportText } from "./report-text.ts";

const statuses = ["active", "under_watch", "exited", "taken_over", "revoked"] as const;
const argb = (hex: string) => `FF${hex.slice(1).toUpperCase()}`;

/**
 * The monthly report as an XLSX workbook: one sheet per section. Charts are drawn in the cells (Excel data bars
 * and level-coloured fills), which every spreadsheet program shows and exceljs writes natively.
 */
export async function renderMonthlyXlsx(report: MonthlyReport, lang: Lang): Promise<Buffer> {
  const tx = reportText(lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = "Beacon";
  wb.created = new Date(report.generatedAt);
  const scope = report.sector ? tx.sector(report.sector) : tx.t("province");

  const bold = { bold: true };
  const headerRow = (ws: ExcelJS.Worksheet, values: string[]) => {
    const row = ws.addRow(values);
    row.font = bold;
    row.eachCell((c) => {
      c.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE6EEF7" } };
    });
    return row;
  };
  const dataBar = (ws: ExcelJS.Worksheet, ref: string, color: string) =>
    ws.addConditionalFormatting({
      ref,
      rules: [
        {
          type: "dataBar",
          priority: 1,
          minLength: 0,
          maxLength: 100,
          gradient: false,
          cfvo: [{ type: "num", value: 0 }, { type: "max" }],
          color: { argb: argb(color) },
        } as unknown as ExcelJS.ConditionalFormattingRule,
      ],
    });

  // Summary
  const s = wb.addWorksheet(tx.t("summary"));
  s.columns = [{ width: 34 }, { width: 18 }];
  s.addRow([`${tx.t("title")} · ${report.period}`]).font = { bold: true, size: 14 };
  s.addRow([tx.t("scope"), scope]);
  s.addRow([tx.t("generated"), report.generatedAt]);
  if (!report.wholeProvince && !report.sector) s.addRow([tx.t("partialScope")]);
  s.addRow([]);
  const regulatory = report.breaches.filter((b) => b.kind === "breach_regulatory").length;
  for (const [k, v] of [
    [tx.t("institutions"), report.institutions.total],
    [tx.t("expected"), report.submissions.expected],
    [tx.t("reported"), report.submissions.reported],
    [tx.t("regulatoryBreaches"), regulatory],
    [tx.t("warningBreaches"), report.breaches.length - regulatory],
    [tx.t("openCases"), report.workflow.openCases],
    [tx.t("openEvents"), report.workflow.openEvents],
    [tx.t("eventsThisMonth"), report.workflow.eventsThisMonth],
  ] as [string, number][]) {
    s.addRow([k, v]);
  }
  s.addRow([]);
  s.addRow([tx.t("chartNote")]).font = { italic: true, color: { argb: "FF52606D" } };

  // Risk grid: sector x level, each cell filled with its level's colour when non-zero.
  const g = wb.addWorksheet(tx.t("level"));
  g.columns = [{ width: 28 }, ...riskLevels.map(() => ({ width: 12 })), { width: 10 }];
  g.addRow([tx.t("riskGrid")]).font = { bold: true, size: 12 };
  headerRow(g, [tx.t("sector"), ...riskLevels.map((l) => tx.level(l)), tx.t("total")]);
  for (const row of report.riskGrid) {
    const values = riskLevels.map((l) => row.counts[l]);
    const r = g.addRow([tx.sector(row.sector), ...values, values.reduce((a, b) => a + b, 0)]);
    riskLevels.forEach((l, i) => {
      if (values[i]! > 0) {
        const cell = r.getCell(i + 2);
        cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(levelColors[l]!) } };
        cell.font = { bold: true, color: { argb: l === "yellow" ? "FF1F2933" : "FFFFFFFF" } };
      }
    });
  }
  g.addRow([]);
  g.addRow([tx.t("riskGridNote")]).font = { italic: true, color: { argb: "FF52606D" } };

  // Trend: levels and reporters per month, with data bars.
  const tr = wb.addWorksheet(tx.t("trendSheet"));
  tr.columns = [{ width: 12 }, ...riskLevels.map(() => ({ width: 14 })), { width: 14 }];
  headerRow(tr, [tx.t("month"), ...riskLevels.map((l) => tx.level(l)), tx.t("reporting")]);
  report.levelTrend.forEach((p, i) => {
    tr.addRow([
      p.period,
      ...riskLevels.map((l) => p.counts[l]),
      report.submissions.byPeriod[i]?.institutions ?? 0,
    ]);
  });
  const last = report.levelTrend.length + 1;
  for (const [i, l] of riskLevels.entries()) {
    const col = String.fromCharCode(66 + i);
    dataBar(tr, `${col}2:${col}${last}`, levelColors[l]!);
  }
  dataBar(tr, `F2:F${last}`, "#1565c0");

  // Institutions by sector and status.
  const st = wb.addWorksheet(tx.t("sectorsSheet"));
  st.columns = [{ width: 28 }, ...statuses.map(() => ({ width: 13 })), { width: 10 }];
  headerRow(st, [tx.t("sector"), ...statuses.map((x) => tx.status(x)), tx.t("total")]);
  for (const row of report.institutions.bySector) {
    st.addRow([tx.sector(row.sector), ...statuses.map((x) => row.byStatus[x] ?? 0), row.total]);
  }
  dataBar(st, `G2:G${report.institutions.bySector.length + 1}`, "#1565c0");

  // Key indicators.
  const ind = wb.addWorksheet(tx.t("indicatorsSheet"));
  ind.columns = [
    { width: 16 },
    { width: 36 },
    { width: 12 },
    { width: 12 },
    { width: 12 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    { width: 60 },
  ];
  headerRow(ind, [
    "id",
    tx.t("rule"),
    tx.t("median"),
    tx.t("warning"),
    tx.t("regulatory"),
    tx.t("assessed"),
    tx.t("warningBreaches"),
    tx.t("regulatoryBreaches"),
    tx.t("legalBasis"),
  ]);
  for (const i of report.indicators) {
    ind.addRow([
      i.ruleId,
      tx.pick(i.rule),
      i.median,
      i.warningLine,
      i.regulatoryLine,
      i.assessed,
      i.warning,
      i.regulatory,
      tx.pick(i.legalBasis),
    ]);
  }
  if (report.indicators.length) {
    dataBar(ind, `G2:G${report.indicators.length + 1}`, levelColors.yellow!);
    dataBar(ind, `H2:H${report.indicators.length + 1}`, levelColors.red!);
  }

  // Breaches.
  const br = wb.addWorksheet(tx.t("breaches"));
  br.columns = [
    { width: 20 },
    { width: 30 },
    { width: 14 },
    { width: 30 },
    { width: 12 },
    { width: 10 },
    { width: 12 },
    { width: 70 },
    { width: 60 },
  ];
  headerRow(br, [
    tx.t("code"),
    tx.t("institution"),
    tx.t("sector"),
    tx.t("rule"),
    tx.t("line"),
    tx.t("severity"),
    tx.t("value"),
    tx.t("explanation"),
    tx.t("legalBasis"),
  ]);
  for (const b of report.breaches) {
    const r = br.addRow([
      b.institution,
      tx.name(b),
      tx.sector(b.sector),
      tx.pick(b.rule),
      tx.lineName(b.kind === "breach_regulatory" ? "regulatory" : "warning"),
      b.severity,
      b.value,
      tx.pick(b.explanation),
      tx.pick(b.legalBasis),
    ]);
    r.getCell(5).font = {
      bold: true,
      color: { argb: b.kind === "breach_regulatory" ? "FFB3261E" : "FF8A5A00" },
    };
  }
  br.autoFilter = { from: "A1", to: "I1" };

  // Submission status by institution.
  const sub = wb.addWorksheet(tx.t("submissionsSheet"));
  sub.columns = [
    { width: 20 },
    { width: 32 },
    { width: 22 },
    { width: 14 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    { width: 12 },
    { width: 22 },
  ];
  headerRow(sub, [
    tx.t("code"),
    tx.t("institution"),
    tx.t("type"),
    tx.t("district"),
    tx.t("level"),
    tx.t("submitted"),
    tx.t("datasets"),
    tx.t("rows"),
    tx.t("lastReceived"),
  ]);
  for (const i of report.submissions.byInstitution) {
    const r = sub.addRow([
      i.code,
      tx.name(i),
      tx.type(i.type),
      i.district,
      i.level ? tx.level(i.level) : "",
      i.reported ? tx.t("yes") : tx.t("no"),
      i.datasets,
      i.rows,
      i.lastReceivedAt ?? "",
    ]);
    if (i.level && i.level !== "green") {
      r.getCell(5).fill = {
        type: "pattern",
        pattern: "solid",
        fgColor: { argb: argb(levelColors[i.level]!) },
      };
      r.getCell(5).font = { color: { argb: i.level === "yellow" ? "FF1F2933" : "FFFFFFFF" }, bold: true };
    }
    if (!i.reported) r.getCell(6).font = { bold: true, color: { argb: "FFB3261E" } };
  }
  sub.autoFilter = { from: "A1", to: "I1" };
  for (const ws of [g, tr, st, ind, br, sub]) ws.views = [{ state: "frozen", ySplit: ws === g ? 2 : 1 }];

  return Buffer.from(await wb.xlsx.writeBuffer());
}
