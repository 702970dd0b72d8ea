import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCase } from "../cases/create-case.ts";
import type { Db } from "../db/client.ts";
import { system, type UserPrincipal } from "../identity/roles.ts";
import { inst, seedInstitutions, seedUser } from "../identity/test-support.ts";
import { addCampaignTargets } from "../local-finance/campaigns/add-campaign-targets.ts";
import { createCampaign } from "../local-finance/campaigns/create-campaign.ts";
import { listNotifications } from "../sharing/list-notifications.ts";
import { testDb } from "../testing/db.ts";
import { testCreditCode } from "../testing/fixtures.ts";
import { runOverdueScan, scheduleOverdueScan } from "./overdue-scan.ts";

let db: Db;
const u = {} as Record<"cbrc" | "finance" | "financeYubei" | "financeJiangbei", UserPrincipal>;
const kinds = async (p: UserPrincipal) =>
  (await listNotifications(db, p, { unread: "true", page: 1, pageSize: 200 })).items.map((n) => n.kind);

beforeAll(async () => {
  db = await testDb();
  await seedInstitutions(db);
  u.cbrc = await seedUser(db, "cbrc", "lead_supervisor", { unit: "cbrc_cq" });
  u.finance = await seedUser(db, "finance", "finance_office", { unit: "finance_office" });
  u.financeYubei = await seedUser(db, "finance-yubei", "finance_office", {
    unit: "finance_office",
    districts: ["渝北区"],
  });
  u.financeJiangbei = await seedUser(db, "finance-jiangbei", "finance_office", {
    unit: "finance_office",
    districts: ["江北区"],
  });
});
afterAll(async () => db.close());

describe("the overdue-alert job", () => {
  test("alerts overdue cases and campaign targets once each, to their units (a district office: its districts)", async () => {
    const c = await createCase(db, u.cbrc, {
      title: "Late",
      source: { kind: "manual", ref: "late" },
      institution: inst.bankA,
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await db.query("update cases set due_at = now() - interval '1 hour' where id = $1", [c.id]);
    const campaign = await createCampaign(db, "finance", {
      name: "overdue targets",
      kind: "internet_finance",
      leadUnit: "finance_office",
      deadline: "2026-12-31",
    });
    await addCampaignTargets(db, "finance", campaign.id, {
      targets: [
        { code: testCreditCode(801), name: "渝北平台", district: "渝北区" },
        { code: testCreditCode(802), name: "渝中平台", district: "渝中区" },
      ],
      source: "test list",
      dueOn: "2026-03-31",
    });

    await expect(runOverdueScan(db, u.cbrc)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const first = await runOverdueScan(db, system("scheduler"), { today: "2026-04-10" });
    expect(first).toEqual({
      cases: 1,
      rectifications: 0,
      escalated: 0,
      followUpsOverdue: 0,
      campaignTargets: 2,
    });
    // Each is alerted once: a second run the same day raises nothing.
    expect(await runOverdueScan(db, system("scheduler"), { today: "2026-04-10" })).toEqual({
      cases: 0,
      rectifications: 0,
      escalated: 0,
      followUpsOverdue: 0,
      campaignTargets: 0,
    });
    expect(await kinds(u.cbrc)).toContain("case.overdue");
    const targetAlerts = async (p: UserPrincipal) =>
      (await kinds(p)).filter((k) => k === "campaign_target.overdue").length;
    expect(await targetAlerts(u.finance)).toBe(2);
    expect(await targetAlerts(u.financeYubei)).toBe(1);
    expect(await targetAlerts(u.financeJiangbei)).toBe(0);
    expect(await targetAlerts(u.cbrc)).toBe(0);
  });

  test("the schedule can be stopped before it runs", () => {
    const stop = scheduleOverdueScan(db, 15, () => {});
    stop();
  });
});
