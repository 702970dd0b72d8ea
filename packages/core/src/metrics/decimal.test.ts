import { describe, expect, it } from "vitest";
import {
  add,
  compare,
  dec,
  div,
  fromInteger,
  fromNumber,
  isDecimalText,
  max,
  min,
  mul,
  neg,
  parseDecimal,
  rational,
  reduce,
  sign,
  sub,
  toExactString,
  toFixed,
  toNumber,
} from "./decimal.ts";

describe("parseDecimal", () => {
  it.each([
    ["12.50", 1250n, 100n],
    ["-3", -3n, 1n],
    ["+7.1", 71n, 10n],
    ["0", 0n, 1n],
    ["1.5e-3", 15n, 10000n],
    ["2E3", 2000n, 1n],
    ["1/3", 1n, 3n],
    ["-2/6", -2n, 6n],
  ])("parses %s", (text, num, den) => {
    expect(parseDecimal(text)).toEqual({ num, den });
  });

  it.each(["", "abc", "1.", ".5", "1,000", "1/0", "1/-3", " 1", "NaN", "1e99999"])("refuses %j", (text) => {
    expect(parseDecimal(text)).toBeUndefined();
    expect(isDecimalText(text)).toBe(false);
  });

  it("dec throws an AppError on malformed text and memoises good text", () => {
    expect(() => dec("ten")).toThrow(/Not a decimal number/);
    expect(dec("0.05")).toBe(dec("0.05"));
  });
});

describe("arithmetic is exact", () => {
  it("0.1 + 0.2 equals 0.3 exactly", () => {
    expect(compare(add(dec("0.1"), dec("0.2")), dec("0.3"))).toBe(0);
  });

  it("a ratio sitting on a threshold compares equal to it", () => {
    // 5,000,000.00 / 100,000,000.0 is exactly 5%.
    const ratio = div(dec("5000000.00"), dec("100000000.0"));
    expect(compare(ratio, dec("0.05"))).toBe(0);
    expect(compare(div(dec("1"), dec("3")), dec("1/3"))).toBe(0);
    expect(compare(div(dec("333333"), dec("1000000")), dec("1/3"))).toBe(-1);
  });

  it("adds, subtracts and multiplies across scales", () => {
    expect(compare(add(dec("100.5"), dec("3.25")), dec("103.75"))).toBe(0);
    expect(compare(sub(dec("1/3"), dec("0.25")), dec("1/12"))).toBe(0);
    expect(compare(mul(dec("1.2"), dec("0.08")), dec("0.096"))).toBe(0);
    expect(compare(neg(dec("2")), dec("-2"))).toBe(0);
  });

  it("divides by negatives keeping the denominator positive, and refuses zero", () => {
    const q = div(dec("3"), dec("-4"));
    expect(q.den > 0n).toBe(true);
    expect(compare(q, dec("-0.75"))).toBe(0);
    expect(() => div(dec("1"), dec("0"))).toThrow(/Division by zero/);
    expect(() => rational(1n, 0n)).toThrow();
    expect(rational(1n, -2n)).toEqual({ num: -1n, den: 2n });
  });

  it("compares, signs, min and max", () => {
    expect(compare(dec("0.0500"), dec("0.05"))).toBe(0);
    expect(compare(dec("-1"), dec("0"))).toBe(-1);
    expect(sign(dec("-0.001"))).toBe(-1);
    expect(sign(dec("0.00"))).toBe(0);
    expect(toExactString(max(dec("2"), dec("1/2")))).toBe("2");
    expect(toExactString(min(dec("2"), dec("1/2")))).toBe("0.5");
  });

  it("converts floats through their shortest decimal text", () => {
    expect(compare(fromNumber(0.1), dec("0.1"))).toBe(0);
    expect(compare(fromInteger(7), dec("7.0"))).toBe(0);
    expect(() => fromNumber(Number.POSITIVE_INFINITY)).toThrow();
  });
});

describe("formatting", () => {
  it.each([
    ["0.0420", 2, "0.04"],
    ["4.2", 2, "4.20"],
    ["0.005", 2, "0.01"],
    ["-0.005", 2, "-0.01"],
    ["-0.004", 2, "0.00"],
    ["2/3", 3, "0.667"],
    ["1234.5", 0, "1235"],
  ])("toFixed(%s, %i) = %s", (text, digits, expected) => {
    expect(toFixed(dec(text), digits)).toBe(expected);
  });

  it.each([
    ["0.0420", "0.042"],
    ["1/3", "1/3"],
    ["2/8", "0.25"],
    ["-6/4", "-1.5"],
    ["100", "100"],
    ["3/6", "0.5"],
  ])("toExactString(%s) = %s", (text, expected) => {
    expect(toExactString(dec(text))).toBe(expected);
    expect(compare(dec(toExactString(dec(text))), dec(text))).toBe(0);
  });

  it("reduces and converts to floats, large values included", () => {
    expect(reduce(dec("10/20"))).toEqual({ num: 1n, den: 2n });
    expect(toNumber(dec("0.042"))).toBeCloseTo(0.042, 15);
    const huge = div(dec("123456789012345678901234.5"), dec("1000000000000000000000"));
    expect(toNumber(huge)).toBeCloseTo(123.45678901234568, 10);
  });
});
