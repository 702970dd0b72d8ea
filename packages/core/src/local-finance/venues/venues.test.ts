import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FixtureStore, ingestLocalFinanceProvince, lf, period } from "../test-fixture.ts";
import { checkVenues, type VenueCheckResult } from "./check-venues.ts";

let store: FixtureStore;
let result: VenueCheckResult;
beforeAll(async () => {
  store = await ingestLocalFinanceProvince();
  result = await checkVenues(store, { period });
});
afterAll(async () => store?.close());

const found = (listing: string | null, check: string) =>
  result.violations.filter((v) => v.listing === listing && v.check === check);

describe("trading-venue checks", () => {
  test("the clean listing has no violation", () => {
    expect(result.violations.filter((v) => v.listing === "L-CLEAN")).toEqual([]);
  });

  test("holders above 200 after look-through, with the nominee accounts as evidence", () => {
    const [v] = found("L-HOLD", "holders_over_200");
    expect(v?.evidence).toMatchObject({
      holderAccounts: 50,
      holdersAfterLookThrough: 240,
      nomineeAccounts: 10,
      holdersBehindNominees: 200,
      cap: 200,
    });
    expect(v?.basis).toContain("国发〔2011〕38号");
    expect(v?.evidence.largestNominees).toHaveLength(5);
    // The nominee accounts are not verified as qualified investors.
    expect(found("L-HOLD", "unqualified_investors")[0]?.evidence).toMatchObject({
      unqualifiedAccounts: 10,
      shareOfUnits: 0.2,
    });
  });

  test("T+5 counts weekdays: Friday to Thursday and Saturday to Monday break it, Monday to Monday does not", () => {
    const [v] = found("L-T5", "t_plus_5");
    expect(v?.evidence).toMatchObject({
      roundTrips: 2,
      accounts: 2,
      fewestTradingDays: 1,
      minimumTradingDays: 5,
    });
    const examples = v?.evidence.examples as {
      first: string;
      second: string;
      tradingDays: number;
      firstSide: string;
    }[];
    expect(examples.map((e) => [e.first, e.firstSide, e.second, e.tradingDays])).toEqual([
      ["2026-08-08", "sell", "2026-08-10", 1],
      ["2026-07-03", "buy", "2026-07-09", 4],
    ]);
    // The accounts are shown as intake wrote them: pseudonyms, never the raw account.
    for (const e of examples as unknown as { account: string }[]) expect(e.account).toMatch(/^[0-9a-f]{64}$/);
    expect(result.params.minTradingDays).toBe(5);
  });

  test("continuous auction of a standardised contract is centralised and standardised trading", () => {
    expect(found("L-AUCT", "centralised_trading")[0]?.evidence).toMatchObject({
      tradingMode: "continuous_auction",
      trades: 30,
    });
    expect(found("L-AUCT", "standardised_units")[0]?.evidence).toMatchObject({
      standardised: true,
      unitsIssued: 1_000_000,
    });
  });

  test("margin trading shows its implied leverage; the fund pool shows the unchecked sources of funds", () => {
    expect(found("L-LEV", "leverage_trading")[0]?.evidence).toMatchObject({
      listingOffersLeverage: true,
      marginTrades: 4,
      tradedValue: 16_000,
      marginPosted: 1_600,
      impliedLeverage: 10,
      firstDate: "2026-08-03",
      lastDate: "2026-08-12",
    });
    expect(found("L-LEV", "fund_pool")[0]?.evidence).toMatchObject({
      listingFlag: "fund_pool",
      accountsWithoutFundsCheck: 2,
      shareOfUnits: 0.4,
    });
  });

  test("flags in the venue's own return are reported at venue level", () => {
    expect(found(null, "returns_flag").map((v) => v.evidence)).toEqual([
      { item: "VEN_FLAG_CENTRALISED_TRADING", prohibition: "centralised_trading", periods: [period] },
    ]);
  });

  test("spot delivery is reported by month from trades and returns, with its trend", () => {
    const venue = result.venues.find((v) => v.code === lf.venue)!;
    const share = (m: string) => venue.spotDelivery.months.find((x) => x.month === m)?.share;
    expect(share("2026-04")).toBe(1);
    expect(share("2026-06")).toBe(0);
    expect(venue.spotDelivery.months.find((x) => x.month === period)?.reportedShare).toBe(0.2);
    expect(venue.spotDelivery.trendPerMonth).toBeLessThan(0);
    expect(venue.spotDelivery.belowLine).toBe(true);
    const august = venue.margin.find((m) => m.month === "2026-08")!;
    expect(august).toMatchObject({ marginTrades: 4, marginPosted: 1600, impliedLeverage: 10 });
  });

  test("a tighter speculation line is a parameter, and bad parameters are refused", async () => {
    const strict = await checkVenues(store, { period, params: { maxMonthlyTurnover: 0.01 } });
    expect(
      strict.violations.some((v) => v.check === "excessive_speculation" && v.listing === "L-CLEAN"),
    ).toBe(true);
    await expect(checkVenues(store, { period, params: { holderCap: -1 } })).rejects.toThrow(/holderCap/);
  });
});
