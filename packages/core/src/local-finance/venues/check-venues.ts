import type { Db } from "../../db/client.ts";
import { literal } from "../../lake/duckdb.ts";
import { assertMonth, monthBounds, monthsEnding, openLocalFinanceLake, runInstant } from "../lake.ts";
import { returnFlagChecks, type VenueCheck, venueChecks } from "./venue-checks.ts";
import { resolveVenueParams, type VenueParams, venueChecksVersion } from "./venue-params.ts";

export interface VenueViolation {
  venue: string;
  venueName: string;
  /** The listing, or null for a venue-level finding (a flag in its returns). */
  listing: string | null;
  product: string | null;
  check: VenueCheck;
  en: string;
  zh: string;
  basis: string;
  /** What shows it: counts, dates, pseudonymised accounts. */
  evidence: Record<string, unknown>;
}

export interface SpotDeliveryMonth {
  month: string;
  spotUnits: number;
  settledUnits: number;
  share: number | null;
  /** The venue's own return for the month (VEN_SPOT_DELIVERY_VOLUME / VEN_SETTLED_VOLUME), when filed. */
  reportedShare: number | null;
}

export interface MarginMonth {
  month: string;
  trades: number;
  marginTrades: number;
  tradedValue: number;
  marginPosted: number;
  /** Traded value of margin trades over the margin posted for them. */
  impliedLeverage: number | null;
  /** VEN_MARGIN_BALANCE from the venue's return, when filed. */
  reportedMarginBalance: number | null;
}

export interface VenueSummary {
  code: string;
  name: string;
  listings: number;
  trades: number;
  violations: number;
  spotDelivery: {
    months: SpotDeliveryMonth[];
    share: number | null;
    trendPerMonth: number | null;
    belowLine: boolean;
  };
  margin: MarginMonth[];
}

export interface VenueCheckResult {
  period: string;
  asOf: string;
  version: string;
  params: VenueParams;
  inputs: Record<string, number[]>;
  venues: VenueSummary[];
  violations: VenueViolation[];
  counts: Partial<Record<VenueCheck, number>>;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

function violation(
  venue: string,
  venueName: string,
  listing: string | null,
  product: string | null,
  check: VenueCheck,
  evidence: Record<string, unknown>,
): VenueViolation {
  const c = venueChecks[check];
  return { venue, venueName, listing, product, check, en: c.en, zh: c.zh, basis: c.basis, evidence };
}

/** Least-squares slope of a series against its position (per month), or null with fewer than three points. */
function slope(values: readonly number[]): number | null {
  if (values.length < 3) return null;
  const n = values.length;
  const mx = (n - 1) / 2;
  const my = values.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  values.forEach((y, x) => {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

/**
 * Checks every trading venue's listings, holders and trades for one month against State Council Decision 38 and the
 * Chongqing five prohibitions: holders above 200 after look-through, T+5 (weekdays; no exchange holiday calendar
 * is in the data), centralised trading, standardised units, leverage, fund pools, deposit-taking, lending
 * intermediation; then qualified-investor and source-of-funds checks, margin and speculation monitoring, and the
 * spot-delivery share with its trend. Every violation carries its evidence (listing, pseudonymised accounts, dates,
 * counts).
 */
export async function checkVenues(
  deps: { db: Db; dataDir: string },
  input: { period: string; asOf?: string; params?: unknown },
): Promise<VenueCheckResult> {
  const { db, dataDir } = deps;
  assertMonth(input.period);
  const params = resolveVenueParams(input.params);
  const asOf = await runInstant(db, input.asOf);
  const months = monthsEnding(input.period, params.windowMonths);
  const { end } = monthBounds(input.period);
  const venueRows = await db.query<{ code: string; name: string }>(
    "select trim(code) as code, name_zh as name from institutions where type = 'trading_venue' order by code",
  );
  const names = new Map(venueRows.map((v) => [v.code, v.name]));
  const facts = await db.query<{ code: string; period: string; item: string; value: string }>(
    `select trim(f.institution_code) as code, f.period, f.item, f.value::text as value
     from facts f join submissions s on s.id = f.submission_id
     where f.period = any($1::text[]) and (f.item like 'VEN\\_%')
       and s.received_at <= $2::timestamptz and (s.superseded_at is null or s.superseded_at > $2::timestamptz)`,
    [months, asOf],
  );
  const lake = await openLocalFinanceLake(
    db,
    dataDir,
    input.period,
    {
      venue_listings: { kind: "up_to" },
      venue_holdings: { kind: "up_to" },
      venue_trades: { kind: "months", count: params.windowMonths },
    },
    asOf,
  );
  try {
    const p = literal(input.period);
    await lake.duck.run(
      `CREATE TABLE l AS SELECT * FROM venue_listings WHERE period <= ${p}
       QUALIFY row_number() OVER (PARTITION BY venue_code, listing_id ORDER BY period DESC) = 1`,
    );
    await lake.duck.run(
      `CREATE TABLE h AS SELECT * FROM venue_holdings WHERE period <= ${p}
       QUALIFY period = max(period) OVER (PARTITION BY venue_code, listing_id)`,
    );
    await lake.duck.run(
      `CREATE TABLE t AS SELECT * FROM venue_trades WHERE trade_date <= DATE ${literal(end)}`,
    );
    const violations: VenueViolation[] = [];
    const nameOf = (code: string) => names.get(code) ?? code;

    // Listing flags and trading mode.
    const listings = await lake.all<{
      venue: string;
      listing: string;
      product: string;
      category: string;
      mode: string;
      standardised: boolean;
      leverage: boolean;
      fund_pool: boolean;
      deposit_taking: boolean;
      lending_intermediary: boolean;
      units: number;
      trades: number;
      trading_days: number;
      accounts: number;
      margin_trades: number;
    }>(
      `SELECT l.venue_code AS venue, l.listing_id AS listing, l.product_name AS product, l.category, l.trading_mode AS mode,
         l.standardised, l.leverage, l.fund_pool, l.deposit_taking, l.lending_intermediary, CAST(l.units_issued AS DOUBLE) AS units,
         CAST(count(t.trade_id) AS INTEGER) AS trades, CAST(count(DISTINCT t.trade_date) AS INTEGER) AS trading_days,
         CAST((SELECT count(*) FROM (SELECT buyer_id AS a FROM t t2 WHERE t2.venue_code = l.venue_code AND t2.listing_id = l.listing_id
               UNION SELECT seller_id FROM t t3 WHERE t3.venue_code = l.venue_code AND t3.listing_id = l.listing_id)) AS INTEGER) AS accounts,
         CAST(count(t.trade_id) FILTER (WHERE t.margin > 0) AS INTEGER) AS margin_trades
       FROM l LEFT JOIN t ON t.venue_code = l.venue_code AND t.listing_id = l.listing_id
       GROUP BY ALL ORDER BY venue, listing`,
    );
    const centralised = new Set(params.centralisedModes);
    for (const x of listings) {
      const trading = { trades: x.trades, tradingDays: x.trading_days, accounts: x.accounts };
      if (centralised.has(x.mode)) {
        violations.push(
          violation(x.venue, nameOf(x.venue), x.listing, x.product, "centralised_trading", {
            tradingMode: x.mode,
            ...trading,
          }),
        );
      }
      if (x.standardised) {
        violations.push(
          violation(x.venue, nameOf(x.venue), x.listing, x.product, "standardised_units", {
            standardised: true,
            unitsIssued: x.units,
            category: x.category,
            tradingMode: x.mode,
            ...trading,
          }),
        );
      }
      if (x.deposit_taking)
        violations.push(
          violation(x.venue, nameOf(x.venue), x.listing, x.product, "deposit_taking", {
            listingFlag: "deposit_taking",
            ...trading,
          }),
        );
      if (x.lending_intermediary) {
        violations.push(
          violation(x.venue, nameOf(x.venue), x.listing, x.product, "lending_intermediary", {
            listingFlag: "lending_intermediary",
            ...trading,
          }),
        );
      }
    }

    // Leverage: the listing offers it, or trades post margin below their value.
    const leverage = await lake.all<{
      venue: string;
      listing: string;
      product: string;
      flag: boolean;
      margin_trades: number;
      value: number;
      margin: number;
      first_date: string | null;
      last_date: string | null;
      accounts: string[];
    }>(
      `SELECT l.venue_code AS venue, l.listing_id AS listing, l.product_name AS product, l.leverage AS flag,
         CAST(count(t.trade_id) FILTER (WHERE t.margin > 0) AS INTEGER) AS margin_trades,
         CAST(coalesce(sum(t.quantity * t.price) FILTER (WHERE t.margin > 0), 0) AS DOUBLE) AS value,
         CAST(coalesce(sum(t.margin) FILTER (WHERE t.margin > 0), 0) AS DOUBLE) AS margin,
         CAST(min(t.trade_date) FILTER (WHERE t.margin > 0) AS VARCHAR) AS first_date,
         CAST(max(t.trade_date) FILTER (WHERE t.margin > 0) AS VARCHAR) AS last_date,
         (list(DISTINCT t.buyer_id) FILTER (WHERE t.margin > 0))[1:5] AS accounts
       FROM l LEFT JOIN t ON t.venue_code = l.venue_code AND t.listing_id = l.listing_id
       GROUP BY ALL
       HAVING l.leverage OR (count(t.trade_id) FILTER (WHERE t.margin > 0) > 0
         AND sum(t.quantity * t.price) FILTER (WHERE t.margin > 0) > ${params.maxLeverage} * sum(t.margin) FILTER (WHERE t.margin > 0))
       ORDER BY venue, listing`,
    );
    for (const x of leverage) {
      violations.push(
        violation(x.venue, nameOf(x.venue), x.listing, x.product, "leverage_trading", {
          listingOffersLeverage: x.flag,
          marginTrades: x.margin_trades,
          tradedValue: Math.round(x.value * 100) / 100,
          marginPosted: Math.round(x.margin * 100) / 100,
          impliedLeverage: x.margin > 0 ? Math.round((x.value / x.margin) * 100) / 100 : null,
          maxLeverage: params.maxLeverage,
          firstDate: x.first_date,
          lastDate: x.last_date,
          accounts: x.accounts ?? [],
        }),
      );
    }

    // Holders: look-through count, qualified investors, source of funds, fund pool.
    const holders = await lake.all<{
      venue: string;
      listing: string;
      product: string | null;
      fund_pool: boolean | null;
      period: string;
      accounts: number;
      holders: number;
      nominees: number;
      nominee_holders: number;
      top_nominees: { holder: string; underlying: number }[];
      unqualified: number;
      unqualified_units: number;
      units: number;
      unchecked: number;
      unchecked_units: number;
      unqualified_accounts: string[];
      unchecked_accounts: string[];
    }>(
      `SELECT h.venue_code AS venue, h.listing_id AS listing, any_value(l.product_name) AS product, any_value(l.fund_pool) AS fund_pool,
         any_value(h.period) AS period, CAST(count(*) AS INTEGER) AS accounts, CAST(sum(h.underlying_holders) AS INTEGER) AS holders,
         CAST(count(*) FILTER (WHERE h.underlying_holders > 1) AS INTEGER) AS nominees,
         CAST(coalesce(sum(h.underlying_holders) FILTER (WHERE h.underlying_holders > 1), 0) AS INTEGER) AS nominee_holders,
         (list({'holder': h.holder_id, 'underlying': CAST(h.underlying_holders AS INTEGER)} ORDER BY h.underlying_holders DESC, h.holder_id)
           FILTER (WHERE h.underlying_holders > 1))[1:5] AS top_nominees,
         CAST(count(*) FILTER (WHERE NOT h.qualified_investor) AS INTEGER) AS unqualified,
         CAST(coalesce(sum(h.quantity) FILTER (WHERE NOT h.qualified_investor), 0) AS DOUBLE) AS unqualified_units,
         CAST(sum(h.quantity) AS DOUBLE) AS units,
         CAST(count(*) FILTER (WHERE NOT h.funds_source_checked) AS INTEGER) AS unchecked,
         CAST(coalesce(sum(h.quantity) FILTER (WHERE NOT h.funds_source_checked), 0) AS DOUBLE) AS unchecked_units,
         (list(h.holder_id ORDER BY h.holder_id) FILTER (WHERE NOT h.qualified_investor))[1:5] AS unqualified_accounts,
         (list(h.holder_id ORDER BY h.holder_id) FILTER (WHERE NOT h.funds_source_checked))[1:5] AS unchecked_accounts
       FROM h LEFT JOIN l ON l.venue_code = h.venue_code AND l.listing_id = h.listing_id
       GROUP BY h.venue_code, h.listing_id ORDER BY venue, listing`,
    );
    const fundPoolListings = new Set(
      listings.filter((x) => x.fund_pool).map((x) => `${x.venue}|${x.listing}`),
    );
    for (const x of holders) {
      const product = x.product;
      if (x.holders > params.holderCap) {
        violations.push(
          violation(x.venue, nameOf(x.venue), x.listing, product, "holders_over_200", {
            holdingsPeriod: x.period,
            holderAccounts: x.accounts,
            holdersAfterLookThrough: x.holders,
            nomineeAccounts: x.nominees,
            holdersBehindNominees: x.nominee_holders,
            largestNominees: x.top_nominees ?? [],
            cap: params.holderCap,
          }),
        );
      }
      if (x.unqualified > 0) {
        violations.push(
          violation(x.venue, nameOf(x.venue), x.listing, product, "unqualified_investors", {
            holdingsPeriod: x.period,
            holderAccounts: x.accounts,
            unqualifiedAccounts: x.unqualified,
            shareOfUnits: x.units > 0 ? Math.round((x.unqualified_units / x.units) * 10_000) / 10_000 : null,
            examples: x.unqualified_accounts ?? [],
          }),
        );
      }
      const key = `${x.venue}|${x.listing}`;
      if (x.unchecked > 0 || fundPoolListings.has(key)) {
        const evidence = {
          holdingsPeriod: x.period,
          holderAccounts: x.accounts,
          accountsWithoutFundsCheck: x.unchecked,
          shareOfUnits: x.units > 0 ? Math.round((x.unchecked_units / x.units) * 10_000) / 10_000 : null,
          examples: x.unchecked_accounts ?? [],
        };
        if (fundPoolListings.has(key)) {
          violations.push(
            violation(x.venue, nameOf(x.venue), x.listing, product, "fund_pool", {
              listingFlag: "fund_pool",
              ...evidence,
            }),
          );
          fundPoolListings.delete(key);
        }
        if (x.unchecked > 0)
          violations.push(
            violation(x.venue, nameOf(x.venue), x.listing, product, "funds_source_unchecked", evidence),
          );
      }
    }
    for (const key of fundPoolListings) {
      const [venue, listing] = key.split("|") as [string, string];
      const x = listings.find((y) => y.venue === venue && y.listing === listing);
      violations.push(
        violation(venue, nameOf(venue), listing, x?.product ?? null, "fund_pool", {
          listingFlag: "fund_pool",
          holdings: "none reported",
        }),
      );
    }

    // T+5: a buy and a sell (either order) of one listing by one account less than N weekdays apart.
    const tradingDays = (a: string, b: string) =>
      `((5 * ((${b} - DATE '1970-01-05' + 1) // 7) + least((${b} - DATE '1970-01-05' + 1) % 7, 5))
        - (5 * ((${a} - DATE '1970-01-05' + 1) // 7) + least((${a} - DATE '1970-01-05' + 1) % 7, 5)))`;
    const roundTrips = await lake.all<{
      venue: string;
      listing: string;
      product: string | null;
      pairs: number;
      accounts: number;
      min_days: number;
      examples: {
        account: string;
        first: string;
        firstSide: string;
        second: string;
        tradingDays: number;
        firstTrade: string;
        secondTrade: string;
      }[];
    }>(
      `WITH legs AS (
         SELECT venue_code, listing_id, trade_id, trade_date, buyer_id AS account, 'buy' AS side FROM t
         UNION ALL SELECT venue_code, listing_id, trade_id, trade_date, seller_id, 'sell' FROM t),
       pairs AS (
         SELECT a.venue_code, a.listing_id, a.account, a.side AS first_side, a.trade_date AS first, b.trade_date AS second,
           a.trade_id AS first_trade, b.trade_id AS second_trade, ${tradingDays("a.trade_date", "b.trade_date")} AS days
         FROM legs a JOIN legs b ON b.venue_code = a.venue_code AND b.listing_id = a.listing_id AND b.account = a.account
           AND b.side <> a.side AND b.trade_id <> a.trade_id
           AND (b.trade_date > a.trade_date OR (b.trade_date = a.trade_date AND b.trade_id > a.trade_id))
           AND b.trade_date <= a.trade_date + ${params.minTradingDays * 2 + 4})
       SELECT p.venue_code AS venue, p.listing_id AS listing, any_value(l.product_name) AS product,
         CAST(count(*) AS INTEGER) AS pairs, CAST(count(DISTINCT p.account) AS INTEGER) AS accounts, CAST(min(p.days) AS INTEGER) AS min_days,
         list({'account': p.account, 'first': CAST(p.first AS VARCHAR), 'firstSide': p.first_side, 'second': CAST(p.second AS VARCHAR),
               'tradingDays': CAST(p.days AS INTEGER), 'firstTrade': p.first_trade, 'secondTrade': p.second_trade}
              ORDER BY p.days, p.first, p.account)[1:5] AS examples
       FROM pairs p LEFT JOIN l ON l.venue_code = p.venue_code AND l.listing_id = p.listing_id
       WHERE p.days < ${params.minTradingDays}
       GROUP BY p.venue_code, p.listing_id ORDER BY venue, listing`,
    );
    for (const x of roundTrips) {
      violations.push(
        violation(x.venue, nameOf(x.venue), x.listing, x.product, "t_plus_5", {
          roundTrips: x.pairs,
          accounts: x.accounts,
          fewestTradingDays: x.min_days,
          minimumTradingDays: params.minTradingDays,
          calendar: "weekdays (no exchange holiday calendar in the data)",
          examples: x.examples,
        }),
      );
    }

    // Speculation: monthly turnover of the issue.
    const turnover = await lake.all<{
      venue: string;
      listing: string;
      product: string;
      month: string;
      units: number;
      traded: number;
      trades: number;
    }>(
      `SELECT t.venue_code AS venue, t.listing_id AS listing, any_value(l.product_name) AS product, strftime(t.trade_date, '%Y-%m') AS month,
         CAST(any_value(l.units_issued) AS DOUBLE) AS units, CAST(sum(t.quantity) AS DOUBLE) AS traded, CAST(count(*) AS INTEGER) AS trades
       FROM t JOIN l ON l.venue_code = t.venue_code AND l.listing_id = t.listing_id
       GROUP BY t.venue_code, t.listing_id, month
       HAVING sum(t.quantity) > ${params.maxMonthlyTurnover} * any_value(l.units_issued)
       ORDER BY venue, listing, month`,
    );
    const spec = new Map<string, typeof turnover>();
    for (const x of turnover) {
      const key = `${x.venue}|${x.listing}`;
      spec.set(key, [...(spec.get(key) ?? []), x]);
    }
    for (const list of spec.values()) {
      const x = list[0]!;
      violations.push(
        violation(x.venue, nameOf(x.venue), x.listing, x.product, "excessive_speculation", {
          unitsIssued: x.units,
          maxMonthlyTurnover: params.maxMonthlyTurnover,
          months: list.map((m) => ({
            month: m.month,
            unitsTraded: m.traded,
            trades: m.trades,
            turnover: Math.round((m.traded / m.units) * 100) / 100,
          })),
        }),
      );
    }

    // Venue-level: flags in the venue's own returns.
    const flagged = new Map<string, Map<string, string[]>>();
    for (const f of facts) {
      if (!(f.item in returnFlagChecks) || Number(f.value) === 0) continue;
      const byItem = flagged.get(f.code) ?? new Map<string, string[]>();
      byItem.set(f.item, [...(byItem.get(f.item) ?? []), f.period].sort());
      flagged.set(f.code, byItem);
    }
    for (const [code, byItem] of [...flagged].sort((a, b) => a[0].localeCompare(b[0]))) {
      for (const [item, periods] of [...byItem].sort((a, b) => a[0].localeCompare(b[0]))) {
        violations.push(
          violation(code, nameOf(code), null, null, "returns_flag", {
            item,
            prohibition: returnFlagChecks[item],
            periods,
          }),
        );
      }
    }

    // Monitoring per venue and month: spot delivery and margin.
    const monthly = await lake.all<{
      venue: string;
      month: string;
      trades: number;
      spot: number;
      settled: number;
      margin_trades: number;
      value: number;
      margin: number;
      margin_value: number;
    }>(
      `SELECT t.venue_code AS venue, strftime(t.trade_date, '%Y-%m') AS month, CAST(count(*) AS INTEGER) AS trades,
         CAST(coalesce(sum(t.quantity) FILTER (WHERE t.settlement = 'spot_delivery' AND l.category = 'commodity'), 0) AS DOUBLE) AS spot,
         CAST(coalesce(sum(t.quantity) FILTER (WHERE l.category = 'commodity'), 0) AS DOUBLE) AS settled,
         CAST(count(*) FILTER (WHERE t.margin > 0) AS INTEGER) AS margin_trades,
         CAST(sum(t.quantity * t.price) AS DOUBLE) AS value,
         CAST(coalesce(sum(t.margin), 0) AS DOUBLE) AS margin,
         CAST(coalesce(sum(t.quantity * t.price) FILTER (WHERE t.margin > 0), 0) AS DOUBLE) AS margin_value
       FROM t LEFT JOIN l ON l.venue_code = t.venue_code AND l.listing_id = t.listing_id
       GROUP BY ALL ORDER BY venue, month`,
    );
    const fact = (code: string, period: string, item: string) => {
      const f = facts.find((x) => x.code === code && x.period === period && x.item === item);
      return f ? Number(f.value) : null;
    };
    const codes = [...new Set([...venueRows.map((v) => v.code), ...listings.map((x) => x.venue)])].sort();
    const venues: VenueSummary[] = codes.map((code) => {
      const rows = monthly.filter((m) => m.venue === code);
      const spotMonths: SpotDeliveryMonth[] = months.map((month) => {
        const r = rows.find((m) => m.month === month);
        const reportedSpot = fact(code, month, "VEN_SPOT_DELIVERY_VOLUME");
        const reportedSettled = fact(code, month, "VEN_SETTLED_VOLUME");
        return {
          month,
          spotUnits: num(r?.spot),
          settledUnits: num(r?.settled),
          share: r && r.settled > 0 ? Math.round((r.spot / r.settled) * 10_000) / 10_000 : null,
          reportedShare:
            reportedSpot !== null && reportedSettled !== null && reportedSettled > 0
              ? Math.round((reportedSpot / reportedSettled) * 10_000) / 10_000
              : null,
        };
      });
      const spot = spotMonths.reduce((a, m) => a + m.spotUnits, 0);
      const settled = spotMonths.reduce((a, m) => a + m.settledUnits, 0);
      const shares = spotMonths.map((m) => m.share ?? m.reportedShare).filter((s): s is number => s !== null);
      const share = settled > 0 ? Math.round((spot / settled) * 10_000) / 10_000 : (shares.at(-1) ?? null);
      const trend = slope(shares);
      return {
        code,
        name: nameOf(code),
        listings: listings.filter((x) => x.venue === code).length,
        trades: rows.reduce((a, m) => a + m.trades, 0),
        violations: violations.filter((v) => v.venue === code).length,
        spotDelivery: {
          months: spotMonths,
          share,
          trendPerMonth: trend === null ? null : Math.round(trend * 10_000) / 10_000,
          belowLine: share !== null && share < params.minSpotDeliveryShare,
        },
        margin: months.map((month) => {
          const r = rows.find((m) => m.month === month);
          return {
            month,
            trades: num(r?.trades),
            marginTrades: num(r?.margin_trades),
            tradedValue: Math.round(num(r?.value) * 100) / 100,
            marginPosted: Math.round(num(r?.margin) * 100) / 100,
            impliedLeverage: r && r.margin > 0 ? Math.round((r.margin_value / r.margin) * 100) / 100 : null,
            reportedMarginBalance: fact(code, month, "VEN_MARGIN_BALANCE"),
          };
        }),
      };
    });
    const order = Object.keys(venueChecks);
    violations.sort(
      (a, b) =>
        a.venue.localeCompare(b.venue) ||
        (a.listing ?? "~").localeCompare(b.listing ?? "~") ||
        order.indexOf(a.check) - order.indexOf(b.check),
    );
    const counts: Partial<Record<VenueCheck, number>> = {};
    for (const v of violations) counts[v.check] = (counts[v.check] ?? 0) + 1;
    return {
      period: input.period,
      asOf,
      version: venueChecksVersion,
      params,
      inputs: lake.submissions,
      venues,
      violations,
      counts,
    };
  } finally {
    lake.close();
  }
}
