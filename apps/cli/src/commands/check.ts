import type { Breach, CheckResult, OutcomeChange } from "@beacon/core/checks/check-result";
import { normalisePeriod } from "@beacon/core/checks/evaluate-check";
import { getCheckRun } from "@beacon/core/checks/get-check-run";
import { runCheck } from "@beacon/core/checks/run-check";
import { whatIfCheck } from "@beacon/core/checks/what-if-check";
import { AppError } from "@beacon/core/errors";
import { assertAsOf } from "@beacon/core/governance/params-in-force";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";
import { checkRuleFlag, parseSetFlags } from "../rule-flags.ts";

function valueText(b: Breach): string {
  const v = b.value;
  if (!v) return "";
  if ("text" in v) return v.text;
  if (v.display === "percent") return `${(v.number * 100).toFixed(2)}%`;
  if (v.display === "multiple") return `${v.number.toFixed(2)}x`;
  if (v.display === "amount") return `RMB ${v.number.toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
  return String(v.number);
}

function lineText(b: Pick<Breach, "thresholds">): string {
  return b.thresholds.map((t) => `${t.line} ${t.comparator} ${t.exact}`).join(", ");
}

function renderBreach(b: Breach): string[] {
  const name = b.institutionName ? ` ${b.institutionName.zh}` : "";
  const lines = [
    `${b.line.toUpperCase().padEnd(10)} ${b.severity.padEnd(8)} ${b.ruleId} v${b.ruleVersion}  ${b.institution}${name}  ${b.period}`,
    `  value ${valueText(b)}; lines: ${lineText(b)}${b.provisional ? " (provisional)" : ""}`,
    `  en: ${b.explanation.en}`,
    `  zh: ${b.explanation.zh}`,
    `  basis [${b.legalBasis.status}]: ${b.legalBasis.citation.en}`,
  ];
  if (b.records) {
    lines.push(
      `  records: ${b.records.count} (${b.records.regulatoryCount} regulatory, ${b.records.warningCount} warning); worst: ${b.records.worst.map((w) => w.subject).join(", ")}`,
    );
  }
  return lines;
}

function renderChange(c: OutcomeChange): string {
  const side = (s: OutcomeChange["before"]) => `${s.kind}${s.count !== undefined ? ` (${s.count})` : ""}`;
  return `  ${c.ruleId}  ${c.institution}${c.institutionName ? ` ${c.institutionName.zh}` : ""}: ${side(c.before)} -> ${side(c.after)}`;
}

/** The check as text: header, what-if changes, breaches, errors and record detail. */
function renderCheck(r: CheckResult): string {
  const out = [
    `Check of ${r.period} as of ${r.asOf} (${r.source}${r.runId !== null ? ` run ${r.runId}` : ""}), pack ${r.packVersion}`,
    `${r.counts.entities} entities from ${r.coverage.returns} returns submissions; lake: ${Object.entries(
      r.coverage.datasets,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `${r.counts.breaches} breaches at ${r.counts.institutionsFlagged} institutions; outcomes ${Object.entries(
      r.counts.outcomes,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  ];
  if (r.whatIf) {
    out.push(
      "",
      `What-if (nothing stored): ${r.whatIf.changes.length} outcome(s) change against the governed parameters`,
    );
    out.push(...r.whatIf.changes.map(renderChange));
  }
  if (r.breaches.length > 0) out.push("");
  for (const b of r.breaches) out.push(...renderBreach(b));
  if (r.errors.length > 0) {
    out.push("", "Rule errors:");
    for (const e of r.errors) out.push(`  ${e.ruleId} ${e.institution}: ${e.explanation.en}`);
  }
  for (const s of r.skipped) out.push(`skipped ${s.ruleId}: ${s.reason}`);
  if (r.records) {
    out.push("", `Records (${r.records.length}):`);
    for (const x of r.records)
      out.push(`  ${x.ruleId} ${x.institution} ${x.subject} ${x.line}: ${x.explanation.en}`);
  }
  return out.join("\n");
}

export const command = defineCommand<CheckResult>({
  name: "check",
  summary: "Run the rule pack on a period: breaches with values, lines, explanations and legal basis",
  usage: `Usage: beacon check --period P [--as-of DATE] [--set RULE.PARAM=VALUE ...] [--store]
                    [--rule ID] [--institution CODE] [--detail] [--json]
       beacon check --run ID [--rule ID] [--institution CODE] [--detail] [--json]

Loads the returns of the current submissions of period P (YYYY-MM, or YYYY-Qn for its closing month) with the
registry, evaluates every entity rule, and runs the record-level rules over the lake (true rate of every loan,
online small-loan balances per borrower, bill tenors, look-through product leverage).

  --as-of DATE   use the submissions and the governed parameters in force then (a date means the end of that
                 day, UTC; a stored run's as-of instant reproduces it exactly)
  --set R.P=V    what-if: evaluate with these values over the governed ones and list the institutions whose
                 outcome changes; never stored (repeatable)
  --store        save the run (period, as-of, pack version, parameter snapshot, outcomes, record detail)
  --rule, --institution   list only these breaches; --detail adds every breaching record
  --run ID       show a stored run`,
  options: {
    period: { type: "string" },
    "as-of": { type: "string" },
    set: { type: "string", multiple: true },
    store: { type: "boolean" },
    rule: { type: "string" },
    institution: { type: "string" },
    detail: { type: "boolean" },
    run: { type: "string" },
  },
  async run({ values }, ctx) {
    const sets = (values.set as string[] | undefined) ?? [];
    const rule = values.rule as string | undefined;
    const institution = values.institution as string | undefined;
    const filter = {
      ...(rule === undefined ? {} : { rule }),
      ...(institution === undefined ? {} : { institution }),
      ...(values.detail ? { detail: true } : {}),
    };
    if (rule !== undefined) checkRuleFlag(rule);
    if (institution !== undefined && !/^[0-9A-Za-z]{1,40}$/.test(institution)) {
      throw new AppError(
        "INVALID_INPUT",
        `--institution "${institution}" is not an institution or product code`,
      );
    }
    if (values.run !== undefined) {
      const run = String(values.run);
      if (!/^[1-9][0-9]{0,15}$/.test(run))
        throw new AppError("INVALID_INPUT", `--run must be a run id, got "${run}"`);
      for (const flag of ["period", "as-of", "set", "store"]) {
        if (values[flag] !== undefined)
          throw new AppError("INVALID_INPUT", `--run shows a stored run; --${flag} does not apply`);
      }
      return withBeacon(ctx, (beacon) => getCheckRun(beacon.db, chinaCatalog, Number(run), filter));
    }
    const period = values.period as string | undefined;
    if (period === undefined)
      throw new AppError("INVALID_INPUT", "check needs --period YYYY-MM (or YYYY-Qn)");
    normalisePeriod(period, "--period");
    const asOf = values["as-of"] as string | undefined;
    if (asOf !== undefined) assertAsOf(asOf, "--as-of");
    if (sets.length > 0 && values.store) {
      throw new AppError(
        "INVALID_INPUT",
        "--store cannot be combined with --set: a what-if run is never stored",
      );
    }
    const overrides = sets.length > 0 ? parseSetFlags(sets) : undefined;
    const labels = { period: "--period", asOf: "--as-of", whatIf: "--set" };
    return withBeacon(ctx, async (beacon) => {
      const deps = { db: beacon.db, dataDir: beacon.config.dataDir };
      const base = { period, labels, ...(asOf === undefined ? {} : { asOf }), ...filter };
      if (overrides) return whatIfCheck(deps, chinaCatalog, { ...base, overrides });
      const by = process.env.USER ?? "cli";
      return runCheck(
        deps,
        chinaCatalog,
        { ...base, store: values.store === true },
        { name: by, audit: `cli:${by}` },
      );
    });
  },
  render: renderCheck,
});
