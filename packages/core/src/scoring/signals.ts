/**
 * Signals from outside the returns that raise a score: detector findings and anomaly alerts. A source is a small
 * interface so that any producer plugs in; the findings source reads the detectors' `findings` table when it
 * exists, adapting to its columns, and yields nothing when it does not.
 */

import { periodMonth, periodPattern } from "../contract/items.ts";
import type { Sql } from "../db/client.ts";
import type { Severity } from "../rules/types.ts";
import { periodLabelsFor } from "./months.ts";

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
 * Detector findings, read from the `findings` table when it exists: those of each detector's latest successful run
 * per period, one signal per institution a finding concerns. Columns are matched by name (institutions text[] or
 * institution_code; period; severity; detector; explanation_en/zh), so the detectors' schema can evolve without
 * breaking scoring: a table it cannot read yields no signals.
 */
export const findingsSource: SignalSource = {
  name: "findings",
  async load(db, months) {
    const [exists] = await db.query<{ t: string | null; runs: string | null }>(
      "select to_regclass('findings')::text as t, to_regclass('detector_runs')::text as runs",
    );
    if (!exists?.t) return [];
    const cols = new Set(
      (
        await db.query<{ c: string }>(
          "select column_name as c from information_schema.columns where table_name = 'findings' and table_schema = current_schema()",
        )
      ).map((r) => r.c),
    );
    const inst = cols.has("institutions")
      ? "unnest(f.institutions)"
      : (pick(cols, ["institution_code", "institution", "subject_code"]) ?? "");
    const period = pick(cols, ["period", "month"]);
    if (!inst || !period) return [];
    const text = (c: string | undefined, alias: string) =>
      c ? `f.${c}::text as ${alias}` : `null::text as ${alias}`;
    const where: string[] = [`left(f.${period}::text, 7) = any($1::text[])`];
    if (exists.runs && cols.has("run_id") && cols.has("detector")) {
      where.push(`f.run_id = (select max(d.run_id) from detector_runs d
        where d.detector = f.detector and d.period = f.${period} and d.status = 'ok')`);
    }
    const status = pick(cols, ["status"]);
    if (status) where.push(`coalesce(f.${status}::text, '') <> all($2::text[])`);
    const rows = await db.query<{
      inst: string;
      period: string;
      id: string | null;
      sev: string | null;
      what: string | null;
      en: string | null;
      zh: string | null;
    }>(
      `select trim(${inst.startsWith("unnest") ? inst : `f.${inst}`}::text) as inst, f.${period}::text as period,
         ${text(pick(cols, ["id"]), "id")}, ${text(pick(cols, ["severity", "level"]), "sev")},
         ${text(pick(cols, ["detector", "detector_id", "kind", "rule_id"]), "what")},
         ${text(pick(cols, ["explanation_en"]), "en")}, ${text(pick(cols, ["explanation_zh"]), "zh")}
       from findings f where ${where.join(" and ")}`,
      status ? [periodLabelsFor(months), closedStatuses] : [periodLabelsFor(months)],
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
      const ref = r.id ? `finding:${r.id}` : `finding:${what}`;
      out.push({
        institution: r.inst,
        month,
        source: "finding",
        ref,
        severity: sev,
        en: r.en ? `${what}: ${r.en}` : `Detector finding ${what}`,
        zh: r.zh ? `${what}：${r.zh}` : `检测发现 ${what}`,
      });
    }
    return out;
  },
};
