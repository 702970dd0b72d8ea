/** A warning as the use cases return it, the row mapping, and the lifecycle's allowed transitions. */
import type { Action } from "../identity/policy.ts";
import type { ComponentName, Contribution } from "../scoring/compute-scores.ts";
import { type WarningLevel, warningLevels } from "../scoring/levels.ts";

export const warningStatuses = ["new", "acknowledged", "escalated", "downgraded", "closed"] as const;
export type WarningStatus = (typeof warningStatuses)[number];

export const statusNames: Record<WarningStatus, { en: string; zh: string }> = {
  new: { en: "New", zh: "新预警" },
  acknowledged: { en: "Acknowledged", zh: "已确认" },
  escalated: { en: "Escalated", zh: "已升级" },
  downgraded: { en: "Downgraded", zh: "已降级" },
  closed: { en: "Closed", zh: "已关闭" },
};

/**
 * Transitions a supervisor may make. Scoring moves a warning too: a higher level escalates it, a lower one
 * downgrades it, and enough green periods close it; closed is final (a later deterioration opens a new warning).
 */
export const manualTransitions: Record<WarningStatus, readonly WarningStatus[]> = {
  new: ["acknowledged", "escalated", "closed"],
  acknowledged: ["escalated", "downgraded", "closed"],
  escalated: ["acknowledged", "downgraded", "closed"],
  downgraded: ["acknowledged", "escalated", "closed"],
  closed: [],
};

export interface Warning {
  id: number;
  institution: {
    code: string;
    nameZh: string;
    nameEn: string;
    type: string;
    sector: string;
    district: string | null;
  };
  status: WarningStatus;
  level: WarningLevel;
  score: number;
  peak: { level: WarningLevel; score: number };
  openedPeriod: string;
  lastPeriod: string;
  greenStreak: number;
  components: Record<ComponentName, number>;
  contributions: Contribution[];
  caseId: number | null;
  closedReason: string | null;
  openedAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** Columns `toWarning` reads, from warnings `w` joined to institutions `i`. */
export const warningColumns = `w.id::text as id, trim(w.institution_code) as code, i.name_zh, i.name_en, w.type, w.sector, w.district,
  w.status, w.level, w.score::text as score, w.peak_level, w.peak_score::text as peak_score, w.opened_period, w.last_period,
  w.green_streak, w.components, w.contributions, w.case_id::text as case_id, w.closed_reason,
  to_json(w.opened_at) #>> '{}' as opened_at, to_json(w.updated_at) #>> '{}' as updated_at, to_json(w.closed_at) #>> '{}' as closed_at`;

export const warningFrom = "warnings w join institutions i on i.code = w.institution_code";

export function toWarning(r: Record<string, unknown>): Warning {
  return {
    id: Number(r.id),
    institution: {
      code: r.code as string,
      nameZh: r.name_zh as string,
      nameEn: r.name_en as string,
      type: r.type as string,
      sector: r.sector as string,
      district: (r.district as string | null) ?? null,
    },
    status: r.status as WarningStatus,
    level: r.level as WarningLevel,
    score: Number(r.score),
    peak: { level: r.peak_level as WarningLevel, score: Number(r.peak_score) },
    openedPeriod: r.opened_period as string,
    lastPeriod: r.last_period as string,
    greenStreak: Number(r.green_streak),
    components: r.components as Record<ComponentName, number>,
    contributions: r.contributions as Contribution[],
    caseId: r.case_id == null ? null : Number(r.case_id),
    closedReason: (r.closed_reason as string | null) ?? null,
    openedAt: r.opened_at as string,
    updatedAt: r.updated_at as string,
    closedAt: (r.closed_at as string | null) ?? null,
  };
}

/** Warning levels above green, in order. */
export const warningOnlyLevels: readonly WarningLevel[] = warningLevels.filter((l) => l !== "green");

/**
 * The policy actions warnings are read and moved under. TODO(policy): dedicated `warnings.read` and
 * `warnings.transition` actions; until then whoever reads cases reads warnings, and the sector's leading units
 * (who open cases) acknowledge, escalate, downgrade and close them.
 */
export const warningReadAction: Action = "cases.list";
export const warningItemAction: Action = "cases.read";
export const warningTransitionAction: Action = "cases.create";
