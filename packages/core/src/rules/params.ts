/**
 * Rule parameters: a zod schema with defaults, each default carrying its status (confirmed, or to
 * confirm for numbers from weak or unverified sources). Overrides (governed values, what-if runs) are
 * validated against the same schema and every problem names the rule and the parameter.
 */
import { z } from "zod";
import { AppError } from "../errors.ts";
import { parseDecimal } from "../metrics/decimal.ts";
import type { AnyRule, ParamSet, ParamSpec, ParamSpecs, ParamStatus } from "./types.ts";

/** Non-negative decimal text ("0.05", "1.5e-2") or fraction ("1/3"); numbers are accepted and kept as text. */
export const decimalTextSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const text = typeof v === "number" ? String(v) : v.trim();
  const parsed = parseDecimal(text);
  if (!parsed || parsed.num < 0n) {
    ctx.addIssue({
      code: "custom",
      message: `expected a non-negative decimal such as "0.05" or "1/3", got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return text;
});

/** Unified social credit code: 18 characters from the GB 32100 alphabet. */
export const creditCodeSchema = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, "expected an 18-character credit code");

interface Described {
  status: ParamStatus;
  en: string;
  zh: string;
  note?: string;
}

/** A threshold or other exact number, as decimal text. */
export function decimalParam(defaultValue: string, described: Described): ParamSpec<string> {
  return { schema: decimalTextSchema, default: defaultValue, ...described };
}

/** Per-institution values keyed by credit code (e.g. provision requirements set bank by bank). */
export function perInstitutionParam(
  defaultValue: Readonly<Record<string, string>>,
  described: Described,
): ParamSpec<Record<string, string>> {
  return {
    schema: z.record(creditCodeSchema, decimalTextSchema),
    default: { ...defaultValue },
    ...described,
  };
}

/** One of a fixed list of values (e.g. a grade). */
export function choiceParam<const T extends string>(
  values: readonly [T, ...T[]],
  defaultValue: T,
  described: Described,
): ParamSpec<T> {
  return { schema: z.enum(values), default: defaultValue, ...described };
}

/** A date, YYYY-MM-DD. */
export function dateParam(defaultValue: string, described: Described): ParamSpec<string> {
  return { schema: z.iso.date(), default: defaultValue, ...described };
}

// biome-ignore lint/suspicious/noExplicitAny: the spec record is heterogeneous by design.
type SpecRecord = Record<string, ParamSpec<any>>;
type ParamsOf<S extends SpecRecord> = {
  -readonly [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never;
};

/**
 * Builds a rule's parameter set. `check` adds a cross-parameter condition and returns the offending
 * parameter and why.
 */
export function defineParams<S extends SpecRecord>(
  specs: S,
  check?: (p: ParamsOf<S>) => { param: keyof S & string; message: string } | undefined,
): ParamSet<ParamsOf<S>> {
  const shape: Record<string, z.ZodType> = {};
  const defaults: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    shape[key] = spec.schema.default(spec.default);
    defaults[key] = spec.default;
  }
  let schema: z.ZodType<ParamsOf<S>> = z.strictObject(shape) as unknown as z.ZodType<ParamsOf<S>>;
  if (check) {
    schema = schema.superRefine((p, ctx) => {
      const problem = check(p);
      if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: [problem.param] });
    });
  }
  return { specs: specs as unknown as ParamSpecs<ParamsOf<S>>, schema, defaults: defaults as ParamsOf<S> };
}

/** Parameter overrides: rule id → parameter → value. */
export type ParamOverrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

function describeIssues(ruleId: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => `${ruleId}.${k}: unknown parameter`).join("; ");
    }
    const param = issue.path.length > 0 ? issue.path.map(String).join(".") : "(parameters)";
    return `${ruleId}.${param}: ${issue.message}`;
  });
}

/** Validates one rule's overrides over its defaults; throws AppError naming rule and parameter. */
export function resolveParams<P>(
  rule: { id: string; params: ParamSet<P> },
  override?: Readonly<Record<string, unknown>>,
): P {
  const result = rule.params.schema.safeParse(override ?? {});
  if (result.success) return result.data;
  const problems = describeIssues(rule.id, result.error);
  throw new AppError("INVALID_INPUT", `Invalid parameter ${problems.join("; ")}`, { problems });
}

/** Resolves the parameters of every rule of a pack; all problems are reported in one AppError. */
export function resolvePackParams(
  pack: readonly AnyRule[],
  overrides: ParamOverrides = {},
): Map<string, Record<string, unknown>> {
  const byId = new Map(pack.map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const id of Object.keys(overrides)) {
    if (!byId.has(id)) problems.push(`${id}: unknown rule`);
  }
  const resolved = new Map<string, Record<string, unknown>>();
  for (const rule of pack) {
    const result = rule.params.schema.safeParse(overrides[rule.id] ?? {});
    if (result.success) resolved.set(rule.id, result.data as Record<string, unknown>);
    else problems.push(...describeIssues(rule.id, result.error));
  }
  if (problems.length > 0) {
    throw new AppError("INVALID_INPUT", `Invalid parameter overrides: ${problems.join("; ")}`, { problems });
  }
  return resolved;
}

/**
 * Parses `rule.param=value` assignments (the CLI's `--set`). The rule id is everything before the last
 * dot of the key. Values starting with { or [ are JSON; true/false are booleans; anything else is text.
 */
export function parseParamAssignments(assignments: readonly string[]): ParamOverrides {
  const out: Record<string, Record<string, unknown>> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    const key = eq < 0 ? "" : assignment.slice(0, eq).trim();
    const dot = key.lastIndexOf(".");
    if (eq < 0 || dot <= 0 || dot === key.length - 1) {
      throw new AppError("INVALID_INPUT", `Expected rule.param=value, got "${assignment}"`);
    }
    const raw = assignment.slice(eq + 1).trim();
    let value: unknown = raw;
    if (raw === "true" || raw === "false") value = raw === "true";
    else if (raw.startsWith("{") || raw.startsWith("[")) {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new AppError("INVALID_INPUT", `${key}: value is not valid JSON: ${raw}`);
      }
    }
    const ruleId = key.slice(0, dot);
    out[ruleId] = { ...out[ruleId], [key.slice(dot + 1)]: value };
  }
  return out;
}
