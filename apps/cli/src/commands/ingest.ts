import { AppError } from "@beacon/core/errors";
import { ingest } from "@beacon/core/intake/ingest";
import { renderReport, type ValidationReport } from "@beacon/core/intake/report";
import { precomputeMonthlyReport } from "@beacon/core/reports/build-monthly-report";
import { chinaPack } from "@beacon/packs/china/index";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

export const command = defineCommand<ValidationReport>({
  name: "ingest",
  summary: "Validate and store a file or folder of submissions (CSV, XLSX, JSON, Parquet)",
  usage: `Usage: beacon ingest <file-or-folder> [--dataset NAME] [--max-problems N] [--json]

Validates every file against the data contract. Any problem rejects the whole submission (exit code 2)
and nothing is stored; the report lists file, row, column, value, rule and message. A valid submission
is stored atomically; a resubmission for the same institution, dataset and period supersedes the earlier one.`,
  allowPositionals: true,
  options: { dataset: { type: "string" }, "max-problems": { type: "string" } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1)
      throw new AppError("INVALID_INPUT", "ingest takes exactly one file or folder path");
    const maxText = (values["max-problems"] as string | undefined) ?? "100";
    if (!/^[1-9][0-9]{0,5}$/.test(maxText))
      throw new AppError("INVALID_INPUT", `--max-problems must be a positive integer (got "${maxText}")`);
    return withBeacon(ctx, async (beacon) => {
      const report = await ingest(
        { db: beacon.db, dataDir: beacon.config.dataDir, pseudonymKey: beacon.config.pseudonymKey },
        positionals[0]!,
        {
          ...(values.dataset ? { dataset: values.dataset as string } : {}),
          maxProblems: Number(maxText),
          submittedBy: "cli",
          log: ctx.log,
        },
      );
      // The monthly report's rule outcomes for the new data version, so the console's first overview reads them.
      if (report.status === "accepted") {
        const r = await precomputeMonthlyReport(beacon.db, chinaPack);
        if (r.computed > 0) ctx.log(`report: outcomes of ${r.computed} month(s) up to ${r.period} stored`);
      }
      return report;
    });
  },
  render: renderReport,
  exitCode: (report) => (report.status === "rejected" ? 2 : 0),
});
