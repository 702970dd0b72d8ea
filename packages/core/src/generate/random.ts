/**
 * Seeded pseudo-random numbers for the generator. Every stream is derived from (seed, stream label, entity
 * numbers), so any part of the output can be produced on its own, in any order or worker, and come out the
 * same. The generator is sfc32 (32-bit state words, Math.imul only): fast in V8 and without BigInt.
 */

/** Murmur3's finaliser: a well-mixed 32-bit hash of a 32-bit value. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a hash of a label, to name streams by words rather than magic numbers. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hash of up to four numbers into one 32-bit value (order matters). */
export function hash4(a: number, b: number, c = 0, d = 0): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(b | 0, 0x85ebca6b) ^ 0x27d4eb2f);
  h = mix32(h ^ Math.imul(c | 0, 0xc2b2ae35) ^ 0x165667b1);
  h = mix32(h ^ Math.imul(d | 0, 0x27d4eb2f) ^ 0x61c88647);
  return h;
}

/** A uniform number in [0, 1) from a hash of up to four numbers: for attributes looked up by id. */
export function unit4(a: number, b: number, c = 0, d = 0): number {
  return hash4(a, b, c, d) / 4294967296;
}

/** The two 32-bit halves of a non-negative integer seed (up to 2^53). */
export function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** A reseedable sfc32 generator; reseeding is cheap so hot loops keep one instance per stream. */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(s0 = 0, s1 = 0, s2 = 0, s3 = 0) {
    this.reseed(s0, s1, s2, s3);
  }

  /** Restarts the stream from four numbers (seed words, stream label hash, entity numbers). */
  reseed(s0: number, s1 = 0, s2 = 0, s3 = 0): this {
    this.a = hash4(s0, s1, s2, s3) | 0;
    this.b = mix32(this.a ^ 0x5bd1e995 ^ (s3 | 0)) | 0;
    this.c = mix32(this.b ^ 0x1b873593 ^ (s2 | 0)) | 0;
    this.d = 1;
    for (let i = 0; i < 6; i++) this.u32();
    return this;
  }

  /** The next uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi], both included. */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Standard normal by Box-Muller (one draw per call; the pair's second value is dropped for simplicity). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-scale spread, clamped to [lo, hi]. */
  logNormal(median: number, sigma: number, lo: number, hi: number): number {
    const x = median * Math.exp(sigma * this.normal());
    return Math.min(hi, Math.max(lo, x));
  }

  /** Index drawn with probability proportional to weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** Poisson-distributed count (Knuth for small means, normal approximation above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }
}

/** Cumulative weights for fast repeated weighted draws by binary search. */
export class WeightedTable {
  readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let t = 0;
    for (let i = 0; i < weights.length; i++) {
      t += Math.max(0, weights[i]!);
      this.cumulative[i] = t;
    }
    this.total = t;
  }

  get size(): number {
    return this.cumulative.length;
  }

  /** Index for a uniform u in [0, 1). */
  index(u: number): number {
    const target = u * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
