import { type RuleTestResult, testRule } from "@beacon/core/checks/test-rule";
import { AppError } from "@beacon/core/errors";
import type { RuleView } from "@beacon/core/governance/describe-rule";
import { diffParams, type ParamDifference } from "@beacon/core/governance/diff-params";
import { getRule } from "@beacon/core/governance/get-rule";
import { listRules } from "@beacon/core/governance/list-rules";
import { assertAsOf } from "@beacon/core/governance/params-in-force";
import type { ParamProposal } from "@beacon/core/governance/proposal-row";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";
import { checkRuleFlag, parseSetFlags } from "../rule-flags.ts";

type Listed = { pack: string; packVersion: string; asOf: string; rules: RuleView[] };
type Shown = RuleView & { asOf: string; history: ParamProposal[] };
type Diffed = { from: string; to: string; differences: ParamDifference[] };
/** What each action returns (printed as is with --json). */
type Result = Listed | Shown | RuleTestResult | Diffed;

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function renderRule(r: Shown): string {
  const out = [
    `${r.id} v${r.version} (${r.level}, ${r.family}, ${r.severity}, lead unit ${r.leadUnit})`,
    `  ${r.en} / ${r.zh}`,
    `  applies to: ${r.applicability.text.en}${r.applicability.datasets ? ` (records of ${r.applicability.datasets.join(", ")})` : ""}`,
    `  in force: from ${r.effective.from}${r.effective.to ? ` to ${r.effective.to}` : ""}`,
    "  legal basis:",
    ...r.legalBasis.map((b) => `    [${b.status}] ${b.citation.en} / ${b.citation.zh}`),
    `  parameters (as of ${r.asOf}):`,
  ];
  for (const p of r.params) {
    const governed = p.governed
      ? ` (proposal ${p.governed.proposalId}, effective ${p.governed.effectiveFrom}, approved by ${p.governed.approvedBy})`
      : " (default)";
    out.push(
      `    ${p.name} = ${show(p.value)} [${p.status}]${governed}; default ${show(p.default)} [${p.defaultStatus}]`,
    );
    out.push(`      ${p.en} / ${p.zh}${p.note ? `; ${p.note}` : ""}`);
    for (const q of p.pending)
      out.push(
        `      pending #${q.id}: ${show(q.value)} from ${q.effectiveFrom}, proposed by ${q.proposedBy}`,
      );
  }
  if (r.notes.length) out.push("  notes:", ...r.notes.map((n) => `    - ${n}`));
  if (r.history.length) {
    out.push("  proposals:");
    for (const h of r.history) {
      out.push(
        `    #${h.id} ${h.param} = ${show(h.value)} from ${h.effectiveFrom}: ${h.status} (proposed by ${h.proposedBy}${h.decidedBy ? `, ${h.status} by ${h.decidedBy}` : ""}) — ${h.reason}`,
      );
    }
  }
  return out.join("\n");
}

function renderList(list: Listed): string {
  const lines = [`${list.rules.length} rules in ${list.packVersion}, parameters as of ${list.asOf}`];
  for (const rule of list.rules) {
    const toConfirm = rule.params.filter((p) => p.status === "to_confirm").length;
    const flags = [
      toConfirm ? `${toConfirm} to confirm` : "",
      rule.pendingProposals ? `${rule.pendingProposals} pending` : "",
    ].filter(Boolean);
    lines.push(
      `${rule.id.padEnd(44)} v${rule.version} ${rule.level.padEnd(6)} ${rule.en}${flags.length ? `  [${flags.join(", ")}]` : ""}`,
    );
    const values = rule.params.map(
      (p) => `${p.name}=${show(p.value)}${p.status === "to_confirm" ? "?" : ""}`,
    );
    if (values.length) lines.push(`    ${values.join("  ")}`);
  }
  return lines.join("\n");
}

function renderTest(t: RuleTestResult): string {
  const lines = [
    `${t.ruleId} v${t.version} on ${t.period} (as of ${t.asOf}): ${Object.entries(t.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `parameters: ${Object.entries(t.params)
      .map(([k, v]) => `${k}=${show(v)}`)
      .join("  ")}`,
  ];
  for (const b of t.breaches) lines.push(`  ${b.line.padEnd(10)} ${b.institution}: ${b.explanation.en}`);
  for (const n of t.notComputable)
    lines.push(`  not computable ${n.institution}: missing ${n.missing.join(", ")}`);
  return lines.join("\n");
}

function renderDiff(r: Diffed): string {
  if (r.differences.length === 0) return `No parameter differs between ${r.from} and ${r.to}.`;
  return [
    `${r.differences.length} parameter(s) differ between ${r.from} and ${r.to}:`,
    ...r.differences.map(
      (d) =>
        `  ${d.ruleId}.${d.param}: ${show(d.from)}${d.fromProposal ? ` (#${d.fromProposal})` : " (default)"} -> ${show(d.to)}${d.toProposal ? ` (#${d.toProposal})` : " (default)"}`,
    ),
  ].join("\n");
}

function render(r: Result): string {
  if ("rules" in r) return renderList(r);
  if ("history" in r) return renderRule(r);
  if ("counts" in r) return renderTest(r);
  return renderDiff(r);
}

export const command = defineCommand<Result>({
  name: "rules",
  summary: "List, show, try and compare the governed rules",
  usage: `Usage: beacon rules list [--as-of DATE] [--json]
       beacon rules show ID [--as-of DATE] [--json]
       beacon rules test ID [--period P] [--set RULE.PARAM=VALUE ...] [--json]
       beacon rules diff --from DATE --to DATE [--json]

list   every rule: id, version, titles, applicability, legal basis, parameters with the values in force and their
       status (confirmed, or to_confirm: a default from a weak source), pending proposals
show   one rule with the history of its parameter proposals
test   evaluates the one rule on stored data of a period (default: the latest holding what it reads) and counts
       the outcomes, under the governed values or --set what-if values; nothing is stored. The rules' table-driven
       tests (explanations included) run with \`npm test\`.
diff   parameter values that differ between the sets in force at the end of two dates (UTC)`,
  allowPositionals: true,
  options: {
    "as-of": { type: "string" },
    period: { type: "string" },
    set: { type: "string", multiple: true },
    from: { type: "string" },
    to: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    const [action, id, ...extra] = positionals;
    if (!action || !["list", "show", "test", "diff"].includes(action)) {
      throw new AppError(
        "INVALID_INPUT",
        "rules takes one action: list, show ID, test ID or diff --from DATE --to DATE",
      );
    }
    const needsId = action === "show" || action === "test";
    if (needsId && !id) throw new AppError("INVALID_INPUT", `rules ${action} needs a rule id`);
    if ((needsId && extra.length > 0) || (!needsId && id !== undefined)) {
      throw new AppError("INVALID_INPUT", `unexpected argument "${needsId ? extra[0] : id}"`);
    }
    const asOf = values["as-of"] as string | undefined;
    if (asOf !== undefined) assertAsOf(asOf, "--as-of");
    if (needsId) checkRuleFlag(id!, "rule id");
    const sets = (values.set as string[] | undefined) ?? [];
    const overrides = sets.length > 0 ? parseSetFlags(sets) : undefined;
    if (action === "diff") {
      for (const flag of ["from", "to"]) {
        if (typeof values[flag] !== "string")
          throw new AppError("INVALID_INPUT", `rules diff needs --${flag} DATE`);
      }
    }
    return withBeacon(ctx, async (beacon): Promise<Result> => {
      const db = beacon.db;
      const opts = asOf === undefined ? {} : { asOf };
      switch (action) {
        case "list":
          return listRules(db, chinaCatalog, opts);
        case "show":
          return getRule(db, chinaCatalog, id!, opts);
        case "test": {
          const period = values.period as string | undefined;
          return testRule({ db, dataDir: beacon.config.dataDir }, chinaCatalog, {
            ruleId: id!,
            ...(period === undefined ? {} : { period }),
            ...opts,
            ...(overrides ? { overrides } : {}),
          });
        }
        default: {
          const from = values.from as string;
          const to = values.to as string;
          return { from, to, differences: await diffParams(db, chinaCatalog, { from, to }) };
        }
      }
    });
  },
  render,
});
