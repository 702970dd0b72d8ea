import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { catalogRule, type RuleCatalog } from "../rules/catalog.ts";
import { resolveParams } from "../rules/params.ts";
import { endOfDayUtc } from "./instants.ts";
import { loadParamsInForce } from "./params-in-force.ts";
import {
  type Actor,
  type ParamProposal,
  type ProposalRow,
  proposalOf,
  proposalSelect,
} from "./proposal-row.ts";

export const decideParamInput = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  note: z.string().trim().max(2000).default(""),
});
export type DecideParamInput = z.input<typeof decideParamInput>;

/**
 * Approves or rejects a pending proposal (maker-checker: never by its proposer). An approval is checked again
 * against the values in force on the effective date, since other changes may have been approved meanwhile. A
 * change approved after its effective date takes effect from the approval. Each decision is audited.
 */
export async function decideParamProposal(
  db: Db,
  catalog: RuleCatalog,
  actor: Actor,
  proposalId: number,
  input: DecideParamInput,
): Promise<ParamProposal> {
  const parsed = decideParamInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  const { decision, note } = parsed.data;
  if (!actor.name.trim()) throw new AppError("INVALID_INPUT", "a decision needs the decider's name");
  const [row] = await db.query<ProposalRow>(`${proposalSelect} where p.id = $1`, [proposalId]);
  if (!row) throw new AppError("NOT_FOUND", `no parameter proposal ${proposalId}`);
  const proposal = proposalOf(row);
  if (proposal.status !== "pending") {
    throw new AppError(
      "CONFLICT",
      `proposal ${proposalId} was already ${proposal.status} by ${proposal.decidedBy} at ${proposal.decidedAt}`,
    );
  }
  if (proposal.proposedBy === actor.name) {
    throw new AppError(
      "FORBIDDEN",
      `${actor.name} proposed change ${proposalId} and cannot ${decision} it: another user must (maker-checker)`,
    );
  }
  if (decision === "approve") {
    const entry = catalogRule(catalog, proposal.ruleId);
    if (entry.rule.version !== proposal.ruleVersion) {
      throw new AppError(
        "CONFLICT",
        `${proposal.ruleId} is now version ${entry.rule.version}; proposal ${proposalId} was made for version ${proposal.ruleVersion}: reject it and propose again`,
      );
    }
    const inForce = await loadParamsInForce(db, catalog, endOfDayUtc(proposal.effectiveFrom));
    resolveParams(entry.rule, { ...inForce.overrides[proposal.ruleId], [proposal.param]: proposal.value });
  }
  return db.transaction(async (tx) => {
    const audit = await appendAudit(tx, {
      actor: actor.audit ?? actor.name,
      action: decision === "approve" ? "param.approved" : "param.rejected",
      subjectKind: "param_proposal",
      subjectId: proposalId,
      detail: {
        ruleId: proposal.ruleId,
        param: proposal.param,
        value: proposal.value,
        effectiveFrom: proposal.effectiveFrom,
        note,
      },
    });
    // The primary key makes a concurrent second decision fail here rather than overwrite the first.
    const inserted = await tx.query(
      `insert into param_decisions (proposal_id, decision, decided_by, note, audit_seq) values ($1, $2, $3, $4, $5)
       on conflict (proposal_id) do nothing returning 1`,
      [proposalId, decision === "approve" ? "approved" : "rejected", actor.name, note, audit.seq],
    );
    if (inserted.length === 0) throw new AppError("CONFLICT", `proposal ${proposalId} was decided meanwhile`);
    const [after] = await tx.query<ProposalRow>(`${proposalSelect} where p.id = $1`, [proposalId]);
    return proposalOf(after!);
  });
}
