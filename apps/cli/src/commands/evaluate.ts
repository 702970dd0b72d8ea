import { readFileSync } from "node:fs";
import { type Evaluation, evaluateFindings } from "@beacon/core/detectors/evaluate-findings";
import { AppError } from "@beacon/core/errors";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

export const command = defineCommand<Evaluation>({
  name: "evaluate",
  summary: "Precision and recall of the stored findings against a synthetic province's truth.json",
  usage: `Usage: beacon evaluate --truth DIR/truth.json [--period YYYY-MM] [--json]

For each planted kind: how many plants a detector should flag, how many were recalled, and the precision of the
kind's detector, over the latest stored run of each detector for the truth's end period (or --period).
A finding matches a plant when the plant lists the detector in flaggedBy, the finding's members are of the plant's
subject type, and every member is one of the plant's subjects; personal ids in the truth are pseudonymised with
the configured key first. A plant is recalled when all its subjects are covered by matching findings.`,
  options: { truth: { type: "string" }, period: { type: "string" } },
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
    return withBeacon(ctx, (beacon) =>
      evaluateFindings(beacon.db, beacon.config.pseudonymKey, truth, values.period as string | undefined),
    );
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
    return lines.join("\n");
  },
});
