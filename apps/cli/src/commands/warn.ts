import { AppError } from "@beacon/core/errors";
import { system } from "@beacon/core/identity/roles";
import { levelNames } from "@beacon/core/scoring/levels";
import { parseMonth } from "@beacon/core/scoring/months";
import { type EarlyWarningResult, runEarlyWarning } from "@beacon/core/warnings/run-early-warning";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

export const command = defineCommand<EarlyWarningResult>({
  name: "warn",
  summary: "Score institutions for a period, update warnings, and list them with their contributions",
  usage: `Usage: beacon warn [--period YYYY-MM] [--from YYYY-MM] [--limit N] [--json]

Scores every institution with returns for the period (0-100, from rule breaches, distance to thresholds, trend,
peer percentile, timeliness, data quality, detector findings and anomaly alerts), stores the scores and anomaly
alerts, carries the warnings forward (one warning per institution, its level changes recorded as history) and
lists the open warnings of the period, highest level first, with the contributions to each score.

  --period  month to score (YYYY-MM or YYYY-Qn; default: the latest month with returns)
  --from    score every month from this one to --period first, carrying warnings month by month
  --limit   warnings listed (default 20; JSON lists them with every contribution)

Levels: green (no warning), blue 蓝色预警 >= 20, yellow 黄色预警 >= 35, orange 橙色预警 >= 50, red 红色预警 >= 70
(governed cut-offs; see docs/warning-levels.md).`,
  options: {
    period: { type: "string" },
    from: { type: "string" },
    limit: { type: "string" },
  },
  async run({ values }, ctx) {
    const limitText = (values.limit as string | undefined) ?? "20";
    if (!/^[1-9][0-9]{0,2}$/.test(limitText))
      throw new AppError("INVALID_INPUT", "--limit must be an integer from 1 to 500");
    const period = values.period === undefined ? undefined : parseMonth(values.period as string, "--period");
    const from = values.from === undefined ? undefined : parseMonth(values.from as string, "--from");
    return withBeacon(ctx, (beacon) =>
      runEarlyWarning(beacon.db, system("cli"), {
        ...(period ? { period } : {}),
        ...(from ? { from } : {}),
        catalog: chinaCatalog,
        dataDir: beacon.config.dataDir,
        limit: Math.min(500, Number(limitText)),
        log: ctx.log,
      }),
    );
  },
  render(r) {
    const lines = [
      `Early warning for ${r.period} (run ${r.runId}${r.months.length > 1 ? `, months ${r.months[0]} to ${r.period}` : ""}): ${r.scored} institutions scored`,
      `levels: ${["red", "orange", "yellow", "blue", "green"].map((l) => `${l} ${r.levels[l] ?? 0}`).join(", ")}`,
    ];
    const last = r.updates[r.updates.length - 1];
    if (last) {
      lines.push(
        `warnings ${last.period}: ${last.opened} opened, ${last.escalated} escalated, ${last.downgraded} downgraded, ${last.closed} closed, ${last.revised} revised`,
      );
    }
    lines.push(
      "",
      `${r.warnings.total} open warnings for ${r.period}${r.warnings.total > r.warnings.items.length ? ` (first ${r.warnings.items.length})` : ""}:`,
    );
    for (const w of r.warnings.items) {
      lines.push(
        `#${w.id} ${levelNames[w.level].zh} ${w.level.toUpperCase().padEnd(6)} ${w.score.toFixed(1).padStart(5)}  ${w.status.padEnd(12)} ${w.institution.code} ${w.institution.nameZh} (${w.institution.type}, since ${w.openedPeriod})`,
      );
      for (const c of w.contributions.slice(0, 3))
        lines.push(`    +${c.points.toFixed(1).padStart(5)} ${c.component.padEnd(12)} ${c.en}`);
    }
    if (r.anomalies.length > 0) {
      lines.push("", `${r.anomalies.length} anomaly alerts for ${r.period}:`);
      for (const a of r.anomalies.slice(0, 20))
        lines.push(`  ${a.institution} ${a.series} ${a.kind}: ${a.en}`);
    }
    lines.push(
      "",
      `timings (ms): ${Object.entries(r.timings)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
    return lines.join("\n");
  },
});
