/**
 * Readers for API answers whose routes are still being built elsewhere: each takes what the route gives and
 * keeps the fields the console shows, under one name, whatever the server calls them today.
 */

type Json = Record<string, unknown>;
const str = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
const numOrNull = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};
const bilingual = (v: unknown): { zh: string; en: string } | null => {
  if (v && typeof v === "object" && "en" in v && "zh" in v)
    return { zh: String((v as Json).zh), en: String((v as Json).en) };
  return null;
};

/** The list in a paged or unpaged answer. */
export function itemsOf(body: unknown, ...names: string[]): Json[] {
  if (Array.isArray(body)) return body as Json[];
  if (body && typeof body === "object") {
    for (const n of [...names, "items", "rows", "data"]) {
      const v = (body as Json)[n];
      if (Array.isArray(v)) return v as Json[];
    }
  }
  return [];
}

export function totalOf(body: unknown, fallback: number): number {
  const n = body && typeof body === "object" ? numOrNull((body as Json).total) : null;
  return n ?? fallback;
}

export interface WarningView {
  id: string;
  institution: string | null;
  institutionName: { zh: string; en: string } | null;
  level: string | null;
  score: number | null;
  sector: string | null;
  period: string | null;
  status: string | null;
  assignee: string | null;
  title: { zh: string; en: string } | null;
  raisedAt: string | null;
  caseId: number | null;
}

export function warningOf(w: Json): WarningView {
  const inst = w.institution;
  const instObj = inst && typeof inst === "object" ? (inst as Json) : null;
  const nameZh = str(w.institutionNameZh ?? w.nameZh ?? instObj?.nameZh);
  const nameEn = str(w.institutionNameEn ?? w.nameEn ?? instObj?.nameEn);
  const named = bilingual(w.institutionName);
  return {
    id: str(w.id) ?? "",
    institution: str(instObj ? instObj.code : (w.institution ?? w.institutionCode ?? w.subject)),
    institutionName:
      named ??
      (nameZh || nameEn
        ? { zh: nameZh ?? nameEn ?? "", en: nameEn ?? nameZh ?? "" }
        : typeof w.institutionName === "string"
          ? { zh: w.institutionName, en: w.institutionName }
          : null),
    level: str(w.level ?? w.colour ?? w.color),
    score: numOrNull(w.score),
    sector: str(w.sector ?? instObj?.sector),
    period: str(w.lastPeriod ?? w.period),
    status: str(w.status),
    assignee: str(w.assignee ?? w.assignedTo ?? w.owner),
    // A warning's headline is its largest contribution (the rule, indicator or signal that weighs most).
    title:
      bilingual(w.title) ??
      (Array.isArray(w.contributions) && w.contributions.length ? bilingual(w.contributions[0]) : null) ??
      bilingual(w.explanation) ??
      (str(w.title) ? { zh: str(w.title)!, en: str(w.title)! } : null),
    raisedAt: str(w.openedAt ?? w.raisedAt ?? w.createdAt),
    caseId: numOrNull(w.caseId),
  };
}

export interface FindingView {
  id: string;
  detector: string;
  period: string | null;
  subjectKind: string | null;
  subjectId: string | null;
  members: string[];
  institutions: string[];
  severity: string | null;
  score: number | null;
  explanation: { zh: string; en: string } | null;
  evidence: Json;
}

export function findingOf(f: Json): FindingView {
  const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => String(x)) : []);
  return {
    id: str(f.id) ?? "",
    detector: str(f.detector) ?? "",
    period: str(f.period),
    subjectKind: str(f.subject && typeof f.subject === "object" ? (f.subject as Json).kind : f.subjectKind),
    subjectId: str(f.subject && typeof f.subject === "object" ? (f.subject as Json).id : f.subjectId),
    members: list(f.members),
    institutions: list(f.institutions),
    severity: str(f.severity),
    score: numOrNull(f.score),
    explanation:
      bilingual(f.explanation) ??
      (str(f.explanationEn)
        ? { en: str(f.explanationEn)!, zh: str(f.explanationZh) ?? str(f.explanationEn)! }
        : null),
    evidence: (f.evidence && typeof f.evidence === "object" ? f.evidence : {}) as Json,
  };
}

export interface BreachView {
  ruleId: string;
  rule: { zh: string; en: string } | null;
  institution: string;
  period: string | null;
  kind: string;
  severity: string | null;
  value: number | null;
  display: string | null;
  thresholds: { line: string; comparator: string; number: number }[];
  explanation: { zh: string; en: string } | null;
  legalBasis: { zh: string; en: string } | null;
}

export function breachOf(b: Json): BreachView {
  const value = b.value && typeof b.value === "object" ? (b.value as Json) : null;
  const basis = b.legalBasis && typeof b.legalBasis === "object" ? (b.legalBasis as Json) : null;
  return {
    ruleId: str(b.ruleId) ?? "",
    rule: bilingual(b.rule),
    institution: str(b.institution) ?? "",
    period: str(b.period),
    kind: str(b.kind) ?? "",
    severity: str(b.severity),
    value: numOrNull(value ? value.number : b.value),
    display: str(value?.display ?? b.display),
    thresholds: Array.isArray(b.thresholds)
      ? (b.thresholds as Json[]).map((t) => ({
          line: str(t.line) ?? "",
          comparator: str(t.comparator) ?? "",
          number: numOrNull(t.number) ?? 0,
        }))
      : [],
    explanation: bilingual(b.explanation),
    legalBasis: bilingual(basis?.citation) ?? bilingual(basis),
  };
}

/** A value as its rule displays it: percent, multiple, amount, count or days. */
export function formatDisplay(
  n: number | null,
  display: string | null,
  fmt: {
    num: (n: number | null | undefined, d?: number) => string;
    pct: (n: number | null | undefined, d?: number) => string;
  },
): string {
  if (n === null) return "–";
  if (display === "percent") return fmt.pct(n, 2);
  if (display === "multiple") return `${fmt.num(n, 2)}×`;
  if (display === "amount") return fmt.num(n, 0);
  return fmt.num(n, 2);
}
