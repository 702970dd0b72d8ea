import { institutionTypes } from "../../contract/institution-types.ts";
import type { Db } from "../../db/client.ts";
import { literal } from "../../lake/duckdb.ts";
import { activeListEntries } from "../../sharing/active-list-entries.ts";
import {
  assertMonth,
  loadTable,
  monthBounds,
  monthsEnding,
  openLocalFinanceLake,
  runInstant,
} from "../lake.ts";
import { activePhraseList } from "./active-phrase-list.ts";
import { computeFlowFigures } from "./flow-figures.ts";
import { type FundraisingParams, fundraisingIndexVersion, resolveFundraisingParams } from "./index-params.ts";
import type { PhraseEntry } from "./phrases.ts";
import {
  type Card,
  type CompanyFigures,
  type CompanyScore,
  type RelationLink,
  scoreCompany,
} from "./score-company.ts";

/** Who the index covers besides the watch list: every firm of the local-finance, internet-finance and unlicensed sectors. */
export const indexUniverseTypes = Object.entries(institutionTypes)
  .filter(
    ([, v]) => v.sector === "local_finance" || v.sector === "internet_finance" || v.sector === "unlicensed",
  )
  .map(([k]) => k);

export interface FundraisingRunInput {
  period: string;
  /** Read the submissions current at this instant (ISO); default now. */
  asOf?: string;
  /** Overrides of the index parameters (see index-params.ts). */
  params?: unknown;
  /** How many of the highest scores to return (all are stored). */
  top?: number;
}

export interface FundraisingRunResult {
  runId: number;
  period: string;
  asOf: string;
  version: string;
  phraseListVersion: number;
  lpr: { month: string; oneYear: number } | null;
  params: FundraisingParams;
  companies: number;
  cards: Record<Card, number>;
  top: (CompanyScore & { rank: number })[];
}

// A payee shared by more companies than this is a common supplier (a utility, a landlord), not a tie between them.
const commonPayee = 5;

const complaintCategories = ["fund_raising", "unlicensed", "fraud"];

/** A DuckDB regular expression matching any promise, no-risk, high-return or referral phrase (case-insensitive). */
function promisePattern(list: readonly PhraseEntry[]): string {
  const parts = list
    .filter((e) => ["guarantee", "no_risk", "high_return", "referral"].includes(e.category))
    .map((e) => e.phrase.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return parts.length > 0 ? `(${parts.join("|")})` : "[^\\s\\S]";
}

/**
 * Computes the fund-raising risk index for every company under watch and every local-finance, internet-finance
 * or unlicensed firm in the registry, for one month: figures from the lake (watch list, complaints and account
 * flows over the window), the registry's licences, the LPR and the shared black list; stores the run with its
 * parameters, phrase-list version and inputs, and every company's score, contributions, evidence and card.
 */
export async function runFundraisingIndex(
  deps: { db: Db; dataDir: string },
  actor: string,
  input: FundraisingRunInput,
): Promise<FundraisingRunResult> {
  const { db, dataDir } = deps;
  assertMonth(input.period);
  const params = resolveFundraisingParams(input.params);
  const phrases = await activePhraseList(db);
  const asOf = await runInstant(db, input.asOf);
  const { end } = monthBounds(input.period);
  const months = monthsEnding(input.period, params.windowMonths);
  const [lprRow] = await db.query<{ month: string; one_year: string }>(
    "select month, one_year::text from lpr where month <= $1 order by month desc limit 1",
    [input.period],
  );
  const lpr = lprRow ? { month: lprRow.month, oneYear: Number(lprRow.one_year) / 100 } : null;

  const registry = await db.query<{
    code: string;
    name_zh: string;
    district: string;
    type: string;
    status: string;
    licences: string | null;
  }>(
    `select trim(i.code) as code, i.name_zh, i.district, i.type, i.status,
       string_agg(distinct l.kind, ',') as licences
     from institutions i
     left join licences l on l.institution_code = i.code and l.issued_on <= $1::date
       and (l.expires_on is null or l.expires_on > $1::date)
       and (l.status = 'active' or (l.status_since is not null and l.status_since > $1::date))
     group by i.code, i.name_zh, i.district, i.type, i.status`,
    [end],
  );
  const black = await activeListEntries(db, "black");
  const priorRed = await db.query<{ code: string }>(
    `select distinct trim(s.company_code) as code from lf_fundraising_scores s join lf_fundraising_runs r on r.id = s.run_id
     where r.period < $1 and s.card = 'red'`,
    [input.period],
  );

  const lake = await openLocalFinanceLake(
    db,
    dataDir,
    input.period,
    {
      watched_companies: { kind: "up_to" },
      complaints: { kind: "months", count: params.windowMonths },
      company_transactions: { kind: "months", count: params.windowMonths },
    },
    asOf,
  );
  try {
    const duck = lake.duck;
    await loadTable(
      duck,
      "lf_registry",
      {
        code: "VARCHAR",
        name: "VARCHAR",
        district: "VARCHAR",
        type: "VARCHAR",
        status: "VARCHAR",
        licences: "VARCHAR",
      },
      registry.map((r) => [r.code, r.name_zh, r.district, r.type, r.status, r.licences ?? ""]),
    );
    const offenders: [string, string][] = [];
    for (const e of black)
      if (e.subjectType !== "person") offenders.push([e.subject, `black list #${e.id}: ${e.reason}`]);
    for (const r of priorRed) offenders.push([r.code, "red card in an earlier run"]);
    await loadTable(duck, "lf_offenders", { code: "VARCHAR", source: "VARCHAR" }, offenders);
    await loadTable(
      duck,
      "lf_black_persons",
      { value: "VARCHAR", source: "VARCHAR" },
      black
        .filter((e) => e.subjectType === "person")
        .map((e) => [e.subject, `black list #${e.id}: ${e.reason}`]),
    );
    const p = literal(input.period);
    await duck.run(
      `CREATE TABLE lf_watch AS SELECT * FROM watched_companies WHERE period <= ${p}
       QUALIFY row_number() OVER (PARTITION BY company_code ORDER BY period DESC) = 1`,
    );
    const types = indexUniverseTypes.map(literal).join(", ");
    await duck.run(
      `CREATE TABLE lf_universe AS
       SELECT code FROM (SELECT company_code AS code FROM lf_watch UNION SELECT code FROM lf_registry WHERE type IN (${types}))`,
    );
    await duck.run(
      `CREATE VIEW lf_flows AS SELECT company_code AS account, counterparty_id AS counterparty, direction,
         counterparty_type = 'individual' AS individual, txn_date AS day, CAST(amount AS DOUBLE) AS amount
       FROM company_transactions WHERE txn_date <= DATE ${literal(end)}
         AND company_code IN (SELECT code FROM lf_universe)`,
    );
    await duck.run("CREATE TABLE lf_accounts AS SELECT DISTINCT account FROM lf_flows");

    const base = await lake.all<{
      code: string;
      name: string | null;
      district: string | null;
      type: string | null;
      reg_licences: string | null;
      licence_kind: string | null;
      business_scope: string | null;
      marketing_text: string | null;
      promised_return: number | null;
      promotion_channels: number | null;
      on_watch: boolean;
    }>(
      `SELECT u.code, coalesce(r.name, w.name) AS name, coalesce(w.district, r.district) AS district, r.type,
         r.licences AS reg_licences, w.licence_kind, w.business_scope, w.marketing_text,
         CAST(w.promised_return AS DOUBLE) AS promised_return, CAST(w.promotion_channels AS INTEGER) AS promotion_channels,
         w.company_code IS NOT NULL AS on_watch
       FROM lf_universe u LEFT JOIN lf_registry r ON r.code = u.code LEFT JOIN lf_watch w ON w.company_code = u.code
       ORDER BY u.code`,
    );
    const complaints = await lake.all<{ code: string; total: number; fund: number; recent: string[] }>(
      `SELECT target_code AS code, CAST(count(*) AS INTEGER) AS total,
         CAST(count(*) FILTER (WHERE category IN (${complaintCategories.map(literal).join(", ")})
           OR regexp_matches(lower(text), ${literal(promisePattern(phrases.entries))})) AS INTEGER) AS fund,
         list(complaint_id ORDER BY received_on DESC)[1:3] AS recent
       FROM complaints WHERE received_on <= DATE ${literal(end)} AND target_code IN (SELECT code FROM lf_universe)
       GROUP BY target_code`,
    );
    const flows = await computeFlowFigures(duck, "lf_flows", {
      smallTransferMax: params.smallTransferMax,
      passThroughDays: params.passThroughDays,
    });
    const relations = await lake.all<{
      code: string;
      attribute: RelationLink["attribute"];
      offender: string;
      source: string;
    }>(
      `WITH attrs AS (
         SELECT company_code AS code, 'director' AS attribute, director_id AS value FROM watched_companies WHERE director_id IS NOT NULL AND period <= ${p}
         UNION SELECT company_code, 'phone', phone FROM watched_companies WHERE phone IS NOT NULL AND period <= ${p}
         UNION SELECT company_code, 'address', address FROM watched_companies WHERE address IS NOT NULL AND period <= ${p}),
       payees AS (SELECT DISTINCT account AS code, counterparty AS value FROM lf_flows WHERE direction = 'out'),
       common AS (SELECT value FROM payees GROUP BY value HAVING count(*) > ${commonPayee}),
       links AS (
         SELECT a.code, a.attribute, o.code AS offender, o.source FROM attrs a
           JOIN attrs b ON b.attribute = a.attribute AND b.value = a.value AND b.code <> a.code
           JOIN lf_offenders o ON o.code = b.code
         UNION SELECT a.code, 'director', 'black-list', bp.source FROM attrs a JOIN lf_black_persons bp ON bp.value = a.value
           WHERE a.attribute = 'director'
         UNION SELECT a.code, 'account', o.code, o.source FROM payees a
           JOIN payees b ON b.value = a.value AND b.code <> a.code
           JOIN lf_offenders o ON o.code = b.code
           WHERE a.value NOT IN (SELECT value FROM common))
       SELECT DISTINCT * FROM links WHERE code IN (SELECT code FROM lf_universe) ORDER BY code, attribute, offender`,
    );

    const complaintsBy = new Map(complaints.map((c) => [c.code, c]));
    const relationsBy = new Map<string, RelationLink[]>();
    for (const r of relations) {
      const list = relationsBy.get(r.code) ?? [];
      list.push({ attribute: r.attribute, offender: r.offender, source: r.source });
      relationsBy.set(r.code, list);
    }
    const scores = base.map((b) => {
      const licences = new Set((b.reg_licences ?? "").split(",").filter((k) => k !== ""));
      if (b.licence_kind && b.licence_kind !== "none") licences.add(b.licence_kind);
      const c = complaintsBy.get(b.code);
      const fl = flows.get(b.code);
      const figures: CompanyFigures = {
        code: b.code,
        name: b.name ?? b.code,
        district: b.district,
        kind: b.type ?? "watched_company",
        onWatchList: b.on_watch,
        licences: [...licences].sort(),
        businessScope: b.business_scope,
        marketingText: b.marketing_text,
        promisedReturn: b.promised_return,
        promotionChannels: b.promotion_channels,
        complaints: { total: c?.total ?? 0, fundRaising: c?.fund ?? 0, recent: c?.recent ?? [] },
        flows: fl
          ? {
              payers: fl.payers,
              individualInflow: Math.round(fl.individualInflow * 100) / 100,
              outflow: Math.round(fl.outflow * 100) / 100,
              monthly: fl.monthly.filter((m) => months.includes(m.month)),
              passThrough: fl.passThrough === null ? null : Math.round(fl.passThrough * 10_000) / 10_000,
            }
          : null,
        relations: relationsBy.get(b.code) ?? [],
      };
      return scoreCompany(figures, params, phrases.entries, lpr?.oneYear ?? null);
    });
    scores.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    const ranked = scores.map((s, i) => ({ ...s, rank: i + 1 }));
    const cards: Record<Card, number> = { red: 0, yellow: 0, green: 0 };
    for (const s of ranked) cards[s.card]++;

    const runId = await db.transaction(async (tx) => {
      const [run] = await tx.query<{ id: string }>(
        `insert into lf_fundraising_runs (period, as_of, version, params, phrase_list_version, lpr_month, lpr_one_year, inputs,
           company_count, created_by)
         values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb, $9, $10) returning id::text`,
        [
          input.period,
          asOf,
          fundraisingIndexVersion,
          JSON.stringify(params),
          phrases.version,
          lpr?.month ?? null,
          lprRow?.one_year ?? null,
          JSON.stringify(lake.submissions),
          ranked.length,
          actor,
        ],
      );
      const id = Number(run!.id);
      for (let i = 0; i < ranked.length; i += 500) {
        const chunk = ranked.slice(i, i + 500);
        await tx.query(
          `insert into lf_fundraising_scores (run_id, company_code, name, district, kind, rank, score, card, contributions, evidence)
           select $1, c, n, d, k, r, s, cd, co::jsonb, ev::jsonb
           from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::numeric[], $8::text[], $9::text[], $10::text[])
             as t(c, n, d, k, r, s, cd, co, ev)`,
          [
            id,
            chunk.map((s) => s.code),
            chunk.map((s) => s.name),
            chunk.map((s) => s.district),
            chunk.map((s) => s.kind),
            chunk.map((s) => s.rank),
            chunk.map((s) => s.score),
            chunk.map((s) => s.card),
            chunk.map((s) => JSON.stringify(s.contributions)),
            chunk.map((s) =>
              JSON.stringify({ disposal: s.disposal, legalElements: s.legalElements, ...s.evidence }),
            ),
          ],
        );
      }
      return id;
    });
    return {
      runId,
      period: input.period,
      asOf,
      version: fundraisingIndexVersion,
      phraseListVersion: phrases.version,
      lpr,
      params,
      companies: ranked.length,
      cards,
      top: ranked.slice(0, input.top ?? 20),
    };
  } finally {
    lake.close();
  }
}
