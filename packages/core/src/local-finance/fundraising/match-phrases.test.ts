import { describe, expect, test } from "vitest";
import { advertisedReturn, hitWeight, matchPhrases } from "./match-phrases.ts";
import { phraseListSchema, shippedPhraseList } from "./phrases.ts";

const ids = (text: string) => matchPhrases(text, shippedPhraseList).map((h) => h.id);

describe("governed phrase matching", () => {
  test("the shipped list is valid governed data", () => {
    expect(phraseListSchema.safeParse(shippedPhraseList).success).toBe(true);
  });

  test("finds Chinese and English promises, a longer phrase counting once", () => {
    expect(ids("年化收益18%，保本保息，稳赚不赔。Guaranteed returns, no risk.")).toEqual([
      "nian_hua_shou_yi",
      "bao_ben_bao_xi",
      "wen_zhuan_bu_pei",
      "guaranteed_return",
      "no_risk",
    ]);
  });

  test("a negated clause does not count, and the negation ends with its clause", () => {
    expect(ids("财务咨询（不得从事吸收存款、集资收款、受托贷款、发放贷款等金融业务）")).toEqual([]);
    expect(ids("本产品不保本，年化收益5%")).toEqual(["nian_hua_shou_yi"]);
    expect(ids("本产品并非保本保息产品")).toEqual([]);
    expect(ids("Returns are not guaranteed; capital guaranteed by the bank")).toEqual(["capital_guaranteed"]);
    expect(ids("there is no guaranteed return")).toEqual([]);
  });

  test("English phrases match whole words, across case and spacing", () => {
    expect(ids("HIGH  RETURN products")).toEqual(["high_return"]);
    expect(ids("casino risk")).toEqual([]);
    expect(ids("piano risk-free zone")).toEqual(["risk_free"]);
  });

  test("weights add up per category", () => {
    const hits = matchPhrases("零风险，高额回报，介绍亲友", shippedPhraseList);
    expect(hitWeight(hits, ["no_risk"])).toBe(1);
    expect(hitWeight(hits, ["no_risk", "high_return", "referral"])).toBeCloseTo(2.8, 10);
  });

  test("reads the highest advertised annual return", () => {
    expect(advertisedReturn("起投1万元，年化收益18%，另有返利3%")).toBeCloseTo(0.18, 10);
    expect(advertisedReturn("12.5% p.a. or 14% annual return")).toBeCloseTo(0.14, 10);
    expect(advertisedReturn("月息2分")).toBeUndefined();
    expect(advertisedReturn(null)).toBeUndefined();
  });
});
