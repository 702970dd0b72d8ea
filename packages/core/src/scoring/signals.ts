/**
 * Signals from outside the returns that raise a score: detector findings and anomaly alerts. A source is a small
 * interface so that any producer plugs in; the findings source reads the detectors' `findings` table when it
 * exists, adapting to its columns, and yields nothing when it does not.
 */
import type { Sql } from "../db/client.ts";
import { periodMonth, periodPattern } from "../contract/items.ts";
import type { Severity } from "../rules/types.ts";

export interface RiskSignal {
  institution: string;
  /** "YYYY-MM". */
  month: string;
  source: "finding" | "anomaly";
  /** What to look up: the finding's or alert's id, or its detector and subject. */
  ref: string;
  severity: Severity;
  en: string;
  zh: string;
}

export interface SignalSource {
  readonly name: string;
  /** Signals about institutions in these months. */
  load(db: Sql, months: readonly string[]): Promise<RiskSignal[]>;
}

const severities: readonly string[] = ["low", "medium", "high", "critical"];
const closedStatuses = ["dismissed", "false_positive", "rejected", "closed", "resolved"];

/** The first of the candidate column names the table has. */
function pick(columns: Set<string>, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => columns.has(c));
}

/**
 * Detector findings, read from a `findings` table when one exists. Columns are matched by name (institution:
 * institution_code | institution | subject_code; period: period | month; severity: severity | level; what:
 * detector_id | detector | kind | rule_id; status, when present, drops dismissed findings), so the detectors'
 * schema can evolve without a change here.
 */
export const findingsSource: SignalSource = {
  name: "findings",
  async load(db, months) {
    const [exists] = await db.query<{ t: string | null }>("select to_regclass('findings')::text as t");
    if (!exists?.t) return [];
    const cols = new Set(
      (
        await db.query<{ c: string }>(
          "select column_name as c from information_schema.columns where table_name = 'findings' and table_schema = current_schema()",
        )
      ).map((r) => r.c),
    );
    const inst = pick(cols, ["institution_code", "institution", "subject_code", "entity_code"]);
    const period = pick(cols, ["period", "month"]);
    if (!inst || !period) return [];
    const id = pick(cols, ["id", "finding_id"]);
    const severity = pick(cols, ["severity", "level"]);
    const what = pick(cols, ["detector_id", "detector", "kind", "rule_id", "title"]);
    const status = pick(cols, ["status"]);
    const q = (c: string | undefined, alias: string) => (c ? `${c}::text as ${alias}` : `null::text as ${alias}`);
    const rows = await db.query<{ inst: string; period: string; id: string | null; sev: string | null; what: string | null }>(
      `select trim(${inst}::text) as inst, ${period}::text as period, ${q(id, "id")}, ${q(severity, "sev")}, ${q(what, "what")}
       from findings ${status ? `where coalesce(${status}::text, '') <> all($1::text[])` : "where $1::text[] is not null"}`,
      [closedStatuses],
    );
    const wanted = new Set(months);
    const out: RiskSignal[] = [];
    for (const r of rows) {
      // A period ("2026-09", "2026-Q3") or a date ("2026-09-15"): its first seven characters name the month.
      const p = r.period.slice(0, 7);
      const month = periodPattern.test(p) ? periodMonth(p) : undefined;
      if (!month || !wanted.has(month)) continue;
      const sev = (r.sev && severities.includes(r.sev) ? r.sev : "medium") as Severity;
      const what = r.what ?? "finding";
      out.push({
        institution: r.inst,
        month,
        source: "finding",
        ref: r.id ? `finding:${r.id}` : `finding:${what}`,
        severity: sev,
        en: `Detector finding ${what}${r.id ? ` (#${r.id})` : ""}`,
        zh: `检测发现 ${what}${r.id ? `（#${r.id}）` : ""}`,
      });
    }
    return out;
  },
};
