/**
 * Rule outcomes as scoring reads them, per entity of a panel: what kind (pass, warning or regulatory breach, data
 * missing), how far past the line (breaches) or how close to it (passes), and the outcome itself only where its
 * text is shown (breaches and near misses). Outcomes can be added in chunks, so a long history never holds every
 * outcome object at once.
 */
import type { Outcome, Severity } from "../rules/types.ts";
import type { Panel } from "./panel.ts";
import type { ScoringParams } from "./params.ts";

export interface Judgement {
  /** Index into `RuleJudgements.ruleIds`. */
  rule: number;
  /** 0 pass, 1 warning-line breach, 2 regulatory-line breach, 3 not computable for missing items. */
  kind: 0 | 1 | 2 | 3;
  severity: Severity;
  /** Breaches: how far past, 0..1. Passes: closeness to the line, 0..1. */
  s: number;
  provisional: boolean;
  outcome?: Outcome;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** How far a value is past a line in the failing direction, relative to the line (negative: inside). */
function pastBy(v: number, line: number, comparator: string): number {
  const scale = Math.abs(line) > 0 ? Math.abs(line) : 1;
  return comparator === ">=" || comparator === ">" ? (line - v) / scale : (v - line) / scale;
}

export class RuleJudgements {
  readonly byEntity: (Judgement[] | undefined)[];
  readonly ruleIds: string[] = [];
  readonly #ruleIndex = new Map<string, number>();
  readonly #entityOf = new Map<string, number>();
  readonly #params: ScoringParams;
  readonly #excluded: Set<string>;

  constructor(panel: Panel, params: ScoringParams) {
    this.byEntity = new Array(panel.entities.length);
    panel.entities.forEach((e, i) => {
      this.#entityOf.set(`${e.institution}|${e.period}`, i);
    });
    this.#params = params;
    this.#excluded = new Set(params.breach.excludedRules);
  }

  /** Adds outcomes of the panel's entities (others are ignored). */
  add(outcomes: Iterable<Outcome>): this {
    for (const o of outcomes) {
      if (this.#excluded.has(o.ruleId)) continue;
      const e = this.#entityOf.get(`${o.institution}|${o.period}`);
      if (e === undefined) continue;
      const j = this.#judge(o);
      if (!j) continue;
      const list = this.byEntity[e];
      if (list) list.push(j);
      else this.byEntity[e] = [j];
    }
    return this;
  }

  #rule(id: string): number {
    let r = this.#ruleIndex.get(id);
    if (r === undefined) {
      r = this.ruleIds.length;
      this.ruleIds.push(id);
      this.#ruleIndex.set(id, r);
    }
    return r;
  }

  /** A rule outcome as scoring reads it; undefined for outcomes that say nothing about risk. */
  #judge(o: Outcome): Judgement | undefined {
    const p = this.#params;
    const base = { rule: this.#rule(o.ruleId), severity: o.severity, provisional: o.provisional === true };
    if (o.kind === "not_computable") {
      // Registry attributes missing (a bank tier) are a registry matter, not the institution's data quality.
      const items = (o.missing ?? []).filter((m) => /^[A-Z][A-Z0-9_]+$/.test(m));
      return items.length > 0 ? { ...base, kind: 3, s: 0 } : undefined;
    }
    if (o.kind !== "pass" && o.kind !== "breach_warning" && o.kind !== "breach_regulatory") return undefined;
    const v = o.value && "number" in o.value ? o.value.number : undefined;
    const reg = o.thresholds.find((t) => t.line === "regulatory");
    const warn = o.thresholds.find((t) => t.line === "warning");
    if (o.kind === "breach_regulatory") {
      const s =
        v === undefined || !reg ? 1 : clamp01(pastBy(v, reg.number, reg.comparator) / p.breach.fullGap);
      return { ...base, kind: 2, s, outcome: o };
    }
    if (o.kind === "breach_warning") {
      let s = 0.5;
      if (v !== undefined && warn) {
        s =
          reg && reg.number !== warn.number
            ? clamp01(Math.abs(v - warn.number) / Math.abs(reg.number - warn.number))
            : clamp01(pastBy(v, warn.number, warn.comparator) / p.breach.fullGap);
      }
      return { ...base, kind: 1, s, outcome: o };
    }
    const line = warn ?? reg;
    // A zero line (a flag, a count that must stay 0) has no meaningful distance.
    if (v === undefined || !line || line.number === 0) return { ...base, kind: 0, s: 0 };
    // Headroom: how far inside the line, relative to it.
    const s = clamp01(1 + pastBy(v, line.number, line.comparator) / p.distance.zone);
    return s > 0 ? { ...base, kind: 0, s, outcome: o } : { ...base, kind: 0, s: 0 };
  }
}
