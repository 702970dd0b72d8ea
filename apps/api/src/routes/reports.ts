import { backgroundDb } from "@beacon/core/db/client";
import { AppError } from "@beacon/core/errors";
import { scopeOf } from "@beacon/core/identity/policy";
import { buildInstitutionProfile } from "@beacon/core/reports/build-institution-profile";
import {
  buildMonthlyReport,
  monthlyReportQuery,
  precomputeMonthlyReport,
} from "@beacon/core/reports/build-monthly-report";
import type { Beacon } from "@beacon/core/runtime";
import { chinaPack } from "@beacon/packs/china/index";
import type { Hono } from "hono";
import { principalOf } from "../auth.ts";
import { renderMonthlyPdf } from "../reports/monthly-pdf.ts";
import { renderMonthlyXlsx } from "../reports/monthly-xlsx.ts";
import { get, parseQuery } from "../route.ts";

const mediaTypes = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
} as const;

export function registerReportRoutes(app: Hono, beacon: Beacon): void {
  // The rule outcomes behind a report are stored per month, data version and pack version (computed at ingest);
  // a start computes any that are missing (after an upload, or a changed pack), so the overview's first load
  // reads them, while requests are served between its statements. Tests open many apps and skip it.
  if (beacon.config.mode !== "test") {
    setTimeout(() => {
      precomputeMonthlyReport(backgroundDb(beacon.db), chinaPack).then(
        (r) => {
          if (r.computed > 0)
            console.error(
              `report: outcomes of ${r.computed} month(s) up to ${r.period} stored in ${r.ms} ms`,
            );
        },
        (e: unknown) => console.error("report outcomes failed:", e),
      );
    }, 1000).unref();
  }
  get(
    app,
    {
      path: "/api/reports/monthly",
      tag: "reports",
      summary:
        "The monthly supervisory report for a sector or the province (as far as the caller sees), as JSON, XLSX or PDF",
      query: monthlyReportQuery,
      responses: { "200": "The report (JSON) or the document (XLSX, PDF) as an attachment" },
    },
    async (c) => {
      const q = parseQuery(c, monthlyReportQuery);
      const scope = scopeOf(principalOf(c), "institutions.list");
      const report = await buildMonthlyReport(beacon.db, scope, q, chinaPack);
      if (q.format === "json") return c.json(report);
      const bytes =
        q.format === "xlsx"
          ? await renderMonthlyXlsx(report, q.lang)
          : await renderMonthlyPdf(report, q.lang);
      const name = `beacon-monthly-${report.period}-${q.sector ?? "province"}-${q.lang}.${q.format}`;
      return new Response(new Uint8Array(bytes), {
        headers: {
          "Content-Type": mediaTypes[q.format],
          "Content-Disposition": `attachment; filename="${name}"`,
          "Content-Length": String(bytes.length),
        },
      });
    },
  );
  get(
    app,
    {
      path: "/api/reports/institutions/{code}",
      tag: "reports",
      summary:
        "One institution's indicators month by month with their warning and regulatory lines, level and latest breaches",
    },
    async (c) => {
      const code = c.req.param("code") ?? "";
      if (!/^[0-9A-Za-z]{18}$/.test(code))
        throw new AppError("INVALID_INPUT", "code must be an 18-character Unified Social Credit Code");
      return c.json(await buildInstitutionProfile(beacon.db, code, chinaPack));
    },
  );
}
