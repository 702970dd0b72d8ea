import { describe, expect, test } from "vitest";
import { isValidCreditCode, isValidResidentId, residentIdCheckChar } from "../contract/identifiers.ts";
import {
  bankCard,
  creditCode,
  districts,
  phone,
  plate,
  residentId,
  residentIdBytes,
  scramble30,
} from "./ids.ts";
import { cashFlows, trueAnnualRate } from "./irr.ts";

describe("identifiers", () => {
  test("resident ids are valid, unique per person and the byte form matches the string form", () => {
    const seen = new Set<string>();
    const bytes = new Uint8Array(18);
    for (let k = 0; k < 50_000; k++) {
      // Spread over the whole range, the planted people at the top included.
      const i = (k * 2_654_435) % 134_000_000;
      const id = residentId(i);
      expect(isValidResidentId(id), id).toBe(true);
      expect(residentIdCheckChar(id.slice(0, 17))).toBe(id[17]);
      residentIdBytes(i, bytes);
      expect(Buffer.from(bytes).toString("latin1")).toBe(id);
      seen.add(id);
    }
    expect(seen.size).toBe(50_000);
  });

  test("phones, cards and plates have their formats and never repeat across people", () => {
    const phones = new Set<string>();
    const cards = new Set<string>();
    const plates = new Set<string>();
    for (let i = 0; i < 30_000; i++) {
      const p = phone(i);
      const c = bankCard(i);
      const v = plate(i);
      expect(p).toMatch(/^1[3-9][0-9]{9}$/);
      expect(c).toMatch(/^62[0-9]{17}$/);
      expect(v).toMatch(/^渝[A-H][A-Z0-9]{5}$/);
      phones.add(p);
      cards.add(c);
      plates.add(v);
    }
    expect(phones.size).toBe(30_000);
    expect(cards.size).toBe(30_000);
    expect(plates.size).toBe(30_000);
  });

  test("credit codes carry the district's division code and a valid check character", () => {
    for (let n = 0; n < 2_000; n++) {
      const d = districts[n % districts.length]!;
      const code = creditCode(n * 37, d.code);
      expect(isValidCreditCode(code), code).toBe(true);
      expect(code.slice(2, 8)).toBe(d.code);
    }
  });

  test("record numbers are a bijection", () => {
    const seen = new Set<number>();
    for (let x = 0; x < 100_000; x++) seen.add(scramble30(x, 0x1234));
    expect(seen.size).toBe(100_000);
  });
});

describe("true annual rate", () => {
  test("equals the nominal rate when there are no fees", () => {
    const r = trueAnnualRate({
      principal: 12_000,
      nominalRate: 0.1,
      termMonths: 12,
      method: "equal_instalment",
      upfrontFee: 0,
      periodicFee: 0,
      otherFees: 0,
    });
    expect(r.annual).toBeCloseTo(0.1, 9);
    expect(r.effective).toBeCloseTo((1 + 0.1 / 12) ** 12 - 1, 9);
  });

  test("a fee taken upfront raises the rate above the nominal one", () => {
    const terms = {
      principal: 10_000,
      nominalRate: 0.12,
      termMonths: 12,
      method: "equal_instalment" as const,
      upfrontFee: 1_000,
      periodicFee: 0,
      otherFees: 0,
    };
    expect(cashFlows(terms)[0]).toBe(-9_000);
    const r = trueAnnualRate(terms);
    // Borrowing 9,000 and repaying 12 instalments of about 888.49: about 31.8% a year.
    expect(r.annual).toBeGreaterThan(0.3);
    expect(r.annual).toBeLessThan(0.33);
  });

  test("a bullet loan repays principal and simple interest at maturity", () => {
    const cf = cashFlows({
      principal: 100_000,
      nominalRate: 0.06,
      termMonths: 6,
      method: "bullet",
      upfrontFee: 0,
      periodicFee: 500,
      otherFees: 0,
    });
    expect(cf[6]).toBeCloseTo(103_000 + 500, 6);
    expect(cf[3]).toBe(500);
  });
});
