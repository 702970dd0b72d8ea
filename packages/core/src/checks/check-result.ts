/** What a check returns, computed or stored: breaches of entity and record rules in one list, with their evidence. */
import { periodEnd } from "../contract/items.ts";
import type { ParamSnapshot } from "../governance/params-in-force.ts";
import type { Display } from "../metrics/metric.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import { citationOf } from "../rules/explain.ts";
import type { ParamOverrides } from "../rules/params.ts";
import { basisInForce, type RecordBreach, type RecordOutcome } from "../rules/record/run-record-rules.ts";
import type {
  Bilingual,
  Line,
  Outcome,
  OutcomeKind,
  OutcomeThreshold,
  Severity,
  SourceStatus,
} from "../rules/types.ts";
import type { RegistryEntry } from "./evaluate-check.ts";

export interface RecordExample {
  subject: string;
  line: Line;
  value: number;
  warning: number | null;
  regulatory: number;
  provisional: boolean;
  explanation: Bilingual;
  detail: Record<string, unknown>;
}

export interface Breach {
  ruleId: string;
  ruleVersion: number;
  level: "entity" | "record";
  rule: Bilingual;
  institution: string;
  institutionName: Bilingual | null;
  period: string;
  kind: "breach_warning" | "breach_regulatory";
  line: Line;
  severity: Severity;
  provisional: boolean;
  value: { exact?: string; number: number; display: Display } | { text: string } | null;
  thresholds: readonly OutcomeThreshold[];
  explanation: Bilingual;
  legalBasis: { citation: Bilingual; status: SourceStatus };
  /** Record rules: how many records breach and the worst of them (the rest: the detail). */
  records?: { count: number; regulatoryCount: number; warningCount: number; worst: RecordExample[] };
}

/** An institution whose outcome under a rule differs between the governed parameters and a what-if. */
export interface OutcomeChange {
  ruleId: string;
  level: "entity" | "record";
  institution: string;
  institutionName: Bilingual | null;
  before: { kind: OutcomeKind | "none"; line: Line | null; count?: number };
  after: { kind: OutcomeKind | "none"; line: Line | null; count?: number };
  thresholdsBefore: readonly OutcomeThreshold[];
  thresholdsAfter: readonly OutcomeThreshold[];
  explanation: Bilingual | null;
}

export interface CheckResult {
  source: "computed" | "stored";
  runId: number | null;
  /** The month assessed, YYYY-MM (a quarter is assessed at the month that closes it). */
  period: string;
  /** The instant whose submissions and parameters were used. */
  asOf: string;
  pack: string;
  packVersion: string;
  counts: {
    entities: number;
    outcomes: Partial<Record<OutcomeKind, number>>;
    breaches: number;
    institutionsFlagged: number;
    /** Breaching records per record rule. */
    records: Record<string, number>;
  };
  /** Returns submissions read, and submissions per lake dataset read by record rules. */
  coverage: { returns: number; datasets: Record<string, number> };
  breaches: Breach[];
  /** Rules that failed on an entity (a defect, not a breach). */
  errors: { ruleId: string; institution: string; explanation: Bilingual }[];
  skipped: { ruleId: string; reason: string }[];
  params: ParamSnapshot;
  whatIf?: { overrides: ParamOverrides; changes: OutcomeChange[] };
  /** Every breaching record of the selected record rule(s), when the detail was asked for. */
  records?: (RecordExample & { ruleId: string; institution: string })[];
}

const severityRank: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Most severe first, regulatory lines before warning lines, then by institution and rule. */
export function sortBreaches(breaches: Breach[]): Breach[] {
  return breaches.sort(
    (a, b) =>
      severityRank[a.severity] - severityRank[b.severity] ||
      (a.line === b.line ? 0 : a.line === "regulatory" ? -1 : 1) ||
      a.institution.localeCompare(b.institution) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Record detail in one order whatever its source: by rule, institution, worst first, subject. */
export function sortRecords<T extends RecordExample & { ruleId: string; institution: string }>(
  records: T[],
): T[] {
  return records.sort(
    (a, b) =>
      byText(a.ruleId, b.ruleId) ||
      byText(a.institution, b.institution) ||
      (a.line === b.line ? 0 : a.line === "regulatory" ? -1 : 1) ||
      b.value / b.regulatory - a.value / a.regulatory ||
      byText(a.subject, b.subject),
  );
}

/** A breaching entity outcome as listed. */
export function entityBreach(
  o: Outcome,
  catalog: RuleCatalog,
  registry: ReadonlyMap<string, RegistryEntry>,
): Breach {
  const rule = catalog.rules.get(o.ruleId)!.rule;
  const basis = basisInForce(rule.legalBasis, periodEnd(o.period));
  const v = o.value;
  return {
    ruleId: o.ruleId,
    ruleVersion: o.ruleVersion,
    level: "entity",
    rule: { en: rule.en, zh: rule.zh },
    institution: o.institution,
    institutionName: registry.get(o.institution)?.name ?? null,
    period: o.period,
    kind: o.kind as Breach["kind"],
    line: o.line ?? "regulatory",
    severity: o.severity,
    provisional: o.provisional === true,
    value:
      v === undefined
        ? null
        : "text" in v
          ? { text: v.text }
          : { exact: v.exact, number: v.number, display: v.display },
    thresholds: o.thresholds,
    explanation: o.explanation,
    legalBasis: { citation: citationOf(basis), status: basis.status },
  };
}

/** A record breach as shown: its evidence without the rule's internal columns. */
export function recordExample(b: RecordBreach): RecordExample {
  return {
    subject: b.subject,
    line: b.line,
    value: b.value,
    warning: b.warning,
    regulatory: b.regulatory,
    provisional: b.provisional,
    explanation: b.explanation,
    detail: b.detail,
  };
}

/** A record rule's outcome for one institution as listed. */
export function recordBreach(
  o: RecordOutcome,
  catalog: RuleCatalog,
  registry: ReadonlyMap<string, RegistryEntry>,
): Breach {
  const rule = catalog.rules.get(o.ruleId)!.rule;
  const basis = o.worst[0]?.basis ?? basisInForce(rule.legalBasis, periodEnd(o.period));
  return {
    ruleId: o.ruleId,
    ruleVersion: o.ruleVersion,
    level: "record",
    rule: { en: rule.en, zh: rule.zh },
    institution: o.institution,
    institutionName: registry.get(o.institution)?.name ?? null,
    period: o.period,
    kind: o.kind,
    line: o.line,
    severity: o.severity,
    provisional: o.provisional,
    value: { number: o.value.number, display: o.value.display },
    thresholds: o.thresholds,
    explanation: o.explanation,
    legalBasis: { citation: citationOf(basis), status: basis.status },
    records: {
      count: o.count,
      regulatoryCount: o.regulatoryCount,
      warningCount: o.warningCount,
      worst: o.worst.map(recordExample),
    },
  };
}
