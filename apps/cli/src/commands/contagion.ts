import { readFileSync } from "node:fs";
import { AppError } from "@beacon/core/errors";
import type { Seniority } from "@beacon/core/network/clearing";
import { completeNetwork } from "@beacon/core/network/complete-network";
import { parseNetworkCsv } from "@beacon/core/network/load-csv";
import { loadStoredNetwork, type StoredNetwork } from "@beacon/core/network/load-stored";
import type { EstimationMethod, MissingEstimate } from "@beacon/core/network/matrix-estimation";
import { buildNetwork, capitalMismatches, type Network } from "@beacon/core/network/network";
import {
  type ContagionOptions,
  type ContagionResult,
  contagionMethods,
  isContagionMethod,
  runContagion,
} from "@beacon/core/network/run-contagion";
import { parseShocks } from "@beacon/core/network/shock";
import { fromResult, storeSystemicImportance } from "@beacon/core/network/systemic";
import { withBeacon } from "../beacon.ts";
import { type CommandContext, defineCommand } from "../command.ts";

const usage = `Usage: beacon contagion (--nodes FILE [--exposures FILE] | --period P) --method METHOD --shock SHOCK... [options] [--json]

Interbank contagion stress test.
  --nodes FILE          CSV: id, capital (or equity, or buffer), external_assets, external_liabilities[, weight]
                        [, sector][, asset_CLASS...][, interbank_assets, interbank_liabilities]
  --exposures FILE      CSV: lender, borrower, amount (the borrower owes the lender); may be left out when the
                        nodes give interbank totals, which are then spread by --estimate
  --period P            the network of a stored period (exposures from the lake, balance sheets from returns)
  --as-of INSTANT       with --period: the submissions current at that instant
  --estimate E          max-entropy (default) | min-density | none: links of lenders that report a total but no
                        bilateral amounts; estimated links are listed in the output
  --method METHOD       ${contagionMethods.join(" | ")}
  --shock SHOCK         default:ID[,ID...] | uniform:FRACTION | external:FRACTION[:ID,...] | sector:NAME=FRACTION
                        | asset:CLASS=FRACTION (real_estate, mortgages, lgfv, loans, equity, fixed_income,
                        margin_lending on a stored period; asset_CLASS columns of a CSV) | each | none
                        repeat --shock to combine several in one scenario
                        (e.g. --shock sector:trust=0.2 --shock asset:real_estate=0.3 --shock default:ID)
  --store               with --period, --method debtrank and --shock each: store the ranking as the period's
                        systemic importance (read by scoring and the API)
  --seniority S         eisenberg-noe: pari-passu (default) | external-senior
  --alpha A --beta B    rogers-veraart: recovery on external assets and on interbank receivables of a defaulter
  --recovery R          furfine: recovery rate on exposures to defaulted borrowers (default 0)
  --threshold T         threshold: stress at which a node passes on its default (default 1)
  --tolerance X         convergence tolerance of iterative methods (default: machine precision)
  --max-iterations N    cap on rounds or sweeps
  --top N               rows of the ranking to print for --shock each (default 20)`;

/** Where the network comes from: CSV files now; a stored province period once the lead wires storage in. */
type NetworkSource =
  | { kind: "csv"; nodes: string; exposures: string | undefined }
  | { kind: "period"; period: string };

function sourceOf(values: Record<string, string | boolean | string[] | undefined>): NetworkSource {
  const period = values.period as string | undefined;
  const nodes = values.nodes as string | undefined;
  const exposures = values.exposures as string | undefined;
  if (period !== undefined) {
    if (nodes !== undefined || exposures !== undefined) {
      throw new AppError(
        "INVALID_INPUT",
        "--period and --nodes/--exposures are alternatives; pass one or the other",
      );
    }
    // Checked before the store is opened, so a typo never touches the data folder.
    if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(period)) {
      throw new AppError("INVALID_INPUT", `--period "${period}" must be a month written YYYY-MM`);
    }
    return { kind: "period", period };
  }
  if (nodes === undefined) {
    throw new AppError("INVALID_INPUT", `pass --period, or --nodes (and --exposures)\n\n${usage}`);
  }
  return { kind: "csv", nodes, exposures };
}

function readSource(flag: string, path: string): { name: string; text: string } {
  try {
    return { name: path, text: readFileSync(path, "utf8") };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message;
    throw new AppError("INVALID_INPUT", `${flag}: cannot read "${path}" (${why})`);
  }
}

async function loadNetwork(
  source: NetworkSource,
  ctx: CommandContext,
  estimate: EstimationMethod | "none",
  asOf?: string,
): Promise<{ net: Network; provenance?: StoredNetwork["provenance"]; estimated?: MissingEstimate }> {
  if (source.kind === "period") {
    const stored = await withBeacon(ctx, (beacon) =>
      loadStoredNetwork(beacon.db, beacon.config.dataDir, source.period, asOf, estimate),
    );
    return { net: buildNetwork(stored.input), provenance: stored.provenance };
  }
  const parsed = parseNetworkCsv(
    readSource("--nodes", source.nodes),
    source.exposures === undefined ? null : readSource("--exposures", source.exposures),
  );
  const { input, estimated } = completeNetwork(parsed, estimate);
  if (input.exposures.length === 0 && source.exposures === undefined) {
    throw new AppError(
      "INVALID_INPUT",
      `${source.nodes}: without --exposures, give interbank_assets and interbank_liabilities columns to estimate the links from`,
    );
  }
  return { net: buildNetwork(input), ...(estimated ? { estimated } : {}) };
}

function numberFlag(values: Record<string, unknown>, flag: string): number | undefined {
  const raw = values[flag] as string | undefined;
  if (raw === undefined) return undefined;
  const value = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw new AppError("INVALID_INPUT", `--${flag} "${raw}" is not a number`);
  return value;
}

function optionsOf(values: Record<string, string | boolean | string[] | undefined>): ContagionOptions {
  const method = values.method as string | undefined;
  if (method === undefined)
    throw new AppError("INVALID_INPUT", `pass --method (${contagionMethods.join(", ")})`);
  if (!isContagionMethod(method)) {
    throw new AppError(
      "INVALID_INPUT",
      `--method "${method}" is not a method; expected one of ${contagionMethods.join(", ")}`,
    );
  }
  const shockTexts = (values.shock as string[] | undefined) ?? [];
  if (shockTexts.length === 0)
    throw new AppError(
      "INVALID_INPUT",
      "pass --shock (e.g. default:BANK1, uniform:0.1, sector:trust=0.2 or each)",
    );
  const options: ContagionOptions = { method, shock: parseShocks(shockTexts, "--shock") };
  const seniority = values.seniority as string | undefined;
  if (seniority !== undefined) {
    if (seniority !== "pari-passu" && seniority !== "external-senior") {
      throw new AppError("INVALID_INPUT", `--seniority "${seniority}" must be pari-passu or external-senior`);
    }
    options.seniority = seniority satisfies Seniority;
  }
  const numeric: Array<
    [string, "alpha" | "beta" | "recoveryRate" | "threshold" | "tolerance" | "maxIterations"]
  > = [
    ["alpha", "alpha"],
    ["beta", "beta"],
    ["recovery", "recoveryRate"],
    ["threshold", "threshold"],
    ["tolerance", "tolerance"],
    ["max-iterations", "maxIterations"],
  ];
  for (const [flag, key] of numeric) {
    const value = numberFlag(values, flag);
    if (value !== undefined) options[key] = value;
  }
  if (
    options.maxIterations !== undefined &&
    (!Number.isInteger(options.maxIterations) || options.maxIterations < 1)
  ) {
    throw new AppError(
      "INVALID_INPUT",
      `--max-iterations must be a positive integer (got ${options.maxIterations})`,
    );
  }
  if (options.tolerance !== undefined && options.tolerance < 0) {
    throw new AppError("INVALID_INPUT", `--tolerance must not be negative (got ${options.tolerance})`);
  }
  return options;
}

const fmt = (x: number, digits = 4) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));

type Output = ContagionResult & {
  top: number;
  provenance?: StoredNetwork["provenance"];
  /** CSV networks: links estimated from the nodes' interbank totals. */
  estimated?: MissingEstimate;
  /** --store: the run that holds the period's systemic importance. */
  storedRun?: number;
};

const estimates = ["max-entropy", "min-density", "none"] as const;

export const command = defineCommand<Output>({
  name: "contagion",
  summary: "Interbank contagion stress test (Eisenberg-Noe, Rogers-Veraart, Furfine, DebtRank, threshold)",
  usage,
  options: {
    nodes: { type: "string" },
    exposures: { type: "string" },
    period: { type: "string" },
    "as-of": { type: "string" },
    method: { type: "string" },
    shock: { type: "string", multiple: true },
    estimate: { type: "string" },
    store: { type: "boolean" },
    seniority: { type: "string" },
    alpha: { type: "string" },
    beta: { type: "string" },
    recovery: { type: "string" },
    threshold: { type: "string" },
    tolerance: { type: "string" },
    "max-iterations": { type: "string" },
    top: { type: "string" },
  },
  async run({ values }, ctx) {
    // Check every flag before touching the files, so a typo fails fast.
    const options = optionsOf(values);
    const top = numberFlag(values, "top") ?? 20;
    if (!Number.isInteger(top) || top < 1)
      throw new AppError("INVALID_INPUT", `--top must be a positive integer (got ${top})`);
    const source = sourceOf(values);
    const asOf = values["as-of"] as string | undefined;
    if (asOf !== undefined && Number.isNaN(Date.parse(asOf)))
      throw new AppError("INVALID_INPUT", `--as-of "${asOf}" is not a date or instant`);
    const estimate = (values.estimate as string | undefined) ?? "max-entropy";
    if (!(estimates as readonly string[]).includes(estimate))
      throw new AppError("INVALID_INPUT", `--estimate "${estimate}" must be one of ${estimates.join(", ")}`);
    const store = values.store === true;
    if (
      store &&
      (source.kind !== "period" || options.method !== "debtrank" || options.shock.kind !== "each")
    ) {
      throw new AppError(
        "INVALID_INPUT",
        "--store keeps a period's systemic importance: use it with --period, --method debtrank and --shock each",
      );
    }
    const loaded = await loadNetwork(source, ctx, estimate as EstimationMethod | "none", asOf);
    const { net, provenance } = loaded;
    ctx.log(
      `contagion: ${net.size} institutions, ${net.exposureCount} exposures; ${options.method}, shock ${(values.shock as string[]).join(" + ")}`,
    );
    const left = provenance?.excluded ?? [];
    if (left.length > 0) {
      ctx.log(
        `note: ${left.length} institution(s) with exposures report no balance sheet and are left out ` +
          `(${left
            .slice(0, 5)
            .map((x) => `${x.id} ${x.type}`)
            .join(", ")}${left.length > 5 ? ", ..." : ""}); see provenance.excluded`,
      );
    }
    const estimatedList = provenance?.estimated ?? (loaded.estimated ? [loaded.estimated] : []);
    for (const e of estimatedList) {
      ctx.log(
        `estimated: ${e.links.length} link(s) by ${e.method} for ${e.lenders.length} lender(s) reporting only a total` +
          `${"market" in e ? ` (${e.market})` : ""}${e.unallocated > 0 ? `; ${e.unallocated} could not be placed` : ""}`,
      );
    }
    if (options.method === "eisenberg-noe" || options.method === "rogers-veraart") {
      const off = capitalMismatches(net);
      if (off.length > 0) {
        ctx.log(
          `note: for ${off.length} institution(s) (${off.slice(0, 5).join(", ")}${off.length > 5 ? ", ..." : ""}) the capital column differs ` +
            "from the book equity of their balance sheet; clearing methods use the balance sheet",
        );
      }
    }
    const result = runContagion(net, options);
    const out: Output = {
      ...result,
      top,
      ...(provenance ? { provenance } : {}),
      ...(loaded.estimated ? { estimated: loaded.estimated } : {}),
    };
    if (store && provenance) {
      const record = fromResult(result, provenance, estimate as EstimationMethod | "none");
      out.storedRun = await withBeacon(ctx, (beacon) =>
        storeSystemicImportance(beacon.db, record, process.env.USER ?? "cli"),
      );
      ctx.log(`stored as contagion run ${out.storedRun} (systemic importance of ${provenance.period})`);
    }
    return out;
  },
  render(r) {
    const params = Object.entries(r.parameters).map(([k, v]) => `${k} ${v}`);
    const lines = [
      `${r.method}${params.length ? ` (${params.join(", ")})` : ""}, shock ${r.shock}: ${r.nodes} institutions, ${r.exposures} exposures`,
    ];
    for (const e of r.provenance?.estimated ?? (r.estimated ? [r.estimated] : [])) {
      lines.push(
        `estimated links (${e.method}${"market" in e ? `, ${e.market}` : ""}): ${e.links.length}, from the totals of ` +
          `${e.lenders.slice(0, 5).join(", ")}${e.lenders.length > 5 ? ` and ${e.lenders.length - 5} more` : ""}` +
          (e.unallocated > 0 ? `; ${fmt(e.unallocated)} not placed` : ""),
      );
      for (const l of e.links.slice(0, 10)) lines.push(`  ${l.lender} -> ${l.borrower}  ${fmt(l.amount)}`);
      if (e.links.length > 10) lines.push(`  ... ${e.links.length - 10} more (--json for all)`);
    }
    if (r.storedRun !== undefined) lines.push(`stored as contagion run ${r.storedRun}`);
    if (r.ranking) {
      lines.push("rank  institution           additional stress  additional losses  additional defaults");
      for (const e of r.ranking.slice(0, r.top)) {
        lines.push(
          `${String(e.rank).padStart(4)}  ${e.id.padEnd(20)}  ${fmt(e.additionalStress).padStart(17)}  ${fmt(e.additionalLosses).padStart(17)}  ${String(e.additionalDefaults).padStart(19)}`,
        );
      }
      if (r.ranking.length > r.top)
        lines.push(`... ${r.ranking.length - r.top} more (--top N, or --json for all)`);
      return lines.join("\n");
    }
    for (const s of r.scenarios) {
      lines.push(
        `original stress ${fmt(s.originalStress)}, additional stress ${fmt(s.additionalStress)}; ` +
          `original losses ${fmt(s.originalLosses)}, additional losses ${fmt(s.additionalLosses)}; ` +
          `defaults ${s.initialDefaults} + ${s.additionalDefaults}; ${s.iterations} rounds${s.converged ? "" : " (NOT converged)"}`,
      );
      if (s.sectors) {
        lines.push(
          "sector                institutions  shock stress  added stress  original losses  added losses  defaults",
        );
        for (const x of s.sectors) {
          lines.push(
            `${x.sector.padEnd(20)}  ${String(x.institutions).padStart(12)}  ${fmt(x.originalStress).padStart(12)}  ${fmt(x.additionalStress).padStart(12)}  ${fmt(x.originalLosses).padStart(15)}  ${fmt(x.additionalLosses).padStart(12)}  ${`${x.initialDefaults} + ${x.additionalDefaults}`.padStart(8)}`,
          );
        }
      }
      if (!s.nodes) continue;
      const payments = s.nodes.some((n) => n.payment !== undefined);
      lines.push(
        `institution           shock stress  final stress  shocked equity  final equity${payments ? "       payment" : ""}  default`,
      );
      for (const n of s.nodes) {
        lines.push(
          `${n.id.padEnd(20)}  ${fmt(n.initialStress).padStart(12)}  ${fmt(n.finalStress).padStart(12)}  ${fmt(n.shockedEquity).padStart(14)}  ${fmt(n.finalEquity).padStart(12)}${payments ? `  ${fmt(n.payment ?? 0).padStart(12)}` : ""}  ${n.defaulted ? "yes" : ""}`,
        );
      }
    }
    return lines.join("\n");
  },
});
