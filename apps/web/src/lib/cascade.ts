import type { Network } from "@beacon/core/network/network";

export interface CascadeRound {
  /** Stress of each node (loss over capital, capped at 1). */
  stress: Float64Array;
  defaulted: number;
  /** Capital lost across the network so far. */
  loss: number;
}

/**
 * Linear DebtRank, kept round by round for the simulator's animation: each round every lender loses, on each
 * exposure, the borrower's new stress times the amount lent. The platform's contagion engine gives the same
 * end state; this keeps the intermediate rounds a person watches.
 */
export function cascadeRounds(
  net: Network,
  shocked: ReadonlySet<number>,
  shockShare: number,
  maxRounds = 40,
): CascadeRound[] {
  const n = net.size;
  const capital = net.capital;
  const loss = new Float64Array(n);
  const stress = new Float64Array(n);
  const prev = new Float64Array(n);
  for (const i of shocked) {
    loss[i] = Math.max(0, capital[i]!) * shockShare;
    stress[i] = capital[i]! > 0 ? Math.min(1, loss[i]! / capital[i]!) : 1;
  }
  const snapshot = (): CascadeRound => {
    let defaulted = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (stress[i]! >= 1 - 1e-12) defaulted++;
      total += Math.min(loss[i]!, Math.max(0, capital[i]!));
    }
    return { stress: stress.slice(), defaulted, loss: total };
  };
  const rounds = [snapshot()];
  for (let r = 0; r < maxRounds; r++) {
    let moved = false;
    const delta = new Float64Array(n);
    for (let j = 0; j < n; j++) delta[j] = stress[j]! - prev[j]!;
    prev.set(stress);
    for (let i = 0; i < n; i++) {
      let add = 0;
      for (let k = net.assetStart[i]!; k < net.assetStart[i + 1]!; k++) {
        const d = delta[net.assetBorrower[k]!]!;
        if (d > 0) add += net.assetAmount[k]! * d;
      }
      if (add > 0 && stress[i]! < 1) {
        loss[i]! += add;
        const s = capital[i]! > 0 ? Math.min(1, loss[i]! / capital[i]!) : 1;
        if (s - stress[i]! > 1e-9) moved = true;
        stress[i] = s;
      }
    }
    if (!moved) break;
    rounds.push(snapshot());
  }
  return rounds;
}
