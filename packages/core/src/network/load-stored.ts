import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { openDuck } from "../lake/duckdb.ts";
import { registerDatasetView } from "../lake/views.ts";
import type { NetworkInput, NodeInput } from "./network.ts";

export interface StoredNetwork {
  input: NetworkInput;
  /** Where each figure came from, so every number of a contagion run can be traced. */
  provenance: {
    period: string;
    asOf: string | null;
    exposureSubmissions: number[];
    nodes: {
      id: string;
      type: string;
      totalAssets: number;
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
  if (edges.length === 0) throw new AppError("NOT_FOUND", `no exposures are stored for period ${period}`);
  const ids = [...new Set(edges.flatMap((e) => [e.lender, e.borrower]))].sort();
  const balances = await db.query<BalanceRow>(
    `with latest as (
       select distinct on (f.institution_code, f.item) trim(f.institution_code) as code, f.item, f.value
       from facts f join submissions s on s.id = f.submission_id
       where f.institution_code = any($1::text[]) and f.period <= $2 and f.period ~ '^[0-9]{4}-[0-9]{2}$'
         and (f.item like '%\\_TOTAL\\_ASSETS' or f.item like '%\\_TOTAL\\_LIABILITIES' or f.item like '%\\_NET\\_ASSETS')
         and ${asOf ? "s.received_at <= $3::timestamptz and (s.superseded_at is null or s.superseded_at > $3::timestamptz)" : "s.superseded_at is null"}
       order by f.institution_code, f.item, f.period desc)
     select trim(i.code) as code, i.type,
            (select value::text from latest l where l.code = trim(i.code) and l.item like '%\\_TOTAL\\_ASSETS' limit 1) as assets,
            (select value::text from latest l where l.code = trim(i.code) and l.item like '%\\_TOTAL\\_LIABILITIES' limit 1) as liabilities,
            (select value::text from latest l where l.code = trim(i.code) and l.item like '%\\_NET\\_ASSETS' limit 1) as net_assets
     from institutions i where i.code = any($1::text[])`,
    asOf ? [ids, period, asOf] : [ids, period],
  );
  const byCode = new Map(balances.map((b) => [b.code, b]));
  const ia = new Map<string, number>();
  const il = new Map<string, number>();
  for (const e of edges) {
    ia.set(e.lender, (ia.get(e.lender) ?? 0) + e.amount);
    il.set(e.borrower, (il.get(e.borrower) ?? 0) + e.amount);
  }
  const nodes: NodeInput[] = [];
  const traced: StoredNetwork["provenance"]["nodes"] = [];
  for (const id of ids) {
    const b = byCode.get(id);
    const assetsReported = b?.assets != null ? Number(b.assets) : null;
    const liabilitiesReported = b?.liabilities != null ? Number(b.liabilities) : null;
    let equity: number | null = null;
    let equitySource = "none reported: book equity of the network balance sheet";
    if (b?.net_assets != null) {
      equity = Number(b.net_assets);
      equitySource = "reported net assets";
    } else if (assetsReported !== null && liabilitiesReported !== null) {
      equity = assetsReported - liabilitiesReported;
      equitySource = "reported total assets less total liabilities";
    }
    const interbankAssets = ia.get(id) ?? 0;
    const interbankLiabilities = il.get(id) ?? 0;
    // With no reported totals, the balance sheet closes on the interbank positions and the equity.
    const assets = assetsReported ?? Math.max(interbankAssets, (equity ?? 0) + interbankLiabilities);
    const liabilities = liabilitiesReported ?? Math.max(interbankLiabilities, assets - (equity ?? 0));
    const node: NodeInput = {
      id,
      externalAssets: Math.max(0, assets - interbankAssets),
      externalLiabilities: Math.max(0, liabilities - interbankLiabilities),
      weight: assets,
    };
    if (equity !== null) node.capital = Math.max(0, equity);
    nodes.push(node);
    traced.push({
      id,
      type: b?.type ?? "unregistered",
      totalAssets: assets,
      equity,
      equitySource,
      interbankAssets,
      interbankLiabilities,
    });
  }
  return {
    input: { nodes, exposures: edges },
    provenance: { period, asOf: asOf ?? null, exposureSubmissions: submissions, nodes: traced },
  };
}
