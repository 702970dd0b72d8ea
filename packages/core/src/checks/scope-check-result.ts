import type { CheckResult } from "./check-result.ts";

/**
 * A check result cut down to the institutions a caller may read (`visibleInstitutions`; null keeps everything).
 * Breaches, errors, what-if changes and record detail of other institutions are dropped, and the counts are
 * recomputed over what is left, so a unit learns nothing of the sectors it does not supervise.
 */
export function scopeCheckResult(result: CheckResult, visible: ReadonlySet<string> | null): CheckResult {
  if (visible === null) return result;
  const keep = <T extends { institution: string }>(xs: readonly T[]) =>
    xs.filter((x) => visible.has(x.institution));
  const breaches = keep(result.breaches);
  const outcomes: CheckResult["counts"]["outcomes"] = {};
  const records: Record<string, number> = {};
  for (const b of breaches) {
    outcomes[b.kind] = (outcomes[b.kind] ?? 0) + 1;
    if (b.records) records[b.ruleId] = (records[b.ruleId] ?? 0) + b.records.count;
  }
  return {
    ...result,
    counts: {
      entities: Math.min(result.counts.entities, visible.size),
      outcomes,
      breaches: breaches.length,
      institutionsFlagged: new Set(breaches.map((b) => b.institution)).size,
      records,
    },
    breaches,
    errors: keep(result.errors),
    ...(result.whatIf ? { whatIf: { ...result.whatIf, changes: keep(result.whatIf.changes) } } : {}),
    ...(result.records ? { records: keep(result.records) } : {}),
  };
}
