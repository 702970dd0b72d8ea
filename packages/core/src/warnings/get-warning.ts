import type { Sql } from "../db/client.ts";
import type { Principal } from "../identity/roles.ts";
import { iso } from "../identity/values.ts";
import type { ComponentName, Contribution } from "../scoring/compute-scores.ts";
import type { WarningLevel } from "../scoring/levels.ts";
import { loadWarning } from "./load-warning.ts";
import { type Warning, warningItemAction } from "./warning-row.ts";

export interface WarningDetail extends Warning {
  history: {
    period: string | null;
    event: string;
    fromStatus: string | null;
    toStatus: string | null;
    fromLevel: string | null;
    toLevel: string | null;
    score: number | null;
    actor: string;
    note: string;
    at: string;
  }[];
  /** The institution's score for every period the warning covers, with its components and contributions. */
  scores: {
    period: string;
    score: number;
    level: WarningLevel;
    rating: { grade: string; zone: string } | null;
    stale: boolean;
    components: Record<ComponentName, number>;
    contributions: Contribution[];
  }[];
  anomalies: {
    series: string;
    period: string;
    kind: string;
    severity: string;
    value: number;
    expected: number;
    band: [number, number];
    z: number;
    explanation: { en: string; zh: string };
  }[];
}

/** One warning with its history, its score in every period it covers (with contributions) and its anomalies. */
export async function getWarning(db: Sql, actor: Principal, id: number): Promise<WarningDetail> {
  const w = await loadWarning(db, actor, warningItemAction, id);
  // One query for the three lists: on PGlite each query costs more than its rows.
  const [lists] = await db.query<Record<string, unknown>>(
    `select
       (select coalesce(json_agg(json_build_object('period', h.period, 'event', h.event, 'fromStatus', h.from_status,
          'toStatus', h.to_status, 'fromLevel', h.from_level, 'toLevel', h.to_level, 'score', h.score, 'actor', h.actor,
          'note', h.note, 'at', h.at) order by h.id), '[]') from warning_history h where h.warning_id = $1) as history,
       (select coalesce(json_agg(json_build_object('period', s.period, 'score', s.score, 'level', s.level, 'grade', s.rating_grade,
          'zone', s.rating_zone, 'stale', s.stale, 'components', s.components, 'contributions', s.contributions) order by s.period), '[]')
          from risk_scores s where s.institution_code = $2 and s.period between $3 and $4) as scores,
       (select coalesce(json_agg(json_build_object('series', a.series, 'period', a.period, 'kind', a.kind, 'severity', a.severity,
          'value', a.value, 'expected', a.expected, 'low', a.band_low, 'high', a.band_high, 'z', a.z, 'en', a.explanation_en,
          'zh', a.explanation_zh) order by a.period, a.series), '[]')
          from anomalies a where a.institution_code = $2 and a.period between $3 and $4) as anomalies`,
    [id, w.institution.code, w.openedPeriod, w.lastPeriod],
  );
  const json = <T>(v: unknown): T[] => (typeof v === "string" ? JSON.parse(v) : v) as T[];
  const num = (v: unknown) => (v == null ? null : Number(v));
  return {
    ...w,
    history: json<Record<string, unknown>>(lists?.history).map((h) => ({
      period: (h.period as string | null) ?? null,
      event: String(h.event),
      fromStatus: (h.fromStatus as string | null) ?? null,
      toStatus: (h.toStatus as string | null) ?? null,
      fromLevel: (h.fromLevel as string | null) ?? null,
      toLevel: (h.toLevel as string | null) ?? null,
      score: num(h.score),
      actor: String(h.actor),
      note: String(h.note),
      at: iso(h.at),
    })),
    scores: json<Record<string, unknown>>(lists?.scores).map((s) => ({
      period: String(s.period),
      score: Number(s.score),
      level: s.level as WarningLevel,
      rating: s.grade ? { grade: String(s.grade), zone: String(s.zone) } : null,
      stale: Boolean(s.stale),
      components: s.components as Record<ComponentName, number>,
      contributions: s.contributions as Contribution[],
    })),
    anomalies: json<Record<string, unknown>>(lists?.anomalies).map((a) => ({
      series: String(a.series),
      period: String(a.period),
      kind: String(a.kind),
      severity: String(a.severity),
      value: Number(a.value),
      expected: Number(a.expected),
      band: [Number(a.low), Number(a.high)] as [number, number],
      z: Number(a.z),
      explanation: { en: String(a.en), zh: String(a.zh) },
    })),
  };
}
