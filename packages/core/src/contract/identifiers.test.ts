import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, test } from "vitest";
import {
  creditCodeCheckChar,
  creditCodeSql,
  isValidCreditCode,
  isValidResidentId,
  residentIdCheckChar,
  residentIdSql,
} from "./identifiers.ts";

// Published examples: the GB 32100-2015 standard's own sample code and the GB 11643 sample identity number.
const goodCodes = ["91350100M000100Y43", "91110000600037341L"];
const goodIds = ["11010519491231002X", "440524188001010014"];

describe("credit codes", () => {
  test.each(goodCodes)("accepts %s", (code) => expect(isValidCreditCode(code)).toBe(true));
  test("rejects a wrong check character, a forbidden letter and a wrong length", () => {
    const code = goodCodes[0]!;
    const wrong = code.slice(0, 17) + (code[17] === "0" ? "1" : "0");
    expect(isValidCreditCode(wrong)).toBe(false);
    expect(isValidCreditCode(`${code.slice(0, 10)}I${code.slice(11)}`)).toBe(false);
    expect(isValidCreditCode(code.slice(0, 17))).toBe(false);
  });
  test("the check character completes any 17-character body", () => {
    const body = "91500103MA5U3XXK0";
    expect(isValidCreditCode(body + creditCodeCheckChar(body))).toBe(true);
  });
});

describe("resident identity numbers", () => {
  test.each(goodIds)("accepts %s", (id) => expect(isValidResidentId(id)).toBe(true));
  test("rejects a wrong check digit and an impossible birth date", () => {
    expect(isValidResidentId("110105194912310021")).toBe(false);
    const body = "11010519490231002";
    expect(isValidResidentId(body + residentIdCheckChar(body))).toBe(false);
  });
});

/** A resident id born on `yyyymmdd` with the right check digit, so that only its birth date can be wrong. */
function idBornOn(yyyymmdd: string, serial = "123"): string {
  const body = `500103${yyyymmdd}${serial}`;
  return body + residentIdCheckChar(body);
}

test("the SQL forms agree with the TypeScript forms", async () => {
  const duck = await (await DuckDBInstance.create(":memory:")).connect();
  // Birth dates around leap days, month ends and the 1800 floor; and random bodies, for the check digit.
  const births = [
    "20000229",
    "19000229",
    "20040229",
    "20230229",
    "20230228",
    "20230431",
    "20231231",
    "20231232",
  ];
  births.push("20230001", "20231301", "20230100", "17991231", "18000101", "99991231");
  let seed = 7;
  const digit = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return String(seed % 10);
  };
  const randomIds = Array.from({ length: 200 }, () => {
    const body = Array.from({ length: 17 }, digit).join("");
    return body + (Number(body[16]) % 3 === 0 ? digit() : residentIdCheckChar(body));
  });
  const samples = [
    ...births.map((b) => idBornOn(b)),
    ...randomIds,
    ...goodCodes,
    ...goodIds,
    "91350100M000100Y44",
    "110105194912310021",
    "11010519490231002X",
    "short",
    "91500103MA5U3XXK0I",
  ];
  for (const s of samples) {
    const r = await duck.runAndReadAll(
      `select coalesce(${creditCodeSql("$1")}, false) as cc, coalesce(${residentIdSql("$1")}, false) as rid`,
      [s],
    );
    const row = r.getRowObjects()[0]!;
    expect({ s, cc: row.cc, rid: row.rid }).toEqual({
      s,
      cc: isValidCreditCode(s),
      rid: isValidResidentId(s),
    });
  }
});
