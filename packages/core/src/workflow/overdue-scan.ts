/**
 * The overdue-alert job: cases, rectification requests and risk-event reports past their due dates, and
 * rectification-campaign targets past their deadlines, each alerted once in the in-app feed (and the mail outbox).
 * The server runs it at start and on an interval; `beacon overdue` and POST /api/workflow/overdue-scan run it now.
 */
import { raiseOverdueAlerts } from "../cases/raise-overdue-alerts.ts";
import type { Db } from "../db/client.ts";
import { raiseEventAlerts } from "../events/raise-event-alerts.ts";
import { assertAllowed } from "../identity/policy.ts";
import { type Principal, system } from "../identity/roles.ts";
import { raiseCampaignOverdueAlerts } from "../local-finance/campaigns/raise-campaign-overdue-alerts.ts";

export interface OverdueScan {
  cases: number;
  rectifications: number;
  escalated: number;
  followUpsOverdue: number;
  campaignTargets: number;
}

/** Raises every overdue alert that is due now (`today` moves the campaign deadlines' day, for tests and replays). */
export async function runOverdueScan(
  db: Db,
  actor: Principal,
  options: { today?: string } = {},
): Promise<OverdueScan> {
  assertAllowed(actor, "workflow.scan", { kind: "none" });
  const cases = await raiseOverdueAlerts(db, actor);
  const events = await raiseEventAlerts(db, actor);
  const targets = await raiseCampaignOverdueAlerts(db, options);
  return { ...cases, ...events, campaignTargets: targets.length };
}

/**
 * Runs the scan shortly after start and then every `minutes`, logging what it raised; a failed run is logged and
 * the next one tries again. Returns a function that stops it.
 */
export function scheduleOverdueScan(db: Db, minutes: number, log: (line: string) => void): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await runOverdueScan(db, system("overdue-scan"));
      if (Object.values(r).some((n) => n > 0)) log(`overdue scan: ${JSON.stringify(r)}`);
    } catch (e) {
      log(`overdue scan failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, 5_000);
  const every = setInterval(run, minutes * 60_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
