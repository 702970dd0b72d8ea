/**
 * The vocabulary of the data contract. Each dataset is a list of columns described with these types; from that
 * one description come the DuckDB validation SQL, the Parquet types, the zod schemas of the API and the
 * generated docs/data-contract.md. (A column table, not zod, is the source because SQL must be generated from it.)
 */

export type ColumnType =
  | { kind: "string"; maxLength?: number; pattern?: string; patternHint?: string }
  | { kind: "text"; maxLength?: number }
  /** precision defaults to 18 (int64-backed, fast); returns need 38 for the largest balance sheets. */
  | {
      kind: "decimal";
      scale: number;
      precision?: 18 | 38;
      min?: string;
      max?: string;
      /** A value may instead be one of these grades (returns: for items whose unit is grade, checked per item). */
      grades?: readonly string[];
    }
  | { kind: "integer"; min?: number; max?: number }
  | { kind: "date" }
  | { kind: "period" }
  | { kind: "boolean" }
  | { kind: "enum"; values: readonly string[] }
  /** Unified Social Credit Code with its GB 32100-2015 check character. */
  | { kind: "credit_code" }
  /** Personal identifier: checked, then replaced by its HMAC-SHA-256 at intake. */
  | { kind: "personal_id"; idKind: PersonalIdKind };

export type PersonalIdKind = "resident_id" | "phone" | "bank_card" | "address" | "customer_ref" | "vehicle";

export interface Column {
  name: string;
  type: ColumnType;
  required: boolean;
  description: string;
  /** The value must be a registered institution's credit code (and, for the reporter, licensed for the dataset). */
  references?: "institution";
}

/** Cross-field rules, kept to a few shapes so each turns into one SQL predicate. */
export type CrossFieldRule =
  | { kind: "lte"; left: string; right: string; message: string }
  | { kind: "date_after"; later: string; earlier: string; message: string; allowEqual?: boolean }
  | { kind: "required_when"; column: string; when: { column: string; equals: string }; message: string }
  | { kind: "forbidden_when"; column: string; when: { column: string; equals: string }; message: string };

/** The characters of the contract's identifiers (loan, product, claim ids and the like). */
export const identifierPattern = "^[A-Za-z0-9_.:-]+$";

/** Small constructors keep dataset definitions to one line per column. */
export const col = {
  id: (name: string, description: string): Column => ({
    name,
    type: {
      kind: "string",
      maxLength: 64,
      pattern: identifierPattern,
      patternHint: "letters, digits and _ . : -",
    },
    required: true,
    description,
  }),
  ref: (name: string, description: string, required = true): Column => ({
    name,
    type: {
      kind: "string",
      maxLength: 64,
      pattern: identifierPattern,
      patternHint: "letters, digits and _ . : -",
    },
    required,
    description,
  }),
  institution: (name: string, description: string, required = true): Column => ({
    name,
    type: { kind: "credit_code" },
    required,
    description,
    references: "institution",
  }),
  creditCode: (name: string, description: string, required = true): Column => ({
    name,
    type: { kind: "credit_code" },
    required,
    description,
  }),
  period: (): Column => ({
    name: "period",
    type: { kind: "period" },
    required: true,
    description: "Reporting period, YYYY-MM or YYYY-Qn.",
  }),
  money: (name: string, description: string, required = true): Column => ({
    name,
    type: { kind: "decimal", scale: 2, min: "0" },
    required,
    description: `${description} Yuan, two decimals.`,
  }),
  rate: (name: string, description: string, required = true, max = "10"): Column => ({
    name,
    type: { kind: "decimal", scale: 8, min: "0", max },
    required,
    description: `${description} As a fraction (0.0435 = 4.35%).`,
  }),
  share: (name: string, description: string, required = true): Column => ({
    name,
    type: { kind: "decimal", scale: 6, min: "0", max: "1" },
    required,
    description: `${description} Between 0 and 1.`,
  }),
  int: (name: string, description: string, required = true, min = 0, max?: number): Column => ({
    name,
    type: max === undefined ? { kind: "integer", min } : { kind: "integer", min, max },
    required,
    description,
  }),
  date: (name: string, description: string, required = true): Column => ({
    name,
    type: { kind: "date" },
    required,
    description,
  }),
  bool: (name: string, description: string, required = true): Column => ({
    name,
    type: { kind: "boolean" },
    required,
    description,
  }),
  oneOf: (name: string, values: readonly string[], description: string, required = true): Column => ({
    name,
    type: { kind: "enum", values },
    required,
    description,
  }),
  text: (name: string, description: string, required = false, maxLength = 20_000): Column => ({
    name,
    type: { kind: "text", maxLength },
    required,
    description,
  }),
  name: (name: string, description: string, required = true): Column => ({
    name,
    type: { kind: "string", maxLength: 200 },
    required,
    description,
  }),
  personal: (name: string, idKind: PersonalIdKind, description: string, required = true): Column => ({
    name,
    type: { kind: "personal_id", idKind },
    required,
    description: `${description} Pseudonymised at intake (HMAC-SHA-256); never stored raw.`,
  }),
};
