/**
 * L2-regularised logistic regression by iteratively reweighted least squares (Newton's method): deterministic,
 * no learning rate, converges in a handful of steps. It minimises
 *   (1/n) Σ [log(1 + e^{η_i}) − y_i η_i] + (λ/2) Σ_j w_j²,   η = b + X w,
 * with the intercept b unpenalised; features should be standardised so that λ treats them alike.
 */

export interface LogisticModel {
  intercept: number;
  weights: Float64Array;
  iterations: number;
  converged: boolean;
  /** The objective at the solution. */
  loss: number;
}

export interface LogisticOptions {
  lambda: number;
  maxIterations?: number;
  tolerance?: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z)));

function objective(
  x: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  b: number,
  w: Float64Array,
  lambda: number,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let eta = b;
    const row = i * p;
    for (let j = 0; j < p; j++) eta += x[row + j]! * w[j]!;
    s += softplus(eta) - y[i]! * eta;
  }
  let r = 0;
  for (let j = 0; j < p; j++) r += w[j]! * w[j]!;
  return s / n + (lambda / 2) * r;
}

/** Solves A z = g in place for a symmetric positive-definite A (size m, row-major) by Cholesky. */
function choleskySolve(a: Float64Array, g: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j]!;
      for (let k = 0; k < j; k++) s -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) l[i * m + i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i * m + j] = s / l[j * m + j]!;
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= l[i * m + k]! * z[k]!;
    z[i] = s / l[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < m; k++) s -= l[k * m + i]! * z[k]!;
    z[i] = s / l[i * m + i]!;
  }
  return z;
}

/** Fits the model to n rows of p features (row-major `x`) and 0/1 labels `y`. */
export function fitLogistic(
  x: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  options: LogisticOptions,
): LogisticModel {
  const { lambda } = options;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-9;
  const m = p + 1; // intercept last
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  // Start from the base rate: the intercept alone, clamped away from 0 and 1.
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, n)));
  let b = Math.log(rate / (1 - rate));
  let w = new Float64Array(p);
  let loss = objective(x, y, n, p, b, w, lambda);
  let converged = false;
  let iterations = 0;
  const h = new Float64Array(m * m);
  const g = new Float64Array(m);
  for (; iterations < maxIterations; iterations++) {
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * p;
      let eta = b;
      for (let j = 0; j < p; j++) eta += x[row + j]! * w[j]!;
      const mu = sigmoid(eta);
      const r = mu - y[i]!;
      const v = Math.max(mu * (1 - mu), 1e-10);
      for (let j = 0; j < p; j++) {
        const xj = x[row + j]!;
        if (xj === 0) continue;
        g[j]! += r * xj;
        const vx = v * xj;
        for (let k = 0; k <= j; k++) h[j * m + k]! += vx * x[row + k]!;
        // The intercept's row (last) holds its cross terms, in the lower triangle like the rest.
        h[p * m + j]! += vx;
      }
      g[p]! += r;
      h[p * m + p]! += v;
    }
    for (let j = 0; j < m; j++) {
      g[j]! /= n;
      for (let k = 0; k <= j; k++) h[j * m + k]! /= n;
    }
    for (let j = 0; j < p; j++) {
      g[j]! += lambda * w[j]!;
      h[j * m + j]! += lambda;
    }
    // The loop filled the lower triangle; mirror it.
    for (let j = 0; j < m; j++) for (let k = j + 1; k < m; k++) h[j * m + k] = h[k * m + j]!;
    const step = choleskySolve(h, g, m);
    // Newton step with halving until the objective does not rise (it rarely needs to).
    let t = 1;
    let next = w;
    let nextB = b;
    let nextLoss = loss;
    for (let halvings = 0; halvings < 30; halvings++) {
      next = new Float64Array(p);
      for (let j = 0; j < p; j++) next[j] = w[j]! - t * step[j]!;
      nextB = b - t * step[p]!;
      nextLoss = objective(x, y, n, p, nextB, next, lambda);
      if (nextLoss <= loss + 1e-15) break;
      t /= 2;
    }
    let change = Math.abs(nextB - b);
    for (let j = 0; j < p; j++) change = Math.max(change, Math.abs(next[j]! - w[j]!));
    w = next;
    b = nextB;
    const improvement = loss - nextLoss;
    loss = nextLoss;
    if (change < tolerance || improvement < tolerance * 1e-3) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { intercept: b, weights: w, iterations, converged, loss };
}

/** The model's probability for one row of standardised features. */
export function predictLogistic(model: LogisticModel, x: Float64Array, row: number, p: number): number {
  let eta = model.intercept;
  for (let j = 0; j < p; j++) eta += x[row * p + j]! * model.weights[j]!;
  return sigmoid(eta);
}
