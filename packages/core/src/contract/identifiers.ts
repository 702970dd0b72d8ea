/**
 * Check characters of the identifiers the contract accepts. The same arithmetic is emitted as DuckDB SQL
 * (see `creditCodeSql` / `residentIdSql`) so that millions of rows are checked inside the lake engine.
 */

/** GB 32100-2015 alphabet: digits and capitals without I, O, S, V, Z. */
export const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const creditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const creditCodePattern = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters of a Unified Social Credit Code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += creditCodeAlphabet.indexOf(first17[i] ?? "") * creditCodeWeights[i]!;
  return creditCodeAlphabet[(31 - (sum % 31)) % 31]!;
}

/** True for an 18-character Unified Social Credit Code whose check character is right. */
export function isValidCreditCode(code: string): boolean {
  return creditCodePattern.test(code) && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

const residentIdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const residentIdChecks = "10X98765432";

/** ISO 7064 MOD 11-2 check character of the first 17 digits of a resident identity number. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * residentIdWeights[i]!;
  return residentIdChecks[sum % 11]!;
}

/** True for an 18-character resident identity number with a real birth date and the right check digit. */
export function isValidResidentId(id: string): boolean {
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return false;
  return residentIdCheckChar(id.slice(0, 17)) === id[17];
}

/** A validity test as separate DuckDB predicates (each TRUE when that part is valid), reported separately. */
export interface SqlParts {
  format: string;
  checkChar: string;
  birthDate?: string;
}

/**
 * DuckDB predicates for a credit code. Kept as separate conjuncts: DuckDB evaluates a long arithmetic expression
 * under AND several times slower than alone, and separate parts give separate messages.
 */
export function creditCodeSqlParts(expr: string): SqlParts {
  const terms = creditCodeWeights
    .map((w, i) => `(instr('${creditCodeAlphabet}', substr(${expr}, ${i + 1}, 1)) - 1) * ${w}`)
    .join(" + ");
  return {
    format: `regexp_full_match(${expr}, '[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}')`,
    checkChar: `substr('${creditCodeAlphabet}', ((31 - ((${terms}) % 31)) % 31) + 1, 1) = substr(${expr}, 18, 1)`,
  };
}

/**
 * DuckDB predicates for a resident identity number. The 17-digit body is parsed once as an integer; its check sum
 * is taken two digits at a time from constant tables of each pair's weighted sum (a third cheaper than seventeen
 * digits, and three times cheaper than seventeen substrings).
 */
export function residentIdSqlParts(expr: string): SqlParts {
  const body = `TRY_CAST(substr(${expr}, 1, 17) AS BIGINT)`;
  const terms: string[] = [];
  for (let last = 17; last >= 1; last -= 2) {
    const weights = residentIdWeights.slice(Math.max(0, last - 2), last);
    const table = Array.from(
      { length: 10 ** weights.length },
      (_, n) =>
        weights.reduce((sum, w, i) => sum + w * (Math.floor(n / 10 ** (weights.length - 1 - i)) % 10), 0) %
        11,
    );
    terms.push(
      `[${table.join(",")}][(${body} // ${10n ** BigInt(17 - last)}) % ${10 ** weights.length} + 1]`,
    );
  }
  // Digits 7-14 are the birth date YYYYMMDD, taken from the same integer (half the cost of strptime).
  const ymd = `((${body} // 1000) % 100000000)`;
  const [y, m, d] = [`(${ymd} // 10000)`, `((${ymd} // 100) % 100)`, `(${ymd} % 100)`];
  const leap = `(${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0))`;
  const monthDays = `CASE WHEN ${m} = 2 THEN 28 + ${leap}::INTEGER WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  return {
    format: `regexp_full_match(${expr}, '[0-9]{17}[0-9X]')`,
    // TRUE for a missing value, like the other parts, so that only present values are judged. A body that is not
    // 17 digits gives NULL here: its format part reports it.
    birthDate: `(${expr} IS NULL OR (${y} >= 1800 AND ${m} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND ${monthDays}))`,
    checkChar: `substr('${residentIdChecks}', ((${terms.join(" + ")}) % 11)::INTEGER + 1, 1) = substr(${expr}, 18, 1)`,
  };
}

function allOf(parts: SqlParts): string {
  return `coalesce(${[parts.format, parts.birthDate, parts.checkChar].filter(Boolean).join(" AND ")}, false)`;
}

/** DuckDB boolean expression: `expr` is a valid credit code. */
export function creditCodeSql(expr: string): string {
  return allOf(creditCodeSqlParts(expr));
}

/** DuckDB boolean expression: `expr` is a valid resident identity number. */
export function residentIdSql(expr: string): string {
  return allOf(residentIdSqlParts(expr));
}
