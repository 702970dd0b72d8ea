/**
 * Detector parameters under the rules' governance (maker-checker, effective dates, audit), as the scoring weights
 * are: each detector is one entry of the "detectors" catalog, keyed by its id, carrying its parameter schema and
 * defaults, so `proposeParamChange`, `decideParamProposal` and `loadParamsInForce` govern `multiple_loans.
 * min_lenders_individual` exactly as they govern a rule's threshold. The entries never evaluate an entity.
 */
import type { Sql } from "../db/client.ts";
import { loadParamsInForce, resolveInstant } from "../governance/params-in-force.ts";
import { defineCatalog, type RuleCatalog } from "../rules/catalog.ts";
import type { ParamOverrides } from "../rules/params.ts";
import type { AnyRule } from "../rules/types.ts";
import { detectorCatalog } from "./catalog.ts";
import type { AnyDetector } from "./types.ts";

function governedEntry(d: AnyDetector): AnyRule {
  return {
    id: d.id,
    version: 1,
    en: d.en,
    zh: d.zh,
    family: "detector",
    severity: "low",
    appliesTo: { types: [] },
    effective: { from: "2000-01-01" },
    legalBasis: [
      {
        document: { en: `Beacon detector ${d.id} ${d.version}`, zh: `Beacon检测器 ${d.id} ${d.version}` },
        issuer: { en: "Beacon", zh: "Beacon" },
        sources: [],
        status: "U",
      },
    ],
    leadUnit: d.leadUnit,
    reads: [],
    params: d.params,
    evaluate: () => ({
      kind: "not_applicable",
      explanation: { en: "Detector parameters are not a rule.", zh: "检测器参数不是规则。" },
    }),
  };
}

/** The catalog that governs the parameters of `detectors` (default: every detector). */
export function detectorParamsCatalog(detectors: readonly AnyDetector[] = detectorCatalog): RuleCatalog {
  return defineCatalog("detectors", detectors.map(governedEntry), []);
}

export const detectorGovernance: RuleCatalog = detectorParamsCatalog();

export interface DetectorParamsInForce {
  /** Detector id → parameter → approved value in force (absent: the default). */
  overrides: ParamOverrides;
  /** Detector id → parameter → id of the approved proposal that set it. */
  governed: Record<string, Record<string, number>>;
  at: string;
}

/** The governed detector parameters in force at an instant (now by default). */
export async function detectorParamsInForce(
  db: Sql,
  detectors: readonly AnyDetector[] = detectorCatalog,
  asOf?: string,
): Promise<DetectorParamsInForce> {
  const at = await resolveInstant(db, asOf, "asOf");
  const catalog = detectors === detectorCatalog ? detectorGovernance : detectorParamsCatalog(detectors);
  const inForce = await loadParamsInForce(db, catalog, at);
  const governed: Record<string, Record<string, number>> = {};
  for (const [id, params] of inForce.governed) {
    governed[id] = Object.fromEntries([...params].map(([k, v]) => [k, v.proposalId]));
  }
  return { overrides: inForce.overrides, governed, at };
}
