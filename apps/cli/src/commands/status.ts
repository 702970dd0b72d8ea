import { getStatus, type Status } from "@beacon/core/submissions/get-status";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

export const command = defineCommand<Status>({
  name: "status",
  summary: "List stored submissions and row counts per dataset",
  usage: "Usage: beacon status [--json]",
  options: {},
  run: (_input, ctx) => withBeacon(ctx, (beacon) => getStatus(beacon.db)),
  render(s) {
    const lines = [
      `${s.institutions} institutions, ${s.licences} licences, ${s.batches} batches, ${s.lakeFiles} lake files (${(s.lakeBytes / 1e6).toFixed(1)} MB)`,
    ];
    lines.push("dataset               submissions        rows  periods  superseded  latest");
    for (const d of s.datasets) {
      lines.push(
        `${d.dataset.padEnd(20)} ${String(d.submissions).padStart(12)} ${String(d.rows).padStart(11)} ${String(d.periods).padStart(8)} ${String(d.superseded).padStart(11)}  ${d.latestPeriod ?? ""}`,
      );
    }
    return lines.join("\n");
  },
});
