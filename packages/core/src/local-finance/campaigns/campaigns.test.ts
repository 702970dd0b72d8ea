import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runFundraisingIndex } from "../fundraising/run-fundraising-index.ts";
import { type FixtureStore, ingestLocalFinanceProvince, lf, period } from "../test-fixture.ts";
import { addCampaignTargets } from "./add-campaign-targets.ts";
import { advanceCampaignTarget } from "./advance-campaign-target.ts";
import { campaignStats } from "./campaign-stats.ts";
import { createCampaign } from "./create-campaign.ts";
import { getCampaign } from "./get-campaign.ts";
import { listCampaigns } from "./list-campaigns.ts";
import { raiseCampaignOverdueAlerts } from "./raise-campaign-overdue-alerts.ts";

let store: FixtureStore;
beforeAll(async () => {
  store = await ingestLocalFinanceProvince();
  // Cards to screen from: the fixture's fund-raiser is red; a lower yellow line makes the offender yellow too.
  await runFundraisingIndex(store, "tester", { period, params: { yellowFrom: 20 } });
});
afterAll(async () => store?.close());

describe("rectification campaigns", () => {
  test("a campaign runs end to end: screening and imported targets, stages, outcomes, stats and overdue alerts", async () => {
    const db = store.db;
    const c = await createCampaign(db, "lead", {
      name: "2026 internet-finance rectification",
      kind: "internet_finance",
      leadUnit: "finance_office",
      deadline: "2026-12-31",
    });
    expect(c.progress.targets).toBe(0);

    const screened = await addCampaignTargets(db, "lead", c.id, { screening: { period } });
    const byCode = new Map(screened.added.map((t) => [t.code, t]));
    expect([...byCode.keys()].sort()).toEqual([lf.fundraiser, lf.offender].sort());
    expect(byCode.get(lf.fundraiser)).toMatchObject({
      card: "red",
      classification: "criminal",
      stage: "listed",
      district: "渝北区",
      dueOn: "2026-12-31",
    });
    expect(byCode.get(lf.fundraiser)?.sourceRef).toMatch(/^fundraising-run:\d+$/);

    const imported = await addCampaignTargets(db, "lead", c.id, {
      targets: [
        { code: lf.consultancy, ownerUnit: "aic_cq" },
        { code: lf.fundraiser },
        {
          code: "91500103MA000999X5",
          name: "重庆外来名单公司",
          district: "江北区",
          classification: "rectify",
        },
      ],
      source: "industry and commerce bureau list 2026-11",
      dueOn: "2026-11-30",
    });
    expect(imported.skipped).toEqual([lf.fundraiser]);
    expect(imported.added.map((t) => [t.code, t.ownerUnit, t.sourceKind])).toEqual([
      [lf.consultancy, "aic_cq", "import"],
      ["91500103MA000999X5", "finance_office", "import"],
    ]);
    await expect(
      addCampaignTargets(db, "lead", c.id, { targets: [{ code: "91500103MA000998X3" }] }),
    ).rejects.toThrow(/unknown company; give its name and district/);

    // The red-carded fund-raiser is investigated and referred to the public-security authorities.
    const red = byCode.get(lf.fundraiser)!;
    await advanceCampaignTarget(db, "officer", red.id, {
      to: "investigated",
      note: "site visit, ledgers sealed",
    });
    await advanceCampaignTarget(db, "officer", red.id, {
      to: "classified",
      classification: "criminal",
      note: "meets the criminal thresholds",
    });
    await expect(
      advanceCampaignTarget(db, "officer", red.id, { to: "cleaned_up", note: "try" }),
    ).rejects.toThrow(/refer it/);
    const referred = await advanceCampaignTarget(db, "officer", red.id, {
      to: "referred",
      note: "case file sent to the public-security bureau",
    });
    expect(referred.stage).toBe("referred");
    await expect(
      advanceCampaignTarget(db, "officer", red.id, { to: "investigated", note: "again" }),
    ).rejects.toThrow(/already referred/);

    // The consultancy is rectified; a close-down target must exit.
    const consult = imported.added[0]!;
    await expect(
      advanceCampaignTarget(db, "aic", consult.id, { to: "classified", note: "skip" }),
    ).rejects.toThrow(/listed; it can move to investigated or referred/);
    await advanceCampaignTarget(db, "aic", consult.id, { to: "investigated", note: "scope reviewed" });
    await expect(
      advanceCampaignTarget(db, "aic", consult.id, { to: "classified", note: "no class" }),
    ).rejects.toThrow(/needs a classification/);
    await advanceCampaignTarget(db, "aic", consult.id, {
      to: "classified",
      classification: "close_down",
      note: "no licence for the business",
    });
    await advanceCampaignTarget(db, "aic", consult.id, { to: "cleaned_up", note: "marketing removed" });
    await expect(
      advanceCampaignTarget(db, "aic", consult.id, { to: "rectified", note: "done" }),
    ).rejects.toThrow(/classified close_down cannot end rectified/);
    const exited = await advanceCampaignTarget(db, "aic", consult.id, { to: "exited", note: "deregistered" });
    expect(exited).toMatchObject({ stage: "exited", classification: "close_down" });

    // Overdue: on 2026-12-05 the imported target (due 2026-11-30) is late; the offender (due 2026-12-31) is not.
    const alerts = await raiseCampaignOverdueAlerts(db, { today: "2026-12-05" });
    expect(alerts.map((a) => [a.code, a.stage, a.daysOverdue])).toEqual([
      ["91500103MA000999X5", "listed", 5],
    ]);
    expect(await raiseCampaignOverdueAlerts(db, { today: "2026-12-06" })).toEqual([]);
    // A new deadline re-arms the alert.
    const late = imported.added[1]!;
    await advanceCampaignTarget(
      db,
      "lead",
      late.id,
      { to: "investigated", note: "found", dueOn: "2026-12-10" },
      { today: "2026-12-06" },
    );
    expect((await raiseCampaignOverdueAlerts(db, { today: "2026-12-11" })).map((a) => a.daysOverdue)).toEqual(
      [1],
    );

    const stats = await campaignStats(db, c.id, { today: "2026-12-11" });
    expect(stats.total).toMatchObject({ targets: 4, done: 2, overdue: 1, completion: 0.5 });
    expect(stats.byDistrict.find((r) => r.key === "渝北区")).toMatchObject({ targets: 2, done: 1 });
    expect(stats.byDistrict.find((r) => r.key === "江北区")).toMatchObject({
      targets: 2,
      done: 1,
      overdue: 1,
    });
    expect(stats.byUnit.find((r) => r.key === "aic_cq")).toMatchObject({
      targets: 1,
      done: 1,
      completion: 1,
    });

    const detail = await getCampaign(db, c.id, { today: "2026-12-11" });
    expect(detail.progress).toMatchObject({ targets: 4, done: 2, overdue: 1 });
    expect(detail.targets.find((t) => t.id === red.id)?.history.map((h) => h.to)).toEqual([
      "listed",
      "investigated",
      "classified",
      "referred",
    ]);
    expect(detail.alerts).toHaveLength(2);
    expect((await listCampaigns(db, { today: "2026-12-11" })).map((x) => x.id)).toContain(c.id);
  });

  test("bad input and unknown ids are refused", async () => {
    await expect(
      createCampaign(store.db, "lead", {
        name: "x",
        kind: "other",
        leadUnit: "finance_office",
        deadline: "2026-12-31",
      }),
    ).rejects.toThrow(/name/);
    await expect(
      createCampaign(store.db, "lead", {
        name: "valid name",
        kind: "other",
        leadUnit: "nobody",
        deadline: "2026-12-31",
      }),
    ).rejects.toThrow(/leadUnit/);
    await expect(
      addCampaignTargets(store.db, "lead", 99_999, { targets: [{ code: lf.fundraiser }] }),
    ).rejects.toThrow(/no campaign 99999/);
    await expect(
      advanceCampaignTarget(store.db, "x", 99_999, { to: "investigated", note: "n/a" }),
    ).rejects.toThrow(/no campaign target/);
    await expect(campaignStats(store.db, 99_999)).rejects.toThrow(/no campaign/);
  });
});
