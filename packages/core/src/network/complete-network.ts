import { AppError } from "../errors.ts";
import { type EstimationMethod, estimateMissingRows, type MissingEstimate } from "./matrix-estimation.ts";
import type { NetworkInput } from "./network.ts";

/**
 * Fills in the rows of lenders that give an interbank-assets total but no bilateral exposures (an uploaded or CSV
 * network), from the borrowers' interbank-liabilities totals less what the given exposures already show.
 * Returns the network with the estimated links added, and the estimate (null when nothing was missing).
 */
export function completeNetwork(
  input: NetworkInput,
  method: EstimationMethod | "none" = "max-entropy",
): { input: NetworkInput; estimated: MissingEstimate | null } {
  const withTotals = input.nodes.some(
    (n) => n.interbankAssetsTotal !== undefined || n.interbankLiabilitiesTotal !== undefined,
  );
  if (!withTotals || method === "none") return { input, estimated: null };
  const lenders = new Set<string>();
  const shown = new Map<string, number>();
  for (const e of input.exposures) {
    lenders.add(e.lender.trim());
    shown.set(e.borrower.trim(), (shown.get(e.borrower.trim()) ?? 0) + e.amount);
  }
  const rows = new Map<string, number>();
  const residual = new Map<string, number>();
  for (const n of input.nodes) {
    const id = n.id.trim();
    if (n.interbankAssetsTotal !== undefined && n.interbankAssetsTotal > 0 && !lenders.has(id))
      rows.set(id, n.interbankAssetsTotal);
    if (n.interbankLiabilitiesTotal !== undefined)
      residual.set(id, Math.max(0, n.interbankLiabilitiesTotal - (shown.get(id) ?? 0)));
  }
  if (rows.size === 0) return { input, estimated: null };
  if ([...residual.values()].every((x) => x <= 0)) {
    throw new AppError(
      "INVALID_INPUT",
      `${rows.size} institution(s) give an interbank_assets total without exposures, but no institution has interbank_liabilities left to borrow it`,
    );
  }
  const estimated = estimateMissingRows(
    input.nodes.map((n) => n.id.trim()),
    rows,
    residual,
    method,
  );
  return { input: { nodes: input.nodes, exposures: [...input.exposures, ...estimated.links] }, estimated };
}
