/**
 * Every detector, in the order a full run executes them: a detector that reads others' findings (`after`) comes
 * after them.
 */
import { AppError } from "../errors.ts";
import { billArbitrage } from "./bill-arbitrage.ts";
import { circularEndorsement } from "./circular-endorsement.ts";
import { claimRing } from "./claim-ring.ts";
import { disguisedDebt } from "./disguised-debt.ts";
import { dualRecording } from "./dual-recording.ts";
import { flyingOrder } from "./flying-order.ts";
import { guaranteeCircle } from "./guarantee-circle.ts";
import { hiddenFeeRate } from "./hidden-fee-rate.ts";
import { insuranceComplaints } from "./insurance-complaints.ts";
import { lateDisclosure } from "./late-disclosure.ts";
import { lenderMultipleLoans } from "./lender-multiple-loans.ts";
import { lgfvConcentration } from "./lgfv-concentration.ts";
import { maturityWall } from "./maturity-wall.ts";
import { multipleLoans } from "./multiple-loans.ts";
import { onlineLoanCap } from "./online-loan-cap.ts";
import { productLeverage } from "./product-leverage.ts";
import { productNesting } from "./product-nesting.ts";
import { productTiering } from "./product-tiering.ts";
import { realEstateConcentration } from "./real-estate-concentration.ts";
import { salesHotspots } from "./sales-hotspots.ts";
import { staleAssessment } from "./stale-assessment.ts";
import { suitability } from "./suitability.ts";
import type { AnyDetector } from "./types.ts";

/** Maturity walls come last: they read the enterprises named by every detector before them. */
export const detectorCatalog: readonly AnyDetector[] = [
  multipleLoans,
  lenderMultipleLoans,
  onlineLoanCap,
  hiddenFeeRate,
  realEstateConcentration,
  lgfvConcentration,
  guaranteeCircle,
  claimRing,
  insuranceComplaints,
  suitability,
  staleAssessment,
  dualRecording,
  flyingOrder,
  salesHotspots,
  productNesting,
  productLeverage,
  productTiering,
  disguisedDebt,
  billArbitrage,
  circularEndorsement,
  maturityWall,
  // After the maturity wall, so late filings do not change which issuers it counts as stressed.
  lateDisclosure,
];

/** The detectors named (or all), plus those they read, in catalog order; an unknown name is refused. */
export function detectorsWithDependencies(
  catalog: readonly AnyDetector[],
  names: "all" | readonly string[],
): AnyDetector[] {
  if (names === "all") return [...catalog];
  const byId = new Map(catalog.map((d) => [d.id, d]));
  const unknown = names.filter((n) => !byId.has(n));
  if (unknown.length > 0) {
    throw new AppError(
      "INVALID_INPUT",
      `unknown detector(s): ${unknown.join(", ")}; known: ${catalog.map((d) => d.id).join(", ")}`,
    );
  }
  const wanted = new Set<string>();
  const add = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const dep of byId.get(id)?.after ?? []) add(dep);
  };
  for (const n of names) add(n);
  return catalog.filter((d) => wanted.has(d.id));
}
