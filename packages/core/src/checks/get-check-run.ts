import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { ParamSnapshot } from "../governance/params-in-force.ts";

import type { RuleCatalog } from "../rules/catalog.ts";
import type {
  Bilingual,
  Line,
  OutcomeKind,
  OutcomeThreshold,
  Severity,
  SourceStatus,
} from "../rules/types.ts";
import {
  type Breach,
  type CheckResult,
  type RecordExample,
  sortBreaches,
  sortRecords,
} from "./check-result.ts";

interface OutcomeRow {
  rule_id: string;
  rule_version: number;
  level: "entity" | "record";
  institution: string;
  period: string;
  kind: OutcomeKind;
  line: Line | null;
  severity: Severity;
  value: Breach["value"];
  thresholds: OutcomeThreshold[];
  explanation_en: string;
  explanation_zh: string;
  provisional: boolean;
  legal_basis: { citation: Bilingual; status: SourceStatus };
  records: { count: number; regulatoryCount: number; warningCount: number; worst: RecordExample[] } | null;
  name_en: string | null;
  name_zh: string | null;
}

export interface GetCheckRunOptions {
  rule?: string;
  institution?: string;
  /** Include the stored breaching records of the selected record rules (at most `detailLimit`, default 1000). */
  detail?: boolean;
  detailLimit?: number;
}

/** A stored run, as it was computed: its breaches, counts, parameter snapshot and, on request, record detail. */
export async function getCheckRun(
  db: Sql,
  catalog: RuleCatalog,
  runId: number,
  options: GetCheckRunOptions = {},
): Promise<CheckResult> {
  const [run] = await db.query<{
    period: string;
    as_of: string;
    pack: string;
    pack_version: string;
    params: ParamSnapshot;
    summary: Pick<CheckResult, "counts" | "coverage" | "skipped">;
  }>(
    "select period, to_json(as_of) #>> '{}' as as_of, pack, pack_version, params, summary from check_runs where id = $1",
    [runId],
  );
  if (!run) throw new AppError("NOT_FOUND", `no stored check run ${runId}`);
  const where = ["o.run_id = $1", "o.kind in ('breach_warning', 'breach_regulatory', 'error')"];
  const params: unknown[] = [runId];
  if (options.rule) {
    params.push(options.rule);
    where.push(`o.rule_id = $${params.length}`);
  }
  if (options.institution) {
    params.push(options.institution);
    where.push(`o.institution = $${params.length}`);
  }
  const rows = await db.query<OutcomeRow>(
    `select o.rule_id, o.rule_version, o.level, o.institution, o.period, o.kind, o.line, o.severity, o.value, o.thresholds,
       o.explanation_en, o.explanation_zh, o.provisional, o.legal_basis, o.records, i.name_en, i.name_zh
     from check_outcomes o left join institutions i on trim(i.code) = o.institution
     where ${where.join(" and ")}`,
    params,
  );
  const breaches: Breach[] = [];
  const errors: CheckResult["errors"] = [];
  for (const r of rows) {
    const explanation = { en: r.explanation_en, zh: r.explanation_zh };
    if (r.kind === "error") {
      errors.push({ ruleId: r.rule_id, institution: r.institution, explanation });
      continue;
    }
    const rule = catalog.rules.get(r.rule_id)?.rule;
    const b: Breach = {
      ruleId: r.rule_id,
      ruleVersion: Number(r.rule_version),
      level: r.level,
      rule: rule ? { en: rule.en, zh: rule.zh } : { en: r.rule_id, zh: r.rule_id },
      institution: r.institution,
      institutionName: r.name_en === null ? null : { en: r.name_en, zh: r.name_zh ?? "" },
      period: r.period,
      kind: r.kind as Breach["kind"],
      line: r.line ?? "regulatory",
      severity: r.severity,
      provisional: r.provisional,
      value: r.value,
      thresholds: r.thresholds,
      explanation,
      legalBasis: r.legal_basis,
    };
    if (r.records) b.records = r.records;
    breaches.push(b);
  }
  const result: CheckResult = {
    source: "stored",
    runId,
    period: run.period,
    asOf: run.as_of,
    pack: run.pack,
    packVersion: run.pack_version,
    counts: run.summary.counts,
    coverage: run.summary.coverage,
    breaches: sortBreaches(breaches),
    errors,
    skipped: run.summary.skipped,
    params: run.params,
  };
  if (options.detail) {
    const dWhere = ["run_id = $1"];
    const dParams: unknown[] = [runId];
    if (options.rule) {
      dParams.push(options.rule);
      dWhere.push(`rule_id = $${dParams.length}`);
    }
    if (options.institution) {
      dParams.push(options.institution);
      dWhere.push(`institution = $${dParams.length}`);
    }
    dParams.push(options.detailLimit ?? 1000);
    const details = await db.query<{
      rule_id: string;
      institution: string;
      subject: string;
      line: Line;
      value: number;
      warning: number | null;
      regulatory: number;
      provisional: boolean;
      explanation_en: string;
      explanation_zh: string;
      detail: Record<string, unknown>;
    }>(
      `select rule_id, institution, subject, line, value, warning, regulatory, provisional, explanation_en, explanation_zh, detail
       from check_record_breaches where ${dWhere.join(" and ")}
       order by rule_id, institution, line = 'regulatory' desc, value / regulatory desc, subject limit $${dParams.length}`,
      dParams,
    );
    result.records = sortRecords(
      details.map((d) => ({
        ruleId: d.rule_id,
        institution: d.institution,
        subject: d.subject,
        line: d.line,
        value: Number(d.value),
        warning: d.warning === null ? null : Number(d.warning),
        regulatory: Number(d.regulatory),
        provisional: d.provisional,
        explanation: { en: d.explanation_en, zh: d.explanation_zh },
        detail: d.detail,
      })),
    );
  }
  return result;
}
