import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type ParamProposal, type ProposalRow, proposalOf, proposalSelect } from "./proposal-row.ts";

export const listProposalsQuery = z.strictObject({
  status: z.enum(["pending", "approved", "rejected"]).optional(),
  rule: z.string().min(1).optional(),
});
export type ListProposalsQuery = z.input<typeof listProposalsQuery>;

/** Parameter proposals with their decisions, newest first, optionally by status and rule. */
export async function listParamProposals(db: Sql, query: ListProposalsQuery = {}): Promise<ParamProposal[]> {
  const parsed = listProposalsQuery.safeParse(query);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  const { status, rule } = parsed.data;
  const where: string[] = [];
  const params: unknown[] = [];
  if (rule) {
    params.push(rule);
    where.push(`p.rule_id = $${params.length}`);
  }
  if (status === "pending") where.push("d.proposal_id is null");
  else if (status) {
    params.push(status);
    where.push(`d.decision = $${params.length}`);
  }
  const rows = await db.query<ProposalRow>(
    `${proposalSelect} ${where.length ? `where ${where.join(" and ")}` : ""} order by p.id desc`,
    params,
  );
  return rows.map(proposalOf);
}
