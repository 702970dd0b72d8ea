/**
 * One contagion run as the API asks for it: on a stored period (exposures from the lake, balance sheets from
 * returns, missing bilateral rows estimated) or on an uploaded network (JSON nodes and exposures, or the two CSV
 * texts of `beacon contagion`), with a method and one or several shocks. Nothing is stored.
 */
import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { completeNetwork } from "./complete-network.ts";
import { parseNetworkCsv } from "./load-csv.ts";
import { loadStoredNetwork, type StoredNetwork } from "./load-stored.ts";
import type { MissingEstimate } from "./matrix-estimation.ts";
import { buildNetwork, type NetworkInput } from "./network.ts";
import {
  type ContagionOptions,
  type ContagionResult,
  contagionMethods,
  runContagion,
} from "./run-contagion.ts";
import { parseShocks } from "./shock.ts";

const amount = z.number().finite();
const nodeSchema = z.strictObject({
  id: z.string().min(1).max(200),
  capital: amount.optional(),
  externalAssets: amount.min(0).optional(),
  externalLiabilities: amount.min(0).optional(),
  weight: amount.min(0).optional(),
  sector: z.string().max(100).optional(),
  holdings: z.record(z.string().min(1).max(100), amount.min(0)).optional(),
  interbankAssetsTotal: amount.min(0).optional(),
  interbankLiabilitiesTotal: amount.min(0).optional(),
});
const exposureSchema = z.strictObject({
  lender: z.string().min(1).max(200),
  borrower: z.string().min(1).max(200),
  amount: amount.min(0),
});

export const contagionRequest = z
  .strictObject({
    /** A stored period, YYYY-MM. */
    period: z
      .string()
      .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "a month written YYYY-MM")
      .optional(),
    asOf: z.iso.datetime({ offset: true }).optional(),
    /** An uploaded network, as JSON ... */
    network: z
      .strictObject({
        nodes: z.array(nodeSchema).min(1).max(20_000),
        exposures: z.array(exposureSchema).max(200_000),
      })
      .optional(),
    /** ... or as the two CSV texts of `beacon contagion --nodes --exposures` (exposures optional with totals). */
    csv: z.strictObject({ nodes: z.string().min(1), exposures: z.string().optional() }).optional(),
    method: z.enum(contagionMethods),
    /** One shock, or several combined into one scenario: default:ID,..., uniform:F, sector:NAME=F, asset:CLASS=F, ... */
    shock: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(50)]),
    estimate: z.enum(["max-entropy", "min-density", "none"]).optional(),
    seniority: z.enum(["pari-passu", "external-senior"]).optional(),
    alpha: z.number().min(0).max(1).optional(),
    beta: z.number().min(0).max(1).optional(),
    recoveryRate: z.number().min(0).max(1).optional(),
    threshold: z.number().positive().max(1).optional(),
    tolerance: z.number().min(0).optional(),
    maxIterations: z.number().int().min(1).max(1_000_000).optional(),
    /** Per-node outcomes (default: yes, except for `each`). */
    includeNodes: z.boolean().optional(),
  })
  .refine((r) => [r.period, r.network, r.csv].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one of period, network or csv",
  })
  .refine((r) => r.asOf === undefined || r.period !== undefined, {
    message: "asOf applies to a stored period",
  });

export type ContagionRequest = z.infer<typeof contagionRequest>;

export type ContagionResponse = ContagionResult & {
  /** Stored period: where every figure came from, estimated links included. */
  provenance?: StoredNetwork["provenance"];
  /** Uploaded network: links estimated from the nodes' interbank totals. */
  estimated?: MissingEstimate;
};

/** Runs the request; bad input of any kind is an INVALID_INPUT naming what and why. */
export async function runContagionRequest(
  db: Sql,
  dataDir: string,
  request: ContagionRequest,
): Promise<ContagionResponse> {
  const shock = parseShocks(typeof request.shock === "string" ? [request.shock] : request.shock, "shock");
  const options: ContagionOptions = { method: request.method, shock };
  for (const key of [
    "seniority",
    "alpha",
    "beta",
    "recoveryRate",
    "threshold",
    "tolerance",
    "maxIterations",
    "includeNodes",
  ] as const) {
    if (request[key] !== undefined) (options as unknown as Record<string, unknown>)[key] = request[key];
  }
  const estimate = request.estimate ?? "max-entropy";
  if (request.period !== undefined) {
    const stored = await loadStoredNetwork(db, dataDir, request.period, request.asOf, estimate);
    const result = runContagion(buildNetwork(stored.input), options);
    return { ...result, provenance: stored.provenance };
  }
  let input: NetworkInput;
  if (request.csv) {
    input = parseNetworkCsv(
      { name: "csv.nodes", text: request.csv.nodes },
      request.csv.exposures === undefined ? null : { name: "csv.exposures", text: request.csv.exposures },
    );
  } else input = request.network as NetworkInput;
  const completed = completeNetwork(input, estimate);
  const result = runContagion(buildNetwork(completed.input), options);
  return { ...result, ...(completed.estimated ? { estimated: completed.estimated } : {}) };
}
