import { AppError } from "../errors.ts";
import type { Network } from "./network.ts";

/**
 * What hits the network before contagion.
 * - default: the named institutions default (stress 1; in clearing models their external assets are wiped out).
 * - uniform: every institution loses this fraction of its capital.
 * - external: external assets lose this fraction (all institutions, or only `nodeIds`: a sector or asset class).
 * - each: one scenario per institution, its own default (systemic-importance ranking).
 * - none: the network as given (institutions already insolvent start the cascade).
 */
export type Shock =
  | { kind: "default"; ids: readonly string[] }
  | { kind: "uniform"; fraction: number }
  | { kind: "external"; fraction: number; nodeIds?: readonly string[] }
  | { kind: "each" }
  | { kind: "none" };

/** One concrete scenario of a shock, before it is turned into numbers for a given method. */
export interface ScenarioSpec {
  name: string;
  kind: "default" | "uniform" | "external" | "none";
  /** Indices of the institutions the shock names (defaults, or the external-asset subset). */
  targets: Int32Array | null;
  fraction: number;
}

const shockSyntax = "default:ID[,ID...], uniform:FRACTION, external:FRACTION[:ID,ID...], each or none";

function parseFraction(text: string, flag: string, raw: string): number {
  const trimmed = text.trim();
  const value = trimmed === "" ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new AppError("INVALID_INPUT", `${flag} "${raw}": the fraction must be a number between 0 and 1`);
  }
  return value;
}

function parseIds(text: string, flag: string, raw: string): string[] {
  const ids = text.split(",").map((s) => s.trim());
  if (ids.length === 0 || ids.some((s) => s === "")) {
    throw new AppError(
      "INVALID_INPUT",
      `${flag} "${raw}": expected a comma-separated list of institution ids`,
    );
  }
  return ids;
}

/** Parses `default:ID[,ID...]`, `uniform:FRACTION`, `external:FRACTION[:ID,...]`, `each` or `none`. */
export function parseShock(text: string, flag = "--shock"): Shock {
  const raw = text.trim();
  const colon = raw.indexOf(":");
  const head = (colon < 0 ? raw : raw.slice(0, colon)).toLowerCase();
  const rest = colon < 0 ? null : raw.slice(colon + 1);
  switch (head) {
    case "each":
    case "none":
      if (rest !== null) throw new AppError("INVALID_INPUT", `${flag} "${raw}": "${head}" takes no argument`);
      return { kind: head };
    case "default":
      if (rest === null)
        throw new AppError("INVALID_INPUT", `${flag} "${raw}": name the defaulting ids, e.g. default:BANK1`);
      return { kind: "default", ids: parseIds(rest, flag, raw) };
    case "uniform":
      if (rest === null)
        throw new AppError("INVALID_INPUT", `${flag} "${raw}": give the fraction, e.g. uniform:0.1`);
      return { kind: "uniform", fraction: parseFraction(rest, flag, raw) };
    case "external": {
      if (rest === null)
        throw new AppError("INVALID_INPUT", `${flag} "${raw}": give the fraction, e.g. external:0.2`);
      const second = rest.indexOf(":");
      if (second < 0) return { kind: "external", fraction: parseFraction(rest, flag, raw) };
      return {
        kind: "external",
        fraction: parseFraction(rest.slice(0, second), flag, raw),
        nodeIds: parseIds(rest.slice(second + 1), flag, raw),
      };
    }
    default:
      throw new AppError("INVALID_INPUT", `${flag} "${raw}" is not a shock; expected ${shockSyntax}`);
  }
}

/** Writes a shock back in the command-line syntax (used to label results). */
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
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new AppError("INVALID_INPUT", `${what}: fraction must be between 0 and 1 (got ${fraction})`);
  }
}

/** Validates a shock against the network and lists its scenarios (one, or one per institution for `each`). */
export function expandShock(net: Network, shock: Shock): ScenarioSpec[] {
  switch (shock.kind) {
    case "default":
      return [
        {
          name: formatShock(shock),
          kind: "default",
          targets: resolve(net, shock.ids, "default shock"),
          fraction: 1,
        },
      ];
    case "uniform":
      checkFraction(shock.fraction, "uniform shock");
      return [{ name: formatShock(shock), kind: "uniform", targets: null, fraction: shock.fraction }];
    case "external":
      checkFraction(shock.fraction, "external shock");
      return [
        {
          name: formatShock(shock),
          kind: "external",
          targets: shock.nodeIds ? resolve(net, shock.nodeIds, "external shock") : null,
          fraction: shock.fraction,
        },
      ];
    case "each":
      return net.ids.map((id, i) => ({ name: id, kind: "default", targets: Int32Array.of(i), fraction: 1 }));
    case "none":
      return [{ name: "none", kind: "none", targets: null, fraction: 0 }];
    default:
      throw new AppError("INVALID_INPUT", `unknown shock kind "${(shock as { kind: string }).kind}"`);
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
  if (spec.kind === "default") {
    for (const i of spec.targets!) {
      forced[i] = 1;
      loss[i] = Math.max(0, capital[i]!);
    }
  } else if (spec.kind === "uniform") {
    for (let i = 0; i < n; i++) loss[i] = spec.fraction * Math.max(0, capital[i]!);
  } else if (spec.kind === "external") {
    const targets = spec.targets ?? Int32Array.from({ length: n }, (_, i) => i);
    for (const i of targets) loss[i] = spec.fraction * net.externalAssets[i]!;
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
  if (spec.kind === "default") {
    for (const i of spec.targets!) ea[i] = 0;
  } else if (spec.kind === "uniform") {
    for (let i = 0; i < n; i++) ea[i] = Math.max(0, ea[i]! - spec.fraction * Math.max(0, bookEquity[i]!));
  } else if (spec.kind === "external") {
    const targets = spec.targets ?? Int32Array.from({ length: n }, (_, i) => i);
    for (const i of targets) ea[i] = ea[i]! - spec.fraction * ea[i]!;
  }
  return ea;
}
