import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { notify } from "../sharing/notify.ts";

/**
 * Tells owner units of cases past their due date, and institutions and owners of rectification requests past
 * theirs; each is alerted once. Run on a schedule (or POST /api/workflow/overdue-scan).
 */
export async function raiseOverdueAlerts(
  db: Db,
  actor: Principal,
): Promise<{ cases: number; rectifications: number }> {
  assertAllowed(actor, "workflow.scan", { kind: "none" });
  return db.transaction(async (tx) => {
    const cases = await tx.query<{
      id: string;
      title: string;
      owner_unit: string;
      coordinating_units: string[];
    }>(
      `update cases set overdue_alerted_at = now()
       where due_at < now() and status not in ('closed', 'referred') and overdue_alerted_at is null
       returning id::text, title, owner_unit, coordinating_units`,
    );
    for (const c of cases) {
      await notify(
        tx,
        { units: [c.owner_unit, ...c.coordinating_units] },
        { kind: "case.overdue", title: `Case ${c.id} is overdue: ${c.title}`, link: `/cases/${c.id}` },
      );
    }
    const rects = await tx.query<{ id: string; case_id: string; institution: string; owner_unit: string }>(
      `update rectification_requests r set overdue_alerted_at = now() from cases c
       where c.id = r.case_id and r.due_at < now() and r.status in ('pending', 'rejected') and r.overdue_alerted_at is null
       returning r.id::text, r.case_id::text, trim(r.institution_code) as institution, c.owner_unit`,
    );
    for (const r of rects) {
      await notify(
        tx,
        { institutions: [r.institution], units: [r.owner_unit] },
        {
          kind: "rectification.overdue",
          title: `Rectification request ${r.id} is overdue`,
          link: `/rectifications/${r.id}`,
        },
      );
    }
    if (cases.length + rects.length > 0) {
      await appendAudit(tx, {
        actor,
        action: "workflow.overdue_alerted",
        subjectKind: "workflow",
        detail: { cases: cases.map((c) => Number(c.id)), rectifications: rects.map((r) => Number(r.id)) },
      });
    }
    return { cases: cases.length, rectifications: rects.length };
  });
}
