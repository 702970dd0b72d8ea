/**
 * Local trading venues: the prohibitions of State Council Decision 38 and the Chongqing plan's "five
 * prohibitions", as flags. The 200-holder cap and the T+5 interval are record-level (holders and trades)
 * and belong to detectors; their findings can also set the flags read here.
 */
import { defineParams, prohibitionRule } from "@beacon/core/rules/index";
import { art, docs } from "./legal-basis.ts";

const venueRule = {
  version: 1,
  family: "trading_venues",
  severity: "critical",
  appliesTo: { types: ["trading_venue"] },
  leadUnit: "finance_office",
  params: defineParams({}),
} as const;

export const decision38Prohibitions = prohibitionRule({
  ...venueRule,
  id: "cn.venue.decision38_prohibitions",
  zh: "交易场所“五个不得”（国发38号）",
  en: "Trading venue prohibitions (State Council Decision 38)",
  // The digest gives no effective date: start of the document's year.
  effective: { from: "2011-01-01" },
  legalBasis: [docs.tradingVenues2011, docs.tradingVenues2012],
  prohibited: [
    "VEN_FLAG_EQUAL_SHARE_ISSUE",
    "VEN_FLAG_CENTRALISED_TRADING",
    "VEN_FLAG_CONTINUOUS_LISTING",
    "VEN_FLAG_STANDARDISED_CONTRACTS",
  ],
  notes: [
    "Record-level for the lead: holders per product (look through nominees and trusts) must not exceed 200, at issue and at transfer.",
    "Record-level for the lead: at least 5 trading days between a buy and a sell (or a sell and a buy) of the same product (T+5).",
  ],
});

export const chongqingFiveProhibitions = prohibitionRule({
  ...venueRule,
  id: "cn.venue.chongqing_five_prohibitions",
  zh: "要素市场“五不得”（重庆）",
  en: "Factor-market five prohibitions (Chongqing)",
  effective: { from: "2017-01-01" },
  legalBasis: [art(docs.chongqingPlan, "Part 2(1)", "第二部分第（一）项")],
  prohibited: [
    "VEN_FLAG_HIGH_LEVERAGE",
    "VEN_FLAG_HIGH_INTEREST_DEPOSITS",
    "VEN_FLAG_UNTARGETED_FUNDRAISING",
    "VEN_FLAG_FUND_POOL",
    "VEN_FLAG_ONLINE_LENDING",
  ],
  notes: ["The plan's date is unverified; 2017-01-01 is a placeholder."],
});

export const tradingVenueRules = [decision38Prohibitions, chongqingFiveProhibitions];
