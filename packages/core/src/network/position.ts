/**
 * One institution's place in the interbank network of a period: its systemic importance (rank and DebtRank impact
 * of its own default, from the stored run or computed now) and its largest lenders and borrowers, for the
 * institution profile. Amounts are in yuan, as reported in the exposures dataset.
 */
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { openDuck } from "../lake/duckdb.ts";
import { registerDatasetView } from "../lake/views.ts";
import { computeSystemicImportance, getSystemicImportance, type SystemicImportance } from "./systemic.ts";

export interface Counterparty {
  code: string;
  nameZh: string | null;
  nameEn: string | null;
  /** Yuan. */
  amount: number;
  /** True when the link was estimated from reported totals rather than reported bilaterally. */
  estimated: boolean;
}

export interface NetworkPosition {
  institution: string;
  /** The period shown: the one asked for, else the latest with exposures; null when none is stored. */
  period: string | null;
  /** Null when the period has no exposures, or the institution is not a node of its network. */
  systemic: {
    stored: boolean;
    runId: number | null;
    method: SystemicImportance["method"];
    version: number;
    parameters: SystemicImportance["parameters"];
    rank: number;
    of: number;
    impact: number;
    losses: number;
    defaults: number;
    network: { nodes: number; exposures: number; exposureSubmissions: number[] };
  } | null;
  /** Who lends to the institution (it owes them), largest first. */
  lenders: Counterparty[];
  /** Whom the institution lends to (they owe it), largest first. */
  borrowers: Counterparty[];
  totals: { borrowed: number; lent: number; lenders: number; borrowers: number };
}

const periodPattern = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

/** The latest month with current exposures submissions, or null. */
async function latestExposuresPeriod(db: Sql): Promise<string | null> {
  const [row] = await db.query<{ p: string | null }>(
    `select max(period) as p from submissions
     where dataset = 'exposures' and superseded_at is null and period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`,
  );
  return row?.p ?? null;
}

export async function networkPosition(
  db: Sql,
  dataDir: string,
  input: { institution: string; period?: string; top?: number },
): Promise<NetworkPosition> {
  const code = input.institution;
  if (!/^[0-9A-Za-z]{18}$/.test(code))
    throw new AppError("INVALID_INPUT", "institution must be an 18-character Unified Social Credit Code");
  if (input.period !== undefined && !periodPattern.test(input.period))
    throw new AppError("INVALID_INPUT", `period "${input.period}" must be a month written YYYY-MM`);
  const top = input.top ?? 5;
  const period = input.period ?? (await latestExposuresPeriod(db));
  const empty: NetworkPosition = {
    institution: code,
    period,
    systemic: null,
    lenders: [],
    borrowers: [],
    totals: { borrowed: 0, lent: 0, lenders: 0, borrowers: 0 },
  };
  if (!period) return empty;

  // Reported bilateral exposures touching the institution, summed per counterparty.
  const duck = await openDuck({ memoryLimit: "512MB" });
  let edges: { lender: string; borrower: string; amount: number }[];
  try {
    const subs = await registerDatasetView(duck, db, dataDir, "exposures", { periods: [period] });
    if (subs.length === 0) return empty;
    edges = await duck.all(
      `SELECT lender_code AS lender, borrower_code AS borrower, CAST(sum(amount) AS DOUBLE) AS amount
       FROM exposures WHERE (lender_code = $1 OR borrower_code = $1) AND lender_code <> borrower_code
       GROUP BY ALL HAVING sum(amount) > 0`,
      [code],
    );
  } finally {
    duck.close();
  }

  // The stored ranking, else computed now (as GET /api/contagion/systemic does).
  let s: (SystemicImportance & { stored: boolean }) | null = null;
  try {
    const stored = await getSystemicImportance(db, period);
    s = stored
      ? { ...stored, stored: true }
      : { ...(await computeSystemicImportance(db, dataDir, { period })), stored: false };
  } catch (e) {
    // A period whose exposures leave no network (nothing stored) has no ranking; anything else is an error.
    if (!(e instanceof AppError && e.code === "NOT_FOUND")) throw e;
  }
  const estimatedEdges = (s?.network.estimated ?? [])
    .flatMap((m) => m.links)
    .filter((l) => l.lender === code || l.borrower === code);

  const all = [
    ...edges.map((e) => ({ ...e, estimated: false })),
    ...estimatedEdges.map((e) => ({ ...e, estimated: true })),
  ];
  const codes = [...new Set(all.map((e) => (e.lender === code ? e.borrower : e.lender)))];
  const names = new Map(
    (
      await db.query<{ code: string; name_zh: string; name_en: string }>(
        "select trim(code) as code, name_zh, name_en from institutions where code = any($1::text[])",
        [codes],
      )
    ).map((r) => [r.code, r]),
  );
  const side = (mine: "lender" | "borrower"): Counterparty[] =>
    all
      .filter((e) => e[mine] === code)
      .map((e) => {
        const other = mine === "lender" ? e.borrower : e.lender;
        const n = names.get(other);
        return {
          code: other,
          nameZh: n?.name_zh ?? null,
          nameEn: n?.name_en ?? null,
          amount: e.amount,
          estimated: e.estimated,
        };
      })
      .sort((a, b) => b.amount - a.amount || a.code.localeCompare(b.code));
  const borrowers = side("lender");
  const lenders = side("borrower");
  const sum = (xs: Counterparty[]) => xs.reduce((t, x) => t + x.amount, 0);

  const entry = s?.ranking.find((r) => r.id === code);
  return {
    institution: code,
    period,
    systemic:
      s && entry
        ? {
            stored: s.stored,
            runId: s.runId,
            method: s.method,
            version: s.version,
            parameters: s.parameters,
            rank: entry.rank,
            of: s.ranking.length,
            impact: entry.additionalStress,
            losses: entry.additionalLosses,
            defaults: entry.additionalDefaults,
            network: {
              nodes: s.network.nodes,
              exposures: s.network.exposures,
              exposureSubmissions: s.network.exposureSubmissions,
            },
          }
        : null,
    lenders: lenders.slice(0, top),
    borrowers: borrowers.slice(0, top),
    totals: {
      borrowed: sum(lenders),
      lent: sum(borrowers),
      lenders: lenders.length,
      borrowers: borrowers.length,
    },
  };
}
