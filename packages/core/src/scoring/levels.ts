/**
 * Warning levels from a risk score, and the comparison view on the central bank's rating scale for banks.
 * The cut-offs are governed parameters (ScoringParams.cutoffs); docs/warning-levels.md explains them.
 */
import type { ScoringParams } from "./params.ts";

export const warningLevels = ["green", "blue", "yellow", "orange", "red"] as const;
export type WarningLevel = (typeof warningLevels)[number];

/** Bilingual names; green is "no warning". */
export const levelNames: Record<WarningLevel, { en: string; zh: string }> = {
  green: { en: "Green (no warning)", zh: "绿色（无预警）" },
  blue: { en: "Blue warning", zh: "蓝色预警" },
  yellow: { en: "Yellow warning", zh: "黄色预警" },
  orange: { en: "Orange warning", zh: "橙色预警" },
  red: { en: "Red warning", zh: "红色预警" },
};

/** 0 for green up to 4 for red: levels compare by rank. */
export function levelRank(level: WarningLevel): number {
  return warningLevels.indexOf(level);
}

/** The level a score falls in under the given cut-offs. */
export function levelOf(score: number, cutoffs: ScoringParams["cutoffs"]): WarningLevel {
  if (score >= cutoffs.red) return "red";
  if (score >= cutoffs.orange) return "orange";
  if (score >= cutoffs.yellow) return "yellow";
  if (score >= cutoffs.blue) return "blue";
  return "green";
}

export type RatingGrade = "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "D";
export type RatingZone = "green" | "yellow" | "red";

/** Registry statuses that put a bank at grade D (failed, taken over or licence revoked). */
export const gradeDStatuses: readonly string[] = ["revoked", "taken_over"];

/**
 * The score on the PBoC central-bank rating scale (1 best to 10, D failed or taken over), for comparison only:
 * grade = 1 + floor(score / 10), capped at 10; zones 1-5 green, 6-7 yellow, 8-10 and D red. The mapping is fixed
 * (it does not move with the cut-offs) so that grades stay comparable across parameter versions.
 */
export function ratingGrade(score: number, failed: boolean): { grade: RatingGrade; zone: RatingZone } {
  if (failed) return { grade: "D", zone: "red" };
  const g = Math.min(10, 1 + Math.floor(Math.max(0, score) / 10));
  const zone: RatingZone = g <= 5 ? "green" : g <= 7 ? "yellow" : "red";
  return { grade: String(g) as RatingGrade, zone };
}
