import type { Sql } from "../db/client.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import { describeRule, type RuleView } from "./describe-rule.ts";
import { listParamProposals } from "./list-param-proposals.ts";
import { loadParamsInForce, resolveInstant } from "./params-in-force.ts";

/** Every rule of the catalog with its parameters in force at `asOf` (default now) and pending proposals. */
export async function listRules(
  db: Sql,
  catalog: RuleCatalog,
  options: { asOf?: string } = {},
): Promise<{ pack: string; packVersion: string; asOf: string; rules: RuleView[] }> {
  const at = await resolveInstant(db, options.asOf);
  const inForce = await loadParamsInForce(db, catalog, at);
  const pending = await listParamProposals(db, { status: "pending" });
  const rules = [...catalog.rules.values()].map((entry) =>
    describeRule(
      entry,
      inForce,
      pending.filter((p) => p.ruleId === entry.rule.id),
    ),
  );
  return { pack: catalog.name, packVersion: catalog.version, asOf: at, rules };
}
