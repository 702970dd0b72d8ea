/**
 * Systemic importance of a stored period: the DebtRank impact of each institution's own default (the weighted
 * share of the rest of the system it puts in stress), ranked, stored with the method, engine version, parameters
 * and the network's provenance, and read back by the API and by scoring.
 */
import { appendAudit } from "../audit/append-audit.ts";
import type { Db, Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { loadStoredNetwork, type StoredNetwork } from "./load-stored.ts";
import type { EstimationMethod } from "./matrix-estimation.ts";
import { buildNetwork } from "./network.ts";
import { type ContagionResult, type RankingEntry, runContagion } from "./run-contagion.ts";

export interface SystemicImportance {
  period: string;
  asOf: string | null;
  method: "debtrank";
  version: number;
  parameters: Record<string, number | string>;
  network: {
    nodes: number;
    exposures: number;
    exposureSubmissions: number[];
    estimated: StoredNetwork["provenance"]["estimated"];
  };
  ranking: RankingEntry[];
  /** Set once stored (or when read back): the run that holds it. */
  runId: number | null;
  createdAt?: string;
  createdBy?: string;
}

/** Summarises how a stored network was built, for a stored run (estimated links included). */
export function networkSummary(
  result: Pick<ContagionResult, "nodes" | "exposures">,
  provenance: StoredNetwork["provenance"],
): SystemicImportance["network"] {
  return {
    nodes: result.nodes,
    exposures: result.exposures,
    exposureSubmissions: provenance.exposureSubmissions,
    estimated: provenance.estimated,
  };
}

/** Runs DebtRank for every single default on the stored network of `period` (nothing is stored). */
export async function computeSystemicImportance(
  db: Sql,
  dataDir: string,
  input: { period: string; asOf?: string; estimate?: EstimationMethod | "none" },
): Promise<SystemicImportance> {
  const estimate = input.estimate ?? "max-entropy";
  const stored = await loadStoredNetwork(db, dataDir, input.period, input.asOf, estimate);
  const result = runContagion(buildNetwork(stored.input), { method: "debtrank", shock: { kind: "each" } });
  return fromResult(result, stored.provenance, estimate);
}

/** The systemic-importance record of a `debtrank` / `each` run on a stored period. */
export function fromResult(
  result: ContagionResult,
  provenance: StoredNetwork["provenance"],
  estimate: EstimationMethod | "none",
): SystemicImportance {
  if (result.method !== "debtrank" || !result.ranking) {
    throw new AppError(
      "INVALID_INPUT",
      "systemic importance is the debtrank method with --shock each (one default at a time)",
    );
  }
  return {
    period: provenance.period,
    asOf: provenance.asOf,
    method: "debtrank",
    version: result.version,
    parameters: { ...result.parameters, estimate },
    network: networkSummary(result, provenance),
    ranking: result.ranking,
    runId: null,
  };
}

/** Stores a systemic-importance ranking as a new run (runs are append-only); returns the run id. */
export async function storeSystemicImportance(db: Db, s: SystemicImportance, actor: string): Promise<number> {
  return db.transaction(async (tx) => {
    const [run] = await tx.query<{ id: string }>(
      `insert into contagion_runs (period, as_of, method, version, params, network, created_by)
       values ($1, $2, $3, $4, $5, $6, $7) returning id::text`,
      [s.period, s.asOf, s.method, s.version, JSON.stringify(s.parameters), JSON.stringify(s.network), actor],
    );
    const runId = Number(run!.id);
    const r = s.ranking;
    await tx.query(
      `insert into systemic_importance (run_id, institution_code, period, rank, impact, losses, defaults)
       select $1, u.i, $2, u.r, u.s, u.l, u.d
       from unnest($3::text[], $4::int[], $5::float8[], $6::float8[], $7::int[]) as u(i, r, s, l, d)`,
      [
        runId,
        s.period,
        r.map((e) => e.id),
        r.map((e) => e.rank),
        r.map((e) => e.additionalStress),
        r.map((e) => e.additionalLosses),
        r.map((e) => e.additionalDefaults),
      ],
    );
    await appendAudit(tx, {
      actor,
      action: "systemic_importance.stored",
      subjectKind: "contagion_run",
      subjectId: runId,
      detail: { period: s.period, method: s.method, version: s.version, institutions: r.length },
    });
    return runId;
  });
}

/** The latest stored systemic-importance run of a period, or null. */
export async function getSystemicImportance(db: Sql, period: string): Promise<SystemicImportance | null> {
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(period))
    throw new AppError("INVALID_INPUT", `period "${period}" must be a month written YYYY-MM`);
  const [run] = await db.query<{
    id: string;
    as_of: string | null;
    version: number;
    params: Record<string, number | string>;
    network: SystemicImportance["network"];
    created_at: string;
    created_by: string;
  }>(
    `select id::text, as_of::text, version, params, network, created_at::text, created_by from contagion_runs
     where period = $1 and method = 'debtrank' order by id desc limit 1`,
    [period],
  );
  if (!run) return null;
  const rows = await db.query<{ i: string; rank: number; impact: number; losses: number; defaults: number }>(
    `select institution_code as i, rank, impact, losses, defaults from systemic_importance
     where run_id = $1 order by rank`,
    [run.id],
  );
  return {
    period,
    asOf: run.as_of,
    method: "debtrank",
    version: run.version,
    parameters: run.params,
    network: run.network,
    ranking: rows.map((x) => ({
      rank: x.rank,
      id: x.i,
      additionalStress: x.impact,
      additionalLosses: x.losses,
      additionalDefaults: x.defaults,
    })),
    runId: Number(run.id),
    createdAt: run.created_at,
    createdBy: run.created_by,
  };
}

/** Latest stored impact of every institution for the periods given (for scoring): period -> institution -> row. */
export async function storedImpacts(
  db: Sql,
  periods: readonly string[],
): Promise<Map<string, Map<string, { impact: number; rank: number; of: number; runId: number }>>> {
  const out = new Map<string, Map<string, { impact: number; rank: number; of: number; runId: number }>>();
  const [exists] = await db.query<{ t: string | null }>(
    "select to_regclass('systemic_importance')::text as t",
  );
  if (!exists?.t || periods.length === 0) return out;
  const rows = await db.query<{
    p: string;
    i: string;
    impact: number;
    rank: number;
    of: string;
    run: string;
  }>(
    `with latest as (
       select period, max(id) as id from contagion_runs where method = 'debtrank' and period = any($1::text[]) group by period)
     select s.period as p, trim(s.institution_code) as i, s.impact, s.rank,
            (count(*) over (partition by s.run_id))::text as of, s.run_id::text as run
     from systemic_importance s join latest l on l.id = s.run_id`,
    [periods],
  );
  for (const r of rows) {
    let m = out.get(r.p);
    if (!m) {
      m = new Map();
      out.set(r.p, m);
    }
    m.set(r.i, { impact: r.impact, rank: r.rank, of: Number(r.of), runId: Number(r.run) });
  }
  return out;
}
