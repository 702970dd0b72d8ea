/**
 * Small dense linear algebra on row-major Float64Array matrices: what the contagion engine needs
 * (a linear solve, products, the matrix exponential), written out so core has no numeric dependency.
 */

/** Solves A x = b in place by Gaussian elimination with partial pivoting; null when A is (near) singular. */
export function solveDense(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  let scale = 0;
  for (let k = 0; k < n * n; k++) scale = Math.max(scale, Math.abs(a[k]!));
  if (scale === 0) return n === 0 ? new Float64Array(0) : null;
  const tiny = scale * n * 1e-14;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = Math.abs(a[col * n + col]!);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(a[r * n + col]!);
      if (v > best) {
        best = v;
        pivot = r;
      }
    }
    if (best <= tiny) return null;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const t = a[col * n + c]!;
        a[col * n + c] = a[pivot * n + c]!;
        a[pivot * n + c] = t;
      }
      const t = b[col]!;
      b[col] = b[pivot]!;
      b[pivot] = t;
    }
    const p = a[col * n + col]!;
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col]! / p;
      if (f === 0) continue;
      a[r * n + col] = 0;
      for (let c = col + 1; c < n; c++) a[r * n + c]! -= f * a[col * n + c]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < n; c++) s -= a[r * n + c]! * x[c]!;
    x[r] = s / a[r * n + r]!;
  }
  return x;
}

/** C = A B for n x n row-major matrices. */
export function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      const bRow = k * n;
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j]! += aik * b[bRow + j]!;
    }
  }
  return c;
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

function norm1(a: Float64Array, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]!);
    if (s > best) best = s;
  }
  return best;
}

// Padé [13/13] coefficients and the 1-norm bound up to which no scaling is needed (Higham 2005).
const pade13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const theta13 = 5.371920351148152;

/** Solves P X = Q for an n x n right-hand side: one LU factorisation with partial pivoting, n substitutions. */
function solveMatrix(p: Float64Array, q: Float64Array, n: number): Float64Array {
  const lu = p.slice();
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = Math.abs(lu[col * n + col]!);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(lu[r * n + col]!);
      if (v > best) {
        best = v;
        pivot = r;
      }
    }
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const t = lu[col * n + c]!;
        lu[col * n + c] = lu[pivot * n + c]!;
        lu[pivot * n + c] = t;
      }
      const t = perm[col]!;
      perm[col] = perm[pivot]!;
      perm[pivot] = t;
    }
    const d = lu[col * n + col]!;
    for (let r = col + 1; r < n; r++) {
      const f = lu[r * n + col]! / d;
      lu[r * n + col] = f;
      if (f === 0) continue;
      for (let c = col + 1; c < n; c++) lu[r * n + c]! -= f * lu[col * n + c]!;
    }
  }
  const x = new Float64Array(n * n);
  const y = new Float64Array(n);
  for (let rhs = 0; rhs < n; rhs++) {
    for (let r = 0; r < n; r++) {
      let s = q[perm[r]! * n + rhs]!;
      for (let c = 0; c < r; c++) s -= lu[r * n + c]! * y[c]!;
      y[r] = s;
    }
    for (let r = n - 1; r >= 0; r--) {
      let s = y[r]!;
      for (let c = r + 1; c < n; c++) s -= lu[r * n + c]! * x[c * n + rhs]!;
      x[r * n + rhs] = s / lu[r * n + r]!;
    }
  }
  return x;
}

/**
 * Matrix exponential by scaling and squaring with a [13/13] Padé approximant (Higham 2005), the method
 * R's expm uses by default. `terms` instead truncates the Taylor series after that many terms.
 */
export function expm(a: Float64Array, n: number, terms?: number): Float64Array {
  if (terms !== undefined) {
    const result = identity(n);
    let power = identity(n);
    let factorial = 1;
    for (let k = 1; k <= terms; k++) {
      power = multiply(power, a, n);
      factorial *= k;
      for (let i = 0; i < n * n; i++) result[i]! += power[i]! / factorial;
    }
    return result;
  }
  const norm = norm1(a, n);
  let squarings = 0;
  if (norm > theta13) squarings = Math.max(0, Math.ceil(Math.log2(norm / theta13)));
  const scaled = new Float64Array(n * n);
  const factor = 2 ** -squarings;
  for (let i = 0; i < n * n; i++) scaled[i] = a[i]! * factor;
  const a2 = multiply(scaled, scaled, n);
  const a4 = multiply(a2, a2, n);
  const a6 = multiply(a4, a2, n);
  const b = pade13;
  const id = identity(n);
  // U = A [A6 (b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
  // V =    A6 (b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
  const innerU = new Float64Array(n * n);
  const innerV = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    innerU[i] = b[13]! * a6[i]! + b[11]! * a4[i]! + b[9]! * a2[i]!;
    innerV[i] = b[12]! * a6[i]! + b[10]! * a4[i]! + b[8]! * a2[i]!;
  }
  const u6 = multiply(a6, innerU, n);
  const v6 = multiply(a6, innerV, n);
  const preU = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    preU[i] = u6[i]! + b[7]! * a6[i]! + b[5]! * a4[i]! + b[3]! * a2[i]! + b[1]! * id[i]!;
    v[i] = v6[i]! + b[6]! * a6[i]! + b[4]! * a4[i]! + b[2]! * a2[i]! + b[0]! * id[i]!;
  }
  const u = multiply(scaled, preU, n);
  const p = new Float64Array(n * n);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    p[i] = v[i]! - u[i]!;
    q[i] = v[i]! + u[i]!;
  }
  let r = solveMatrix(p, q, n);
  for (let s = 0; s < squarings; s++) r = multiply(r, r, n);
  return r;
}
