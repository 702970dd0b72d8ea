import { AppError } from "@beacon/core/errors";
import { decideParamProposal } from "@beacon/core/governance/decide-param-proposal";
import { listParamProposals } from "@beacon/core/governance/list-param-proposals";
import type { ParamProposal } from "@beacon/core/governance/proposal-row";
import { proposeParamChange } from "@beacon/core/governance/propose-param-change";
import { system } from "@beacon/core/identity/roles";
import { getScores, type ScoreSummary } from "@beacon/core/scoring/get-scores";
import { parseMonth } from "@beacon/core/scoring/months";
import {
  type ScoringParamsInForce,
  scoringCatalog,
  scoringParamsInForce,
  scoringRuleId,
} from "@beacon/core/scoring/scoring-catalog";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

type Result = ScoreSummary | { inForce: ScoringParamsInForce; proposals: ParamProposal[] } | ParamProposal;

const groups = ["sector", "district", "province"];

export const command = defineCommand<Result>({
  name: "scores",
  summary:
    "Risk scores rolled up by sector, district or province; govern the scoring weights (maker-checker)",
  usage: `Usage: beacon scores [--period YYYY-MM] [--group-by sector|district|province] [--json]
       beacon scores params                         the weights and cut-offs in force, and every proposal
       beacon scores propose --param GROUP --value JSON --reason TEXT --effective YYYY-MM-DD [--by NAME]
       beacon scores approve ID [--note TEXT] [--by NAME]
       beacon scores reject ID [--note TEXT] [--by NAME]

Scores are computed by \`beacon warn\`. The weights and level cut-offs are governed like rule thresholds: one
person proposes a new value for a parameter group (breach, distance, trend, peer, timeliness, dataQuality,
findings, anomalies, severity, cutoffs, carryMonths, closeAfterGreenPeriods, keepContributions), another approves
it; a group named in a proposal may list only the fields it changes. --by names who acts (default: $USER).`,
  allowPositionals: true,
  options: {
    period: { type: "string" },
    "group-by": { type: "string" },
    param: { type: "string" },
    value: { type: "string" },
    reason: { type: "string" },
    effective: { type: "string" },
    note: { type: "string" },
    by: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    const [action, id, ...extra] = positionals;
    if (extra.length > 0) throw new AppError("INVALID_INPUT", `unexpected argument "${extra[0]}"`);
    if (action === undefined) {
      const groupBy = (values["group-by"] as string | undefined) ?? "province";
      if (!groups.includes(groupBy))
        throw new AppError("INVALID_INPUT", `--group-by must be ${groups.join(", ")} (got "${groupBy}")`);
      const period =
        values.period === undefined ? undefined : parseMonth(values.period as string, "--period");
      return withBeacon(ctx, (beacon) =>
        getScores(beacon.db, system("cli"), { ...(period ? { period } : {}), groupBy: groupBy as "sector" }),
      );
    }
    if (!["params", "propose", "approve", "reject"].includes(action)) {
      throw new AppError(
        "INVALID_INPUT",
        `unknown action "${action}": params, propose, approve ID or reject ID`,
      );
    }
    if (action === "params") {
      return withBeacon(ctx, async (beacon) => ({
        inForce: await scoringParamsInForce(beacon.db),
        proposals: await listParamProposals(beacon.db, { rule: scoringRuleId }),
      }));
    }
    const by = (values.by as string | undefined) ?? process.env.USER ?? "";
    if (!by.trim()) throw new AppError("INVALID_INPUT", "--by NAME is needed (no $USER to default to)");
    const actor = { name: by, audit: `cli:${by}` };
    if (action === "propose") {
      for (const flag of ["param", "value", "reason", "effective"]) {
        if (typeof values[flag] !== "string")
          throw new AppError("INVALID_INPUT", `scores propose needs --${flag}`);
      }
      let value: unknown;
      try {
        value = JSON.parse(values.value as string);
      } catch {
        throw new AppError(
          "INVALID_INPUT",
          `--value must be JSON, e.g. '{"weight": 25}' or 3 (got ${values.value as string})`,
        );
      }
      return withBeacon(ctx, async (beacon) => {
        // A group names only what changes: the rest keeps the values in force.
        const current = (await scoringParamsInForce(beacon.db)).params as Record<string, unknown>;
        const param = values.param as string;
        const base = current[param];
        const merged =
          base &&
          typeof base === "object" &&
          !Array.isArray(base) &&
          value &&
          typeof value === "object" &&
          !Array.isArray(value)
            ? { ...(base as object), ...(value as object) }
            : value;
        return proposeParamChange(beacon.db, scoringCatalog, actor, {
          ruleId: scoringRuleId,
          param,
          value: merged,
          reason: values.reason as string,
          effectiveFrom: values.effective as string,
        });
      });
    }
    if (!id || !/^[1-9][0-9]{0,15}$/.test(id))
      throw new AppError("INVALID_INPUT", `scores ${action} needs a proposal id`);
    return withBeacon(ctx, (beacon) =>
      decideParamProposal(beacon.db, scoringCatalog, actor, Number(id), {
        decision: action === "approve" ? "approve" : "reject",
        note: (values.note as string | undefined) ?? "",
      }),
    );
  },
  render(r) {
    if ("groups" in r) {
      const lines = [
        `Risk scores ${r.period} by ${r.groupBy}:`,
        "group                 n    mean  median    max  prev   blue yellow orange  red  bank zones g/y/r",
      ];
      for (const g of r.groups) {
        lines.push(
          `${g.key.padEnd(18)} ${String(g.institutions).padStart(4)} ${g.mean.toFixed(1).padStart(7)} ${g.median.toFixed(1).padStart(7)} ${g.max.toFixed(1).padStart(6)} ${(g.previousMean?.toFixed(1) ?? "-").padStart(5)} ${String(g.levels.blue).padStart(6)} ${String(g.levels.yellow).padStart(6)} ${String(g.levels.orange).padStart(6)} ${String(g.levels.red).padStart(4)}  ${g.ratingZones.green}/${g.ratingZones.yellow}/${g.ratingZones.red}`,
        );
        for (const t of g.top)
          lines.push(`    ${t.score.toFixed(1).padStart(5)} ${t.level.padEnd(6)} ${t.code} ${t.name}`);
      }
      return lines.join("\n");
    }
    if ("inForce" in r) {
      const lines = [`Scoring parameters in force at ${r.inForce.at}:`];
      for (const [k, v] of Object.entries(r.inForce.params)) {
        const g = r.inForce.governed[k];
        lines.push(`  ${k.padEnd(24)} ${JSON.stringify(v)}${g ? ` (proposal #${g})` : " (default)"}`);
      }
      lines.push("", r.proposals.length ? "Proposals:" : "No proposals.");
      for (const p of r.proposals) {
        lines.push(
          `  #${p.id} ${p.param} = ${JSON.stringify(p.value)} from ${p.effectiveFrom} [${p.status}] by ${p.proposedBy}: ${p.reason}`,
        );
      }
      return lines.join("\n");
    }
    return `#${r.id} ${r.ruleId}.${r.param} = ${JSON.stringify(r.value)} from ${r.effectiveFrom} [${r.status}] proposed by ${r.proposedBy}${r.decidedBy ? `; ${r.status} by ${r.decidedBy}` : ""}`;
  },
});
