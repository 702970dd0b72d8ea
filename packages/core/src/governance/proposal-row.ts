import type { Principal } from "../identity/roles.ts";

/** A parameter proposal with its decision, as every governance use case returns it. */
export interface ParamProposal {
  id: number;
  ruleId: string;
  ruleVersion: number;
  param: string;
  value: unknown;
  reason: string;
  effectiveFrom: string;
  proposedBy: string;
  proposedAt: string;
  status: "pending" | "approved" | "rejected";
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

/** The select list and joins that `proposalOf` maps. */
export const proposalSelect = `select p.id::text as id, p.rule_id, p.rule_version, p.param, p.value, p.reason,
    p.effective_from::text as effective_from, p.proposed_by, to_json(p.proposed_at) #>> '{}' as proposed_at,
    d.decision, d.decided_by, to_json(d.decided_at) #>> '{}' as decided_at, d.note
  from param_proposals p left join param_decisions d on d.proposal_id = p.id`;

export interface ProposalRow {
  id: string;
  rule_id: string;
  rule_version: number;
  param: string;
  value: unknown;
  reason: string;
  effective_from: string;
  proposed_by: string;
  proposed_at: string;
  decision: "approved" | "rejected" | null;
  decided_by: string | null;
  decided_at: string | null;
  note: string | null;
}

export function proposalOf(r: ProposalRow): ParamProposal {
  return {
    id: Number(r.id),
    ruleId: r.rule_id,
    ruleVersion: Number(r.rule_version),
    param: r.param,
    value: r.value,
    reason: r.reason,
    effectiveFrom: r.effective_from,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at,
    status: r.decision ?? "pending",
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    note: r.decision ? r.note : null,
  };
}

/** Who acts: the name maker-checker compares (a username), and what the audit log records. */
export interface Actor {
  name: string;
  /** Written to the audit log; defaults to the name. */
  audit?: Principal | string;
}
