/**
 * Precision and recall of the stored findings against a synthetic province's truth.json.
 *
 * Matching, exactly:
 * - The findings used are, per detector, those of its latest successful run for the truth's end period.
 * - A plant's subjects are compared as the lake holds them: personal ids (subject type "person") are normalised as
 *   intake does (trimmed, upper case) and pseudonymised with the configured key; other ids are compared as written.
 * - A finding of detector D matches a plant when the plant lists "detector:D" in flaggedBy, the finding's member kind
 *   is the plant's subject type, and every member of the finding is one of the plant's subjects.
 * - A plant is recalled when every one of its subjects is a member of some matching finding (a circle found
 *   whole, every planted sale flagged). Recall of a kind = recalled plants / plants of the kind.
 * - Precision of a kind is that of its primary detector (the first detector in its plants' flaggedBy): among that
 *   detector's findings whose member kind the truth uses for it, the share matching some plant that lists it.
 */
import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { pseudonymise } from "../intake/pseudonymise.ts";

const truthSchema = z.object({
  seed: z.number().optional(),
  scale: z.string().optional(),
  periods: z.array(z.string()),
  plants: z.array(
    z.object({
      kind: z.string(),
      subjectType: z.string(),
      subjects: z.array(z.string()),
      flaggedBy: z.array(z.string()),
    }),
  ),
});
export type TruthInput = z.input<typeof truthSchema>;

export interface KindScore {
  kind: string;
  /** Plants of the kind that a detector should flag. */
  plants: number;
  /** Plants of the kind flagged by rules only (not scored here). */
  ruleOnlyPlants: number;
  detector: string | null;
  recalled: number;
  recall: number | null;
  findings: number;
  correct: number;
  precision: number | null;
  /** Subjects of plants not recalled (as in truth.json), at most ten plants. */
  missed: string[][];
  /** Why a kind has no score: flagged only by rules, or by a detector that is not in this run's store. */
  note?: string;
}

export interface Evaluation {
  seed: number | null;
  scale: string | null;
  period: string;
  kinds: KindScore[];
}

interface StoredFinding {
  detector: string;
  member_kind: string;
  members: string[];
}

/** Evaluates the latest stored findings for the truth's end period against its plants. */
export async function evaluateFindings(
  db: Sql,
  pseudonymKey: Buffer,
  truthJson: unknown,
  period?: string,
): Promise<Evaluation> {
  const parsed = truthSchema.safeParse(truthJson);
  if (!parsed.success)
    throw new AppError("INVALID_INPUT", `not a truth.json: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const truth = parsed.data;
  const months = truth.periods.filter((p) => /^[0-9]{4}-[0-9]{2}$/.test(p)).sort();
  const end = period ?? months[months.length - 1];
  if (!end) throw new AppError("INVALID_INPUT", "truth.json lists no monthly period");

  const normalise = (type: string, id: string) =>
    type === "person" ? pseudonymise(pseudonymKey, id.trim().toUpperCase()) : id.trim();
  const plants = truth.plants.map((p) => ({
    ...p,
    detectors: p.flaggedBy.filter((f) => f.startsWith("detector:")).map((f) => f.slice("detector:".length)),
    keys: new Set(p.subjects.map((s) => normalise(p.subjectType, s))),
  }));
  const detectors = [...new Set(plants.flatMap((p) => p.detectors))];
  const findings = new Map<string, StoredFinding[]>();
  const ran = new Set<string>();
  for (const d of detectors) {
    const [latest] = await db.query<{ run_id: string }>(
      "select max(run_id)::text as run_id from detector_runs where detector = $1 and period = $2 and status = 'ok'",
      [d, end],
    );
    if (!latest?.run_id) continue;
    ran.add(d);
    findings.set(
      d,
      await db.query<StoredFinding>(
        "select detector, member_kind, members from findings where run_id = $1 and detector = $2",
        [latest.run_id, d],
      ),
    );
  }

  // For each detector: the plants listing it, and the subject types the truth uses with it.
  const matches = (f: StoredFinding, p: (typeof plants)[number]) =>
    p.detectors.includes(f.detector) &&
    p.subjectType === f.member_kind &&
    f.members.length > 0 &&
    f.members.every((m) => p.keys.has(m));
  const covered = plants.map(() => new Set<string>());
  const correctOf = new Map<string, { evaluable: number; correct: number }>();
  for (const [d, list] of findings) {
    const listing = plants.map((p, i) => [p, i] as const).filter(([p]) => p.detectors.includes(d));
    const types = new Set(listing.map(([p]) => p.subjectType));
    // Plants indexed by subject key keep matching linear in the number of findings.
    const byKey = new Map<string, number[]>();
    for (const [p, i] of listing) for (const k of p.keys) (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(i);
    let evaluable = 0;
    let correct = 0;
    for (const f of list) {
      if (!types.has(f.member_kind)) continue;
      evaluable++;
      const candidates = byKey.get(f.members[0] ?? "") ?? [];
      let hit = false;
      for (const i of candidates) {
        const p = plants[i]!;
        if (!matches(f, p)) continue;
        hit = true;
        for (const m of f.members) covered[i]!.add(m);
      }
      if (hit) correct++;
    }
    correctOf.set(d, { evaluable, correct });
  }

  const kinds = [...new Set(plants.map((p) => p.kind))].sort();
  return {
    seed: truth.seed ?? null,
    scale: truth.scale ?? null,
    period: end,
    kinds: kinds.map((kind) => {
      const all = plants.map((p, i) => [p, i] as const).filter(([p]) => p.kind === kind);
      // Plants of a kind flagged by rules only (e.g. a lender's own return) are left to the rules' evaluation.
      const mine = all.filter(([p]) => p.detectors.length > 0);
      const votes = new Map<string, number>();
      for (const [p] of mine) votes.set(p.detectors[0]!, (votes.get(p.detectors[0]!) ?? 0) + 1);
      const primary = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      const base = { kind, plants: mine.length, ruleOnlyPlants: all.length - mine.length, detector: primary };
      if (primary === null) {
        return {
          ...base,
          recalled: 0,
          recall: null,
          findings: 0,
          correct: 0,
          precision: null,
          missed: [],
          note: "flagged by rules only",
        };
      }
      if (!ran.has(primary)) {
        return {
          ...base,
          recalled: 0,
          recall: null,
          findings: 0,
          correct: 0,
          precision: null,
          missed: [],
          note: `no stored run of detector ${primary} for ${end}`,
        };
      }
      const recalledList = mine.filter(
        ([p, i]) => p.keys.size > 0 && [...p.keys].every((k) => covered[i]!.has(k)),
      );
      const missed = mine.filter(([, i]) => !recalledList.some(([, j]) => j === i)).map(([p]) => p.subjects);
      const c = correctOf.get(primary) ?? { evaluable: 0, correct: 0 };
      return {
        ...base,
        recalled: recalledList.length,
        recall: recalledList.length / mine.length,
        findings: c.evaluable,
        correct: c.correct,
        precision: c.evaluable > 0 ? c.correct / c.evaluable : null,
        missed: missed.slice(0, 10),
      };
    }),
  };
}
