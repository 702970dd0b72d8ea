/**
 * Parameter kinds detectors need besides the rules' decimal parameters: whole numbers, switches and lists. Each
 * accepts the text form too, so `--param multiple_loans.min_lenders_individual=6` and JSON bodies validate alike.
 */
import { z } from "zod";
import { AppError } from "../errors.ts";
import { parseDecimal } from "../metrics/decimal.ts";
import type { ParamOverrides } from "../rules/params.ts";
import type { ParamSpec, ParamStatus } from "../rules/types.ts";
import type { AnyDetector } from "./types.ts";

interface Described {
  status: ParamStatus;
  en: string;
  zh: string;
  note?: string;
}

/** A whole number within [min, max]. */
export function intParam(
  defaultValue: number,
  min: number,
  max: number,
  described: Described,
): ParamSpec<number> {
  const schema = z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?[0-9]+$/, "expected a whole number")
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));
  return { schema, default: defaultValue, ...described };
}

/** A switch: true/false, also as text. */
export function boolParam(defaultValue: boolean, described: Described): ParamSpec<boolean> {
  const schema = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
  return { schema, default: defaultValue, ...described };
}

/** A list of values from a fixed vocabulary; text is split on commas. */
export function listParam<const T extends string>(
  values: readonly [T, ...T[]],
  defaultValue: readonly T[],
  described: Described,
): ParamSpec<T[]> {
  const schema = z
    .union([z.array(z.string()), z.string().transform((s) => s.split(",").map((x) => x.trim()))])
    .pipe(z.array(z.enum(values)).min(1));
  return { schema, default: [...defaultValue], ...described };
}

/** A validated decimal parameter (decimal text or fraction) as a JavaScript number. */
export function num(text: string): number {
  const r = parseDecimal(text.trim());
  if (!r) throw new AppError("INVALID_INPUT", `not a decimal: ${text}`);
  return Number(r.num) / Number(r.den);
}

/**
 * Parses `--param detector.key=value` pairs into overrides; every problem names the pair. Values stay text and
 * are validated by each detector's schema.
 */
export function parseParamPairs(pairs: readonly string[]): ParamOverrides {
  const out: Record<string, Record<string, unknown>> = {};
  const problems: string[] = [];
  for (const pair of pairs) {
    const m = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)=(.*)$/.exec(pair);
    if (!m) {
      problems.push(`"${pair}" is not detector.key=value`);
      continue;
    }
    const detector = out[m[1]!] ?? {};
    detector[m[2]!] = m[3]!;
    out[m[1]!] = detector;
  }
  if (problems.length > 0)
    throw new AppError("INVALID_INPUT", `invalid --param: ${problems.join("; ")}`, { problems });
  return out;
}

/** Validates every detector's overrides over its defaults at once; throws one error listing every problem. */
export function resolveDetectorParams(
  detectors: readonly AnyDetector[],
  overrides: ParamOverrides = {},
): Map<string, Record<string, unknown>> {
  const problems: string[] = [];
  const known = new Set(detectors.map((d) => d.id));
  for (const id of Object.keys(overrides)) {
    if (!known.has(id)) problems.push(`${id}: not a detector of this run`);
  }
  const out = new Map<string, Record<string, unknown>>();
  for (const d of detectors) {
    const result = d.params.schema.safeParse(overrides[d.id] ?? {});
    if (result.success) {
      out.set(d.id, result.data as Record<string, unknown>);
      continue;
    }
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys")
        for (const k of issue.keys) problems.push(`${d.id}.${k}: unknown parameter`);
      else problems.push(`${d.id}.${issue.path.map(String).join(".") || "(parameters)"}: ${issue.message}`);
    }
  }
  if (problems.length > 0) {
    throw new AppError("INVALID_INPUT", `invalid detector parameters: ${problems.join("; ")}`, { problems });
  }
  return out;
}
