import { describe, expect, test } from "vitest";
import type { Breach, CheckResult } from "./check-result.ts";
import { scopeCheckResult } from "./scope-check-result.ts";

const breach = (institution: string, ruleId: string, kind: Breach["kind"], records?: number): Breach =>
  ({
    ruleId,
    institution,
    kind,
    ...(records === undefined
      ? {}
      : { records: { count: records, regulatoryCount: records, warningCount: 0, worst: [] } }),
  }) as unknown as Breach;

const result = {
  source: "computed",
  runId: null,
  period: "2026-09",
  asOf: "2026-10-20T00:00:00Z",
  pack: "china",
  packVersion: "1",
  counts: {
    entities: 3,
    outcomes: { breach_regulatory: 2, breach_warning: 1, pass: 9 },
    breaches: 3,
    institutionsFlagged: 3,
    records: { R9: 7 },
  },
  coverage: { returns: 3, datasets: {} },
  breaches: [
    breach("A", "R1", "breach_regulatory"),
    breach("B", "R1", "breach_warning"),
    breach("C", "R9", "breach_regulatory", 7),
  ],
  errors: [{ ruleId: "R2", institution: "B", explanation: { en: "x", zh: "x" } }],
  skipped: [],
  params: {},
  whatIf: {
    overrides: {},
    changes: [
      { ruleId: "R1", institution: "A" },
      { ruleId: "R1", institution: "C" },
    ],
  },
  records: [
    { ruleId: "R9", institution: "C" },
    { ruleId: "R9", institution: "A" },
  ],
} as unknown as CheckResult;

describe("a check result cut down to a caller's institutions", () => {
  test("a global view is the result itself", () => {
    expect(scopeCheckResult(result, null)).toBe(result);
  });

  test("other institutions' breaches, errors, changes and records go, and the counts cover what is left", () => {
    const r = scopeCheckResult(result, new Set(["A", "C"]));
    expect(r.breaches.map((b) => b.institution)).toEqual(["A", "C"]);
    expect(r.errors).toEqual([]);
    expect(r.whatIf?.changes.map((c) => c.institution)).toEqual(["A", "C"]);
    expect(r.records?.map((x) => x.institution)).toEqual(["C", "A"]);
    expect(r.counts).toEqual({
      entities: 2,
      outcomes: { breach_regulatory: 2 },
      breaches: 2,
      institutionsFlagged: 2,
      records: { R9: 7 },
    });
  });

  test("a unit that sees none of them gets an empty result", () => {
    const r = scopeCheckResult(result, new Set(["Z"]));
    expect(r.breaches).toEqual([]);
    expect(r.counts.breaches).toBe(0);
    expect(r.counts.records).toEqual({});
    expect(r.whatIf?.changes).toEqual([]);
  });
});
