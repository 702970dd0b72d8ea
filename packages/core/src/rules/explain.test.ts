import { describe, expect, it } from "vitest";
import { dec } from "../metrics/decimal.ts";
import { citationOf, formatValue, listCodes, numbersTogether } from "./explain.ts";

describe("formatValue", () => {
  it.each([
    ["0.042", "percent", "4.20%", "4.20%"],
    ["10.5", "multiple", "10.50x", "10.50倍"],
    ["1234567.891", "amount", "RMB 1,234,567.89", "1,234,567.89元"],
    ["-1234.5", "amount", "RMB -1,234.50", "-1,234.50元"],
    ["90", "days", "90 days", "90天"],
    ["3", "count", "3", "3"],
  ] as const)("%s as %s", (value, display, en, zh) => {
    expect(formatValue(dec(value), display, "en")).toBe(en);
    expect(formatValue(dec(value), display, "zh")).toBe(zh);
  });
});

describe("numbersTogether", () => {
  it("adds decimals until a value differs visibly from each line it differs from", () => {
    expect(numbersTogether(dec("0.0499999"), [dec("0.05")], "percent")).toEqual({
      value: "4.99999",
      lines: ["5.00000"],
    });
    expect(numbersTogether(dec("0.05"), [dec("0.05"), dec("0.06")], "percent")).toEqual({
      value: "5.00",
      lines: ["5.00", "6.00"],
    });
  });
});

describe("citations and missing items", () => {
  it("cites document, issuer, year, number and article, omitting what is unknown", () => {
    const basis = {
      document: { en: "Law", zh: "法" },
      issuer: { en: "NPC", zh: "人大" },
      year: 2015,
      reference: "主席令第34号",
      article: { en: "Art. 39", zh: "第三十九条" },
      sources: ["S2"],
      status: "P" as const,
    };
    expect(citationOf(basis)).toEqual({
      en: "Law, NPC, 2015, Art. 39",
      zh: "《法》，人大，2015年，主席令第34号，第三十九条",
    });
    const { year: _year, reference: _reference, article: _article, ...bare } = basis;
    expect(citationOf(bare)).toEqual({ en: "Law, NPC", zh: "《法》，人大" });
  });

  it("names items and registry attributes in both languages", () => {
    expect(listCodes(["BANK_RWA", "bankTier", "OTHER"])).toEqual({
      en: "BANK_RWA (Risk-weighted assets), bankTier (bank tier in the registry), OTHER",
      zh: "BANK_RWA（风险加权资产）、bankTier（登记的银行档次）、OTHER",
    });
  });
});
