/**
 * Local trading venues: listings and holders at the end period, trades over the last six months. Background
 * listings trade by negotiated transfer or auction, in non-standard lots, under 200 holders after look-through,
 * and no account sells within five days of buying. Planted listings break one or two of the prohibitions.
 */
import { monthLabel, monthOfDay, monthStart } from "./calendar.ts";
import { fen, isoDate, padInt } from "./format.ts";
import { venueKind } from "./names.ts";
import type { PlanContext } from "./plan-context.ts";
import { Rng } from "./random.ts";
import { overrideKey, type ReturnsPlan } from "./returns.ts";
import { detector, rule } from "./truth.ts";
import { type Institution, streamKey, type World } from "./world.ts";
import { DatasetWriter, PeriodWriter, type WrittenFile } from "./writer.ts";

export interface VenuePlan {
  listings: { venue: Institution; line: string }[];
  holdings: { venue: Institution; line: string }[];
  trades: { venue: Institution; day: number; line: (period: string) => string }[];
}

/** Background listings of a venue (the first draw of its stream, so plans can number after them). */
function listingCount(world: World, venue: Institution, rng: Rng): number {
  rng.reseed(world.s0, streamKey(world, "venues"), venue.idx, 0);
  return Math.max(3, Math.round((8 + rng.int(23)) * Math.max(0.3, world.scale.productFactor)));
}

const categoryByKind: Record<string, string[]> = {
  "Rural Land": ["asset"],
  "Cultural Property Rights": ["asset", "other"],
  "Equity Transfer": ["equity"],
  "Precious Metals": ["commodity"],
  Pharmaceuticals: ["commodity"],
  Shipping: ["asset"],
  "Carbon Emissions": ["commodity"],
  "Agricultural Products": ["commodity"],
  "United Property Rights": ["equity", "asset"],
  "Intellectual Property": ["asset"],
};

const goods = ["柑橘", "生猪", "茶叶", "中药材", "白银", "黄金", "花椒", "榨菜"];

function listingName(world: World, venue: Institution, category: string, k: number, rng: Rng): string {
  const d = world.institutions[rng.int(world.institutions.length)]!.district.zh;
  switch (category) {
    case "equity":
      return `重庆${venue.brand.zh}${d}实业有限公司${5 + rng.int(46)}%股权转让项目${k}`;
    case "commodity":
      return `${rng.pick(goods)}现货挂牌${k}号`;
    case "asset":
      return `${d}${rng.pick(["集体土地经营权", "林权", "厂房租赁权", "船舶所有权", "商铺产权"])}转让项目${k}`;
    default:
      return `${rng.pick(["书画作品", "专利许可", "商标权", "影视版权"])}挂牌项目${k}`;
  }
}

function tradeMonths(world: World): number[] {
  return world.months.slice(-6);
}

/** Writes venue_listings and venue_holdings (end period) and venue_trades (by month). */
export function writeVenues(world: World, plan: VenuePlan, out: string): WrittenFile[] {
  const period = world.endPeriod;
  const lw = new PeriodWriter(out, "venue_listings", period);
  const hw = new PeriodWriter(out, "venue_holdings", period);
  const tw = new DatasetWriter(out, "venue_trades");
  const months = tradeMonths(world);
  for (const m of months) tw.open(monthLabel(m));
  const windowStart = monthStart(months[0]!);
  const rng = new Rng();
  for (const venue of world.byType.trading_venue) {
    const kind = venueKind(venue.variant).en;
    const cats = categoryByKind[kind] ?? ["other"];
    const n = listingCount(world, venue, rng);
    for (let k = 0; k < n; k++) {
      const category = cats[rng.int(cats.length)]!;
      const id = `LS${padInt(venue.idx, 4)}${padInt(k + 1, 4)}`;
      const units = category === "commodity" ? 20 + rng.int(480) : 1 + rng.int(200);
      const mode = rng.chance(0.7) ? "negotiated" : "auction";
      lw.add(
        `${id},${venue.code},${period},${listingName(world, venue, category, k + 1, rng)},${category},${mode},false,false,false,false,false,${units}\n`,
      );
      // Holders: mostly people (one underlying holder each), a few nominee accounts; never above 180 in all.
      const accounts = Math.min(units, 2 + rng.int(59));
      let left = units;
      let underlying = 0;
      for (let a = 0; a < accounts; a++) {
        const nominee = rng.chance(0.05) && underlying + 5 <= 180 - (accounts - a);
        const u = nominee ? 2 + rng.int(4) : 1;
        underlying += u;
        const q =
          a === accounts - 1
            ? left
            : Math.max(1, Math.min(left - (accounts - a - 1), Math.round(units / accounts)));
        left -= q;
        hw.add(
          `${venue.code},${period},${id},VA${padInt(venue.idx, 4)}${padInt(k + 1, 4)}${padInt(a + 1, 4)},${u},${q},true,true\n`,
        );
      }
      // Trades: a former holder sells to an account that then keeps its units (no round trips).
      const trades = rng.int(Math.min(accounts, 9));
      for (let t = 0; t < trades; t++) {
        const day = windowStart + rng.int(world.endDay - windowStart + 1);
        const label = monthLabel(monthOfDay(day));
        const buyer = `VA${padInt(venue.idx, 4)}${padInt(k + 1, 4)}${padInt(accounts - t, 4)}`;
        const seller = `VS${padInt(venue.idx, 4)}${padInt(k + 1, 4)}${padInt(t + 1, 4)}`;
        const qty = 1 + rng.int(Math.max(1, Math.floor(units / accounts)));
        const price = category === "commodity" ? rng.range(50, 5000) : rng.range(10_000, 2_000_000);
        tw.add(
          label,
          `TR${padInt(venue.idx, 4)}${padInt(k + 1, 4)}${padInt(t + 1, 5)},${venue.code},${label},${id},${buyer},${seller},${isoDate(day)},${qty},${price.toFixed(4)},0.00,${category === "commodity" ? "spot_delivery" : "cash"}\n`,
        );
      }
    }
    // Planted listings are the venue's latest.
    for (const x of plan.listings) if (x.venue === venue) lw.add(x.line.replace("{period}", period));
    for (const x of plan.holdings) if (x.venue === venue) hw.add(x.line.replace("{period}", period));
    for (const t of plan.trades) {
      if (t.venue !== venue) continue;
      const label = monthLabel(monthOfDay(t.day));
      tw.add(label, t.line(label));
    }
  }
  return [...lw.close(), ...hw.close(), ...tw.close()];
}

type Violation =
  | "holders_over_200"
  | "round_trip_within_5_days"
  | "centralised_trading"
  | "standardised_units"
  | "leverage_trading"
  | "fund_pool"
  | "deposit_taking"
  | "lending_intermediary";

const violationFlag: Partial<Record<Violation, string>> = {
  round_trip_within_5_days: "VEN_FLAG_CONTINUOUS_LISTING",
  centralised_trading: "VEN_FLAG_CENTRALISED_TRADING",
  standardised_units: "VEN_FLAG_EQUAL_SHARE_ISSUE",
  leverage_trading: "VEN_FLAG_HIGH_LEVERAGE",
  fund_pool: "VEN_FLAG_FUND_POOL",
  deposit_taking: "VEN_FLAG_HIGH_INTEREST_DEPOSITS",
  lending_intermediary: "VEN_FLAG_ONLINE_LENDING",
};

const prohibitionText: Record<Violation, string> = {
  holders_over_200: "more than 200 actual holders after look-through (Guofa [2011] 38)",
  round_trip_within_5_days: "buy and sell of the same listing within 5 trading days (T+5, Guofa [2011] 38)",
  centralised_trading: "centralised trading by auction, matching or market-making (Guobanfa [2012] 37)",
  standardised_units: "split into equal standardised units for continuous trading (Guofa [2011] 38)",
  leverage_trading: "high-leverage margin trading (Chongqing five prohibitions)",
  fund_pool: "investor funds pooled without segregation (Chongqing five prohibitions)",
  deposit_taking: "solicits deposits at high interest (Chongqing five prohibitions)",
  lending_intermediary: "online lending intermediary business (Chongqing five prohibitions)",
};

const order: Violation[] = [
  "holders_over_200",
  "round_trip_within_5_days",
  "centralised_trading",
  "standardised_units",
  "leverage_trading",
  "fund_pool",
  "deposit_taking",
  "lending_intermediary",
];

/** Plans listings that break the venue prohibitions; the venue's returns carry the matching flags. */
export function planVenueViolations(
  ctx: PlanContext,
  plan: VenuePlan,
  returns: ReturnsPlan,
  rng: Rng,
  count: number,
): void {
  const world = ctx.world;
  const venues = rng.shuffled(ctx.dirty("trading_venue")).slice(0, 3);
  if (venues.length === 0) return;
  const months = tradeMonths(world);
  const windowStart = monthStart(months[0]!);
  const next = new Map<Institution, number>();
  const crng = new Rng();
  const venueFlags = new Map<Institution, { flags: Set<string>; listings: string[] }>();
  for (let k = 0; k < count; k++) {
    const venue = venues[k % venues.length]!;
    const listingNo = next.get(venue) ?? listingCount(world, venue, crng) + 1;
    next.set(venue, listingNo + 1);
    const v = order[k % order.length]!;
    const second = rng.chance(0.3) ? order[(k + 3) % order.length]! : null;
    const violations =
      second && second !== v && second !== "holders_over_200" && second !== "round_trip_within_5_days"
        ? [v, second]
        : [v];
    const has = (x: Violation) => violations.includes(x);
    const id = `LS${padInt(venue.idx, 4)}${padInt(listingNo, 4)}`;
    const category = has("leverage_trading") || has("standardised_units") ? "commodity" : "equity";
    const mode = has("centralised_trading")
      ? rng.pick(["continuous_auction", "electronic_matching", "call_auction", "market_making"])
      : "negotiated";
    const units = has("standardised_units") ? 1_000_000 * (1 + rng.int(50)) : 100 + rng.int(900);
    plan.listings.push({
      venue,
      line: `${id},${venue.code},{period},${category === "commodity" ? `${rng.pick(goods)}标准化合约${k + 1}号` : `重庆${venue.brand.zh}投资发展有限公司份额收益权${k + 1}号`},${category},${mode},${has("standardised_units")},${has("leverage_trading")},${has("fund_pool")},${has("deposit_taking")},${has("lending_intermediary")},${units}\n`,
    });
    // Holders: for the 200 cap, nominee accounts hide hundreds of people behind a few dozen accounts.
    const accounts = has("holders_over_200") ? 40 + rng.int(60) : 20 + rng.int(30);
    let underlying = 0;
    let left = units;
    for (let a = 0; a < accounts; a++) {
      const u = has("holders_over_200") && a % 4 === 0 ? 10 + rng.int(30) : 1;
      underlying += u;
      const q = a === accounts - 1 ? left : Math.floor(units / accounts);
      left -= q;
      plan.holdings.push({
        venue,
        line: `${venue.code},{period},${id},VA${padInt(venue.idx, 4)}${padInt(listingNo, 4)}${padInt(a + 1, 4)},${u},${q},${!has("holders_over_200")},${!has("fund_pool")}\n`,
      });
    }
    // Trades: round trips within days, or a busy continuous market, or margin trading.
    const tradeCount =
      has("centralised_trading") || has("standardised_units")
        ? 40 + rng.int(80)
        : has("round_trip_within_5_days")
          ? 0
          : 5 + rng.int(10);
    const acct = (a: number) => `VA${padInt(venue.idx, 4)}${padInt(listingNo, 4)}${padInt(a, 4)}`;
    let t = 0;
    const price = category === "commodity" ? rng.range(20, 500) : rng.range(1, 10);
    const tradeLine = (buyer: string, seller: string, day: number, qty: number) => {
      t++;
      const tid = `TR${padInt(venue.idx, 4)}${padInt(listingNo, 4)}${padInt(t, 5)}`;
      const value = qty * price;
      const margin = has("leverage_trading") ? Math.round(value * rng.range(0.05, 0.2) * 100) : 0;
      const settle = has("leverage_trading") ? "cash" : category === "commodity" ? "spot_delivery" : "cash";
      const p = price.toFixed(4);
      plan.trades.push({
        venue,
        day,
        line: (label) =>
          `${tid},${venue.code},${label},${id},${buyer},${seller},${isoDate(day)},${qty},${p},${fen(margin)},${settle}\n`,
      });
    };
    for (let j = 0; j < tradeCount; j++) {
      const day = windowStart + rng.int(world.endDay - windowStart + 1);
      const b = 1 + rng.int(accounts);
      tradeLine(acct(b), acct(1 + ((b + rng.int(accounts - 1)) % accounts)), day, 1 + rng.int(100));
    }
    const roundTrips: { account: string; bought: string; sold: string }[] = [];
    if (has("round_trip_within_5_days")) {
      for (let j = 0; j < 5 + rng.int(10); j++) {
        const buyDay = windowStart + rng.int(Math.max(1, world.endDay - windowStart - 5));
        const sellDay = buyDay + 1 + rng.int(3);
        const ai = 1 + rng.int(accounts);
        const a = acct(ai);
        const b = acct(1 + ((ai + rng.int(accounts - 1)) % accounts));
        const qty = 1 + rng.int(20);
        tradeLine(a, b, buyDay, qty);
        tradeLine(b, a, sellDay, qty);
        if (roundTrips.length < 5)
          roundTrips.push({ account: a, bought: isoDate(buyDay), sold: isoDate(sellDay) });
      }
    }
    // The venue's returns show the flags for the months the listing traded.
    const flags = violations.map((x) => violationFlag[x]).filter((f): f is string => f !== undefined);
    const flagMonths = months.slice(-3);
    for (const f of flags) for (const m of flagMonths) returns.overrides.set(overrideKey(venue, m, f), 1);
    if (has("leverage_trading"))
      for (const m of flagMonths)
        returns.overrides.set(overrideKey(venue, m, "VEN_MARGIN_BALANCE"), Math.round(units * price * 0.1));
    if (flags.length > 0) {
      const v = venueFlags.get(venue) ?? { flags: new Set<string>(), listings: [] };
      for (const f of flags) v.flags.add(f);
      v.listings.push(id);
      venueFlags.set(venue, v);
    }
    ctx.touch(venue);
    ctx.add({
      kind: "venue_violation",
      subjectType: "listing",
      subjects: [id],
      periods: [world.endPeriod],
      flaggedBy: [detector("venue_violation")],
      details: {
        venue: venue.code,
        violations,
        prohibitions: violations.map((x) => prohibitionText[x]),
        tradingMode: mode,
        holderAccounts: accounts,
        holdersAfterLookThrough: underlying,
        roundTrips: roundTrips.length > 0 ? roundTrips : undefined,
        returnsFlags: flags.length > 0 ? flags : undefined,
      },
    });
  }
  // The venues' returns carry the prohibition flags: the flag rules see the venue, not the listing.
  const flagMonths = months.slice(-3);
  for (const [venue, v] of venueFlags)
    ctx.add({
      kind: "venue_violation",
      subjectType: "institution",
      subjects: [venue.code],
      periods: flagMonths.map(monthLabel),
      flaggedBy: [...v.flags].sort().map(rule),
      details: { source: "returns", flags: [...v.flags].sort(), listings: v.listings },
    });
}
