import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { openDuck } from "../lake/duckdb.ts";
import { registerDatasetView } from "../lake/views.ts";
import { assetClassOfItem } from "./asset-classes.ts";
import { type EstimationMethod, estimateMissingRows, type MissingEstimate } from "./matrix-estimation.ts";
import type { ExposureInput, NetworkInput, NodeInput } from "./network.ts";

/**
 * Markets whose totals the returns give on both sides, so that a lender's missing bilateral report can be
 * estimated from its total (see `estimateMissingRows`). The contract has no interbank-assets total for banks
 * (only BANK_INTERBANK_LIABILITIES), so among them a missing report stays missing; add a market here when
 * the returns gain both totals of another one.
 */
export const totalsMarkets = [
  {
    name: "small-loan interbank",
    types: ["small_loan", "online_small_loan"],
    assets: "SLC_INTER_SLC_LENT",
    liabilities: "SLC_INTER_SLC_BORROWED",
  },
] as const;

/** The month a fact stands for: its own, or the last month of its quarter (quarterly items: "2026-Q3"). */
const monthOfFact = `(case when f.period ~ '^[0-9]{4}-Q[1-4]$' then left(f.period, 5) || lpad((right(f.period, 1)::int * 3)::text, 2, '0') else f.period end)`;

/** Facts of a month or quarter ending at or before the period given as parameter `p`. */
const inPeriod = (p: string) => `f.period ~ '^[0-9]{4}-([0-9]{2}|Q[1-4])$' and ${monthOfFact} <= ${p}`;

export interface StoredEstimate extends MissingEstimate {
  market: string;
}

export interface StoredNetwork {
  input: NetworkInput;
  /** Where each figure came from, so every number of a contagion run can be traced. */
  provenance: {
    period: string;
    asOf: string | null;
    exposureSubmissions: number[];
    /** Links estimated from reported totals where bilateral reports are missing, per market. */
    estimated: StoredEstimate[];
    /** Institutions left out for want of a balance sheet, with what they lent and borrowed in the network. */
    excluded: {
      id: string;
      type: string;
      sector: string | null;
      reason: string;
      lent: number;
      borrowed: number;
    }[];
    nodes: {
      id: string;
      type: string;
      sector: string | null;
      totalAssets: number;
      /** Asset class -> holdings, from the latest returns at or before the period. */
      holdings: Record<string, number>;
      equity: number | null;
      equitySource: string;
      interbankAssets: number;
      interbankLiabilities: number;
    }[];
  };
}

interface BalanceRow {
  code: string;
  type: string;
  sector: string;
  assets: string | null;
  liabilities: string | null;
  net_assets: string | null;
}

/**
 * The interbank network of a stored period: exposures (lending, deposits, repo, bonds, product channels) from the
 * lake, summed per lender and borrower; each institution's balance sheet from its latest returns at or before the
 * period. External assets and liabilities are the balance-sheet totals less the interbank positions; the capital
 * buffer is reported net assets (or assets less liabilities); the weight is total assets.
 */
export async function loadStoredNetwork(
  db: Sql,
  dataDir: string,
  period: string,
  asOf?: string,
  /** How to fill in lenders whose bilateral report is missing (default max-entropy); "none" leaves them out. */
  estimate: EstimationMethod | "none" = "max-entropy",
): Promise<StoredNetwork> {
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(period))
    throw new AppError("INVALID_INPUT", `--period "${period}" must be a month written YYYY-MM`);
  const duck = await openDuck();
  let edges: { lender: string; borrower: string; amount: number }[];
  let submissions: number[];
  try {
    submissions = await registerDatasetView(duck, db, dataDir, "exposures", {
      periods: [period],
      ...(asOf ? { asOf } : {}),
    });
    edges = await duck.all(
      `SELECT lender_code AS lender, borrower_code AS borrower, CAST(sum(amount) AS DOUBLE) AS amount
       FROM exposures WHERE lender_code <> borrower_code GROUP BY ALL HAVING sum(amount) > 0 ORDER BY ALL`,
    );
  } finally {
    duck.close();
  }
  const estimated: StoredEstimate[] = [];
  if (estimate !== "none") {
    for (const market of totalsMarkets) {
      const e = await estimateMarket(db, market, edges, period, asOf, estimate);
      if (e) {
        estimated.push(e);
        edges.push(...e.links);
      }
    }
  }
  if (edges.length === 0) throw new AppError("NOT_FOUND", `no exposures are stored for period ${period}`);
  const ids = [...new Set(edges.flatMap((e) => [e.lender, e.borrower]))].sort();
  const balances = await db.query<BalanceRow>(
    `with latest as (
       select distinct on (f.institution_code, f.item) trim(f.institution_code) as code, f.item, f.value
       from facts f join submissions s on s.id = f.submission_id
       where f.institution_code = any($1::text[]) and ${inPeriod("$2")}
         and (f.item like '%\\_TOTAL\\_ASSETS' or f.item like '%\\_TOTAL\\_LIABILITIES' or f.item like '%\\_NET\\_ASSETS')
         and ${asOf ? "s.received_at <= $3::timestamptz and (s.superseded_at is null or s.superseded_at > $3::timestamptz)" : "s.superseded_at is null"}
       order by f.institution_code, f.item, ${monthOfFact} desc)
     select trim(i.code) as code, i.type, i.sector,
            (select value::text from latest l where l.code = trim(i.code) and l.item like '%\\_TOTAL\\_ASSETS' limit 1) as assets,
            (select value::text from latest l where l.code = trim(i.code) and l.item like '%\\_TOTAL\\_LIABILITIES' limit 1) as liabilities,
            (select value::text from latest l where l.code = trim(i.code) and l.item like '%\\_NET\\_ASSETS' limit 1) as net_assets
     from institutions i where i.code = any($1::text[])`,
    asOf ? [ids, period, asOf] : [ids, period],
  );
  const byCode = new Map(balances.map((b) => [b.code, b]));
  const held = await db.query<{ code: string; item: string; value: string }>(
    `select distinct on (f.institution_code, f.item) trim(f.institution_code) as code, f.item, f.value::text as value
     from facts f join submissions s on s.id = f.submission_id
     where f.institution_code = any($1::text[]) and ${inPeriod("$2")}
       and f.item = any($3::text[])
       and ${asOf ? "s.received_at <= $4::timestamptz and (s.superseded_at is null or s.superseded_at > $4::timestamptz)" : "s.superseded_at is null"}
     order by f.institution_code, f.item, ${monthOfFact} desc`,
    asOf ? [ids, period, [...assetClassOfItem.keys()], asOf] : [ids, period, [...assetClassOfItem.keys()]],
  );
  const holdingsOf = new Map<string, Record<string, number>>();
  for (const h of held) {
    const cls = assetClassOfItem.get(h.item)!;
    const own = holdingsOf.get(h.code) ?? {};
    own[cls] = (own[cls] ?? 0) + Number(h.value);
    holdingsOf.set(h.code, own);
  }
  // Equity as reported: net assets, else total assets less total liabilities, else unknown.
  const equityOf = new Map<string, { equity: number | null; source: string }>();
  for (const id of ids) {
    const b = byCode.get(id);
    if (b?.net_assets != null)
      equityOf.set(id, { equity: Number(b.net_assets), source: "reported net assets" });
    else if (b?.assets != null && b.liabilities != null)
      equityOf.set(id, {
        equity: Number(b.assets) - Number(b.liabilities),
        source: "reported total assets less total liabilities",
      });
    else equityOf.set(id, { equity: null, source: "none reported" });
  }
  // An institution without a reported balance sheet cannot be assessed: as a node it would have no capital,
  // sit in default before any shock and pass that default on in every scenario. It is left out; what others
  // lent to it or borrowed from it stays on their balance sheets as external positions.
  const excludedIds = new Set(ids.filter((id) => equityOf.get(id)!.equity === null));
  const kept = edges.filter((e) => !excludedIds.has(e.lender) && !excludedIds.has(e.borrower));
  const ia = new Map<string, number>();
  const il = new Map<string, number>();
  for (const e of kept) {
    ia.set(e.lender, (ia.get(e.lender) ?? 0) + e.amount);
    il.set(e.borrower, (il.get(e.borrower) ?? 0) + e.amount);
  }
  const excluded: StoredNetwork["provenance"]["excluded"] = [];
  for (const id of excludedIds) {
    let lent = 0;
    let borrowed = 0;
    for (const e of edges) {
      if (e.lender === id) lent += e.amount;
      if (e.borrower === id) borrowed += e.amount;
    }
    const b = byCode.get(id);
    excluded.push({
      id,
      type: b?.type ?? "unregistered",
      sector: b?.sector ?? null,
      reason: "no balance sheet reported (net assets, or total assets and liabilities)",
      lent,
      borrowed,
    });
  }
  const nodes: NodeInput[] = [];
  const traced: StoredNetwork["provenance"]["nodes"] = [];
  for (const id of ids) {
    if (excludedIds.has(id)) continue;
    const b = byCode.get(id);
    const { equity, source: equitySource } = equityOf.get(id)!;
    const interbankAssets = ia.get(id) ?? 0;
    const interbankLiabilities = il.get(id) ?? 0;
    // With only net assets reported, the balance sheet closes on the interbank positions and the equity.
    const assets =
      b?.assets != null ? Number(b.assets) : Math.max(interbankAssets, (equity ?? 0) + interbankLiabilities);
    const liabilities =
      b?.liabilities != null ? Number(b.liabilities) : Math.max(interbankLiabilities, assets - (equity ?? 0));
    const sector = b?.sector ?? null;
    const holdings = holdingsOf.get(id) ?? {};
    const node: NodeInput = {
      id,
      externalAssets: Math.max(0, assets - interbankAssets),
      externalLiabilities: Math.max(0, liabilities - interbankLiabilities),
      weight: assets,
      holdings,
    };
    if (sector) node.sector = sector;
    if (equity !== null) node.capital = Math.max(0, equity);
    nodes.push(node);
    traced.push({
      id,
      type: b?.type ?? "unregistered",
      sector,
      totalAssets: assets,
      holdings,
      equity,
      equitySource,
      interbankAssets,
      interbankLiabilities,
    });
  }
  if (nodes.length === 0)
    throw new AppError("NOT_FOUND", `no institution with exposures in ${period} reports a balance sheet`);
  return {
    input: { nodes, exposures: kept },
    provenance: {
      period,
      asOf: asOf ?? null,
      exposureSubmissions: submissions,
      estimated,
      excluded,
      nodes: traced,
    },
  };
}

/** Rows of the market's lenders that report a total but no exposures, estimated from the returns' totals. */
async function estimateMarket(
  db: Sql,
  market: (typeof totalsMarkets)[number],
  reported: readonly ExposureInput[],
  period: string,
  asOf: string | undefined,
  method: EstimationMethod,
): Promise<StoredEstimate | null> {
  const totals = await db.query<{ code: string; item: string; value: string }>(
    `select distinct on (f.institution_code, f.item) trim(f.institution_code) as code, f.item, f.value::text as value
     from facts f join submissions s on s.id = f.submission_id join institutions i on i.code = f.institution_code
     where i.type = any($1::text[]) and f.item = any($2::text[]) and ${inPeriod("$3")}
       and ${asOf ? "s.received_at <= $4::timestamptz and (s.superseded_at is null or s.superseded_at > $4::timestamptz)" : "s.superseded_at is null"}
     order by f.institution_code, f.item, ${monthOfFact} desc`,
    asOf
      ? [market.types, [market.assets, market.liabilities], period, asOf]
      : [market.types, [market.assets, market.liabilities], period],
  );
  const members = new Set(totals.map((t) => t.code));
  const lenders = new Set(reported.map((e) => e.lender));
  const shown = new Map<string, number>();
  for (const e of reported) {
    if (members.has(e.lender) && members.has(e.borrower))
      shown.set(e.borrower, (shown.get(e.borrower) ?? 0) + e.amount);
  }
  const rows = new Map<string, number>();
  const residual = new Map<string, number>();
  for (const t of totals) {
    const value = Number(t.value);
    if (t.item === market.assets && !lenders.has(t.code) && value > 0) rows.set(t.code, value);
    if (t.item === market.liabilities) residual.set(t.code, Math.max(0, value - (shown.get(t.code) ?? 0)));
  }
  if (rows.size === 0) return null;
  const result = estimateMissingRows([...members].sort(), rows, residual, method);
  return { market: market.name, ...result };
}
