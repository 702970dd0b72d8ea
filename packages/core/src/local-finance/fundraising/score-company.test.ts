import { describe, expect, test } from "vitest";
import { passThroughShare } from "./flow-figures.ts";
import { defaultFundraisingParams, resolveFundraisingParams } from "./index-params.ts";
import { shippedPhraseList } from "./phrases.ts";
import { type CompanyFigures, fanInSignal, inflowGrowth, scoreCompany } from "./score-company.ts";

const params = defaultFundraisingParams;
const base: CompanyFigures = {
  code: "91500103MA000001X0",
  name: "test",
  district: "渝中区",
  kind: "watched_company",
  onWatchList: true,
  licences: [],
  businessScope: "日用百货销售",
  marketingText: "诚信经营",
  promisedReturn: null,
  promotionChannels: 1,
  complaints: { total: 1, fundRaising: 0, recent: [] },
  flows: null,
  relations: [],
};
const months = (counts: number[]) =>
  counts.map((n, i) => ({ month: `2026-0${i + 1}`, payers: n, transfers: n, amount: n * 20_000 }));

describe("fund-raising index of one company", () => {
  test("an ordinary company is green with every contribution at zero and says why", () => {
    const s = scoreCompany(base, params, shippedPhraseList, 0.03);
    expect(s.score).toBe(0);
    expect(s.card).toBe("green");
    expect(s.disposal.referTo).toBe("keep_watching");
    expect(s.disposal.en).toBe("Green: keep watching (score 0 below 30).");
    expect(s.contributions.excess_yield.explanation).toBe("no return promised or advertised");
  });

  test("each contribution is its signal times its weight, and the score is their sum", () => {
    const s = scoreCompany(
      {
        ...base,
        promisedReturn: 0.09,
        complaints: { total: 3, fundRaising: 3, recent: [] },
        promotionChannels: 4,
      },
      params,
      shippedPhraseList,
      0.03,
    );
    // 9% is 3x the LPR: (3 - 1.5) / (4 - 1.5) = 0.6 of 15 points.
    expect(s.contributions.excess_yield.signal).toBeCloseTo(0.6, 4);
    expect(s.contributions.excess_yield.points).toBeCloseTo(9, 2);
    expect(s.contributions.excess_yield.explanation).toBe(
      "promised 9.0%, 6.0% above the one-year LPR of 3.0% (signal from 1.5× to 4× LPR, the judicial cap for private lending)",
    );
    // 4 channels: (4 - 2) / (6 - 2) = 0.5 of 10 points.
    expect(s.contributions.promotion.points).toBeCloseTo(5, 2);
    expect(s.contributions.complaints.signal).toBeCloseTo(Math.log(4) / Math.log(11), 4);
    const sum = Object.values(s.contributions).reduce((a, c) => a + c.points, 0);
    expect(s.score).toBeCloseTo(sum, 1);
  });

  test("a guaranteed promise without a deposit-taking licence is fund-taking without authority", () => {
    const consultancy = scoreCompany(
      {
        ...base,
        kind: "investment_consulting",
        licences: ["investment_consulting"],
        marketingText: "保本保息，年化12%",
      },
      params,
      shippedPhraseList,
      0.03,
    );
    expect(consultancy.contributions.licence.signal).toBe(1);
    expect(consultancy.contributions.licence.explanation).toBe(
      "takes funds with a promised principal or return while holding only an investment-consulting licence; only banks may take deposits",
    );
    const bank = scoreCompany(
      { ...base, licences: ["bank"], marketingText: "保本保息" },
      params,
      shippedPhraseList,
      0.03,
    );
    expect(bank.contributions.licence.signal).toBe(0);
  });

  test("the four elements of illegal fund-raising with a criminal threshold give a red card whatever the score", () => {
    const p = resolveFundraisingParams({ redFrom: 99, yellowFrom: 98 });
    const s = scoreCompany(
      {
        ...base,
        marketingText: "保本保息",
        promotionChannels: 3,
        flows: {
          payers: 160,
          individualInflow: 3_200_000,
          outflow: 0,
          monthly: months([10, 20, 30]),
          passThrough: 0,
        },
      },
      p,
      shippedPhraseList,
      0.03,
    );
    expect(s.legalElements).toEqual({
      unapproved: true,
      publicPromotion: true,
      promisedReturn: true,
      publicAtLarge: true,
      criminalThreshold: true,
    });
    expect(s.score).toBeLessThan(98);
    expect(s.card).toBe("red");
    expect(s.disposal.referTo).toBe("public_security");
    expect(s.disposal.en).toContain("all four elements of illegal fund-raising");
  });

  test("a yellow card goes to the regulator of the licence's sector", () => {
    const p = resolveFundraisingParams({ yellowFrom: 5, redFrom: 90 });
    const s = scoreCompany(
      { ...base, licences: ["small_loan"], marketingText: "保本保息" },
      p,
      shippedPhraseList,
      0.03,
    );
    expect(s.card).toBe("yellow");
    expect(s.disposal.referTo).toBe("finance_office");
    const trust = scoreCompany(
      { ...base, licences: ["trust"], marketingText: "保本保息" },
      p,
      shippedPhraseList,
      0.03,
    );
    expect(trust.disposal.referTo).toBe("pbc_cq");
  });

  test("fan-in is on a log scale between its anchors; pass-through and growth count only with many payers", () => {
    expect(fanInSignal(months([15]), params).signal).toBe(0);
    expect(fanInSignal(months([150]), params).signal).toBe(1);
    expect(fanInSignal(months([3, 47, 20]), params).signal).toBeCloseTo(Math.log(47 / 15) / Math.log(10), 10);
    const few = scoreCompany(
      {
        ...base,
        flows: { payers: 10, individualInflow: 1, outflow: 1, monthly: months([5, 10, 20]), passThrough: 1 },
      },
      params,
      shippedPhraseList,
      0.03,
    );
    expect(few.contributions.pass_through.signal).toBeCloseTo(20 / 150, 4);
    expect(few.contributions.inflow_growth.signal).toBeCloseTo(20 / 150, 4);
  });

  test("growth is the log-linear monthly rate over the active months; fewer than three give none", () => {
    expect(inflowGrowth(months([10, 20, 40, 80]))).toBeCloseTo(1, 10);
    expect(inflowGrowth(months([10, 20]))).toBeNull();
  });

  test("parameters are checked: weights add up to 100 and anchors are ordered", () => {
    expect(() => resolveFundraisingParams({ weights: { relations: 20 } })).toThrow(
      /weights add up to 110, not 100/,
    );
    expect(() => resolveFundraisingParams({ fanInFull: 10 })).toThrow(/fanInFull must exceed fanInNormal/);
    expect(() => resolveFundraisingParams({ yieldCap: "high" })).toThrow(/yieldCap/);
  });
});

describe("pass-through of individual money", () => {
  test("outflows consume the oldest inflows still inside the window", () => {
    expect(
      passThroughShare(
        [
          { day: 1, individualIn: 100, out: 0 },
          { day: 2, individualIn: 0, out: 90 },
        ],
        3,
      ),
    ).toBeCloseTo(0.9, 10);
    // Outflows after the window pass nothing on; outflows before any inflow neither.
    expect(
      passThroughShare(
        [
          { day: 0, individualIn: 0, out: 500 },
          { day: 1, individualIn: 100, out: 0 },
          { day: 9, individualIn: 0, out: 100 },
        ],
        3,
      ),
    ).toBe(0);
    // Outflows larger than what came in cannot pass on more than came in.
    expect(passThroughShare([{ day: 1, individualIn: 100, out: 1000 }], 3)).toBe(1);
    expect(passThroughShare([{ day: 1, individualIn: 0, out: 10 }], 3)).toBeNull();
  });
});
