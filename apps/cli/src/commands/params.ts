import { detectorGovernance } from "@beacon/core/detectors/governed-params";
import { AppError } from "@beacon/core/errors";
import { decideParamProposal } from "@beacon/core/governance/decide-param-proposal";
import { listParamProposals } from "@beacon/core/governance/list-param-proposals";
import type { ParamProposal } from "@beacon/core/governance/proposal-row";
import { proposeParamChange } from "@beacon/core/governance/propose-param-change";
import type { RuleCatalog } from "@beacon/core/rules/catalog";
import { parseParamAssignments } from "@beacon/core/rules/params";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";
import { checkRuleFlag } from "../rule-flags.ts";

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function renderProposal(p: ParamProposal): string {
  const decided = p.decidedBy
    ? `; ${p.status} by ${p.decidedBy} at ${p.decidedAt}${p.note ? ` (${p.note})` : ""}`
    : "";
  return `#${p.id} ${p.ruleId}.${p.param} = ${show(p.value)} from ${p.effectiveFrom} [${p.status}] proposed by ${p.proposedBy} at ${p.proposedAt}${decided}\n    reason: ${p.reason}`;
}

export const command = defineCommand<ParamProposal | ParamProposal[]>({
  name: "params",
  summary: "Propose, approve, reject and list governed parameter changes (maker-checker)",
  usage: `Usage: beacon params propose (--rule ID | --detector ID) --param NAME --value VALUE --reason TEXT --effective YYYY-MM-DD [--by NAME]
       beacon params approve ID [--note TEXT] [--by NAME]
       beacon params reject ID [--note TEXT] [--by NAME]
       beacon params list [--status pending|approved|rejected] [--rule ID]

A parameter changes only through a proposal that another person approves; the proposer can neither approve nor
reject it. Nothing is edited: the value in force at a date is the default overlaid with the approved changes
effective on or before it, so earlier results can be reproduced (beacon check --as-of). Detector parameters
(--detector multiple_loans --param min_lenders_individual) are governed the same way and apply to later detection runs. Values are written as for
--set: decimals ("0.05", "1/3"), caps ("0.24/0.36", "4xLPR"), true/false, or JSON for objects.
--by names who acts (default: $USER); the CLI trusts it, the API takes the signed-in user.`,
  allowPositionals: true,
  options: {
    rule: { type: "string" },
    detector: { type: "string" },
    param: { type: "string" },
    value: { type: "string" },
    reason: { type: "string" },
    effective: { type: "string" },
    note: { type: "string" },
    by: { type: "string" },
    status: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    const [action, id, ...extra] = positionals;
    if (!action || !["propose", "approve", "reject", "list"].includes(action)) {
      throw new AppError("INVALID_INPUT", "params takes one action: propose, approve ID, reject ID or list");
    }
    if (extra.length > 0) throw new AppError("INVALID_INPUT", `unexpected argument "${extra[0]}"`);
    const by = (values.by as string | undefined) ?? process.env.USER ?? "";
    if ((action === "propose" || action === "approve" || action === "reject") && !by.trim()) {
      throw new AppError("INVALID_INPUT", "--by NAME is needed (no $USER to default to)");
    }
    const actor = { name: by, audit: `cli:${by}` };
    if (action === "list") {
      if (id !== undefined) throw new AppError("INVALID_INPUT", `unexpected argument "${id}"`);
      const status = values.status as string | undefined;
      if (status !== undefined && !["pending", "approved", "rejected"].includes(status)) {
        throw new AppError(
          "INVALID_INPUT",
          `--status must be pending, approved or rejected (got "${status}")`,
        );
      }
      const rule = values.rule as string | undefined;
      if (rule !== undefined && !detectorGovernance.rules.has(rule)) checkRuleFlag(rule);
      return withBeacon(ctx, (beacon) =>
        listParamProposals(beacon.db, {
          ...(status === undefined ? {} : { status: status as "pending" }),
          ...(rule === undefined ? {} : { rule }),
        }),
      );
    }
    if (action === "propose") {
      if (id !== undefined) throw new AppError("INVALID_INPUT", `unexpected argument "${id}"`);
      const detector = values.detector as string | undefined;
      if (detector !== undefined && values.rule !== undefined)
        throw new AppError("INVALID_INPUT", "params propose takes --rule or --detector, not both");
      for (const flag of [
        detector === undefined ? "rule" : "detector",
        "param",
        "value",
        "reason",
        "effective",
      ]) {
        if (typeof values[flag] !== "string")
          throw new AppError("INVALID_INPUT", `params propose needs --${flag}`);
      }
      const rule = detector ?? (values.rule as string);
      const param = values.param as string;
      if (detector === undefined) checkRuleFlag(rule);
      else if (!detectorGovernance.rules.has(detector)) {
        throw new AppError(
          "INVALID_INPUT",
          `--detector: "${detector}" is not a detector (${[...detectorGovernance.rules.keys()].join(", ")})`,
        );
      }
      let value: unknown;
      try {
        value = parseParamAssignments([`${rule}.${param}=${values.value as string}`])[rule]![param];
      } catch (e) {
        if (e instanceof AppError) throw new AppError("INVALID_INPUT", `--value: ${e.message}`);
        throw e;
      }
      const effective = values.effective as string;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(effective)) {
        throw new AppError(
          "INVALID_INPUT",
          `--effective must be a date written YYYY-MM-DD (got "${effective}")`,
        );
      }
      return withBeacon(ctx, (beacon) =>
        proposeParamChange(beacon.db, detector === undefined ? chinaCatalog : detectorGovernance, actor, {
          ruleId: rule,
          param,
          value,
          reason: values.reason as string,
          effectiveFrom: effective,
        }),
      );
    }
    if (!id || !/^[1-9][0-9]{0,15}$/.test(id)) {
      throw new AppError("INVALID_INPUT", `params ${action} needs a proposal id (a positive integer)`);
    }
    return withBeacon(ctx, async (beacon) => {
      // A proposal on a detector's parameter is decided against the detectors' schemas.
      const [row] = await beacon.db.query<{ rule_id: string }>(
        "select rule_id from param_proposals where id = $1",
        [id],
      );
      const catalog: RuleCatalog =
        row && detectorGovernance.rules.has(row.rule_id) ? detectorGovernance : chinaCatalog;
      return decideParamProposal(beacon.db, catalog, actor, Number(id), {
        decision: action === "approve" ? "approve" : "reject",
        note: (values.note as string | undefined) ?? "",
      });
    });
  },
  render(result) {
    const list = Array.isArray(result) ? result : [result];
    if (list.length === 0) return "No parameter proposals.";
    return list.map(renderProposal).join("\n");
  },
});
