import { type BacktestReport, runBacktest } from "@beacon/core/calibration/backtest";
import { type OutcomeEvent, outcomeEvents, readLabelsFile } from "@beacon/core/calibration/labels";
import { type InstitutionType, institutionTypeCodes } from "@beacon/core/contract/institution-types";
import { AppError } from "@beacon/core/errors";
import { parseMonth } from "@beacon/core/scoring/months";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

const fmt = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || Number.isNaN(x) ? "n/a" : x.toFixed(digits);

function leadLines(title: string, leads: NonNullable<BacktestReport["model"]["leadTimes"]>): string[] {
  const out = [title];
  for (const l of leads) {
    out.push(
      `  ${l.eventDate} ${l.event.padEnd(16)} ${l.institution} ${l.name}${l.outOfTime ? " [out of time]" : ""}: ${
        !l.covered
          ? "not scored before it (no returns on file then): not counted"
          : l.firstAlert
            ? `first alert ${l.firstAlert}, ${l.leadMonths} months / ${l.leadPeriods} periods ahead${l.sustained ? ", sustained" : ""}`
            : "no alert within the horizon"
      }`,
    );
  }
  return out;
}

export const command = defineCommand<BacktestReport>({
  name: "backtest",
  summary: "Out-of-time backtest of the risk score and a calibrated model against outcome labels",
  usage: `Usage: beacon backtest [--labels FILE] [--cutoff YYYY-MM] [--horizon MONTHS] [--events LIST] [--k N] [--types LIST] [--json]

Scores every month with returns (each score from its month and earlier only), labels each institution-month with
whether an event follows within the horizon, fits an L2-regularised logistic regression on the months before the
cut-off (with the events known then), and evaluates both the score and the model from the cut-off on: ROC-AUC,
precision at k per month, and lead time (how many periods before each event the institution reached orange or red).

  --labels   CSV in the outcomes dataset's columns: reporter_code, period, institution_code, event, event_date
             (default: the outcomes dataset already ingested)
  --cutoff   first month evaluated (default: the month after half of the labelled events)
  --horizon  months ahead an event makes a row positive (default 12)
  --events   events that count (default failed,taken_over,licence_revoked,high_risk_rating)
  --k        precision at k (default 10)
  --types    institution types in the population (default: those of the labelled institutions)`,
  options: {
    labels: { type: "string" },
    cutoff: { type: "string" },
    horizon: { type: "string" },
    events: { type: "string" },
    k: { type: "string" },
    types: { type: "string" },
  },
  async run({ values }, ctx) {
    const int = (name: string, text: string | undefined, lo: number, hi: number) => {
      if (text === undefined) return undefined;
      if (!/^[0-9]{1,3}$/.test(text) || Number(text) < lo || Number(text) > hi)
        throw new AppError(
          "INVALID_INPUT",
          `--${name} must be an integer from ${lo} to ${hi} (got "${text}")`,
        );
      return Number(text);
    };
    const list = <T extends string>(name: string, text: string | undefined, allowed: readonly T[]) => {
      if (text === undefined) return undefined;
      const items = text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
      if (bad.length > 0 || items.length === 0)
        throw new AppError(
          "INVALID_INPUT",
          `--${name}: unknown ${bad.join(", ") || "(empty)"}; allowed: ${allowed.join(", ")}`,
        );
      return items as T[];
    };
    const labels = values.labels === undefined ? undefined : readLabelsFile(values.labels as string);
    const horizon = int("horizon", values.horizon as string | undefined, 1, 60);
    const k = int("k", values.k as string | undefined, 1, 500);
    const events = list<OutcomeEvent>("events", values.events as string | undefined, outcomeEvents);
    const types = list<InstitutionType>("types", values.types as string | undefined, institutionTypeCodes);
    const cutoff = values.cutoff === undefined ? undefined : parseMonth(values.cutoff as string, "--cutoff");
    return withBeacon(ctx, (beacon) =>
      runBacktest(beacon.db, {
        catalog: chinaCatalog,
        dataDir: beacon.config.dataDir,
        ...(labels ? { labels } : {}),
        ...(cutoff ? { cutoff } : {}),
        ...(horizon ? { horizonMonths: horizon } : {}),
        ...(events ? { events } : {}),
        ...(k ? { k } : {}),
        ...(types ? { types } : {}),
        log: ctx.log,
      }),
    );
  },
  render(r) {
    const lines = [
      `Backtest of ${r.population.types.join(", ")}: ${r.population.institutions} institutions, ${r.population.months[0]} to ${r.population.months[1]}, ${r.population.rows} institution-months; ${r.population.labelledInstitutions} with events (${r.events.join(", ")})`,
      `cut-off ${r.cutoff}, horizon ${r.horizonMonths} months; train ${r.train.rows} rows (${r.train.positives} positive), evaluation ${r.evaluation.rows} rows (${r.evaluation.positives} positive)`,
    ];
    if (r.ignoredLabels.length > 0)
      lines.push(
        `ignored labels: ${r.ignoredLabels.map((l) => `${l.institution} ${l.event} (${l.reason})`).join("; ")}`,
      );
    const s = r.score;
    lines.push(
      "",
      `risk score:  out-of-time AUC ${fmt(s.auc)}, precision@${s.precisionAtK.k} ${fmt(s.precisionAtK.precision)} (recall ${fmt(s.precisionAtK.recall)}, ${s.precisionAtK.groups} months with events)`,
      `  component AUCs: ${Object.entries(s.componentAuc)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(", ")}`,
      `  lead: ${s.lead.detected}/${s.lead.events} events alerted (orange or red), median ${fmt(s.lead.medianLeadMonths, 1)} months ahead, ${s.lead.atLeastTwoPeriods} at least two periods ahead; out of time ${s.outOfTimeLead.detected}/${s.outOfTimeLead.events}`,
    );
    lines.push(...leadLines("  events:", s.leadTimes));
    const m = r.model;
    lines.push("");
    if (!m.fitted) lines.push(`model: not fitted (${m.reason})`);
    else {
      lines.push(
        `model (L2 logistic, IRLS, lambda ${m.lambda}, ${m.features} features, ${m.iterations} iterations${m.converged ? "" : ", NOT converged"}): out-of-time AUC ${fmt(m.auc)}, precision@${m.precisionAtK!.k} ${fmt(m.precisionAtK!.precision)} (recall ${fmt(m.precisionAtK!.recall)})`,
        `  lambda search: ${m.lambdaSearch!.map((x) => `${x.lambda}: ${fmt(x.auc)}`).join(", ") || "(no validation events; default)"}`,
        `  largest coefficients: ${m
          .coefficients!.slice(0, 8)
          .map((c) => `${c.feature} ${c.weight > 0 ? "+" : ""}${c.weight}`)
          .join(", ")}`,
        `  lead (probability >= ${m.threshold}): ${m.lead!.detected}/${m.lead!.events} events alerted, median ${fmt(m.lead!.medianLeadMonths, 1)} months ahead`,
      );
    }
    lines.push("", ...r.notes.map((n) => `note: ${n}`), `${r.seconds}s`);
    return lines.join("\n");
  },
});
