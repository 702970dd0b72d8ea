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
