/**
 * Runs record-level rules in DuckDB: each rule's SQL is wrapped so that only breaching records are kept (in a temp
 * table), then aggregated per institution (count, worst examples) in SQL. Records never travel to JavaScript except
 * the few shown as examples and the details asked for.
 */
import type { Duck } from "../../lake/duckdb.ts";
import { fromNumber } from "../../metrics/decimal.ts";
import { citationOf, numbersTogether, withUnit } from "../explain.ts";
import type { Bilingual, LegalBasis, Line, OutcomeThreshold, Severity } from "../types.ts";
import type { AnyRecordRule, RecordRow } from "./record-rule.ts";
import { sqlText } from "./record-rule.ts";

/** One breaching record, explained. */
export interface RecordBreach extends RecordRow {
  line: Line;
  provisional: boolean;
  explanation: Bilingual;
  /** The legal basis the explanation cites. */
  basis: LegalBasis;
}

/** A record rule's outcome for one institution: how many of its records breach, and the worst of them. */
export interface RecordOutcome {
  ruleId: string;
  ruleVersion: number;
  institution: string;
  period: string;
  kind: "breach_regulatory" | "breach_warning";
  line: Line;
  severity: Severity;
  count: number;
  regulatoryCount: number;
  warningCount: number;
  provisional: boolean;
  /** The worst record's value and lines. */
  value: { number: number; display: RecordRuleDisplay };
  thresholds: OutcomeThreshold[];
  worst: RecordBreach[];
  explanation: Bilingual;
}

type RecordRuleDisplay = AnyRecordRule["display"];

export interface RecordRunInput {
  /** YYYY-MM. */
  period: string;
  periodEnd: string;
  rules: readonly AnyRecordRule[];
  /** Resolved parameters per rule id. */
  params: ReadonlyMap<string, Record<string, unknown>>;
  /** Parameters per rule id still at a default marked to_confirm. */
  provisional: ReadonlyMap<string, ReadonlySet<string>>;
  /** Examples kept per institution (default 3). */
  worst?: number;
}

export interface RecordRun {
  outcomes: RecordOutcome[];
  /** Rules not assessed for the period, with why. */
  skipped: { ruleId: string; reason: string }[];
  /** Every breaching record of a rule (optionally one institution's), worst first. */
  breaches(
    ruleId: string,
    options?: { institution?: string; limit?: number; offset?: number },
  ): Promise<RecordBreach[]>;
}

/** The first legal basis in force at the period end. */
export function basisInForce(bases: readonly LegalBasis[], periodEnd: string): LegalBasis {
  const basis =
    bases.find(
      (b) =>
        !b.inForce ||
        ((b.inForce.from === undefined || b.inForce.from <= periodEnd) &&
          (b.inForce.to === undefined || periodEnd <= b.inForce.to)),
    ) ?? bases[0];
  if (!basis) throw new Error("A rule without legal basis");
  return basis;
}

const provisionalNote = { en: " [Threshold provisional: to be confirmed.]", zh: "〔阈值待确认〕" };

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The explanation of one breaching record, naming the value, the line crossed and the legal basis. */
export function explainRecord(
  rule: AnyRecordRule,
  params: Record<string, unknown>,
  row: RecordRow & { line: Line },
  cite: Bilingual,
  provisional: boolean,
): Bilingual {
  const lines = row.warning === null ? [row.regulatory] : [row.regulatory, row.warning];
  const shown = numbersTogether(fromNumber(row.value), lines.map(fromNumber), rule.display);
  const f = (n: string, lang: "en" | "zh") => withUnit(n, rule.display, lang);
  const q = rule.qualifier?.(row, params);
  const qEn = q ? ` ${q.en}` : "";
  const qZh = q ? q.zh : "";
  const head = {
    en: `${capitalise(rule.subject.en)} ${row.subject}: ${rule.measure.en} ${f(shown.value, "en")}`,
    zh: `${rule.subject.zh}${row.subject}：${rule.measure.zh}为${f(shown.value, "zh")}`,
  };
  const reg = { en: f(shown.lines[0]!, "en"), zh: f(shown.lines[0]!, "zh") };
  let text: Bilingual;
  if (row.line === "regulatory") {
    text = {
      en: `${head.en} exceeds the regulatory maximum ${reg.en}${qEn} (${cite.en}).`,
      zh: `${head.zh}，高于${qZh}监管上限${reg.zh}（${cite.zh}）。`,
    };
  } else {
    const warn = { en: f(shown.lines[1]!, "en"), zh: f(shown.lines[1]!, "zh") };
    text = {
      en: `${head.en} exceeds the warning line ${warn.en}; the regulatory maximum is ${reg.en}${qEn} (${cite.en}).`,
      zh: `${head.zh}，高于预警线${warn.zh}；${qZh}监管上限为${reg.zh}（${cite.zh}）。`,
    };
  }
  return provisional ? { en: text.en + provisionalNote.en, zh: text.zh + provisionalNote.zh } : text;
}

interface StoredRow {
  institution: string;
  subject: string;
  value: number;
  warning: number | null;
  regulatory: number;
  param: string;
  detail: string;
  line: Line;
}

/**
 * Record values are doubles (an IRR, a look-through ratio), so a record breaches a line only when it exceeds it by
 * more than one part in 10^9: a value that is exactly on the line in decimals is not lost to binary rounding, and no
 * real breach (money in fen, rates in basis points) is that small.
 */
function above(line: string): string {
  return `(value - ${line}) > 1e-9 * greatest(1.0, abs(${line}))`;
}

function inForce(rule: AnyRecordRule, periodEnd: string): string | undefined {
  const { from, to } = rule.effective;
  if (periodEnd < from) return `in force from ${from}; the period ends ${periodEnd}`;
  if (to !== undefined && periodEnd > to) return `in force until ${to}; the period ends ${periodEnd}`;
  return undefined;
}

// A rule's detail (JSON text, or a STRUCT, which costs far less to build for every breaching record) is written as
// JSON text only for the records read.
const storedColumns =
  "institution, subject, value, warning, regulatory, param, CAST(CAST(detail AS JSON) AS VARCHAR) AS detail, line";

// Each run gets its own temp tables, so a what-if run beside the governed one on the same connection reads its own.
let runs = 0;

/** Runs every record rule over the views already registered on `duck` (the rules' datasets, registry, lpr). */
export async function runRecordRules(duck: Duck, input: RecordRunInput): Promise<RecordRun> {
  const worst = input.worst ?? 3;
  const outcomes: RecordOutcome[] = [];
  const skipped: { ruleId: string; reason: string }[] = [];
  const tables = new Map<string, { rule: AnyRecordRule; table: string; basis: LegalBasis }>();
  const run = ++runs;
  let k = 0;
  for (const rule of input.rules) {
    const why = inForce(rule, input.periodEnd);
    if (why) {
      skipped.push({ ruleId: rule.id, reason: why });
      continue;
    }
    const params = input.params.get(rule.id);
    if (!params) throw new Error(`No parameters resolved for ${rule.id}`);
    const table = `record_breaches_${run}_${k++}`;
    const sql = rule.sql(params, { period: input.period, periodEnd: input.periodEnd });
    await duck.run(`CREATE OR REPLACE TEMP TABLE ${table} AS
      SELECT CAST(institution AS VARCHAR) AS institution, CAST(subject AS VARCHAR) AS subject, CAST(value AS DOUBLE) AS value,
        CAST(warning AS DOUBLE) AS warning, CAST(regulatory AS DOUBLE) AS regulatory, CAST(param AS VARCHAR) AS param,
        detail,
        CASE WHEN ${above("regulatory")} THEN 'regulatory' ELSE 'warning' END AS line
      FROM (${sql}) WHERE regulatory IS NOT NULL AND (${above("regulatory")} OR (warning IS NOT NULL AND ${above("warning")}))`);
    const basis = basisInForce(rule.legalBasis, input.periodEnd);
    tables.set(rule.id, { rule, table, basis });
    const provisional = [...(input.provisional.get(rule.id) ?? [])];
    const provisionalSql = provisional.length ? `param IN (${provisional.map(sqlText).join(", ")})` : "false";
    const counts = await duck.all<{ institution: string; n: number; reg: number; provisional: boolean }>(
      `SELECT institution, CAST(count(*) AS INTEGER) AS n, CAST(count(*) FILTER (WHERE line = 'regulatory') AS INTEGER) AS reg,
         bool_or(${provisionalSql}) AS provisional
       FROM ${table} GROUP BY institution ORDER BY institution`,
    );
    if (counts.length === 0) continue;
    const examples = await duck.all<StoredRow>(
      `SELECT ${storedColumns} FROM ${table}
       QUALIFY row_number() OVER (PARTITION BY institution ORDER BY line = 'regulatory' DESC, value / regulatory DESC, subject) <= ${worst}
       ORDER BY institution, line = 'regulatory' DESC, value / regulatory DESC, subject`,
    );
    const byInstitution = new Map<string, RecordBreach[]>();
    const provisionalSet = new Set(provisional);
    for (const row of examples) {
      const list = byInstitution.get(row.institution) ?? [];
      list.push(toBreach(rule, params, row, basis, provisionalSet));
      byInstitution.set(row.institution, list);
    }
    for (const c of counts) {
      const list = byInstitution.get(c.institution) ?? [];
      const top = list[0]!;
      const warningCount = c.n - c.reg;
      const line: Line = c.reg > 0 ? "regulatory" : "warning";
      // Lines of record rules are doubles (4 × an LPR, a share of income): shown to 12 significant digits.
      const exact = (x: number) => String(Number(x.toPrecision(12)));
      const thresholds: OutcomeThreshold[] = [];
      if (top.warning !== null) {
        thresholds.push({
          line: "warning",
          comparator: "<=",
          exact: exact(top.warning),
          number: top.warning,
        });
      }
      thresholds.push({
        line: "regulatory",
        comparator: "<=",
        exact: exact(top.regulatory),
        number: top.regulatory,
      });
      const noun = c.n === 1 ? rule.subject.en : `${rule.subject.en}s`;
      outcomes.push({
        ruleId: rule.id,
        ruleVersion: rule.version,
        institution: c.institution,
        period: input.period,
        kind: line === "regulatory" ? "breach_regulatory" : "breach_warning",
        line,
        severity: rule.severity,
        count: c.n,
        regulatoryCount: c.reg,
        warningCount,
        provisional: c.provisional,
        value: { number: top.value, display: rule.display },
        thresholds,
        worst: list,
        explanation: {
          en: `${c.n} ${noun} above the cap (${c.reg} above the regulatory maximum, ${warningCount} above the warning line only). Worst: ${top.explanation.en}`,
          zh: `共${c.n}${rule.subject.counter}${rule.subject.zh}超过上限（其中${c.reg}${rule.subject.counter}高于监管上限，${warningCount}${rule.subject.counter}仅高于预警线）。最严重的一${rule.subject.counter}：${top.explanation.zh}`,
        },
      });
    }
  }
  return {
    outcomes,
    skipped,
    async breaches(ruleId, options = {}) {
      const t = tables.get(ruleId);
      if (!t) return [];
      const params = input.params.get(ruleId)!;
      const where = options.institution ? `WHERE institution = ${sqlText(options.institution)}` : "";
      const limit = options.limit === undefined ? "" : `LIMIT ${Math.max(0, Math.floor(options.limit))}`;
      const offset = options.offset ? `OFFSET ${Math.max(0, Math.floor(options.offset))}` : "";
      const rows = await duck.all<StoredRow>(
        `SELECT ${storedColumns} FROM ${t.table} ${where} ORDER BY institution, line = 'regulatory' DESC, value / regulatory DESC, subject ${limit} ${offset}`,
      );
      const provisionalSet = new Set(input.provisional.get(ruleId) ?? []);
      return rows.map((r) => toBreach(t.rule, params, r, t.basis, provisionalSet));
    },
  };
}

function toBreach(
  rule: AnyRecordRule,
  params: Record<string, unknown>,
  row: StoredRow,
  inForce: LegalBasis,
  provisional: ReadonlySet<string>,
): RecordBreach {
  const detail = JSON.parse(row.detail) as Record<string, unknown>;
  const base: RecordRow & { line: Line } = {
    institution: row.institution,
    subject: row.subject,
    value: row.value,
    warning: row.warning,
    regulatory: row.regulatory,
    param: row.param,
    detail,
    line: row.line,
  };
  const isProvisional = provisional.has(row.param);
  const basis = rule.basisFor?.(base, params) ?? inForce;
  return {
    ...base,
    provisional: isProvisional,
    explanation: explainRecord(rule, params, base, citationOf(basis), isProvisional),
    basis,
  };
}
