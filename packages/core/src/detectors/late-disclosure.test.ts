import { describe, expect, test } from "vitest";
import { lateDisclosure } from "./late-disclosure.ts";
import { testContext, testLake } from "./test-lake.ts";

const broker = "91500000000000001X";
const report = (
  company: string,
  fiscal: string,
  due: string,
  filed: string | null,
  type = "quarterly",
  period = "2026-09",
) => ({
  reporter_code: broker,
  period,
  company_code: company,
  market: "listed",
  report_type: type,
  fiscal_period: fiscal,
  due_date: due,
  filed_date: filed,
});

describe("late disclosures", () => {
  test("reports filed after their due date or missing at the period end are flagged; on time and not yet due are not", async () => {
    const duck = await testLake({
      disclosures: [
        report("C1", "2026-Q1", "2026-04-30", "2026-06-05"),
        report("C2", "2025-12", "2026-04-30", null, "annual"),
        report("C3", "2026-Q1", "2026-04-30", "2026-04-30"),
        report("C4", "2026-Q3", "2026-10-31", null),
        report("C5", "2026-Q2", "2026-08-31", "2026-10-15", "semiannual"),
      ],
    });
    const findings = await lateDisclosure.run(testContext(duck), lateDisclosure.params.defaults);
    const by = new Map(findings.map((f) => [f.subjectId, f]));
    expect([...by.keys()].sort()).toEqual(["C1", "C2", "C5"]);
    expect(by.get("C1")!.memberKind).toBe("enterprise");
    expect(by.get("C1")!.explanation.en).toBe(
      "Listed company C1: quarterly report for 2026-Q1 due 2026-04-30 filed 2026-06-05 (36 days late).",
    );
    expect(by.get("C2")!.evidence).toMatchObject({ late: 0, missing: 1 });
    // Filed after the period end: still missing at the end of September.
    expect(by.get("C5")!.explanation.en).toContain("not filed (30 days overdue)");
    const lenient = await lateDisclosure.run(testContext(duck), { grace_days: 40 });
    expect(lenient.map((f) => f.subjectId).sort()).toEqual(["C2"]);
    duck.close();
  });

  test("a report in several monthly snapshots of the window is read from the latest one", async () => {
    const duck = await testLake({
      disclosures: [
        // Missing at the end of July and August, filed late in September: late, not also missing.
        report("C1", "2026-Q2", "2026-07-31", null, "quarterly", "2026-07"),
        report("C1", "2026-Q2", "2026-07-31", null, "quarterly", "2026-08"),
        report("C1", "2026-Q2", "2026-07-31", "2026-09-10", "quarterly", "2026-09"),
        // Still missing in every snapshot: one missing report.
        report("C2", "2025-12", "2026-04-30", null, "annual", "2026-08"),
        report("C2", "2025-12", "2026-04-30", null, "annual", "2026-09"),
      ],
    });
    const findings = await lateDisclosure.run(testContext(duck), lateDisclosure.params.defaults);
    const by = new Map(findings.map((f) => [f.subjectId, f.evidence]));
    expect(by.get("C1")).toMatchObject({
      late: 1,
      missing: 0,
      reports: [{ filedDate: "2026-09-10", daysLate: 41 }],
    });
    expect(by.get("C2")).toMatchObject({ late: 0, missing: 1 });
    expect((by.get("C2")!.reports as unknown[]).length).toBe(1);
    duck.close();
  });
});
