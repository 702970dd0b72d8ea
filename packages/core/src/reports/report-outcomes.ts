/**
 * The rule outcomes behind the monthly report and the console's overview: the pack over every institution's returns
 * for one month. Computed once per month, data version (the latest batch) and pack version, then stored in
 * `report_outcomes`, so a report (and the overview's first load after a start) reads them instead of re-evaluating
 * six months of returns. In memory too, for the requests that follow.
 */
import { createHash } from "node:crypto";
import type { EntityType } from "../contract/items.ts";
import { type Sql, yieldToEventLoop } from "../db/client.ts";
import {
  type AnyRule,
  type Bilingual,
  type EntityInput,
  type EntityProfile,
  evaluatePack,
  type Outcome,
  type OutcomeKind,
} from "../rules/index.ts";

/** Institutions evaluated between two turns of the event loop (each outcome depends on its own returns only). */
const evaluationSlice = 100;

/** What a report uses of an outcome; the explanation is kept for breaches only (the others are never shown). */
export interface ReportOutcome {
  ruleId: string;
  institution: string;
  kind: OutcomeKind;
  severity: string;
  number: number | null;
  display: string | null;
  thresholds: readonly { line: string; comparator: string; number: number }[];
  explanation: Bilingual | null;
}

export interface MonthOutcomes {
  period: string;
  batch: string;
  packVersion: string;
  outcomes: ReportOutcome[];
  /** Where they came from on this call: evaluated now, read from the table, or from memory. */
  source: "computed" | "stored" | "memory";
}

/** `report-<12 hex>` from every rule's id, version and defaults: a changed rule makes new outcomes. */
export function packVersionOf(pack: readonly AnyRule[]): string {
  const fingerprint = pack.map((r) => [r.id, r.version, r.params.defaults]);
  return `report-${createHash("sha256").update(JSON.stringify(fingerprint)).digest("hex").slice(0, 12)}`;
}

function quarterOf(month: string): string | null {
  const m = Number(month.slice(5, 7));
  return m % 3 === 0 ? `${month.slice(0, 4)}-Q${m / 3}` : null;
}

const isBreach = (k: string) => k === "breach_warning" || k === "breach_regulatory";

/** Stored form: institutions, rules and threshold sets as tables, each outcome a row of indexes (about 30 bytes). */
interface Encoded {
  institutions: string[];
  rules: string[];
  thresholds: ReportOutcome["thresholds"][];
  /** [institution, rule, kind, severity, number, display, thresholds, explanation zh, explanation en] */
  rows: [number, number, string, string, number | null, string | null, number, string?, string?][];
}

export function encodeOutcomes(outcomes: readonly ReportOutcome[]): string {
  const index = <T>(table: T[], map: Map<string, number>, key: string, value: T) => {
    let i = map.get(key);
    if (i === undefined) {
      i = table.length;
      table.push(value);
      map.set(key, i);
    }
    return i;
  };
  const e: Encoded = { institutions: [], rules: [], thresholds: [], rows: [] };
  const insts = new Map<string, number>();
  const rules = new Map<string, number>();
  const thresholds = new Map<string, number>();
  for (const o of outcomes) {
    const row: Encoded["rows"][number] = [
      index(e.institutions, insts, o.institution, o.institution),
      index(e.rules, rules, o.ruleId, o.ruleId),
      o.kind,
      o.severity,
      o.number,
      o.display,
      index(e.thresholds, thresholds, JSON.stringify(o.thresholds), o.thresholds),
    ];
    if (o.explanation) row.push(o.explanation.zh, o.explanation.en);
    e.rows.push(row);
  }
  return JSON.stringify(e);
}

export function decodeOutcomes(text: string): ReportOutcome[] {
  const e = JSON.parse(text) as Encoded;
  return e.rows.map((r) => ({
    institution: e.institutions[r[0]]!,
    ruleId: e.rules[r[1]]!,
    kind: r[2] as OutcomeKind,
    severity: r[3],
    number: r[4],
    display: r[5],
    thresholds: e.thresholds[r[6]]!,
    explanation: r[7] !== undefined ? { zh: r[7], en: r[8] ?? "" } : null,
  }));
}

/** The pack over the month's (and, at a quarter end, the quarter's) current returns of every institution. */
async function evaluateMonth(db: Sql, pack: readonly AnyRule[], month: string): Promise<ReportOutcome[]> {
  const registry = new Map<string, EntityProfile>();
  const insts = await db.query<{
    code: string;
    type: string;
    bankTier: number | null;
    totalAssets: string | null;
  }>(
    `select trim(code) as code, type, bank_tier as "bankTier", total_assets::text as "totalAssets"
     from institutions where type <> 'supervisory_office'`,
  );
  for (const i of insts) {
    const p: EntityProfile = { type: i.type as EntityType };
    if (i.bankTier !== null) p.bankTier = i.bankTier as EntityProfile["bankTier"];
    if (i.totalAssets !== null) p.totalAssets = i.totalAssets;
    registry.set(i.code, p);
  }
  const periods = [month, quarterOf(month)].filter((p): p is string => p !== null);
  // Submissions first, then their facts by submission id: facts are indexed by institution, not by period.
  const rows = await db.query<{ institution: string; item: string; value: string }>(
    `select trim(f.institution_code) as institution, f.item, coalesce(f.value::text, f.grade) as value
     from facts f
     where f.submission_id in (select id from submissions where superseded_at is null and period = any($1::text[]))
       and f.period = any($1::text[])`,
    [periods],
  );
  const byEntity = new Map<string, EntityInput & { facts: Record<string, string> }>();
  for (const r of rows) {
    const profile = registry.get(r.institution);
    if (!profile) continue;
    let e = byEntity.get(r.institution);
    if (!e) {
      e = { ...profile, institution: r.institution, period: month, facts: {} };
      byEntity.set(r.institution, e);
    }
    e.facts[r.item] = r.value;
  }
  // In slices, letting requests run between them: the server computes missing outcomes at start, on their thread.
  const entities = [...byEntity.values()];
  const outcomes: Outcome[] = [];
  for (let i = 0; i < entities.length; i += evaluationSlice) {
    if (i > 0) await yieldToEventLoop();
    outcomes.push(...evaluatePack(pack, entities.slice(i, i + evaluationSlice)));
  }
  return outcomes.map((o) => ({
    ruleId: o.ruleId,
    institution: o.institution,
    kind: o.kind,
    severity: o.severity,
    number: o.value && "number" in o.value ? o.value.number : null,
    display: o.value && "display" in o.value ? o.value.display : null,
    thresholds: o.thresholds.map((t) => ({ line: t.line, comparator: t.comparator, number: t.number })),
    explanation: isBreach(o.kind) ? o.explanation : null,
  }));
}

const memory = new Map<string, MonthOutcomes>();

/** The latest batch: the data version outcomes are computed for. */
export async function dataVersion(db: Sql): Promise<string> {
  const [head] = await db.query<{ batch: string | null }>("select max(id)::text as batch from batches");
  return head?.batch ?? "0";
}

/**
 * The month's outcomes for the data version `batch`: from memory, else from `report_outcomes`, else evaluated and
 * stored (older data versions of the month are deleted then: they can be recomputed from the data).
 */
export async function monthOutcomes(
  db: Sql,
  pack: readonly AnyRule[],
  month: string,
  batch: string,
): Promise<MonthOutcomes> {
  const packVersion = packVersionOf(pack);
  const key = `${month}|${batch}|${packVersion}`;
  const hit = memory.get(key);
  if (hit) return { ...hit, source: "memory" };
  const [stored] = await db.query<{ body: string }>(
    "select body from report_outcomes where period = $1 and batch_id = $2 and pack_version = $3",
    [month, batch, packVersion],
  );
  let result: MonthOutcomes;
  if (stored) {
    result = { period: month, batch, packVersion, outcomes: decodeOutcomes(stored.body), source: "stored" };
  } else {
    const outcomes = await evaluateMonth(db, pack, month);
    await db.query(
      `insert into report_outcomes (period, batch_id, pack_version, outcomes, body) values ($1, $2, $3, $4, $5)
       on conflict do nothing`,
      [month, batch, packVersion, outcomes.length, encodeOutcomes(outcomes)],
    );
    await db.query("delete from report_outcomes where period = $1 and batch_id < $2", [month, batch]);
    result = { period: month, batch, packVersion, outcomes, source: "computed" };
  }
  if (memory.size > 48) memory.clear();
  memory.set(key, result);
  return result;
}

/** Forgets what is held in memory (tests, and a store that changed under this process). */
export function clearOutcomeMemory(): void {
  memory.clear();
}
