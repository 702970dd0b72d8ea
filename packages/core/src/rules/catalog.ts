/**
 * A rule catalog: the entity rules and record rules of one pack, addressable by id, with a version derived from
 * every rule's id, version and defaults, so a stored result names exactly the code that produced it.
 */
import { createHash } from "node:crypto";
import { AppError } from "../errors.ts";
import type { ParamOverrides } from "./params.ts";
import { resolveParams } from "./params.ts";
import type { AnyRecordRule } from "./record/record-rule.ts";
import type { AnyRule, ParamSpec } from "./types.ts";

export type CatalogEntry = { level: "entity"; rule: AnyRule } | { level: "record"; rule: AnyRecordRule };

export interface RuleCatalog {
  readonly name: string;
  /** `name-<12 hex>`: changes whenever a rule, its version or a default changes. */
  readonly version: string;
  readonly entityRules: readonly AnyRule[];
  readonly recordRules: readonly AnyRecordRule[];
  readonly rules: ReadonlyMap<string, CatalogEntry>;
}

/** Builds a catalog; rule ids must be unique across both levels. */
export function defineCatalog(
  name: string,
  entityRules: readonly AnyRule[],
  recordRules: readonly AnyRecordRule[],
): RuleCatalog {
  const rules = new Map<string, CatalogEntry>();
  for (const rule of entityRules) {
    if (rules.has(rule.id)) throw new AppError("INTERNAL", `Duplicate rule id ${rule.id} in catalog ${name}`);
    rules.set(rule.id, { level: "entity", rule });
  }
  for (const rule of recordRules) {
    if (rules.has(rule.id)) throw new AppError("INTERNAL", `Duplicate rule id ${rule.id} in catalog ${name}`);
    rules.set(rule.id, { level: "record", rule });
  }
  const fingerprint = [...rules.values()].map((e) => [
    e.level,
    e.rule.id,
    e.rule.version,
    e.rule.params.defaults,
  ]);
  const hash = createHash("sha256").update(JSON.stringify(fingerprint)).digest("hex").slice(0, 12);
  return { name, version: `${name}-${hash}`, entityRules, recordRules, rules };
}

/** The rule with this id, or NOT_FOUND. */
export function catalogRule(catalog: RuleCatalog, id: string): CatalogEntry {
  const entry = catalog.rules.get(id);
  if (!entry) throw new AppError("NOT_FOUND", `unknown rule "${id}" (\`beacon rules list\` shows the rules)`);
  return entry;
}

/** The parameter specs of a rule, by name. */
export function paramSpecs(entry: CatalogEntry): Record<string, ParamSpec<unknown>> {
  return entry.rule.params.specs as Record<string, ParamSpec<unknown>>;
}

/**
 * Resolves every rule's parameters: defaults overlaid with `overrides` (rule id → parameter → value), each rule's
 * schema validating the result. All problems (unknown rule, unknown parameter, refused value) come in one AppError
 * whose `details.problems` lists them.
 */
export function resolveCatalogParams(
  catalog: RuleCatalog,
  overrides: ParamOverrides = {},
): Map<string, Record<string, unknown>> {
  const problems: string[] = [];
  for (const id of Object.keys(overrides)) {
    if (!catalog.rules.has(id)) problems.push(`${id}: unknown rule`);
  }
  const resolved = new Map<string, Record<string, unknown>>();
  for (const [id, entry] of catalog.rules) {
    try {
      resolved.set(id, resolveParams(entry.rule, overrides[id]) as Record<string, unknown>);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const listed = (e.details as { problems?: string[] } | undefined)?.problems;
      problems.push(...(listed ?? [e.message]));
    }
  }
  if (problems.length > 0) {
    throw new AppError("INVALID_INPUT", `Invalid parameters: ${problems.join("; ")}`, { problems });
  }
  return resolved;
}

/** Parameters of a rule still at a default marked to_confirm (not overridden by a governed or what-if value). */
export function provisionalParams(
  entry: CatalogEntry,
  override?: Readonly<Record<string, unknown>>,
): Set<string> {
  const out = new Set<string>();
  for (const [key, spec] of Object.entries(paramSpecs(entry))) {
    if (spec.status === "to_confirm" && !(override && key in override)) out.add(key);
  }
  return out;
}
