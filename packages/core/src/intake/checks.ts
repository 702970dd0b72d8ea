import { type Column, type CrossFieldRule, identifierPattern } from "../contract/columns.ts";
import type { Dataset } from "../contract/datasets.ts";
import { creditCodeSqlParts, residentIdSqlParts } from "../contract/identifiers.ts";
import { ident, literal } from "../lake/duckdb.ts";

/**
 * One row-level check as a DuckDB predicate that is TRUE for a violating row. Checks are generated from the
 * data contract, so adding a column to a dataset adds its checks, its docs and its Parquet type at once.
 */
export interface RowCheck {
  id: string;
  column: string;
  rule: string;
  message: string;
  violation: string;
}

/** The value of a staged column (an empty field is NULL already). */
export function valueSql(column: string): string {
  return ident(column);
}

const periodRegex = "[0-9]{4}-(0[1-9]|1[0-2])|[0-9]{4}-Q[1-4]";
export const booleanTrue = ["true", "1", "yes", "y", "是"];
export const booleanFalse = ["false", "0", "no", "n", "否"];

/**
 * SQL: `value` is one of `values` (NULL for a NULL value). list_contains over a constant list, because DuckDB plans an
 * IN list of more than a few constants as a hash join, which costs a join per check on every row.
 */
function oneOfSql(value: string, values: readonly string[]): string {
  return `list_contains([${values.map(literal).join(", ")}], ${value})`;
}

/** SQL: the text is a decimal number with at most these digits before and after the point. */
function isDecimalSql(v: string, digits: { whole: number; fraction: number }): string {
  const pattern =
    digits.fraction === 0
      ? `-?[0-9]{1,${digits.whole}}`
      : `-?[0-9]{1,${digits.whole}}(\\.[0-9]{1,${digits.fraction}})?`;
  return `regexp_full_match(${v}, ${literal(pattern)})`;
}

/** DuckDB type of a decimal column: DECIMAL(18, s) is int64-backed and two orders of magnitude faster to parse. */
function decimalType(t: { scale: number; precision?: number }): string {
  return `DECIMAL(${t.precision ?? 18}, ${t.scale})`;
}

/** Column kinds whose text is parsed into a number or a date, which checks then compare. */
export const parsedKinds = new Set(["decimal", "integer", "date"]);

/**
 * Whether the beacon_intake extension parses a column (`native`): decimals of the int64-backed DECIMAL(18, s) that
 * carry no grades, integers and dates. Its parsers accept exactly the texts the SQL format checks accept.
 */
function parsedNatively(column: Column, native: boolean): boolean {
  const t = column.type;
  if (!native) return false;
  if (t.kind === "decimal") return (t.precision ?? 18) === 18 && !t.grades;
  return t.kind === "integer" || t.kind === "date";
}

/**
 * SQL that parses a decimal, integer or date column; NULL when the text does not parse (the row is then flagged by
 * its format check). Intake may compute it once per row and hand checks a reference to it (`ParsedRef`). With
 * `native`, the extension's parser, which also gives NULL for text outside the column's exact format.
 */
export function parsedSql(column: Column, native = false): string {
  const v = valueSql(column.name);
  const t = column.type;
  switch (t.kind) {
    case "decimal":
      return parsedNatively(column, native)
        ? `beacon_parse_decimal_${t.scale}(${v})`
        : `TRY_CAST(${v} AS ${decimalType(t)})`;
    case "integer":
      return native ? `beacon_parse_integer(${v})` : `TRY_CAST(${v} AS BIGINT)`;
    case "date":
      // DuckDB's date cast is three times faster than strptime; the date check then requires the exact YYYY-MM-DD.
      return native ? `beacon_parse_date(${v})` : `TRY_CAST(${v} AS DATE)`;
    default:
      throw new Error(`${column.name}: a ${t.kind} column is not parsed`);
  }
}

/** Where checks read a column's parsed value: by default they parse it themselves. */
export type ParsedRef = (column: Column) => string;

/**
 * Values the checks of a row share, as SQL: the parsed value of a column, and whether an institution column holds
 * a registered code. By default each check computes them itself; intake computes each once per row.
 */
export interface CheckRefs {
  parsed: ParsedRef;
  registered: (column: Column) => string;
}

/** Checks compute shared values themselves; with `native`, parsing with the extension (see rowChecks). */
export function selfComputedRefs(tables: CheckTables, native = false): CheckRefs {
  return {
    parsed: (c) => parsedSql(c, native),
    registered: (c) => `(${valueSql(c.name)} IN (SELECT code FROM ${tables.registry}))`,
  };
}

/**
 * SQL that gives a column its stored type. Intake parses while it validates, so a value that does not parse
 * gives NULL here (its row is flagged invalid by the checks and never stored).
 */
export function typedSql(
  column: Column,
  hmacSql: (expr: string) => string,
  parsed: ParsedRef = parsedSql,
): string {
  const v = valueSql(column.name);
  const t = column.type;
  switch (t.kind) {
    case "decimal":
    case "integer":
    case "date":
      return parsed(column);
    case "boolean":
      return booleanSql(v);
    case "personal_id":
      return `CASE WHEN ${v} IS NULL THEN NULL ELSE ${hmacSql(normalisedPersonalId(v, t.idKind))} END`;
    // A credit code is stored as written: a valid one is in capitals already (its format check, or the registry's).
    default:
      return v;
  }
}

/**
 * A boolean column's value: the common spellings first, so that lower() and the list run only for the rest (CASE
 * evaluates a branch only for its own rows).
 */
function booleanSql(v: string): string {
  return `CASE ${v} WHEN 'true' THEN true WHEN 'false' THEN false ELSE ${oneOfSql(`lower(${v})`, booleanTrue)} END`;
}

/** Personal identifiers are normalised before hashing so the same person matches across reporters. */
function normalisedPersonalId(v: string, kind: string): string {
  switch (kind) {
    case "resident_id":
      // As written: the format check admits only a capital X.
      return v;
    case "phone":
      return `regexp_replace(regexp_replace(${v}, '[ -]', '', 'g'), '^\\+?86', '')`;
    case "bank_card":
      return `regexp_replace(${v}, '[ -]', '', 'g')`;
    case "address":
      return `regexp_replace(${v}, '\\s+', '', 'g')`;
    default:
      return `upper(${v})`;
  }
}

/**
 * A column's checks of type and format. With `native`, a format whose SQL is costly (decimal and integer texts,
 * dates, resident ids, credit codes, identifiers) is one call of a beacon_intake extension function, which fails
 * exactly when one of that format's SQL checks fails. Intake's landing flag uses them; the report's checks are always
 * the SQL ones.
 */
function typeChecks(c: Column, parsed: ParsedRef, native: boolean): Omit<RowCheck, "id" | "column">[] {
  const v = valueSql(c.name);
  const t = c.type;
  // Every predicate below yields NULL for a missing value (so FILTER skips it) except where `guarded` says so:
  // an explicit "v IS NOT NULL AND" would slow DuckDB's scan for nothing.
  const guarded = (p: string) => `(${v} IS NOT NULL AND ${p})`;
  const out: Omit<RowCheck, "id" | "column">[] = [];
  switch (t.kind) {
    case "string":
      if (t.maxLength)
        out.push({
          rule: "max_length",
          message: `must be at most ${t.maxLength} characters`,
          violation: `length(${v}) > ${t.maxLength}`,
        });
      if (t.pattern) {
        out.push({
          rule: "pattern",
          message: `must match ${t.patternHint ?? t.pattern}`,
          violation:
            native && t.pattern === identifierPattern
              ? `NOT beacon_is_identifier(${v})`
              : `NOT regexp_full_match(${v}, ${literal(t.pattern.replace(/^\^|\$$/g, ""))})`,
        });
      }
      break;
    case "text":
      if (t.maxLength)
        out.push({
          rule: "max_length",
          message: `must be at most ${t.maxLength} characters`,
          violation: `length(${v}) > ${t.maxLength}`,
        });
      break;
    case "decimal": {
      const precision = t.precision ?? 18;
      // The extension's parse is NULL exactly when the text is not such a number.
      const notDecimal = parsedNatively(c, native)
        ? `(${v} IS NOT NULL AND ${parsed(c)} IS NULL)`
        : `NOT ${isDecimalSql(v, { whole: precision - t.scale, fraction: t.scale })}`;
      const digits = `a decimal number with at most ${precision - t.scale} digits before the point and ${t.scale} after`;
      // Which items may carry a grade is a check of the dataset (returns: the item's unit), not of the row.
      out.push({
        rule: "decimal",
        message: t.grades ? `must be ${digits}, or a grade (${t.grades.join(", ")})` : `must be ${digits}`,
        violation: t.grades
          ? `(${notDecimal} AND ${v} NOT IN (${t.grades.map(literal).join(", ")}))`
          : notDecimal,
      });
      const num = parsed(c);
      if (t.min !== undefined)
        out.push({
          rule: "min",
          message: `must be at least ${t.min}`,
          violation: `${num} < ${t.min}`,
        });
      if (t.max !== undefined)
        out.push({
          rule: "max",
          message: `must be at most ${t.max}`,
          violation: `${num} > ${t.max}`,
        });
      break;
    }
    case "integer": {
      out.push({
        rule: "integer",
        message: "must be a whole number",
        violation: native
          ? `(${v} IS NOT NULL AND ${parsed(c)} IS NULL)`
          : `NOT ${isDecimalSql(v, { whole: 18, fraction: 0 })}`,
      });
      const num = parsed(c);
      if (t.min !== undefined)
        out.push({
          rule: "min",
          message: `must be at least ${t.min}`,
          violation: `${num} < ${t.min}`,
        });
      if (t.max !== undefined)
        out.push({
          rule: "max",
          message: `must be at most ${t.max}`,
          violation: `${num} > ${t.max}`,
        });
      break;
    }
    case "date":
      out.push({
        rule: "date",
        message: "must be a real date written YYYY-MM-DD",
        // Exactly the text of a real date: the parsed date written back (always YYYY-MM-DD for years 1 to 9999)
        // equals it. Cheaper than a regular expression beside the parse.
        violation: native
          ? `(${v} IS NOT NULL AND ${parsed(c)} IS NULL)`
          : guarded(`(length(${v}) <> 10 OR coalesce(CAST(${parsed(c)} AS VARCHAR) <> ${v}, true))`),
      });
      break;
    case "period":
      out.push({
        rule: "period",
        message: "must be a period written YYYY-MM or YYYY-Qn",
        violation: `NOT regexp_full_match(${v}, ${literal(periodRegex)})`,
      });
      break;
    case "boolean":
      out.push({
        rule: "boolean",
        message: "must be true or false",
        violation: `CASE WHEN ${v} = 'true' OR ${v} = 'false' THEN false ELSE NOT ${oneOfSql(`lower(${v})`, [...booleanTrue, ...booleanFalse])} END`,
      });
      break;
    case "enum":
      out.push({
        rule: "enum",
        message: `must be one of ${t.values.join(", ")}`,
        violation: `NOT ${oneOfSql(v, t.values)}`,
      });
      break;
    case "credit_code": {
      if (native) {
        out.push({
          rule: "credit_code",
          message: "must be a valid credit code",
          violation: `NOT beacon_is_credit_code(${v})`,
        });
        break;
      }
      const parts = creditCodeSqlParts(v);
      out.push(
        {
          rule: "credit_code",
          message: "must be 18 characters: digits and capital letters except I, O, S, V, Z (GB 32100-2015)",
          violation: `NOT ${parts.format}`,
        },
        // NULL-safe without a format guard: a conjunction here is several times slower in DuckDB.
        {
          rule: "credit_code_check",
          message: "has a wrong check character (GB 32100-2015)",
          violation: `NOT coalesce(${parts.checkChar}, true)`,
        },
      );
      break;
    }
    case "personal_id":
      out.push(...[personalIdCheck(v, t.idKind, native)].flat());
      break;
  }
  return out;
}

function personalIdCheck(
  v: string,
  kind: string,
  native: boolean,
): Omit<RowCheck, "id" | "column"> | Omit<RowCheck, "id" | "column">[] {
  switch (kind) {
    case "resident_id": {
      if (native) {
        return {
          rule: "resident_id",
          message: "must be a valid resident identity number",
          violation: `NOT beacon_is_resident_id(${v})`,
        };
      }
      const parts = residentIdSqlParts(v);
      return [
        {
          rule: "resident_id",
          message: "must be 17 digits and a check character (0-9 or capital X)",
          violation: `NOT ${parts.format}`,
        },
        {
          rule: "resident_id_birth_date",
          message: "does not contain a real birth date",
          violation: `NOT coalesce(${parts.birthDate}, true)`,
        },
        {
          rule: "resident_id_check",
          message: "has a wrong check digit (ISO 7064 MOD 11-2)",
          violation: `NOT coalesce(${parts.checkChar}, true)`,
        },
      ];
    }
    case "phone":
      return {
        rule: "phone",
        message: "must be a mainland mobile number (11 digits starting with 1, optional +86)",
        violation: `NOT regexp_full_match(regexp_replace(${v}, '[ -]', '', 'g'), '(\\+?86)?1[3-9][0-9]{9}')`,
      };
    case "bank_card":
      return {
        rule: "bank_card",
        message: "must be a bank card or account number of 12 to 19 digits",
        violation: `NOT regexp_full_match(regexp_replace(${v}, '[ -]', '', 'g'), '[0-9]{12,19}')`,
      };
    case "address":
      return {
        rule: "address",
        message: "must be an address of 4 to 200 characters",
        violation: `length(${v}) NOT BETWEEN 4 AND 200`,
      };
    case "vehicle":
      return {
        rule: "vehicle",
        message: "must be a vehicle plate such as 渝A12345",
        violation: `NOT regexp_full_match(upper(${v}), '[\\x{4e00}-\\x{9fa5}][A-Z][A-Z0-9]{5,6}')`,
      };
    default:
      return {
        rule: "pattern",
        message: "must be 1 to 64 letters, digits or _ . : -",
        violation: `NOT regexp_full_match(${v}, '[A-Za-z0-9_.:-]{1,64}')`,
      };
  }
}

function whenSql(when: { column: string; equals: string }): string {
  const w = valueSql(when.column);
  if (when.equals === "*") return `${w} IS NOT NULL`;
  if (when.equals.startsWith("!")) return `coalesce(${w} <> ${literal(when.equals.slice(1))}, true)`;
  return `coalesce(lower(${w}) = ${literal(when.equals.toLowerCase())}, false)`;
}

function crossFieldCheck(rule: CrossFieldRule, columns: Map<string, Column>, parsed: ParsedRef): RowCheck {
  const num = (name: string) => parsed(columns.get(name)!);
  switch (rule.kind) {
    case "lte":
      return {
        id: `${rule.left}<=${rule.right}`,
        column: rule.left,
        rule: "cross_field",
        message: rule.message,
        violation: `coalesce(${num(rule.left)} > ${num(rule.right)}, false)`,
      };
    case "date_after": {
      const op = rule.allowEqual ? "<" : "<=";
      return {
        id: `${rule.later}>${rule.earlier}`,
        column: rule.later,
        rule: "cross_field",
        message: rule.message,
        violation: `coalesce(${num(rule.later)} ${op} ${num(rule.earlier)}, false)`,
      };
    }
    case "required_when":
      return {
        id: `${rule.column}:required_when`,
        column: rule.column,
        rule: "required",
        message: rule.message,
        violation: `(${whenSql(rule.when)} AND ${valueSql(rule.column)} IS NULL)`,
      };
    case "forbidden_when":
      return {
        id: `${rule.column}:forbidden_when`,
        column: rule.column,
        rule: "cross_field",
        message: rule.message,
        violation: `(${whenSql(rule.when)} AND ${valueSql(rule.column)} IS NOT NULL)`,
      };
  }
}

/** The DuckDB tables the row checks read. */
export interface CheckTables {
  /** (code, type) of every known institution. */
  registry: string;
  /** (code, period): the institutions whose licence for this dataset covered the period. */
  reporters: string;
  /** (code): when set, the only institutions whose rows this intake may carry (an institution submits its own). */
  allowed?: string;
}

/**
 * Every row-level check of a dataset; `filePeriod` is the period the file's name declares, if any. `native`: some
 * formats are checked by the beacon_intake extension, one check per column (see typeChecks): only for a row's
 * verdict, never for the report. The format checks of parsed columns then read `refs.parsed`, which must parse with
 * the extension too (`parsedSql(c, true)`), since DuckDB's own casts accept more than the formats allow.
 */
export function rowChecks(
  dataset: Dataset,
  tables: CheckTables,
  filePeriod?: string,
  native = false,
  refs: CheckRefs = selfComputedRefs(tables, native),
): RowCheck[] {
  const { parsed, registered } = refs;
  const hasPeriod = dataset.columns.some((c) => c.name === "period");
  const checks: RowCheck[] = [];
  for (const c of dataset.columns) {
    const v = valueSql(c.name);
    if (c.required)
      checks.push({
        id: `${c.name}:required`,
        column: c.name,
        rule: "required",
        message: "is required",
        violation: `${v} IS NULL`,
      });
    for (const [i, t] of typeChecks(c, parsed, native).entries()) {
      // A registered code is known to be valid: its format and check character need no computing. Nor does a
      // period equal to the file's.
      const violation =
        c.references === "institution" && t.rule.startsWith("credit_code")
          ? `(CASE WHEN ${v} IS NULL OR ${registered(c)} THEN NULL ELSE ${t.violation} END)`
          : filePeriod && c.name === "period" && t.rule === "period"
            ? `(CASE WHEN ${v} = ${literal(filePeriod)} THEN NULL ELSE ${t.violation} END)`
            : t.violation;
      checks.push({ id: `${c.name}:${t.rule}:${i}`, column: c.name, ...t, violation });
    }
    if (c.references === "institution") {
      const isReporter = c.name === dataset.reporter;
      checks.push({
        id: `${c.name}:reference`,
        column: c.name,
        rule: "reference",
        message: "is not a registered institution",
        violation: `(${v} IS NOT NULL AND NOT ${registered(c)})`,
      });
      if (isReporter) {
        const licensed = hasPeriod
          ? `(${v}, ${valueSql("period")}) IN (SELECT code, period FROM ${tables.reporters})`
          : `${v} IN (SELECT code FROM ${tables.reporters})`;
        checks.push({
          id: `${c.name}:licence`,
          column: c.name,
          rule: "licence",
          message: hasPeriod
            ? `holds no licence covering the ${dataset.name} dataset for the row's period`
            : `holds no active licence covering the ${dataset.name} dataset`,
          violation: `(${v} IS NOT NULL AND ${registered(c)} AND NOT ${licensed})`,
        });
        if (tables.allowed) {
          checks.push({
            id: `${c.name}:own`,
            column: c.name,
            rule: "own_data",
            message: "is not the submitting institution: an institution submits only its own data",
            violation: `(${v} IS NOT NULL AND ${v} NOT IN (SELECT code FROM ${tables.allowed}))`,
          });
        }
      }
    }
  }
  if (filePeriod && hasPeriod) {
    checks.push({
      id: "period:file",
      column: "period",
      rule: "period_consistency",
      message: `must equal the file's period ${filePeriod}`,
      violation: `(${valueSql("period")} IS NOT NULL AND ${valueSql("period")} <> ${literal(filePeriod)})`,
    });
  }
  const columns = new Map(dataset.columns.map((c) => [c.name, c]));
  for (const rule of dataset.crossField) checks.push(crossFieldCheck(rule, columns, parsed));
  return checks;
}
