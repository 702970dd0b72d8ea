import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import { canonicalJson } from "../audit/canonical.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { catalogRule, paramSpecs, type RuleCatalog } from "../rules/catalog.ts";
import { resolveParams } from "../rules/params.ts";
import { endOfDayUtc, isRealDate } from "./instants.ts";
import { loadParamsInForce } from "./params-in-force.ts";
import {
  type Actor,
  type ParamProposal,
  type ProposalRow,
  proposalOf,
  proposalSelect,
} from "./proposal-row.ts";

export const proposeParamInput = z.strictObject({
  ruleId: z.string().min(1, "name the rule"),
  param: z.string().min(1, "name the parameter"),
  value: z.unknown().refine((v) => v !== undefined, "give the new value"),
  reason: z.string().trim().min(5, "give a reason of at least 5 characters").max(2000),
  effectiveFrom: z.string().refine(isRealDate, "must be a date written YYYY-MM-DD"),
});
export type ProposeParamInput = z.input<typeof proposeParamInput>;

/**
 * Proposes a new value for one rule parameter, effective from a date (today or later: the past is never
 * rewritten). The value must pass the rule's schema together with the other values in force on that date, and
 * differ from the value in force. Nothing changes until another user approves it.
 */
export async function proposeParamChange(
  db: Db,
  catalog: RuleCatalog,
  actor: Actor,
  input: ProposeParamInput,
): Promise<ParamProposal> {
  const parsed = proposeParamInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  const { ruleId, param, value, reason, effectiveFrom } = parsed.data;
  if (!actor.name.trim()) throw new AppError("INVALID_INPUT", "a proposal needs the proposer's name");
  const entry = catalogRule(catalog, ruleId);
  const specs = paramSpecs(entry);
  if (!(param in specs)) {
    throw new AppError(
      "INVALID_INPUT",
      `${ruleId}.${param}: unknown parameter (the rule has ${Object.keys(specs).join(", ") || "no parameters"})`,
    );
  }
  const [today] = await db.query<{ d: string }>("select ((now() at time zone 'UTC')::date)::text as d");
  if (effectiveFrom < today!.d) {
    throw new AppError(
      "INVALID_INPUT",
      `effectiveFrom ${effectiveFrom} is in the past (today is ${today!.d} UTC): parameters are never changed retroactively`,
    );
  }
  // Validated against the values that will be in force on the effective date, as far as decided now.
  const inForce = await loadParamsInForce(db, catalog, endOfDayUtc(effectiveFrom));
  const current = resolveParams(entry.rule, inForce.overrides[ruleId]) as Record<string, unknown>;
  const next = resolveParams(entry.rule, { ...inForce.overrides[ruleId], [param]: value }) as Record<
    string,
    unknown
  >;
  const canonical = next[param];
  if (canonicalJson(canonical) === canonicalJson(current[param])) {
    throw new AppError(
      "INVALID_INPUT",
      `${ruleId}.${param}: ${canonicalJson(canonical)} is already the value in force on ${effectiveFrom}`,
    );
  }
  return db.transaction(async (tx) => {
    const [seq] = await tx.query<{ id: string }>("select nextval('param_proposals_id_seq')::text as id");
    const id = Number(seq!.id);
    const audit = await appendAudit(tx, {
      actor: actor.audit ?? actor.name,
      action: "param.proposed",
      subjectKind: "param_proposal",
      subjectId: id,
      detail: {
        ruleId,
        ruleVersion: entry.rule.version,
        param,
        value: canonical,
        previous: current[param],
        effectiveFrom,
        reason,
      },
    });
    await tx.query(
      `insert into param_proposals (id, rule_id, rule_version, param, value, reason, effective_from, proposed_by, audit_seq)
       values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)`,
      [
        id,
        ruleId,
        entry.rule.version,
        param,
        JSON.stringify(canonical),
        reason,
        effectiveFrom,
        actor.name,
        audit.seq,
      ],
    );
    const [row] = await tx.query<ProposalRow>(`${proposalSelect} where p.id = $1`, [id]);
    return proposalOf(row!);
  });
}
