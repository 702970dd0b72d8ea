import { describe, expect, it } from "vitest";
import { type ItemCode, itemsByCode } from "../contract/items.ts";
import { runConsistencyChecks } from "./consistency.ts";
import { dec, type Rational, toExactString } from "./decimal.ts";
import { findMetric, metricCatalog } from "./index.ts";
import {
  customMetric,
  type MetricResult,
  missingInputs,
  ratioMetric,
  ratioOf,
  readAll,
  sumMetric,
} from "./metric.ts";

/** A reader over plain decimal texts. */
function reader(values: Record<string, string>) {
  return (code: ItemCode): Rational | undefined =>
    values[code] === undefined ? undefined : dec(values[code]!);
}

function exact(result: MetricResult): string {
  if (result.status !== "ok") throw new Error(`not ok: ${JSON.stringify(result)}`);
  return toExactString(result.value);
}

const cet1 = findMetric("BANK_CET1_RATIO")!;

describe("ratio metrics", () => {
  it("computes exactly from items, subtracting deductions", () => {
    const result = cet1.compute(
      reader({ BANK_CET1_CAPITAL: "60", BANK_CET1_DEDUCTIONS: "10", BANK_RWA: "1000" }),
    );
    expect(exact(result)).toBe("0.05");
  });

  it("names every missing input once, in formula order, and never treats one as zero", () => {
    expect(cet1.compute(reader({ BANK_CET1_CAPITAL: "60" }))).toEqual({
      status: "not_computable",
      reason: "missing_inputs",
      missing: ["BANK_CET1_DEDUCTIONS", "BANK_RWA"],
    });
    // Net capital appears twice in the NPL-to-capital style metrics; it is reported once.
    const single = findMetric("BANK_SINGLE_CUSTOMER_RATIO")!;
    expect(single.compute(reader({}))).toEqual(
      missingInputs(["BANK_LARGEST_CUSTOMER_LOANS", "BANK_TOTAL_CAPITAL", "BANK_TOTAL_CAPITAL_DEDUCTIONS"]),
    );
  });

  it("reports zero and negative denominators with both parts", () => {
    const zero = cet1.compute(reader({ BANK_CET1_CAPITAL: "60", BANK_CET1_DEDUCTIONS: "0", BANK_RWA: "0" }));
    expect(zero.status === "not_computable" && zero.reason).toBe("zero_denominator");
    const negative = ratioOf(dec("1"), dec("-2"));
    expect(negative.status === "not_computable" && negative.reason).toBe("negative_denominator");
    if (negative.status === "not_computable" && negative.reason !== "missing_inputs") {
      expect(toExactString(negative.numerator)).toBe("1");
      expect(toExactString(negative.denominator)).toBe("-2");
    }
  });

  it("builds sums, custom formulas and reads several items at once", () => {
    const npl = findMetric("BANK_NPL")!;
    expect(
      exact(
        npl.compute(
          reader({ BANK_LOANS_SUBSTANDARD: "1.5", BANK_LOANS_DOUBTFUL: "2.25", BANK_LOANS_LOSS: "0.25" }),
        ),
      ),
    ).toBe("4");
    const multiple = findMetric("INS_SHORT_MEDIUM_MULTIPLE")!;
    // The larger of invested capital and net assets is the base.
    expect(
      exact(
        multiple.compute(
          reader({ INS_SHORT_MEDIUM_PREMIUMS: "300", INS_INVESTED_CAPITAL: "100", INS_NET_ASSETS: "150" }),
        ),
      ),
    ).toBe("2");
    expect(readAll(reader({ BANK_RWA: "1" }), ["BANK_RWA", "BANK_HQLA"])).toEqual({ missing: ["BANK_HQLA"] });
  });

  it("helpers give the declared shape", () => {
    const ratio = ratioMetric({
      code: "T_RATIO",
      zh: "测",
      en: "T",
      formula: "a/b",
      num: ["BANK_HQLA"],
      den: ["-BANK_RWA"],
    });
    expect(ratio.inputs).toEqual(["BANK_HQLA", "BANK_RWA"]);
    expect(ratio.compute(reader({ BANK_HQLA: "1", BANK_RWA: "-4" }))).toEqual(ratioOf(dec("1"), dec("4")));
    const sum = sumMetric({
      code: "T_SUM",
      zh: "和",
      en: "S",
      formula: "a-b",
      terms: ["BANK_HQLA", "-BANK_RWA"],
    });
    expect(sum.display).toBe("amount");
    const custom = customMetric({
      code: "T_CUSTOM",
      zh: "定",
      en: "C",
      formula: "1",
      unit: "count",
      display: "count",
      inputs: [],
      compute: () => ({ status: "ok", value: dec("1") }),
    });
    expect(exact(custom.compute(reader({})))).toBe("1");
  });
});

describe("the metric catalog", () => {
  it("has unique codes that never collide with item codes", () => {
    const codes = metricCatalog.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(itemsByCode.has(code), code).toBe(false);
  });

  it("reads only dictionary items, each reported by some common type", () => {
    for (const metric of metricCatalog) {
      expect(metric.inputs.length, metric.code).toBeGreaterThan(0);
      const types = metric.inputs.map((c) => itemsByCode.get(c)?.appliesTo ?? []);
      const shared = types.reduce((acc, t) => acc.filter((x) => t.includes(x)));
      expect(shared.length, `${metric.code} has no type reporting all its inputs`).toBeGreaterThan(0);
      expect(metric.formula.length).toBeGreaterThan(3);
      expect(metric.zh.length).toBeGreaterThan(1);
    }
  });
});

describe("consistency checks", () => {
  it("passes balanced loans and flags unbalanced ones beyond the tolerance", () => {
    const loans = {
      BANK_LOANS_NORMAL: "900",
      BANK_LOANS_SPECIAL_MENTION: "50",
      BANK_LOANS_SUBSTANDARD: "30",
      BANK_LOANS_DOUBTFUL: "15",
      BANK_LOANS_LOSS: "5",
      BANK_LOANS_TOTAL: "1000.5",
    };
    expect(runConsistencyChecks(loans)).toEqual([]);
    const violations = runConsistencyChecks({ ...loans, BANK_LOANS_TOTAL: "1002" });
    expect(violations).toEqual([
      {
        checkId: "bank.loan_categories_sum",
        description: "The five loan categories sum to total loans.",
        lhs: "1000",
        rhs: "1002",
        tolerance: "1",
        message:
          "BANK_LOANS_NORMAL + BANK_LOANS_SPECIAL_MENTION + BANK_LOANS_SUBSTANDARD + BANK_LOANS_DOUBTFUL + BANK_LOANS_LOSS = 1000 should equal BANK_LOANS_TOTAL = 1002 (tolerance 1)",
      },
    ]);
  });

  it("checks 'not more than' relations and skips checks with absent items", () => {
    expect(
      runConsistencyChecks({ BANK_CET1_CAPITAL: "12", BANK_TIER1_CAPITAL: "9" }).map((v) => v.checkId),
    ).toEqual(["bank.cet1_within_tier1"]);
    expect(runConsistencyChecks({ BANK_CET1_CAPITAL: "10" })).toEqual([]);
  });
});
