import { describe, expect, it } from "vitest";
import { institutionTypeCodes } from "./institution-types.ts";
import {
  checkItemValue,
  entityTypeCodes,
  isQuarterEnd,
  itemConsistencyChecks,
  itemDictionary,
  itemsByCode,
  periodEnd,
  periodMonth,
  totalAssetsItemByType,
} from "./items.ts";

const prefixTypes: Record<string, readonly string[]> = {
  BANK: ["bank"],
  SEC: ["securities_firm"],
  INS: ["life_insurer", "pc_insurer"],
  SLC: ["small_loan", "online_small_loan"],
  OSL: ["online_small_loan"],
  FGC: ["financing_guarantee"],
  VEN: ["trading_venue"],
  AMP: ["am_product"],
};

describe("the item dictionary", () => {
  it("has unique SCREAMING_SNAKE codes with both names and a one-sentence definition", () => {
    expect(itemsByCode.size).toBe(itemDictionary.length);
    for (const item of itemDictionary) {
      expect(item.code).toMatch(/^(BANK|SEC|INS|SLC|OSL|FGC|VEN|AMP|AMM|GEN)_[A-Z0-9_]+$/);
      expect(item.zh.length).toBeGreaterThan(1);
      expect(item.en.length).toBeGreaterThan(2);
      expect(item.definition).toMatch(/^[A-Z].*\.$/);
      expect(item.appliesTo.length).toBeGreaterThan(0);
      for (const type of item.appliesTo) expect(entityTypeCodes).toContain(type);
    }
  });

  it("groups codes by prefix: each prefix is reported only by its sector's types", () => {
    for (const item of itemDictionary) {
      const expected = prefixTypes[item.code.split("_")[0]!];
      if (expected) for (const type of item.appliesTo) expect(expected, item.code).toContain(type);
    }
  });

  it("leaves regulators' own offices and watched companies out of GEN_ items", () => {
    const gen = itemsByCode.get("GEN_FILINGS_LATE")!;
    expect(gen.appliesTo).not.toContain("supervisory_office");
    expect(gen.appliesTo).not.toContain("watched_company");
    expect(gen.appliesTo.length).toBe(institutionTypeCodes.length - 2);
  });

  it("names only dictionary items in consistency checks and size items", () => {
    for (const check of itemConsistencyChecks) {
      for (const code of [...check.lhs, check.rhs]) expect(itemsByCode.has(code), check.id).toBe(true);
    }
    for (const code of Object.values(totalAssetsItemByType)) expect(itemsByCode.get(code!)?.unit).toBe("CNY");
  });

  it.each([
    ["BANK_RWA", "123.45", undefined],
    ["BANK_RWA", "-1", undefined],
    ["BANK_RWA", "1e3", "expected a decimal number"],
    ["BANK_RWA", "1,000", "expected a decimal number"],
    ["SLC_FLAG_UNLAWFUL_RATES", "1", undefined],
    ["SLC_FLAG_UNLAWFUL_RATES", "1.000000", undefined],
    ["SLC_FLAG_UNLAWFUL_RATES", "2", 'expected "0" or "1"'],
    ["AMP_TERM_DAYS", "90", undefined],
    ["AMP_TERM_DAYS", "90.5", "expected a whole number, not negative"],
    ["GEN_FILINGS_LATE", "-1", "expected a whole number, not negative"],
    ["INS_IRR_GRADE", "BBB", undefined],
    ["INS_IRR_GRADE", "E", "expected a grade (AAA, AA, A, BBB, BB, B, C, D)"],
  ])("checks %s value %j", (code, value, problem) => {
    expect(checkItemValue(itemsByCode.get(code)!, value)).toBe(problem);
  });
});

describe("periods", () => {
  it.each([
    ["2024-03", "2024-03", "2024-03-31", true],
    ["2024-Q1", "2024-03", "2024-03-31", true],
    ["2024-02", "2024-02", "2024-02-29", false],
    ["2023-02", "2023-02", "2023-02-28", false],
    ["2024-Q4", "2024-12", "2024-12-31", true],
    ["2024-11", "2024-11", "2024-11-30", false],
  ])("%s closes in %s on %s", (period, month, end, quarterEnd) => {
    expect(periodMonth(period)).toBe(month);
    expect(periodEnd(period)).toBe(end);
    expect(isQuarterEnd(period)).toBe(quarterEnd);
  });

  it.each(["2024-13", "2024-Q5", "24-01", "2024-1"])("refuses %s", (period) => {
    expect(() => periodMonth(period)).toThrow(/Malformed period/);
  });
});
