import { AppError } from "../errors.ts";
import type { Network } from "./network.ts";

/**
 * What hits the network before contagion.
 * - default: the named institutions default (stress 1; in clearing models their external assets are wiped out).
 * - uniform: every institution loses this fraction of its capital.
 * - external: external assets lose this fraction (all institutions, or only `nodeIds`).
 * - sector: the external assets of every institution of a sector lose this fraction.
 * - asset: every institution loses this fraction of its holdings of an asset class (real_estate, equity, ...).
 * - combined: several of the above in one scenario (see `scenarioOf` for how they add up).
 * - each: one scenario per institution, its own default (systemic-importance ranking).
 * - none: the network as given (institutions already insolvent start the cascade).
 */
export type SingleShock =
  | { kind: "default"; ids: readonly string[] }
  | { kind: "uniform"; fraction: number }
  | { kind: "external"; fraction: number; nodeIds?: readonly string[] }
  | { kind: "sector"; sector: string; fraction: number }
  | { kind: "asset"; assetClass: string; fraction: number };

export type Shock =
  | SingleShock
  | { kind: "combined"; parts: readonly SingleShock[] }
  | { kind: "each" }
  | { kind: "none" };

/**
 * One concrete scenario, before it is turned into numbers for a given method: institutions forced into default,
 * a share of every institution's capital lost, and money lost on each institution's external assets.
 */
export interface ScenarioSpec {
  name: string;
  /** Indices of the institutions forced into default, or null. */
  defaults: Int32Array | null;
  /** Share of its capital every institution loses. */
  uniform: number;
  /** Money lost on each institution's external assets (never more than it holds), or null. */
  externalLoss: Float64Array | null;
}

export const shockSyntax =
  "default:ID[,ID...], uniform:FRACTION, external:FRACTION[:ID,ID...], sector:NAME=FRACTION, asset:CLASS=FRACTION, each or none";

function bad(flag: string, raw: string, why: string): AppError {
  return new AppError("INVALID_INPUT", `${flag} "${raw}"${why.startsWith("is ") ? " " : ": "}${why}`);
}

function parseFraction(text: string, flag: string, raw: string): number {
  const trimmed = text.trim();
  const value = trimmed === "" ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw bad(flag, raw, "the fraction must be a number between 0 and 1");
  }
  return value;
}

function parseIds(text: string, flag: string, raw: string): string[] {
  const ids = text.split(",").map((s) => s.trim());
  if (ids.length === 0 || ids.some((s) => s === "")) {
    throw bad(flag, raw, "expected a comma-separated list of institution ids");
  }
  return ids;
}

/** `NAME=FRACTION` of sector and asset-class shocks. */
function parseNamed(rest: string | null, head: string, flag: string, raw: string): [string, number] {
  const example = head === "sector" ? "sector:trust=0.2" : "asset:real_estate=0.3";
  const eq = rest === null ? -1 : rest.indexOf("=");
  if (rest === null || eq < 0) throw bad(flag, raw, `write ${head}:NAME=FRACTION, e.g. ${example}`);
  const name = rest.slice(0, eq).trim().toLowerCase();
  if (name === "")
    throw bad(flag, raw, `name the ${head === "sector" ? "sector" : "asset class"}, e.g. ${example}`);
  return [name, parseFraction(rest.slice(eq + 1), flag, raw)];
}

/** Parses one shock: see `shockSyntax`. */
export function parseShock(text: string, flag = "--shock"): Shock {
  const raw = text.trim();
  const colon = raw.indexOf(":");
  const head = (colon < 0 ? raw : raw.slice(0, colon)).toLowerCase();
  const rest = colon < 0 ? null : raw.slice(colon + 1);
  switch (head) {
    case "each":
    case "none":
      if (rest !== null) throw bad(flag, raw, `"${head}" takes no argument`);
      return { kind: head };
    case "default":
      if (rest === null) throw bad(flag, raw, "name the defaulting ids, e.g. default:BANK1");
      return { kind: "default", ids: parseIds(rest, flag, raw) };
    case "uniform":
      if (rest === null) throw bad(flag, raw, "give the fraction, e.g. uniform:0.1");
      return { kind: "uniform", fraction: parseFraction(rest, flag, raw) };
    case "external": {
      if (rest === null) throw bad(flag, raw, "give the fraction, e.g. external:0.2");
      const second = rest.indexOf(":");
      if (second < 0) return { kind: "external", fraction: parseFraction(rest, flag, raw) };
      return {
        kind: "external",
        fraction: parseFraction(rest.slice(0, second), flag, raw),
        nodeIds: parseIds(rest.slice(second + 1), flag, raw),
      };
    }
    case "sector": {
      const [sector, fraction] = parseNamed(rest, head, flag, raw);
      return { kind: "sector", sector, fraction };
    }
    case "asset": {
      const [assetClass, fraction] = parseNamed(rest, head, flag, raw);
      return { kind: "asset", assetClass, fraction };
    }
    default:
      throw bad(flag, raw, `is not a shock; expected ${shockSyntax}`);
  }
}

/** Parses one or several shocks (several make one combined scenario; `each` and `none` stand alone). */
export function parseShocks(texts: readonly string[], flag = "--shock"): Shock {
  if (texts.length === 0) throw new AppError("INVALID_INPUT", `${flag}: give a shock (${shockSyntax})`);
  const shocks = texts.map((t) => parseShock(t, flag));
  if (shocks.length === 1) return shocks[0]!;
  const parts: SingleShock[] = [];
  shocks.forEach((s, k) => {
    if (s.kind === "each" || s.kind === "none" || s.kind === "combined") {
      throw bad(flag, texts[k]!.trim(), `"${s.kind}" cannot be combined with other shocks`);
    }
    parts.push(s);
  });
  return { kind: "combined", parts };
}

/** Writes a shock back in the command-line syntax (used to label results); parts of a combination joined by " + ". */
export function formatShock(shock: Shock): string {
  switch (shock.kind) {
    case "default":
      return `default:${shock.ids.join(",")}`;
    case "uniform":
      return `uniform:${shock.fraction}`;
    case "external":
      return shock.nodeIds
        ? `external:${shock.fraction}:${shock.nodeIds.join(",")}`
        : `external:${shock.fraction}`;
    case "sector":
      return `sector:${shock.sector}=${shock.fraction}`;
    case "asset":
      return `asset:${shock.assetClass}=${shock.fraction}`;
    case "combined":
      return shock.parts.map(formatShock).join(" + ");
    default:
      return shock.kind;
  }
}

function resolve(net: Network, ids: readonly string[], what: string): Int32Array {
  if (ids.length === 0) throw new AppError("INVALID_INPUT", `${what}: no institution ids given`);
  const out = new Int32Array(ids.length);
  ids.forEach((id, k) => {
    const i = net.indexOf.get(id);
    if (i === undefined) throw new AppError("INVALID_INPUT", `${what}: unknown institution id "${id}"`);
    out[k] = i;
  });
  return out;
}

function checkFraction(fraction: number, what: string): void {
  if (typeof fraction !== "number" || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new AppError("INVALID_INPUT", `${what}: fraction must be between 0 and 1 (got ${fraction})`);
  }
}

/** Sectors present in the network, sorted. */
export function sectorsOf(net: Network): string[] {
  return [...new Set(net.sector.filter((s): s is string => s !== null))].sort();
}

/**
 * A single or combined shock as one scenario. Parts add up: defaults are united, capital shares summed, and the
 * money lost on external assets summed per institution, never beyond what it holds (overlapping parts, such as
 * real_estate and mortgages, count twice until that cap: name only one of them).
 */
function scenarioOf(net: Network, parts: readonly SingleShock[], name: string): ScenarioSpec {
  const n = net.size;
  const defaults = new Set<number>();
  let uniform = 0;
  let externalLoss: Float64Array | null = null;
  const lose = (i: number, money: number) => {
    externalLoss ??= new Float64Array(n);
    externalLoss[i]! += money;
  };
  for (const part of parts) {
    switch (part.kind) {
      case "default":
        for (const i of resolve(net, part.ids, "default shock")) defaults.add(i);
        break;
      case "uniform":
        checkFraction(part.fraction, "uniform shock");
        uniform += part.fraction;
        break;
      case "external": {
        checkFraction(part.fraction, "external shock");
        const targets = part.nodeIds ? resolve(net, part.nodeIds, "external shock") : null;
        if (targets) for (const i of targets) lose(i, part.fraction * net.externalAssets[i]!);
        else for (let i = 0; i < n; i++) lose(i, part.fraction * net.externalAssets[i]!);
        break;
      }
      case "sector": {
        const what = `sector shock "${part.sector}"`;
        checkFraction(part.fraction, what);
        let found = false;
        for (let i = 0; i < n; i++) {
          if (net.sector[i] !== part.sector) continue;
          found = true;
          lose(i, part.fraction * net.externalAssets[i]!);
        }
        if (!found) {
          const present = sectorsOf(net);
          throw new AppError(
            "INVALID_INPUT",
            `${what}: no institution of that sector in this network (${present.length ? `sectors present: ${present.join(", ")}` : "the network gives no sectors"})`,
          );
        }
        break;
      }
      case "asset": {
        const what = `asset shock "${part.assetClass}"`;
        checkFraction(part.fraction, what);
        const held = net.holdings.get(part.assetClass);
        if (!held) {
          const known = [...net.holdings.keys()].sort();
          throw new AppError(
            "INVALID_INPUT",
            `${what}: no institution in this network holds that asset class (${known.length ? `classes held: ${known.join(", ")}` : "the network gives no holdings by asset class"})`,
          );
        }
        for (let i = 0; i < n; i++) if (held[i]! > 0) lose(i, part.fraction * held[i]!);
        break;
      }
      default:
        throw new AppError("INVALID_INPUT", `unknown shock kind "${(part as { kind: string }).kind}"`);
    }
  }
  if (uniform > 1)
    throw new AppError(
      "INVALID_INPUT",
      `uniform shocks add up to ${Number(uniform.toPrecision(12))}, more than 1`,
    );
  const loss = externalLoss as Float64Array | null;
  if (loss) for (let i = 0; i < n; i++) loss[i] = Math.min(loss[i]!, net.externalAssets[i]!);
  return {
    name,
    defaults: defaults.size ? Int32Array.from(defaults) : null,
    uniform,
    externalLoss: loss,
  };
}

/** Validates a shock against the network and lists its scenarios (one, or one per institution for `each`). */
export function expandShock(net: Network, shock: Shock): ScenarioSpec[] {
  switch (shock.kind) {
    case "each":
      return net.ids.map((id, i) => ({
        name: id,
        defaults: Int32Array.of(i),
        uniform: 0,
        externalLoss: null,
      }));
    case "none":
      return [{ name: "none", defaults: null, uniform: 0, externalLoss: null }];
    case "combined":
      if (shock.parts.length === 0) throw new AppError("INVALID_INPUT", "a combined shock needs parts");
      return [scenarioOf(net, shock.parts, formatShock(shock))];
    default:
      return [scenarioOf(net, [shock], formatShock(shock))];
  }
}

/** The scenario as a capital loss (DebtRank, threshold, Furfine): money lost per node, and forced defaults. */
export function capitalLossOf(
  net: Network,
  spec: ScenarioSpec,
  capital: Float64Array,
): { loss: Float64Array; forced: Uint8Array } {
  const n = net.size;
  const loss = new Float64Array(n);
  const forced = new Uint8Array(n);
  if (spec.uniform > 0) for (let i = 0; i < n; i++) loss[i] = spec.uniform * Math.max(0, capital[i]!);
  if (spec.externalLoss) for (let i = 0; i < n; i++) loss[i]! += spec.externalLoss[i]!;
  if (spec.defaults) {
    for (const i of spec.defaults) {
      forced[i] = 1;
      loss[i] = Math.max(loss[i]!, capital[i]!, 0);
    }
  }
  return { loss, forced };
}

/**
 * The scenario as shocked external assets (clearing models). A default wipes out the institution's external
 * assets; a uniform capital loss is taken from external assets, which cannot fall below zero.
 */
export function externalAssetsOf(net: Network, spec: ScenarioSpec, bookEquity: Float64Array): Float64Array {
  const n = net.size;
  const ea = net.externalAssets.slice();
  if (spec.externalLoss) for (let i = 0; i < n; i++) ea[i] = ea[i]! - spec.externalLoss[i]!;
  if (spec.uniform > 0) {
    for (let i = 0; i < n; i++) ea[i] = Math.max(0, ea[i]! - spec.uniform * Math.max(0, bookEquity[i]!));
  }
  if (spec.defaults) for (const i of spec.defaults) ea[i] = 0;
  return ea;
}
