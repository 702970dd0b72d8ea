/**
 * Exact decimal arithmetic for threshold comparison.
 *
 * A value is a rational number num/den kept as two BigInts (den > 0), so a ratio that sits exactly on a
 * threshold compares equal to it, and 1/3 is a threshold like any other. Floats appear only for display.
 * Values are plain frozen-shape objects (no class) so that hot loops allocate as little as possible.
 */
import { AppError } from "../errors.ts";

export interface Rational {
  readonly num: bigint;
  /** Always positive. Not necessarily reduced: call `reduce` before showing num/den. */
  readonly den: bigint;
}

const powersOfTen: bigint[] = [1n];
function pow10(exponent: number): bigint {
  for (let i = powersOfTen.length; i <= exponent; i++) powersOfTen.push(powersOfTen[i - 1]! * 10n);
  return powersOfTen[exponent]!;
}

export const ZERO: Rational = { num: 0n, den: 1n };
export const ONE: Rational = { num: 1n, den: 1n };

/** Builds num/den, moving any sign to the numerator; a zero denominator is a programming error. */
export function rational(num: bigint, den = 1n): Rational {
  if (den === 0n) throw new AppError("INTERNAL", "Rational with a zero denominator");
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

/** An integer as a rational. */
export function fromInteger(value: number | bigint): Rational {
  return { num: BigInt(value), den: 1n };
}

// "-12.5", "+3", ".5" is refused (intake writes a leading digit), "1.5e-3", and fractions "1/3".
const decimalPattern = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,4}))?$/;
const fractionPattern = /^([+-]?\d+)\/(\d+)$/;

/** Parses a decimal string ("12.50", "-3", "1.5e-3") or a fraction ("1/3"); undefined when malformed. */
export function parseDecimal(text: string): Rational | undefined {
  const m = decimalPattern.exec(text);
  if (m) {
    const fraction = m[3] ?? "";
    let num = BigInt(m[2]! + fraction);
    if (m[1] === "-") num = -num;
    let scale = fraction.length - (m[4] ? Number(m[4]) : 0);
    if (scale < 0) {
      num *= pow10(-scale);
      scale = 0;
    }
    return { num, den: pow10(scale) };
  }
  const f = fractionPattern.exec(text);
  if (f) {
    const den = BigInt(f[2]!);
    if (den === 0n) return undefined;
    return { num: BigInt(f[1]!), den };
  }
  return undefined;
}

/** True when the text parses as a decimal or fraction. */
export function isDecimalText(text: string): boolean {
  return decimalPattern.test(text) || (fractionPattern.test(text) && !/\/0+$/.test(text));
}

const parsedCache = new Map<string, Rational>();

/** Parses a trusted decimal (a parameter or a constant), memoised; throws AppError when malformed. */
export function dec(text: string): Rational {
  const hit = parsedCache.get(text);
  if (hit) return hit;
  const value = parseDecimal(text);
  if (!value) throw new AppError("INVALID_INPUT", `Not a decimal number: "${text}"`);
  if (parsedCache.size < 10_000) parsedCache.set(text, value);
  return value;
}

/** Converts a JavaScript number through its shortest decimal text, so 0.1 becomes exactly 1/10. */
export function fromNumber(value: number): Rational {
  if (!Number.isFinite(value)) throw new AppError("INVALID_INPUT", `Not a finite number: ${value}`);
  return dec(String(value));
}

/** a + b, exactly. */
export function add(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  // Decimal inputs have power-of-ten denominators, so one usually divides the other.
  if (a.den > b.den && a.den % b.den === 0n) return { num: a.num + b.num * (a.den / b.den), den: a.den };
  if (b.den > a.den && b.den % a.den === 0n) return { num: a.num * (b.den / a.den) + b.num, den: b.den };
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

/** −a. */
export function neg(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}

/** a − b, exactly. */
export function sub(a: Rational, b: Rational): Rational {
  return add(a, neg(b));
}

/** a × b, exactly. */
export function mul(a: Rational, b: Rational): Rational {
  return { num: a.num * b.num, den: a.den * b.den };
}

/** a / b; throws when b is zero (callers check `sign(b)` first and report why). */
export function div(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new AppError("INTERNAL", "Division by zero");
  return b.num < 0n
    ? { num: -a.num * b.den, den: a.den * -b.num }
    : { num: a.num * b.den, den: a.den * b.num };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.den === b.den ? a.num : a.num * b.den;
  const r = a.den === b.den ? b.num : b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** -1, 0 or 1 as a is negative, zero or positive. */
export function sign(a: Rational): -1 | 0 | 1 {
  return a.num < 0n ? -1 : a.num > 0n ? 1 : 0;
}

/** True when a is zero. */
export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

/** The larger of a and b. */
export function max(a: Rational, b: Rational): Rational {
  return compare(a, b) >= 0 ? a : b;
}

/** The smaller of a and b. */
export function min(a: Rational, b: Rational): Rational {
  return compare(a, b) <= 0 ? a : b;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The same value with num and den coprime. */
export function reduce(a: Rational): Rational {
  const g = gcd(a.num, a.den);
  return g <= 1n ? a : { num: a.num / g, den: a.den / g };
}

/** Rounds to `digits` decimals, halves away from zero, and returns the decimal text ("4.20", "-0.5"). */
export function toFixed(a: Rational, digits: number): string {
  const scaled = (a.num < 0n ? -a.num : a.num) * pow10(digits);
  const rounded = (2n * scaled + a.den) / (2n * a.den);
  let text = rounded.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, "0");
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return a.num < 0n && rounded !== 0n ? `-${text}` : text;
}

/**
 * Exact text of the value: a terminating decimal when there is one ("0.042"), otherwise "num/den" reduced
 * ("1/3"). Suitable for storage and for re-parsing with `parseDecimal`.
 */
export function toExactString(a: Rational): string {
  // Fast path: a power-of-ten denominator (parsed decimals and their sums) needs no reduction.
  const denText = a.den.toString();
  if (/^10*$/.test(denText)) {
    const text = toFixed(a, denText.length - 1);
    return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  }
  const r = reduce(a);
  let d = r.den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return `${r.num}/${r.den}`;
  return toFixed(r, Math.max(twos, fives));
}

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/** Nearest float, for display and charts only; never for threshold comparison. */
export function toNumber(a: Rational): number {
  const absNum = a.num < 0n ? -a.num : a.num;
  if (absNum <= maxSafe && a.den <= maxSafe) return Number(a.num) / Number(a.den);
  return Number(toFixed(a, 17));
}
