/**
 * Stores a computed run in one transaction: the run (period, as-of, pack version, every parameter value used), every
 * entity outcome except not_applicable, every record rule's per-institution outcome and all its breaching records,
 * and an audit entry. Rows are written in batches through unnest, so thousands of outcomes cost a few statements.
 */
import { appendAudit } from "../audit/append-audit.ts";
import { periodEnd } from "../contract/items.ts";
import type { Db, Sql } from "../db/client.ts";
import type { Actor } from "../governance/proposal-row.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import { citationOf } from "../rules/explain.ts";
import { basisInForce } from "../rules/record/run-record-rules.ts";
import type { ComputedCheck } from "./compute-check.ts";

const batch = 2000;

async function insertColumns(
  sql: Sql,
  table: string,
  columns: [string, string][],
  rows: unknown[][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    const arrays = columns.map((_, c) => chunk.map((r) => r[c] ?? null));
    const names = columns.map(([n]) => n).join(", ");
    const selects = columns
      .map(([, type], c) => (type === "jsonb" ? `t.c${c}::jsonb` : `t.c${c}`))
      .join(", ");
    const unnest = columns
      .map(([, type], c) => `$${c + 1}::${type === "jsonb" ? "text" : type}[]`)
      .join(", ");
    const aliases = columns.map((_, c) => `c${c}`).join(", ");
    await sql.query(
      `insert into ${table} (${names}) select ${selects} from unnest(${unnest}) as t(${aliases})`,
      arrays,
    );
  }
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Stores the governed evaluation of a computed check and returns the run id. */
export async function storeCheckRun(
  db: Db,
  catalog: RuleCatalog,
  computed: ComputedCheck,
  actor: Actor,
): Promise<number> {
  const { result, governed } = computed;
  const summary = {
    counts: result.counts,
    coverage: result.coverage,
    skipped: result.skipped,
    errors: result.errors.length,
  };
  // Record details are read before the transaction: DuckDB work stays outside the database's lock.
  const details: unknown[][] = [];
  for (const rule of catalog.recordRules) {
    if (!governed.record.outcomes.some((o) => o.ruleId === rule.id)) continue;
    for (let offset = 0; ; offset += 10_000) {
      const rows = await governed.record.breaches(rule.id, { limit: 10_000, offset });
      for (const r of rows) {
        details.push([
          rule.id,
          r.institution,
          r.subject,
          r.line,
          r.value,
          r.warning,
          r.regulatory,
          r.param,
          r.provisional,
          r.explanation.en,
          r.explanation.zh,
          json(r.detail),
        ]);
      }
      if (rows.length < 10_000) break;
    }
  }
  const outcomes: unknown[][] = [];
  for (const o of governed.entityOutcomes) {
    const rule = catalog.rules.get(o.ruleId)!.rule;
    const basis = basisInForce(rule.legalBasis, periodEnd(o.period));
    outcomes.push([
      o.ruleId,
      o.ruleVersion,
      "entity",
      o.institution,
      o.period,
      o.kind,
      o.line ?? null,
      o.severity,
      json(o.value),
      json(o.thresholds),
      o.explanation.en,
      o.explanation.zh,
      o.provisional === true,
      json({ citation: citationOf(basis), status: basis.status }),
      json(o.missing),
      null,
    ]);
  }
  for (const o of governed.record.outcomes) {
    const basis =
      o.worst[0]?.basis ?? basisInForce(catalog.rules.get(o.ruleId)!.rule.legalBasis, periodEnd(o.period));
    outcomes.push([
      o.ruleId,
      o.ruleVersion,
      "record",
      o.institution,
      o.period,
      o.kind,
      o.line,
      o.severity,
      json(o.value),
      json(o.thresholds),
      o.explanation.en,
      o.explanation.zh,
      o.provisional,
      json({ citation: citationOf(basis), status: basis.status }),
      null,
      json({
        count: o.count,
        regulatoryCount: o.regulatoryCount,
        warningCount: o.warningCount,
        worst: o.worst.map((w) => ({
          subject: w.subject,
          line: w.line,
          value: w.value,
          warning: w.warning,
          regulatory: w.regulatory,
          provisional: w.provisional,
          explanation: w.explanation,
          detail: w.detail,
        })),
      }),
    ]);
  }
  return db.transaction(async (tx) => {
    const [seq] = await tx.query<{ id: string }>("select nextval('check_runs_id_seq')::text as id");
    const runId = Number(seq!.id);
    const audit = await appendAudit(tx, {
      actor: actor.audit ?? actor.name,
      action: "check.stored",
      subjectKind: "check_run",
      subjectId: runId,
      detail: {
        period: result.period,
        asOf: result.asOf,
        packVersion: result.packVersion,
        breaches: result.counts.breaches,
      },
    });
    await tx.query(
      `insert into check_runs (id, period, as_of, pack, pack_version, params, summary, created_by, audit_seq)
       values ($1, $2, $3::timestamptz, $4, $5, $6::jsonb, $7::jsonb, $8, $9)`,
      [
        runId,
        result.period,
        result.asOf,
        result.pack,
        result.packVersion,
        JSON.stringify(result.params),
        JSON.stringify(summary),
        actor.name,
        audit.seq,
      ],
    );
    await insertColumns(
      tx,
      "check_outcomes",
      [
        ["run_id", "bigint"],
        ["rule_id", "text"],
        ["rule_version", "integer"],
        ["level", "text"],
        ["institution", "text"],
        ["period", "text"],
        ["kind", "text"],
        ["line", "text"],
        ["severity", "text"],
        ["value", "jsonb"],
        ["thresholds", "jsonb"],
        ["explanation_en", "text"],
        ["explanation_zh", "text"],
        ["provisional", "boolean"],
        ["legal_basis", "jsonb"],
        ["missing", "jsonb"],
        ["records", "jsonb"],
      ],
      outcomes.map((r) => [runId, ...r]),
    );
    await insertColumns(
      tx,
      "check_record_breaches",
      [
        ["run_id", "bigint"],
        ["rule_id", "text"],
        ["institution", "text"],
        ["subject", "text"],
        ["line", "text"],
        ["value", "float8"],
        ["warning", "float8"],
        ["regulatory", "float8"],
        ["param", "text"],
        ["provisional", "boolean"],
        ["explanation_en", "text"],
        ["explanation_zh", "text"],
        ["detail", "jsonb"],
      ],
      details.map((r) => [runId, ...r]),
    );
    return runId;
  });
}
