import { AppError } from "@beacon/core/errors";
import { system } from "@beacon/core/identity/roles";
import { type OverdueScan, runOverdueScan } from "@beacon/core/workflow/overdue-scan";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

export const command = defineCommand<OverdueScan>({
  name: "overdue",
  summary: "Raise the overdue alerts now: cases, rectifications, event reports and campaign targets",
  usage: `Usage: beacon overdue [--today YYYY-MM-DD] [--json]

Alerts (once each, in the in-app feed and the mail outbox) cases, rectification requests and risk-event reports past
their due dates, escalates events not acknowledged in time, and alerts rectification-campaign targets past their
deadlines. The server runs the same scan at start and every BEACON_OVERDUE_MINUTES (default 15). --today sets the day
campaign deadlines are compared with (default: today).`,
  options: { today: { type: "string" } },
  run({ values }, ctx) {
    const today = values.today as string | undefined;
    if (today !== undefined && !/^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/.test(today))
      throw new AppError("INVALID_INPUT", `--today must be a date written YYYY-MM-DD (got "${today}")`);
    return withBeacon(ctx, (beacon) => runOverdueScan(beacon.db, system("cli"), today ? { today } : {}));
  },
  render(r) {
    return [
      `cases overdue: ${r.cases}`,
      `rectification requests overdue: ${r.rectifications}`,
      `events escalated: ${r.escalated}`,
      `event follow-ups overdue: ${r.followUpsOverdue}`,
      `campaign targets overdue: ${r.campaignTargets}`,
    ].join("\n");
  },
});
