import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FixtureStore, ingestLocalFinanceProvince, lf, period } from "../test-fixture.ts";
import { consultingWatch } from "./consulting-watch.ts";
import { decideLicence } from "./decide-licence.ts";
import { listExpiringLicences } from "./list-expiring-licences.ts";
import { listInspections } from "./list-inspections.ts";
import { offsiteIndicators } from "./offsite-indicators.ts";
import { onlineLendingWatch } from "./online-lending-watch.ts";
import { planInspection } from "./plan-inspection.ts";
import { recordInspectionFinding } from "./record-inspection-finding.ts";
import { updateInspection } from "./update-inspection.ts";

let store: FixtureStore;
beforeAll(async () => {
  store = await ingestLocalFinanceProvince();
});
afterAll(async () => store?.close());

describe("new financial institutions", () => {
  test("off-site indicators come from the returns, months and quarters alike, with their lines", async () => {
    const r = await offsiteIndicators(store.db, { period });
    const weak = r.rows.find((x) => x.code === lf.smallLoan)!;
    const coverage = weak.indicators.find((i) => i.metric === "SLC_PROVISION_COVERAGE")!;
    expect(coverage).toMatchObject({ period, value: "0.5000", outsideLine: true });
    expect(weak.indicators.find((i) => i.metric === "SLC_INTER_SLC_BORROWED_RATIO")).toMatchObject({
      value: "0.4000",
      outsideLine: true,
    });
    expect(r.rows.find((x) => x.code === lf.healthyLoan)!.flags).toBe(0);
    const fgc = r.rows.find((x) => x.code === lf.guarantee)!;
    // 600m guarantees on 100m net assets (6x, within 10x); class I 90m of 300m (30%, above 20%).
    expect(fgc.indicators.find((i) => i.metric === "FGC_LEVERAGE")).toMatchObject({
      period: "2026-Q3",
      value: "6.0000",
      outsideLine: false,
    });
    expect(fgc.indicators.find((i) => i.metric === "FGC_CLASS1_RATIO")).toMatchObject({
      value: "0.3000",
      outsideLine: false,
    });
    expect(r.rows[0]!.code).toBe(lf.smallLoan);
  });

  test("the expiry pipeline suggests exit for weak firms, review for guarantors, and records decisions", async () => {
    const r = await listExpiringLicences(store.db, { months: 3, asOf: "2026-11-27" });
    expect(r.items.map((i) => i.licenceNo)).toEqual(["XD0721", "RD0722", "DD0723"]);
    const slc = r.items[0]!;
    expect(slc).toMatchObject({ suggestion: "exit", daysToExpiry: 23, decision: null });
    expect(slc.reasons.join("; ")).toContain("Provision coverage ratio 0.5000 is below 1");
    expect(r.items[1]).toMatchObject({ licenceNo: "RD0722", suggestion: "review" });
    // The pawnshop files no business figures that the pipeline reads, so nothing speaks against renewal.
    expect(r.items[2]).toMatchObject({ licenceNo: "DD0723", suggestion: "renew" });
    const longer = await listExpiringLicences(store.db, {
      months: 6,
      asOf: "2026-11-27",
      kind: "small_loan",
    });
    expect(longer.items.map((i) => [i.licenceNo, i.suggestion])).toEqual([
      ["XD0721", "exit"],
      ["XD0724", "renew"],
    ]);
    await decideLicence(store.db, "office", {
      licenceNo: "XD0721",
      decision: "exit",
      reason: "weak provisioning; use expiry to exit",
    });
    const after = await listExpiringLicences(store.db, { months: 3, asOf: "2026-11-27" });
    expect(after.items[0]?.decision).toMatchObject({ decision: "exit", decidedBy: "office" });
    await expect(
      decideLicence(store.db, "office", { licenceNo: "B0702", decision: "renew", reason: "no term at all" }),
    ).rejects.toThrow(/no term/);
    await expect(
      decideLicence(store.db, "office", { licenceNo: "NOPE", decision: "renew", reason: "unknown one" }),
    ).rejects.toThrow(/no licence NOPE/);
  });

  test("an on-site inspection is planned, started, finds, completes; high findings weigh on renewal", async () => {
    const planned = await planInspection(store.db, "office", {
      institution: lf.pawn,
      kind: "risk",
      scope: "pawn loans above the legal rate; collection practices",
      inspectors: ["Wang", "Li"],
      plannedStart: "2026-10-08",
      plannedEnd: "2026-10-20",
    });
    expect(planned).toMatchObject({
      status: "planned",
      leadUnit: "finance_office",
      inspectors: ["Wang", "Li"],
    });
    await expect(
      recordInspectionFinding(store.db, "Wang", planned.id, {
        category: "other",
        severity: "low",
        description: "too early",
      }),
    ).rejects.toThrow(/findings are recorded once it has started/);
    await updateInspection(store.db, "Wang", planned.id, { action: "start", on: "2026-10-08" });
    await recordInspectionFinding(store.db, "Wang", planned.id, {
      category: "unlawful_rates",
      severity: "high",
      description: "12 pawn loans above the legal rate cap",
      rectificationDue: "2026-12-31",
    });
    await expect(
      updateInspection(store.db, "Wang", planned.id, { action: "complete", on: "2026-10-20" }),
    ).rejects.toThrow(/needs its conclusion/);
    const done = await updateInspection(store.db, "Wang", planned.id, {
      action: "complete",
      on: "2026-10-20",
      conclusion: "rectification ordered",
    });
    expect(done).toMatchObject({ status: "completed", startedOn: "2026-10-08", completedOn: "2026-10-20" });
    expect(done.findings.map((f) => [f.category, f.severity])).toEqual([["unlawful_rates", "high"]]);
    expect((await listInspections(store.db, { status: "completed" })).map((i) => i.id)).toEqual([planned.id]);
    const pawn = (await listExpiringLicences(store.db, { months: 3, asOf: "2026-11-27" })).items.find(
      (i) => i.licenceNo === "DD0723",
    )!;
    expect(pawn.suggestion).toBe("exit");
    expect(pawn.reasons).toContain("1 high-severity inspection findings in the last two years");
    await expect(
      planInspection(store.db, "office", {
        institution: lf.bank,
        kind: "routine",
        scope: "not ours to inspect",
        plannedStart: "2026-10-01",
        plannedEnd: "2026-10-02",
      }),
    ).rejects.toThrow(/is a bank/);
  });

  test("firms declaring financial business without a licence are found from their texts", async () => {
    const r = await consultingWatch(store, { period });
    const codes = r.declaring.map((d) => d.code);
    expect(codes).toContain(lf.consultancy);
    expect(codes).toContain(lf.fundraiser);
    expect(codes).not.toContain(lf.ordinary);
    const c = r.declaring.find((d) => d.code === lf.consultancy)!;
    expect(c.licences).toEqual(["investment_consulting"]);
    expect(c.financialActivity.map((h) => h.id).sort()).toEqual([
      "cai_fu_guan_li",
      "li_cai",
      "tou_zi_ji_hua",
    ]);
    expect(r.consultingWithoutText).toEqual([]);
  });

  test("online small-loan supervision reads the returns and the loan book", async () => {
    const r = await onlineLendingWatch(store, { period });
    expect(r.rows.map((x) => x.code)).toEqual([lf.onlineLoan]);
    const row = r.rows[0]!;
    expect(row.book).toMatchObject({ borrowers: 3, overPersonCap: 1, overIncomeShare: 1 });
    expect(row.book?.examples.map((e) => e.outstanding)).toEqual([300_000, 50_000]);
    expect(row.flags).toEqual([
      "Own share of joint loans 0.2000 is below 0.3",
      "largest natural-person balance 300000 above 200000",
      "1 borrowers above the per-person cap in the loan book",
      "1 borrowers above 33.3% of income in the loan book",
    ]);
  });
});
