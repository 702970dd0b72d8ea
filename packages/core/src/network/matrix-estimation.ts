import { AppError } from "../errors.ts";
import type { ExposureInput } from "./network.ts";

/**
 * Bilateral exposures estimated from each institution's totals. Row i holds what i lent to each j
 * (row sums: total interbank assets), column j what j borrowed (column sums: total interbank liabilities).
 * The diagonal is always zero: nobody lends to itself.
 */
export interface EstimatedMatrix {
  size: number;
  /** Row-major n x n values. */
  values: Float64Array;
  iterations: number;
  /** Sum of absolute row and column deviations from the targets. */
  error: number;
  converged: boolean;
  /** Positive entries. */
  links: number;
}

export interface MaxEntropyOptions {
  /** Stop when the summed absolute deviation is below this; default 1e-11 x the total. NetworkRiskMeasures uses 1e-3. */
  tolerance?: number;
  /** Default 10000. */
  maxIterations?: number;
}

function checkMargins(rowSums: readonly number[], colSums: readonly number[]): number {
  if (rowSums.length !== colSums.length) {
    throw new AppError(
      "INVALID_INPUT",
      `row sums (${rowSums.length}) and column sums (${colSums.length}) must cover the same institutions`,
    );
  }
  let rows = 0;
  let cols = 0;
  rowSums.forEach((x, i) => {
    if (!Number.isFinite(x) || x < 0)
      throw new AppError("INVALID_INPUT", `row sum ${i + 1} must be a non-negative number (got ${x})`);
    rows += x;
  });
  colSums.forEach((x, i) => {
    if (!Number.isFinite(x) || x < 0)
      throw new AppError("INVALID_INPUT", `column sum ${i + 1} must be a non-negative number (got ${x})`);
    cols += x;
  });
  const total = Math.max(rows, cols);
  if (Math.abs(rows - cols) > 1e-9 * Math.max(1, total)) {
    throw new AppError(
      "INVALID_INPUT",
      `total lending (${rows}) and total borrowing (${cols}) must be equal`,
    );
  }
  // With a zero diagonal, i's lending can only go to others' borrowing and vice versa.
  for (let i = 0; i < rowSums.length; i++) {
    if (rowSums[i]! + colSums[i]! > total * (1 + 1e-12)) {
      throw new AppError(
        "INVALID_INPUT",
        `institution ${i + 1}: lending ${rowSums[i]} plus borrowing ${colSums[i]} exceeds the system total ${total}, which needs a self-exposure`,
      );
    }
  }
  return total;
}

function deviation(
  m: Float64Array,
  n: number,
  rowSums: readonly number[],
  colSums: readonly number[],
): number {
  let error = 0;
  const colTotals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) {
      row += m[i * n + j]!;
      colTotals[j]! += m[i * n + j]!;
    }
    error += Math.abs(rowSums[i]! - row);
  }
  for (let j = 0; j < n; j++) error += Math.abs(colSums[j]! - colTotals[j]!);
  return error;
}

function countLinks(m: Float64Array): number {
  let links = 0;
  for (const x of m) if (x > 0) links++;
  return links;
}

/**
 * Maximum-entropy estimate (Upper and Worm 2004) by RAS / iterative proportional fitting: start from ones off
 * the diagonal and alternately scale rows and columns to their targets, as NetworkRiskMeasures' max_ent does
 * (same start, same order, same stopping rule), so a loose tolerance reproduces its answers.
 */
export function estimateMaxEntropy(
  rowSums: readonly number[],
  colSums: readonly number[],
  options: MaxEntropyOptions = {},
): EstimatedMatrix {
  const total = checkMargins(rowSums, colSums);
  const n = rowSums.length;
  const tolerance = options.tolerance ?? 1e-11 * Math.max(1, total);
  const maxIterations = options.maxIterations ?? 10_000;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) m[i * n + j] = 1;
  const colTotals = new Float64Array(n);
  let error = Number.POSITIVE_INFINITY;
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += m[i * n + j]!;
      const scale = row > 0 ? rowSums[i]! / row : 0;
      for (let j = 0; j < n; j++) m[i * n + j]! *= scale;
    }
    colTotals.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) colTotals[j]! += m[i * n + j]!;
    for (let j = 0; j < n; j++) {
      const scale = colTotals[j]! > 0 ? colSums[j]! / colTotals[j]! : 0;
      for (let i = 0; i < n; i++) m[i * n + j]! *= scale;
    }
    error = deviation(m, n, rowSums, colSums);
    if (error < tolerance) break;
  }
  return { size: n, values: m, iterations, error, converged: error < tolerance, links: countLinks(m) };
}

/**
 * Low-density estimate in the spirit of Anand, Craig and von Peter (2015): place each link between the
 * largest outstanding lender and the largest outstanding borrower (other than itself) for the smaller of
 * the two amounts, so every link closes a row or a column. Deterministic, at most (lenders + borrowers - 1)
 * links plus two per repair; the exact minimum is NP-hard and Anand's own algorithm is stochastic. When only
 * one institution's own lending and borrowing remain, an existing link k->m is split through it (k->i->m),
 * which keeps every total and the zero diagonal.
 */
export function estimateMinDensity(rowSums: readonly number[], colSums: readonly number[]): EstimatedMatrix {
  const total = checkMargins(rowSums, colSums);
  const n = rowSums.length;
  const eps = 1e-12 * Math.max(1, total);
  const row = Float64Array.from(rowSums);
  const col = Float64Array.from(colSums);
  const m = new Float64Array(n * n);
  const argmax = (v: Float64Array, skip: number): number => {
    let best = -1;
    for (let k = 0; k < n; k++) if (k !== skip && v[k]! > eps && (best < 0 || v[k]! > v[best]!)) best = k;
    return best;
  };
  let iterations = 0;
  for (;;) {
    const i = argmax(row, -1);
    const j = argmax(col, -1);
    if (i < 0 || j < 0) break;
    iterations++;
    let lender = i;
    let borrower = j;
    if (i === j) {
      // Pair the top lender with the best other borrower, or the top borrower with the best other lender.
      const otherCol = argmax(col, i);
      const otherRow = argmax(row, j);
      const viaCol = otherCol < 0 ? 0 : Math.min(row[i]!, col[otherCol]!);
      const viaRow = otherRow < 0 ? 0 : Math.min(row[otherRow]!, col[j]!);
      if (viaCol === 0 && viaRow === 0) {
        repair(i);
        continue;
      }
      if (viaCol >= viaRow) borrower = otherCol;
      else lender = otherRow;
    }
    const x = Math.min(row[lender]!, col[borrower]!);
    m[lender * n + borrower]! += x;
    row[lender]! -= x;
    col[borrower]! -= x;
  }

  function repair(i: number): void {
    let d = Math.min(row[i]!, col[i]!);
    for (let k = 0; k < n && d > eps; k++) {
      if (k === i) continue;
      for (let t = 0; t < n && d > eps; t++) {
        if (t === i || t === k) continue;
        const x = m[k * n + t]!;
        if (x <= 0) continue;
        const move = Math.min(d, x);
        m[k * n + t] = x - move;
        m[k * n + i]! += move;
        m[i * n + t]! += move;
        d -= move;
        row[i]! -= move;
        col[i]! -= move;
      }
    }
    if (d > eps) {
      throw new AppError(
        "INVALID_INPUT",
        `institution ${i + 1}: its lending and borrowing can only be matched with itself`,
      );
    }
  }

  const error = deviation(m, n, rowSums, colSums);
  return {
    size: n,
    values: m,
    iterations,
    error,
    converged: error <= 1e-9 * Math.max(1, total),
    links: countLinks(m),
  };
}

/** Turns an estimated matrix into exposures (rows are lenders), dropping entries at or below `minimum`. */
export function matrixToExposures(
  ids: readonly string[],
  matrix: EstimatedMatrix,
  minimum = 0,
): ExposureInput[] {
  const n = matrix.size;
  if (ids.length !== n)
    throw new AppError("INVALID_INPUT", `matrix has ${n} rows but ${ids.length} ids were given`);
  const out: ExposureInput[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const amount = matrix.values[i * n + j]!;
      if (amount > minimum) out.push({ lender: ids[i]!, borrower: ids[j]!, amount });
    }
  }
  return out;
}

export type EstimationMethod = "max-entropy" | "min-density";

/** What the estimation of missing bilateral amounts did, so that estimated links are never taken for reported ones. */
export interface MissingEstimate {
  method: EstimationMethod;
  /** Lenders whose rows were estimated: their total is known, their bilateral report is missing. */
  lenders: string[];
  /** The estimated exposures (borrower owes lender). */
  links: ExposureInput[];
  /** Money the lenders' totals say was lent and that could not be placed (no borrower with room left). */
  unallocated: number;
  iterations: number;
  converged: boolean;
}

/**
 * Estimates the rows of lenders that report an interbank-assets total but no bilateral amounts. Each such row
 * must add up to its total; the borrowers' residual liabilities (reported total less what reporting lenders
 * already show) say how the money spreads, scaled to the amount to place, since a liabilities total also covers
 * creditors outside the network. Nobody lends to itself. Max entropy (RAS) spreads each row as evenly as the
 * margins allow; min density places the fewest links (see `estimateMinDensity`).
 */
export function estimateMissingRows(
  ids: readonly string[],
  rowTargets: ReadonlyMap<string, number>,
  residualLiabilities: ReadonlyMap<string, number>,
  method: EstimationMethod = "max-entropy",
  options: MaxEntropyOptions = {},
): MissingEstimate {
  const empty = (unallocated: number): MissingEstimate => ({
    method,
    lenders: [...rowTargets.keys()].filter((id) => rowTargets.get(id)! > 0).sort(),
    links: [],
    unallocated,
    iterations: 0,
    converged: true,
  });
  const rowsWanted = [...rowTargets].filter(([, x]) => x > 0);
  const toPlace = rowsWanted.reduce((a, [, x]) => a + x, 0);
  if (toPlace <= 0) return empty(0);
  // The institutions in play: estimated lenders, and borrowers with residual liabilities, in the network's order.
  const inPlay = ids.filter((id) => (rowTargets.get(id) ?? 0) > 0 || (residualLiabilities.get(id) ?? 0) > 0);
  const k = inPlay.length;
  const rows = inPlay.map((id) => rowTargets.get(id) ?? 0);
  const weights = inPlay.map((id) => Math.max(0, residualLiabilities.get(id) ?? 0));
  // A lender's own residual liabilities cannot absorb its own lending: borrowers other than the lender must
  // have room. Cap each column at (total - its own row) and spread the rest over the others, a few passes.
  let total = toPlace;
  const cols = new Array<number>(k).fill(0);
  const capped = new Array<boolean>(k).fill(false);
  for (let pass = 0; pass < k + 1; pass++) {
    let free = total;
    let weightFree = 0;
    for (let j = 0; j < k; j++) {
      if (capped[j]) free -= cols[j]!;
      else weightFree += weights[j]!;
    }
    let changed = false;
    for (let j = 0; j < k; j++) {
      if (capped[j]) continue;
      cols[j] = weightFree > 0 ? (free * weights[j]!) / weightFree : 0;
      const room = total - rows[j]!;
      if (cols[j]! > room) {
        cols[j] = Math.max(0, room);
        capped[j] = true;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const placed = cols.reduce((a, b) => a + b, 0);
  if (placed < total * (1 - 1e-12)) {
    // Not enough borrowers: place what fits, shrinking the rows alike, and report the rest.
    const scale = placed / total;
    for (let i = 0; i < k; i++) rows[i] = rows[i]! * scale;
    total = placed;
  }
  if (total <= 0) return empty(toPlace);
  const m =
    method === "min-density" ? estimateMinDensity(rows, cols) : estimateMaxEntropy(rows, cols, options);
  const links = matrixToExposures(inPlay, m, 1e-12 * total);
  return {
    method,
    lenders: rowsWanted.map(([id]) => id).sort(),
    links,
    unallocated: toPlace - total,
    iterations: m.iterations,
    converged: m.converged,
  };
}
