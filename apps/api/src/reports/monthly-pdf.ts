import { barChart, heatmap, levelColors, lineChart, type Scene } from "@beacon/core/charts/scene";
import { type MonthlyReport, riskLevels } from "@beacon/core/reports/build-monthly-report";
import PDFDocument from "pdfkit";
import { findCjkFont } from "./cjk-font.ts";
import { type Lang, type ReportText, reportText } from "./report-text.ts";
import { drawScene } from "./scene-pdf.ts";

const margin = 48;
const pageW = 595.28;
const pageH = 841.89;
const contentW = pageW - margin * 2;
const statuses = ["active", "under_watch", "exited", "taken_over", "revoked"] as const;
const statusColors = ["#1565c0", "#d84315", "#78909c", "#6a1b9a", "#c62828"];

interface Column {
  header: string;
  width: number;
  align?: "left" | "right";
}

/** The monthly report as a PDF (A4), with its charts drawn as vectors and Chinese set in a CJK font. */
export async function renderMonthlyPdf(report: MonthlyReport, lang: Lang): Promise<Buffer> {
  const font = findCjkFont();
  const tx = reportText(lang);
  const doc = new PDFDocument({
    size: "A4",
    margin,
    bufferPages: true,
    info: { Title: `${tx.t("title")} ${report.period}`, Author: "Beacon" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("cjk", font.path, font.family);
  doc.font("cjk");
  const scope = report.sector ? tx.sector(report.sector) : tx.t("province");

  // Title block.
  doc
    .fontSize(20)
    .fillColor("#0b4f8a")
    .text(`${tx.t("title")} · ${report.period}`, { width: contentW });
  doc
    .fontSize(12)
    .fillColor("#1f2933")
    .text(`${tx.t("scope")}: ${scope}`);
  doc
    .fontSize(9)
    .fillColor("#52606d")
    .text(`${tx.t("generated")}: ${report.generatedAt.replace("T", " ").slice(0, 19)} UTC`);
  if (!report.wholeProvince && !report.sector) doc.text(tx.t("partialScope"));
  doc.moveDown(0.8);

  heading(doc, tx.t("summary"));
  const regulatory = report.breaches.filter((b) => b.kind === "breach_regulatory").length;
  const summary: [string, string][] = [
    [tx.t("institutions"), tx.num(report.institutions.total)],
    [tx.t("reported"), `${tx.num(report.submissions.reported)} / ${tx.num(report.submissions.expected)}`],
    [tx.t("regulatoryBreaches"), tx.num(regulatory)],
    [tx.t("warningBreaches"), tx.num(report.breaches.length - regulatory)],
    [tx.t("openCases"), tx.num(report.workflow.openCases)],
    [tx.t("openEvents"), tx.num(report.workflow.openEvents)],
    [tx.t("eventsThisMonth"), tx.num(report.workflow.eventsThisMonth)],
  ];
  table(
    doc,
    tx,
    [
      { header: "", width: 300 },
      { header: "", width: 120, align: "right" },
    ],
    summary,
    false,
  );
  doc.moveDown(0.6);

  heading(doc, tx.t("riskGrid"), 220);
  if (report.rulesAssessed && report.riskGrid.length) {
    const scene = heatmap({
      width: 640,
      rows: report.riskGrid.map((g) => tx.sector(g.sector)),
      cols: riskLevels.map((l) => tx.level(l)),
      values: report.riskGrid.map((g) => riskLevels.map((l) => g.counts[l])),
      colColors: riskLevels.map((l) => levelColors[l]!),
      format: (n) => tx.num(n),
    });
    chart(doc, scene, contentW * 0.85);
    doc.fontSize(8).fillColor("#52606d").text(tx.t("riskGridNote"), margin, doc.y, { width: contentW });
  } else doc.fontSize(10).text(tx.t("noRules"));
  doc.moveDown(0.6);

  if (report.rulesAssessed) {
    heading(doc, tx.t("levelTrend"), 250);
    chart(
      doc,
      lineChart({
        width: 640,
        height: 240,
        categories: report.levelTrend.map((p) => p.period),
        series: (["red", "orange", "yellow"] as const).map((l) => ({
          name: tx.level(l),
          values: report.levelTrend.map((p) => p.counts[l]),
          color: levelColors[l]!,
        })),
        format: (n) => tx.num(n),
      }),
      contentW,
    );
  }
  heading(doc, tx.t("reportingByMonth"), 230);
  chart(
    doc,
    lineChart({
      width: 640,
      height: 220,
      categories: report.submissions.byPeriod.map((p) => p.period),
      series: [{ name: tx.t("reporting"), values: report.submissions.byPeriod.map((p) => p.institutions) }],
      lines: [{ value: report.submissions.expected, label: tx.t("expected"), color: "#5f6b7a" }],
      format: (n) => tx.num(n),
    }),
    contentW,
  );
  heading(doc, tx.t("sectorStatus"), 200);
  chart(
    doc,
    barChart({
      width: 640,
      height: 0,
      categories: report.institutions.bySector.map((s) => tx.sector(s.sector)),
      series: statuses.map((st, i) => ({
        name: tx.status(st),
        values: report.institutions.bySector.map((s) => s.byStatus[st] ?? 0),
        color: statusColors[i]!,
      })),
      format: (n) => tx.num(n),
    }),
    contentW,
  );

  heading(doc, tx.t("indicators"), 260);
  if (report.indicators.length === 0) doc.fontSize(10).fillColor("#1f2933").text(tx.t("noRules"));
  else {
    const top = report.indicators.slice(0, 4);
    const w = contentW / 2 - 6;
    const h = (200 * w) / 360 + 14;
    for (let i = 0; i < top.length; i += 2) {
      if (doc.y + h > pageH - margin) doc.addPage();
      const y0 = doc.y;
      for (const [j, ind] of top.slice(i, i + 2).entries()) {
        const lines = [];
        if (ind.warningLine !== null)
          lines.push({ value: ind.warningLine, label: tx.t("warning"), color: "#b58900" });
        if (ind.regulatoryLine !== null)
          lines.push({ value: ind.regulatoryLine, label: tx.t("regulatory"), color: levelColors.red! });
        const scene = lineChart({
          width: 360,
          height: 200,
          categories: report.trendPeriods,
          series: [{ name: tx.t("median"), values: ind.medians }],
          lines,
          format: (n) => tx.value(n, ind.display),
        });
        const x = margin + j * (w + 12);
        doc
          .font("cjk")
          .fontSize(9)
          .fillColor("#1f2933")
          .text(tx.pick(ind.rule), x, y0, { width: w, lineBreak: false });
        drawScene(doc, scene, x, y0 + 12, w, "cjk");
      }
      doc.y = y0 + h + 6;
    }
    doc.x = margin;
    doc.moveDown(0.5);
    table(
      doc,
      tx,
      [
        { header: tx.t("rule"), width: 150 },
        { header: tx.t("median"), width: 55, align: "right" },
        { header: tx.t("warning"), width: 55, align: "right" },
        { header: tx.t("regulatory"), width: 60, align: "right" },
        { header: `${tx.t("assessed")}/${tx.t("warning")}/${tx.t("regulatory")}`, width: 70, align: "right" },
        { header: tx.t("legalBasis"), width: contentW - 390 },
      ],
      report.indicators.map((i) => [
        tx.pick(i.rule),
        tx.value(i.median, i.display),
        tx.value(i.warningLine, i.display),
        `${i.comparator ?? ""} ${tx.value(i.regulatoryLine, i.display)}`,
        `${tx.num(i.assessed)}/${tx.num(i.warning)}/${tx.num(i.regulatory)}`,
        tx.pick(i.legalBasis),
      ]),
    );
  }

  heading(doc, `${tx.t("breaches")} (${tx.num(report.breaches.length)})`);
  const shownBreaches = report.breaches.slice(0, 60);
  if (shownBreaches.length === 0) doc.fontSize(10).fillColor("#1f2933").text(tx.t("none"));
  else {
    table(
      doc,
      tx,
      [
        { header: tx.t("institution"), width: 110 },
        { header: tx.t("rule"), width: 100 },
        { header: tx.t("line"), width: 45 },
        { header: tx.t("explanation"), width: 150 },
        { header: tx.t("legalBasis"), width: contentW - 405 },
      ],
      shownBreaches.map((b) => [
        tx.name(b),
        tx.pick(b.rule),
        tx.lineName(b.kind === "breach_regulatory" ? "regulatory" : "warning"),
        tx.pick(b.explanation),
        tx.pick(b.legalBasis),
      ]),
    );
    if (report.breaches.length > shownBreaches.length) {
      doc
        .fontSize(8)
        .fillColor("#52606d")
        .text(tx.t("more", { count: tx.num(report.breaches.length - shownBreaches.length) }));
    }
  }

  heading(doc, tx.t("missingReporters"));
  const missing = report.submissions.byInstitution.filter((i) => !i.reported).slice(0, 80);
  if (missing.length === 0) doc.fontSize(10).fillColor("#1f2933").text(tx.t("none"));
  else {
    table(
      doc,
      tx,
      [
        { header: tx.t("code"), width: 120 },
        { header: tx.t("institution"), width: 190 },
        { header: tx.t("type"), width: 110 },
        { header: tx.t("district"), width: contentW - 420 },
      ],
      missing.map((i) => [i.code, tx.name(i), tx.type(i.type), i.district]),
    );
  }

  // Page numbers, once every page exists.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.font("cjk").fontSize(8).fillColor("#52606d");
    const label = `Beacon · ${tx.t("title")} · ${report.period} · ${tx.t("page", { page: i + 1, pages: range.count })}`;
    doc.text(label, margin, pageH - margin + 16, { width: contentW, align: "center", lineBreak: false });
  }
  doc.end();
  return done;
}

/** A section heading, moved to the next page with its section when less than `need` points are left. */
function heading(doc: PDFKit.PDFDocument, text: string, need = 120): void {
  if (doc.y > pageH - margin - need) doc.addPage();
  doc.x = margin;
  doc.moveDown(0.4);
  doc.font("cjk").fontSize(13).fillColor("#0b4f8a").text(text, margin, doc.y, { width: contentW });
  doc.moveDown(0.3);
}

function chart(doc: PDFKit.PDFDocument, scene: Scene, width: number): void {
  const h = (scene.height * width) / scene.width;
  if (doc.y + h > pageH - margin) doc.addPage();
  // Text drawn inside the scene moves doc.y in the scene's own coordinates: place the cursor from the start.
  const top = doc.y;
  const used = drawScene(doc, scene, margin, top, width, "cjk");
  doc.y = top + used + 6;
  doc.x = margin;
}

/** A table with wrapped cells; rows move to the next page whole, with the header repeated. */
function table(
  doc: PDFKit.PDFDocument,
  _tx: ReportText,
  cols: Column[],
  rows: string[][],
  header = true,
): void {
  const size = 8;
  const pad = 3;
  const drawHeader = () => {
    if (!header) return;
    // Never leave a header alone at the foot of a page.
    if (doc.y + 48 > pageH - margin) doc.addPage();
    doc.font("cjk").fontSize(size).fillColor("#1f2933");
    const h =
      Math.max(...cols.map((c) => doc.heightOfString(c.header, { width: c.width - pad * 2 }))) + pad * 2;
    doc.rect(margin, doc.y, contentW, h).fill("#e6eef7");
    let x = margin;
    const y = doc.y;
    doc.fillColor("#1f2933");
    for (const c of cols) {
      doc.text(c.header, x + pad, y + pad, { width: c.width - pad * 2, align: c.align ?? "left" });
      x += c.width;
    }
    doc.y = y + h;
  };
  drawHeader();
  for (const [ri, row] of rows.entries()) {
    doc.font("cjk").fontSize(size);
    const h =
      Math.max(
        ...row.map((cell, i) => doc.heightOfString(cell || " ", { width: cols[i]!.width - pad * 2 })),
      ) +
      pad * 2;
    if (doc.y + h > pageH - margin) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    if (ri % 2 === 1) doc.rect(margin, y, contentW, h).fill("#f7f9fb");
    let x = margin;
    doc.fillColor("#1f2933");
    row.forEach((cell, i) => {
      const c = cols[i]!;
      doc.text(cell, x + pad, y + pad, { width: c.width - pad * 2, align: c.align ?? "left" });
      x += c.width;
    });
    doc
      .moveTo(margin, y + h)
      .lineTo(margin + contentW, y + h)
      .lineWidth(0.3)
      .stroke("#d9e2ec");
    doc.y = y + h;
  }
  doc.x = margin;
  doc.moveDown(0.4);
}
