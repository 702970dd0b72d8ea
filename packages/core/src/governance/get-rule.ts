import type { Sql } from "../db/client.ts";
import { catalogRule, type RuleCatalog } from "../rules/catalog.ts";
import { describeRule, type RuleView } from "./describe-rule.ts";
import { listParamProposals } from "./list-param-proposals.ts";
import { loadParamsInForce, resolveInstant } from "./params-in-force.ts";
import type { ParamProposal } from "./proposal-row.ts";

/** One rule with its parameters in force at `asOf` (default now) and the whole history of its proposals. */
export async function getRule(
  db: Sql,
  catalog: RuleCatalog,
  id: string,
  options: { asOf?: string } = {},
): Promise<RuleView & { asOf: string; history: ParamProposal[] }> {
  const entry = catalogRule(catalog, id);
  const at = await resolveInstant(db, options.asOf);
  const inForce = await loadParamsInForce(db, catalog, at);
  const history = await listParamProposals(db, { rule: id });
  const view = describeRule(
    entry,
    inForce,
    history.filter((p) => p.status === "pending"),
  );
  return { ...view, asOf: at, history };
}
