/**
 * Test support: compares what the China catalog reports on a generated province with the province's answer key
 * (truth.json). Used by the province test and by hand on other seeds.
 */

import type { CheckResult } from "@beacon/core/checks/check-result";
import { runCheck } from "@beacon/core/checks/run-check";
import type { Db } from "@beacon/core/db/client";
import type { RuleCatalog } from "@beacon/core/rules/catalog";

interface Plant {
  kind: string;
  subjectType: string;
  subjects: string[];
  periods: string[];
  flaggedBy: string[];
  details: Record<string, unknown>;
}
export interface Truth {
  periods: string[];
  plants: Plant[];
  clean: string[];
}

/** One planted signal the rules must report. */
export interface Expectation {
  kind: string;
  period: string;
  institution: string;
  /** Rules that may report it (any one suffices). */
  rules: string[];
  /** For record rules: a subject (loan, product) that must be among the breaching records. */
  subject?: string;
  line?: "warning" | "regulatory";
  what: string;
}

/** Rule ids reading a metric or item, keyed by the code. */
function rulesByCode(catalog: RuleCatalog): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rule of catalog.entityRules) {
    for (const code of rule.reads) out.set(code, [...(out.get(code) ?? []), rule.id]);
  }
  return out;
}

/** What truth.json says the rules must report: return crossings, rule-flagged late filings, rate and cap plants. */
export function expectations(truth: Truth, catalog: RuleCatalog): Expectation[] {
  const byCode = rulesByCode(catalog);
  const out: Expectation[] = [];
  for (const p of truth.plants) {
    if (p.kind === "return_breach" || p.kind === "bank_failure") {
      const crossings = p.details.crossingsByPeriod as Record<
        string,
        { metric: string; line: "warning" | "regulatory"; value: number; limit: number }[]
      >;
      for (const [period, list] of Object.entries(crossings)) {
        for (const c of list) {
          out.push({
            kind: p.kind,
            period,
            institution: p.subjects[0]!,
            rules: byCode.get(c.metric) ?? [],
            line: c.line,
            what: `${c.metric} ${c.value} vs ${c.limit} (${c.line})`,
          });
        }
      }
    } else if (p.kind === "hidden_fee_rate") {
      out.push({
        kind: p.kind,
        period: p.periods[0]!,
        institution: String(p.details.lender),
        rules: ["cn.loan.true_rate_cap"],
        subject: p.subjects[0]!,
        what: `true rate ${p.details.trueAnnualRate} (${(p.details.capsExceeded as string[]).join(", ")})`,
      });
    } else if (p.kind === "online_loan_cap" && Array.isArray(p.details.loanIds)) {
      const loans = p.details.loanIds as string[];
      out.push({
        kind: p.kind,
        period: p.periods[0]!,
        institution: String(p.details.lender),
        rules: ["cn.osl.borrower_balance_cap"],
        subject: loans[0]!,
        what: `balance ${p.details.balance} over ${p.details.limitExceeded}`,
      });
    } else if (p.kind === "product_leverage") {
      out.push({
        kind: p.kind,
        period: p.periods[0]!,
        institution: String(p.details.manager),
        rules: ["cn.amp.look_through_leverage"],
        subject: p.subjects[0]!,
        what: `leverage ${p.details.leverage} over ${p.details.limit}`,
      });
    }
  }
  for (const p of truth.plants) {
    // Other plants the returns carry: every "rule:" reference, for the institution, in each period.
    if (p.kind === "return_breach" || p.kind === "bank_failure" || p.details.source !== "returns") continue;
    for (const flag of p.flaggedBy.filter((f) => f.startsWith("rule:"))) {
      const code = flag.slice(5);
      for (const period of p.periods) {
        out.push({
          kind: p.kind,
          period,
          institution: p.subjects[0]!,
          rules: byCode.get(code) ?? [],
          what: `${code} in returns`,
        });
      }
    }
  }
  return out;
}

export interface Comparison {
  checked: number;
  missed: Expectation[];
  /** Breaches of institutions the truth keeps clean. */
  cleanFlagged: { period: string; institution: string; ruleId: string; explanation: string }[];
  /** Per period: breaches in the run. */
  breaches: Record<string, number>;
  /**
   * Breaches no planted signal explains (no expectation for that institution and rule), by rule: institution-periods.
   * Precision, not asserted: the truth lists what was planted, and a rule may see more than the generator meant.
   */
  unexplained: Record<string, number>;
}

/** Runs the check on every period of the province and compares with the truth. */
export async function compareWithTruth(
  deps: { db: Db; dataDir: string },
  catalog: RuleCatalog,
  truth: Truth,
): Promise<Comparison> {
  const expected = expectations(truth, catalog);
  const periods = [...new Set([...truth.periods, ...expected.map((e) => e.period)])].sort();
  const results = new Map<string, CheckResult>();
  for (const period of periods) {
    results.set(period, await runCheck(deps, catalog, { period, detail: true, detailLimit: 100_000 }));
  }
  const missed: Expectation[] = [];
  for (const e of expected) {
    const r = results.get(e.period)!;
    const hit = r.breaches.some(
      (b) => b.institution === e.institution && e.rules.includes(b.ruleId) && (!e.line || b.line === e.line),
    );
    const subjectHit =
      e.subject === undefined ||
      (r.records ?? []).some(
        (x) =>
          e.rules.includes(x.ruleId) &&
          x.institution === e.institution &&
          (x.subject === e.subject ||
            (Array.isArray(x.detail.loanIds) && (x.detail.loanIds as string[]).includes(e.subject!))),
      );
    if (!hit || !subjectHit) missed.push(e);
  }
  const explained = new Set(expected.flatMap((e) => e.rules.map((r) => `${e.institution}|${r}`)));
  // Institutions with any planted problem may breach related rules (a failing bank crosses many lines).
  const planted = new Set(
    truth.plants.flatMap((p) => [
      ...(p.subjectType === "institution" ? p.subjects : []),
      String(p.details.lender ?? p.details.manager ?? ""),
    ]),
  );
  const unexplained: Record<string, number> = {};
  const clean = new Set(truth.clean);
  const cleanFlagged: Comparison["cleanFlagged"] = [];
  const breaches: Record<string, number> = {};
  for (const [period, r] of results) {
    breaches[period] = r.breaches.length;
    // A quarter is checked at the month that closes it: count its breaches once.
    const duplicate = /Q/.test(period);
    for (const b of r.breaches) {
      if (!duplicate && !explained.has(`${b.institution}|${b.ruleId}`) && !planted.has(b.institution)) {
        unexplained[b.ruleId] = (unexplained[b.ruleId] ?? 0) + 1;
      }
      if (clean.has(b.institution))
        cleanFlagged.push({
          period,
          institution: b.institution,
          ruleId: b.ruleId,
          explanation: b.explanation.en,
        });
    }
  }
  return { checked: expected.length, missed, cleanFlagged, breaches, unexplained };
}

/** Recall of the planted rule signals per kind, with the clean institutions flagged (for `beacon evaluate --rules`). */
export interface RuleEvaluation {
  periods: number;
  expected: number;
  reported: number;
  recall: number | null;
  kinds: { kind: string; expected: number; reported: number; recall: number | null }[];
  /** Planted signals no rule reported (at most 50). */
  missed: Expectation[];
  missedCount: number;
  clean: number;
  /** Breaches of institutions the truth keeps clean (at most 50). */
  cleanFlagged: Comparison["cleanFlagged"];
  cleanFlaggedCount: number;
  unexplained: Record<string, number>;
}

/** Runs the pack over the truth's periods and scores it against the planted rule signals. */
export async function evaluateRules(
  deps: { db: Db; dataDir: string },
  catalog: RuleCatalog,
  truth: Truth,
): Promise<RuleEvaluation> {
  const c = await compareWithTruth(deps, catalog, truth);
  const expected = expectations(truth, catalog);
  const byKind = new Map<string, { expected: number; missed: number }>();
  for (const e of expected) {
    const k = byKind.get(e.kind) ?? { expected: 0, missed: 0 };
    k.expected++;
    byKind.set(e.kind, k);
  }
  for (const m of c.missed) byKind.get(m.kind)!.missed++;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    periods: Object.keys(c.breaches).length,
    expected: c.checked,
    reported: c.checked - c.missed.length,
    recall: ratio(c.checked - c.missed.length, c.checked),
    kinds: [...byKind]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([kind, k]) => ({
        kind,
        expected: k.expected,
        reported: k.expected - k.missed,
        recall: ratio(k.expected - k.missed, k.expected),
      })),
    missed: c.missed.slice(0, 50),
    missedCount: c.missed.length,
    clean: truth.clean.length,
    cleanFlagged: c.cleanFlagged.slice(0, 50),
    cleanFlaggedCount: c.cleanFlagged.length,
    unexplained: c.unexplained,
  };
}
