import { z } from "zod";
import { type Sector, sectors } from "../contract/institution-types.ts";
import type { Sql } from "../db/client.ts";
import type { ReadScope } from "../identity/policy.ts";
import { binder, scopeSql } from "../identity/scope-sql.ts";
import { citationOf } from "../rules/explain.ts";
import type { AnyRule, Bilingual } from "../rules/index.ts";
import { dataVersion, monthOutcomes, packVersionOf, type ReportOutcome } from "./report-outcomes.ts";

export const reportFormats = ["json", "xlsx", "pdf"] as const;

/** The monthly report's query: the API's schema and the use case's input. */
export const monthlyReportQuery = z.strictObject({
  period: z
    .string()
    .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month, YYYY-MM")
    .optional()
    .describe("The month reported on; the latest month with submissions when absent."),
  sector: z
    .enum(sectors)
    .optional()
    .describe("One sector; the whole province (as far as the caller sees) when absent."),
  format: z.enum(reportFormats).default("json"),
  lang: z.enum(["zh", "en"]).default("zh").describe("Language of the XLSX and PDF documents."),
});
export type MonthlyReportQuery = z.infer<typeof monthlyReportQuery>;

/** Warning levels derived from this month's rule outcomes, worst first. */
export const riskLevels = ["red", "orange", "yellow", "green"] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const institutionStatuses = ["active", "under_watch", "exited", "taken_over", "revoked"] as const;

export interface ReportBreach {
  institution: string;
  nameZh: string;
  nameEn: string;
  sector: string;
  ruleId: string;
  rule: Bilingual;
  kind: "breach_warning" | "breach_regulatory";
  severity: string;
  value: number | null;
  display: string | null;
  thresholds: { line: string; comparator: string; number: number }[];
  legalBasis: Bilingual;
  explanation: Bilingual;
}

export interface ReportIndicator {
  ruleId: string;
  rule: Bilingual;
  display: string;
  assessed: number;
  warning: number;
  regulatory: number;
  median: number | null;
  warningLine: number | null;
  regulatoryLine: number | null;
  comparator: string | null;
  legalBasis: Bilingual;
  /** The median per month of the trend window, oldest first. */
  medians: (number | null)[];
}

export interface MonthlyReport {
  period: string;
  sector: Sector | null;
  /** False when the caller sees only part of the province (a unit's sectors or districts). */
  wholeProvince: boolean;
  generatedAt: string;
  trendPeriods: string[];
  institutions: {
    total: number;
    bySector: { sector: string; total: number; byStatus: Record<string, number> }[];
    byDistrict: {
      district: string;
      total: number;
      underWatch: number;
      red: number;
      orange: number;
      yellow: number;
    }[];
  };
  submissions: {
    expected: number;
    reported: number;
    byPeriod: { period: string; institutions: number; submissions: number; rows: number }[];
    byInstitution: {
      code: string;
      nameZh: string;
      nameEn: string;
      type: string;
      sector: string;
      district: string;
      datasets: number;
      rows: number;
      lastReceivedAt: string | null;
      reported: boolean;
      level: RiskLevel | null;
    }[];
  };
  /** Institutions per sector and level; only those with at least one assessed rule have a level. */
  riskGrid: { sector: string; counts: Record<RiskLevel, number> }[];
  /** Institutions at each level per month of the trend window, oldest first. */
  levelTrend: { period: string; counts: Record<RiskLevel, number> }[];
  indicators: ReportIndicator[];
  breaches: ReportBreach[];
  workflow: {
    openCases: number;
    casesByStatus: Record<string, number>;
    openEvents: number;
    eventsThisMonth: number;
  };
  /** False when no rule pack was given: levels, indicators and breaches are then empty. */
  rulesAssessed: boolean;
}

interface InstitutionRecord {
  code: string;
  nameZh: string;
  nameEn: string;
  type: string;
  sector: string;
  district: string;
  status: string;
  bankTier: number | null;
  totalAssets: string | null;
}

/**
 * Whole reports per scope and query, for the data and pack versions they were built from, in memory and in
 * `report_snapshots` (their workflow part is re-read on every request).
 */
const reportCache = new Map<string, MonthlyReport>();

/** Months ending at `period`, oldest first. */
export function monthsEnding(period: string, count: number): string[] {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const t = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
  }
  return out;
}

function quarterOf(month: string): string | null {
  const m = Number(month.slice(5, 7));
  return m % 3 === 0 ? `${month.slice(0, 4)}-Q${m / 3}` : null;
}

/** The worst level an institution's outcomes put it at; null when no rule could be assessed. */
export function levelOf(outcomes: readonly { kind: string; severity: string }[]): RiskLevel | null {
  let level: RiskLevel | null = null;
  const rank = (l: RiskLevel | null) => (l === null ? 9 : riskLevels.indexOf(l));
  for (const o of outcomes) {
    let l: RiskLevel | null = null;
    if (o.kind === "breach_regulatory")
      l = o.severity === "critical" || o.severity === "high" ? "red" : "orange";
    else if (o.kind === "breach_warning") l = "yellow";
    else if (o.kind === "pass") l = "green";
    if (rank(l) < rank(level)) level = l;
  }
  return level;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The latest month with current submissions: what a report without a period shows. */
async function latestMonth(db: Sql): Promise<string | null> {
  // Ordered and limited rather than max(): the partial index on current submissions' period answers it.
  const [row] = await db.query<{ period: string }>(
    `select period from submissions where superseded_at is null and period ~ '^[0-9]{4}-[0-9]{2}$'
     order by period desc limit 1`,
  );
  return row?.period ?? null;
}

/**
 * The monthly supervisory report for one sector or the province, limited to what `scope` may read:
 * institutions by sector, status and district, submissions for the month, rule outcomes (levels, key
 * indicators against their lines, breaches with legal basis) and the workflow in flight.
 */
export async function buildMonthlyReport(
  db: Sql,
  scope: ReadScope,
  query: Pick<MonthlyReportQuery, "period" | "sector">,
  pack: readonly AnyRule[] | null,
  trendMonths = 6,
): Promise<MonthlyReport> {
  const batch = await dataVersion(db);
  const packVersion = pack ? packVersionOf(pack) : "none";
  const key = JSON.stringify([scope, query.period ?? null, query.sector ?? null, trendMonths]);
  const memoryKey = `${key}|${batch}|${packVersion}`;
  let report = reportCache.get(memoryKey);
  if (!report) {
    const [stored] = await db.query<{ body: string }>(
      "select body from report_snapshots where key = $1 and batch_id = $2 and pack_version = $3",
      [key, batch, packVersion],
    );
    if (stored) report = JSON.parse(stored.body) as MonthlyReport;
    else {
      report = await buildFresh(db, scope, query, pack, trendMonths, batch);
      await db.query(
        `insert into report_snapshots (key, batch_id, pack_version, body) values ($1, $2, $3, $4)
         on conflict do nothing`,
        [key, batch, packVersion, JSON.stringify(report)],
      );
      await db.query("delete from report_snapshots where key = $1 and batch_id < $2", [key, batch]);
    }
    if (reportCache.size > 64) reportCache.clear();
    reportCache.set(memoryKey, report);
  }
  // Cases and events change without a new batch: read afresh every time.
  const workflow = await workflowOf(db, scope, query.sector, report.period);
  return { ...report, workflow, generatedAt: new Date().toISOString() };
}

async function buildFresh(
  db: Sql,
  scope: ReadScope,
  query: Pick<MonthlyReportQuery, "period" | "sector">,
  pack: readonly AnyRule[] | null,
  trendMonths: number,
  batch: string,
): Promise<MonthlyReport> {
  const { params, bind } = binder();
  const where = [scopeSql(scope, { institution: "code", sector: "sector", district: "district" }, bind)];
  if (query.sector) where.push(`sector = ${bind(query.sector)}`);
  where.push("type <> 'supervisory_office'");
  const institutions = await db.query<InstitutionRecord>(
    `select trim(code) as code, name_zh as "nameZh", name_en as "nameEn", type, sector, district, status,
            bank_tier as "bankTier", total_assets::text as "totalAssets"
     from institutions where ${where.join(" and ")} order by code`,
    params,
  );
  const latest = await latestMonth(db);
  const period = query.period ?? latest ?? new Date().toISOString().slice(0, 7);
  const trendPeriods = monthsEnding(period, trendMonths);
  const codes = institutions.map((i) => i.code);

  const bySectorMap = new Map<string, { sector: string; total: number; byStatus: Record<string, number> }>();
  for (const i of institutions) {
    let s = bySectorMap.get(i.sector);
    if (!s) {
      s = {
        sector: i.sector,
        total: 0,
        byStatus: Object.fromEntries(institutionStatuses.map((st) => [st, 0])),
      };
      bySectorMap.set(i.sector, s);
    }
    s.total++;
    s.byStatus[i.status] = (s.byStatus[i.status] ?? 0) + 1;
  }
  const bySector = sectors.filter((s) => bySectorMap.has(s)).map((s) => bySectorMap.get(s)!);

  // Submissions of the month (and the quarter it closes) per institution; the trend counts reporters per month.
  const periods = [period, quarterOf(period)].filter((p): p is string => p !== null);
  const subs = await db.query<{ code: string; datasets: string; rows: string; last: string | null }>(
    `select trim(institution_code) as code, count(distinct dataset)::text as datasets, sum(row_count)::text as rows,
            max(received_at)::text as last
     from submissions where superseded_at is null and period = any($1::text[]) and institution_code = any($2::text[])
     group by institution_code`,
    [periods, codes],
  );
  const subsOf = new Map(subs.map((s) => [s.code, s]));
  const trendRows = await db.query<{
    period: string;
    institutions: string;
    submissions: string;
    rows: string;
  }>(
    `select period, count(distinct institution_code)::text as institutions, count(*)::text as submissions,
            coalesce(sum(row_count), 0)::text as rows
     from submissions where superseded_at is null and period = any($1::text[]) and institution_code = any($2::text[])
     group by period`,
    [trendPeriods, codes],
  );
  const trendOf = new Map(trendRows.map((r) => [r.period, r]));

  // Rule outcomes (computed once per month and data version, stored): this month for levels, indicators and
  // breaches; each trend month for the level trend and the indicators' medians. Only institutions in scope count.
  const inScope = new Set(codes);
  const outcomesByMonth = new Map<string, ReportOutcome[]>();
  const levelsByMonth = new Map<string, Map<string, RiskLevel>>();
  let current: ReportOutcome[] = [];
  if (pack) {
    for (const month of trendPeriods) {
      const outcomes = (await monthOutcomes(db, pack, month, batch)).outcomes.filter((o) =>
        inScope.has(o.institution),
      );
      outcomesByMonth.set(month, outcomes);
      const perInst = new Map<string, ReportOutcome[]>();
      for (const o of outcomes) {
        const list = perInst.get(o.institution);
        if (list) list.push(o);
        else perInst.set(o.institution, [o]);
      }
      const levels = new Map<string, RiskLevel>();
      for (const [code, list] of perInst) {
        const l = levelOf(list);
        if (l) levels.set(code, l);
      }
      levelsByMonth.set(month, levels);
      if (month === period) current = outcomes;
    }
  }
  const levels = levelsByMonth.get(period) ?? new Map<string, RiskLevel>();
  const zero = (): Record<RiskLevel, number> => ({ red: 0, orange: 0, yellow: 0, green: 0 });
  const riskGrid = bySector.map((s) => ({ sector: s.sector, counts: zero() }));
  const gridOf = new Map(riskGrid.map((g) => [g.sector, g]));
  const districtMap = new Map<string, MonthlyReport["institutions"]["byDistrict"][number]>();
  for (const i of institutions) {
    const l = levels.get(i.code);
    if (l) gridOf.get(i.sector)!.counts[l]++;
    let d = districtMap.get(i.district);
    if (!d) {
      d = { district: i.district, total: 0, underWatch: 0, red: 0, orange: 0, yellow: 0 };
      districtMap.set(i.district, d);
    }
    d.total++;
    if (i.status === "under_watch") d.underWatch++;
    if (l === "red" || l === "orange" || l === "yellow") d[l]++;
  }

  const byCode = new Map(institutions.map((i) => [i.code, i]));
  const rulesById = new Map((pack ?? []).map((r) => [r.id, r]));
  const breaches: ReportBreach[] = [];
  const perRule = new Map<string, ReportOutcome[]>();
  for (const o of current) {
    const list = perRule.get(o.ruleId);
    if (list) list.push(o);
    else perRule.set(o.ruleId, [o]);
    if (o.kind !== "breach_warning" && o.kind !== "breach_regulatory") continue;
    const inst = byCode.get(o.institution)!;
    const rule = rulesById.get(o.ruleId);
    breaches.push({
      institution: o.institution,
      nameZh: inst.nameZh,
      nameEn: inst.nameEn,
      sector: inst.sector,
      ruleId: o.ruleId,
      rule: { zh: rule?.zh ?? o.ruleId, en: rule?.en ?? o.ruleId },
      kind: o.kind,
      severity: o.severity,
      value: o.number,
      display: o.display,
      thresholds: o.thresholds.map((t) => ({ line: t.line, comparator: t.comparator, number: t.number })),
      legalBasis: rule?.legalBasis[0] ? citationOf(rule.legalBasis[0]) : { zh: "", en: "" },
      explanation: o.explanation ?? { zh: "", en: "" },
    });
  }
  const severityRank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  breaches.sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === "breach_regulatory" ? -1 : 1) ||
      (severityRank[a.severity] ?? 9) - (severityRank[b.severity] ?? 9) ||
      a.institution.localeCompare(b.institution) ||
      a.ruleId.localeCompare(b.ruleId),
  );

  // Key indicators: numeric threshold rules assessed this month, the most breached first.
  const monthlyMedians = new Map<string, Map<string, number | null>>();
  if (pack) {
    for (const month of trendPeriods) {
      const values = new Map<string, number[]>();
      for (const o of outcomesByMonth.get(month) ?? []) {
        if (o.number === null) continue;
        const list = values.get(o.ruleId);
        if (list) list.push(o.number);
        else values.set(o.ruleId, [o.number]);
      }
      monthlyMedians.set(month, new Map([...values].map(([k, v]) => [k, median(v)])));
    }
  }
  const indicators: ReportIndicator[] = [];
  for (const [ruleId, list] of perRule) {
    const numeric = list.filter((o) => o.number !== null && o.thresholds.length > 0);
    if (numeric.length === 0) continue;
    const rule = rulesById.get(ruleId);
    const first = numeric[0]!;
    const line = (l: string) => first.thresholds.find((t) => t.line === l)?.number ?? null;
    indicators.push({
      ruleId,
      rule: { zh: rule?.zh ?? ruleId, en: rule?.en ?? ruleId },
      display: first.display ?? "count",
      assessed: numeric.length,
      warning: list.filter((o) => o.kind === "breach_warning").length,
      regulatory: list.filter((o) => o.kind === "breach_regulatory").length,
      median: median(numeric.map((o) => o.number!)),
      warningLine: line("warning"),
      regulatoryLine: line("regulatory"),
      comparator: first.thresholds[0]?.comparator ?? null,
      legalBasis: rule?.legalBasis[0] ? citationOf(rule.legalBasis[0]) : { zh: "", en: "" },
      medians: trendPeriods.map((m) => monthlyMedians.get(m)?.get(ruleId) ?? null),
    });
  }
  indicators.sort(
    (a, b) =>
      b.regulatory + b.warning - (a.regulatory + a.warning) ||
      b.assessed - a.assessed ||
      a.ruleId.localeCompare(b.ruleId),
  );

  const workflow = await workflowOf(db, scope, query.sector, period);

  return {
    period,
    sector: query.sector ?? null,
    wholeProvince: scope.all && !query.sector,
    generatedAt: new Date().toISOString(),
    trendPeriods,
    institutions: {
      total: institutions.length,
      bySector,
      byDistrict: [...districtMap.values()].sort(
        (a, b) => b.total - a.total || a.district.localeCompare(b.district),
      ),
    },
    submissions: {
      expected: institutions.filter((i) => i.status === "active" || i.status === "under_watch").length,
      reported: subs.length,
      byPeriod: trendPeriods.map((p) => {
        const r = trendOf.get(p);
        return {
          period: p,
          institutions: Number(r?.institutions ?? 0),
          submissions: Number(r?.submissions ?? 0),
          rows: Number(r?.rows ?? 0),
        };
      }),
      byInstitution: institutions.map((i) => {
        const s = subsOf.get(i.code);
        return {
          code: i.code,
          nameZh: i.nameZh,
          nameEn: i.nameEn,
          type: i.type,
          sector: i.sector,
          district: i.district,
          datasets: Number(s?.datasets ?? 0),
          rows: Number(s?.rows ?? 0),
          lastReceivedAt: s?.last ? new Date(s.last).toISOString() : null,
          reported: s !== undefined,
          level: levels.get(i.code) ?? null,
        };
      }),
    },
    riskGrid,
    levelTrend: trendPeriods.map((p) => {
      const counts = zero();
      for (const l of levelsByMonth.get(p)?.values() ?? []) counts[l]++;
      return { period: p, counts };
    }),
    indicators,
    breaches,
    workflow,
    rulesAssessed: pack !== null,
  };
}

/** Cases and major-risk events in flight: read fresh on every report (they change without a new batch). */
async function workflowOf(
  db: Sql,
  scope: ReadScope,
  sector: Sector | undefined,
  period: string,
): Promise<MonthlyReport["workflow"]> {
  const wf = binder();
  const caseScope = scopeSql(
    scope,
    {
      institution: "institution_code",
      sector: "sector",
      district: "district",
      ownerUnit: "owner_unit",
      units: "coordinating_units",
    },
    wf.bind,
  );
  const sectorCond = sector ? ` and sector = ${wf.bind(sector)}` : "";
  const cases = await db.query<{ status: string; n: string }>(
    `select status, count(*)::text as n from cases where ${caseScope}${sectorCond} group by status`,
    wf.params,
  );
  const ev = binder();
  const evScope = scopeSql(
    scope,
    { institution: "institution_code", sector: "sector", district: "district" },
    ev.bind,
  );
  const evSector = sector ? ` and sector = ${ev.bind(sector)}` : "";
  const [events] = await db.query<{ open: string; month: string }>(
    `select count(*) filter (where status = 'open')::text as open,
            count(*) filter (where to_char(occurred_at, 'YYYY-MM') = ${ev.bind(period)})::text as month
     from risk_events where ${evScope}${evSector}`,
    ev.params,
  );
  const casesByStatus = Object.fromEntries(cases.map((c) => [c.status, Number(c.n)]));

  return {
    openCases: cases
      .filter((c) => c.status !== "closed" && c.status !== "referred")
      .reduce((s, c) => s + Number(c.n), 0),
    casesByStatus,
    openEvents: Number(events?.open ?? 0),
    eventsThisMonth: Number(events?.month ?? 0),
  };
}

/**
 * Computes and stores the rule outcomes the reports of the latest month read (that month and its trend window)
 * and the province's report, so that the first report and overview after an ingest or a start read them instead.
 * Returns what was done, for the caller's log.
 */
export async function precomputeMonthlyReport(
  db: Sql,
  pack: readonly AnyRule[],
  trendMonths = 6,
): Promise<{ period: string | null; months: number; computed: number; ms: number }> {
  const t0 = Date.now();
  const latest = await latestMonth(db);
  if (!latest) return { period: null, months: 0, computed: 0, ms: Date.now() - t0 };
  const batch = await dataVersion(db);
  let computed = 0;
  for (const month of monthsEnding(latest, trendMonths)) {
    if ((await monthOutcomes(db, pack, month, batch)).source === "computed") computed++;
  }
  // The province's report itself, which is what the overview of a user who sees everything reads.
  await buildMonthlyReport(db, { all: true }, {}, pack, trendMonths);
  return { period: latest, months: trendMonths, computed, ms: Date.now() - t0 };
}
