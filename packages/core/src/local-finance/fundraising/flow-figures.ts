/**
 * Fund-flow figures per account, computed set-based in DuckDB over any relation with the columns
 * (account, counterparty, direction 'in'|'out', individual BOOLEAN, day DATE, amount DOUBLE): company_transactions
 * maps onto it directly, and so does a public transaction sample such as AMLSim, so the signal tested on the
 * labelled sample is the very code that scores companies.
 */
import type { Duck } from "../../lake/duckdb.ts";
import type { MonthlyInflow } from "./score-company.ts";

export interface FlowFigures {
  /** Distinct individuals paying in small transfers. */
  payers: number;
  /** Money received from individuals. */
  individualInflow: number;
  outflow: number;
  /** Per calendar month: small transfers from individuals, their distinct payers, and all money from individuals. */
  monthly: MonthlyInflow[];
  /** Share of individual inflows passed on within the window (FIFO), or null without individual inflows. */
  passThrough: number | null;
}

export interface FlowOptions {
  smallTransferMax: number;
  passThroughDays: number;
  /** Only these accounts (a SQL relation with one column `account`); default all. */
  accounts?: string;
}

export interface DayFlow {
  day: number;
  individualIn: number;
  out: number;
}

/**
 * Share of the money received from individuals that left again within `days` days: inflows are queued by day and
 * each day's outflows consume the oldest inflows still within the window (the same day included).
 */
export function passThroughShare(series: readonly DayFlow[], days: number): number | null {
  const sorted = [...series].sort((a, b) => a.day - b.day);
  const lots: { day: number; left: number }[] = [];
  let head = 0;
  let total = 0;
  let matched = 0;
  for (const d of sorted) {
    if (d.individualIn > 0) {
      lots.push({ day: d.day, left: d.individualIn });
      total += d.individualIn;
    }
    let out = d.out;
    while (out > 0 && head < lots.length) {
      const lot = lots[head]!;
      if (lot.day < d.day - days || lot.left <= 0) {
        head++;
        continue;
      }
      const used = Math.min(lot.left, out);
      lot.left -= used;
      out -= used;
      matched += used;
      if (lot.left <= 0) head++;
    }
  }
  return total > 0 ? Math.min(1, matched / total) : null;
}

/** Flow figures for every account of `relation` (see the module note for its columns). */
export async function computeFlowFigures(
  duck: Duck,
  relation: string,
  options: FlowOptions,
): Promise<Map<string, FlowFigures>> {
  const scope = options.accounts ? `WHERE account IN (SELECT account FROM ${options.accounts})` : "";
  // SQL has no infinity literal: "no limit" becomes a number no amount reaches.
  const small = Number.isFinite(options.smallTransferMax) ? Number(options.smallTransferMax) : 1e300;
  const base = `(SELECT * FROM ${relation} ${scope})`;
  const totals = await duck.all<{
    account: string;
    payers: number;
    individual_in: number;
    out_total: number;
  }>(
    `SELECT account,
       CAST(count(DISTINCT counterparty) FILTER (WHERE direction = 'in' AND individual AND amount <= ${small}) AS INTEGER) AS payers,
       CAST(coalesce(sum(amount) FILTER (WHERE direction = 'in' AND individual), 0) AS DOUBLE) AS individual_in,
       CAST(coalesce(sum(amount) FILTER (WHERE direction = 'out'), 0) AS DOUBLE) AS out_total
     FROM ${base} GROUP BY account`,
  );
  const monthly = await duck.all<{
    account: string;
    month: string;
    payers: number;
    transfers: number;
    amount: number;
  }>(
    `SELECT account, strftime(day, '%Y-%m') AS month,
       CAST(count(DISTINCT counterparty) FILTER (WHERE amount <= ${small}) AS INTEGER) AS payers,
       CAST(count(*) FILTER (WHERE amount <= ${small}) AS INTEGER) AS transfers,
       CAST(sum(amount) AS DOUBLE) AS amount
     FROM ${base} WHERE direction = 'in' AND individual GROUP BY ALL ORDER BY account, month`,
  );
  // Daily series only for accounts with money from individuals: the rest have nothing to pass on.
  const daily = await duck.all<{ account: string; d: number; individual_in: number; out_total: number }>(
    `SELECT account, CAST(day - DATE '1970-01-01' AS INTEGER) AS d,
       CAST(coalesce(sum(amount) FILTER (WHERE direction = 'in' AND individual), 0) AS DOUBLE) AS individual_in,
       CAST(coalesce(sum(amount) FILTER (WHERE direction = 'out'), 0) AS DOUBLE) AS out_total
     FROM ${base}
     WHERE account IN (SELECT account FROM ${base} WHERE direction = 'in' AND individual)
     GROUP BY ALL ORDER BY account, d`,
  );
  const out = new Map<string, FlowFigures>();
  for (const t of totals) {
    out.set(t.account, {
      payers: t.payers,
      individualInflow: t.individual_in,
      outflow: t.out_total,
      monthly: [],
      passThrough: null,
    });
  }
  for (const m of monthly)
    out
      .get(m.account)
      ?.monthly.push({ month: m.month, payers: m.payers, transfers: m.transfers, amount: m.amount });
  let i = 0;
  while (i < daily.length) {
    const account = daily[i]!.account;
    const series: DayFlow[] = [];
    while (i < daily.length && daily[i]!.account === account) {
      const r = daily[i++]!;
      series.push({ day: r.d, individualIn: r.individual_in, out: r.out_total });
    }
    const f = out.get(account);
    if (f) f.passThrough = passThroughShare(series, options.passThroughDays);
  }
  return out;
}
