/** Ranking measures of a backtest: ROC-AUC and precision at k. */

/**
 * The area under the ROC curve: the probability that a random positive scores above a random negative, ties
 * counting one half (the Mann-Whitney statistic from mid-ranks). NaN when either class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface PrecisionAtK {
  k: number;
  /** Mean over the groups (months) that have at least one positive. */
  precision: number;
  /** Mean share of each group's positives found in its top k. */
  recall: number;
  groups: number;
}

/**
 * Precision and recall at k per group (a supervisor's monthly list of the k highest scores), averaged over the
 * groups with at least one positive. Ties at the cut are broken by the order given (stable), never by label.
 */
export function precisionAtK(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups: ArrayLike<number>,
  k: number,
): PrecisionAtK {
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < scores.length; i++) {
    const g = groups[i]!;
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  }
  let precision = 0;
  let recall = 0;
  let counted = 0;
  for (const rows of byGroup.values()) {
    const positives = rows.reduce((a, i) => a + (labels[i] ? 1 : 0), 0);
    if (positives === 0) continue;
    const top = [...rows].sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, k);
    const hits = top.reduce((a, i) => a + (labels[i] ? 1 : 0), 0);
    precision += hits / Math.min(k, rows.length);
    recall += hits / positives;
    counted++;
  }
  return {
    k,
    precision: counted ? precision / counted : Number.NaN,
    recall: counted ? recall / counted : Number.NaN,
    groups: counted,
  };
}
