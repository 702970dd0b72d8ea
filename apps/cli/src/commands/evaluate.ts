import { readFileSync } from "node:fs";
import { type Evaluation, evaluateFindings } from "@beacon/core/detectors/evaluate-findings";
import { AppError } from "@beacon/core/errors";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import { evaluateRules, type RuleEvaluation, type Truth } from "@beacon/packs/china/truth-support";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

type Result = Evaluation & { rules?: RuleEvaluation };

export const command = defineCommand<Result>({
  name: "evaluate",
  summary: "Precision and recall of the stored findings against a synthetic province's truth.json",
  usage: `Usage: beacon evaluate --truth DIR/truth.json [--period YYYY-MM] [--rules] [--json]

For each planted kind: how many plants a detector should flag, how many were recalled, and the precision of the
kind's detector, over the latest stored run of each detector for the truth's end period (or --period).
A finding matches a plant when the plant lists the detector in flaggedBy, the finding's members are of the plant's
subject type, and every member is one of the plant's subjects; personal ids in the truth are pseudonymised with
the configured key first. A plant is recalled when all its subjects are covered by matching findings.

--rules also runs the China pack on every period of the truth (storing nothing) and reports, per planted kind,
the share of planted rule signals (each threshold a planted return crosses, each rule-flagged item, each rate,
cap and look-through plant) reported by a rule that reads them, and every breach of an institution the truth
keeps clean.`,
  options: { truth: { type: "string" }, period: { type: "string" }, rules: { type: "boolean" } },
  async run({ values }, ctx) {
    const file = values.truth as string | undefined;
    if (!file)
      throw new AppError("INVALID_INPUT", "--truth is required: the truth.json written by beacon generate");
    let truth: unknown;
    try {
      truth = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new AppError("INVALID_INPUT", `cannot read ${file}: ${(e as Error).message}`);
    }
    return withBeacon(ctx, async (beacon): Promise<Result> => {
      const e = await evaluateFindings(
        beacon.db,
        beacon.config.pseudonymKey,
        truth,
        values.period as string | undefined,
      );
      if (values.rules !== true) return e;
      const deps = { db: beacon.db, dataDir: beacon.config.dataDir };
      return { ...e, rules: await evaluateRules(deps, chinaCatalog, truth as Truth) };
    });
  },
  render(e) {
    const f = (x: number | null) => (x === null ? "   -  " : x.toFixed(3).padStart(6));
    const lines = [
      `truth seed ${e.seed ?? "?"} scale ${e.scale ?? "?"}, findings of ${e.period}`,
      "kind                   detector               plants recalled recall  findings correct precision",
    ];
    for (const k of e.kinds) {
      lines.push(
        `${k.kind.padEnd(22)} ${(k.detector ?? "(rules)").padEnd(22)} ${String(k.plants).padStart(6)} ${String(k.recalled).padStart(8)} ${f(k.recall)} ${String(k.findings).padStart(9)} ${String(k.correct).padStart(7)} ${f(k.precision)}${k.note ? `  ${k.note}` : ""}`,
      );
    }
    if (e.rules) lines.push("", ...renderRules(e.rules));
    return lines.join("\n");
  },
});

function renderRules(r: RuleEvaluation): string[] {
  const f = (x: number | null) => (x === null ? "   -  " : x.toFixed(3).padStart(6));
  const lines = [
    `rules: ${r.periods} periods checked; ${r.reported} of ${r.expected} planted rule signals reported (recall ${f(r.recall).trim()})`,
    "kind                   expected reported recall",
    ...r.kinds.map(
      (k) =>
        `${k.kind.padEnd(22)} ${String(k.expected).padStart(8)} ${String(k.reported).padStart(8)} ${f(k.recall)}`,
    ),
  ];
  for (const m of r.missed) lines.push(`  missed: ${m.kind} ${m.institution} ${m.period} ${m.what}`);
  if (r.missedCount > r.missed.length) lines.push(`  ... and ${r.missedCount - r.missed.length} more missed`);
  lines.push(`clean institutions: ${r.clean}; breaches among them: ${r.cleanFlaggedCount}`);
  for (const c of r.cleanFlagged)
    lines.push(`  clean flagged: ${c.ruleId} ${c.institution} ${c.period}: ${c.explanation}`);
  const unexplained = Object.entries(r.unexplained).sort((a, b) => b[1] - a[1]);
  if (unexplained.length > 0)
    lines.push(
      `breaches of unplanted institutions (not scored): ${unexplained.map(([k, v]) => `${k} ${v}`).join(", ")}`,
    );
  return lines;
}
