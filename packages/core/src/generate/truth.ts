/**
 * The answer key written next to the data as truth.json: every planted problem with the records it lives in and
 * what should flag it, and the institutions kept clean. Precision and recall of rules and detectors are measured
 * against it.
 */
import type { PlantKind, ScaleName } from "./scales.ts";

/** What the ids in `subjects` are. */
export type SubjectType =
  | "institution"
  | "enterprise"
  | "person"
  | "loan"
  | "product"
  | "holding"
  | "sale"
  | "listing"
  | "bill";

export interface Plant {
  kind: PlantKind;
  subjectType: SubjectType;
  /** Raw identifiers as written in the data (personal ids before pseudonymisation). */
  subjects: string[];
  /** Periods whose files hold the signal. */
  periods: string[];
  /** "rule:<metric code>" for return thresholds, "detector:<name>" for record-level detectors. */
  flaggedBy: string[];
  details: Record<string, unknown>;
}

export interface Truth {
  seed: number;
  scale: ScaleName;
  periods: string[];
  plants: Plant[];
  /** Institutions with no planted problem whose returns sit comfortably inside every threshold. */
  clean: string[];
  /** How the background is kept free of each signal, so that flags outside `plants` count as false positives. */
  background: Record<string, string>;
  /** Dated registry facts that are not problems but that monitoring should notice. */
  registryEvents: { licencesExpiringSoon: string[]; licencesExpired: string[] };
}

/** Rule references by metric code (the rule packs key their threshold rules by metric). */
export const rule = (metric: string): string => `rule:${metric}`;
export const detector = (name: string): string => `detector:${name}`;

/** How the background is kept clean, written into truth.json. */
export const backgroundGuarantees: Record<string, string> = {
  returns:
    "Every background return sits inside each regulatory threshold and its warning line (bank CAR >= 12%, CET1 >= 9%, NPL <= 3%, liquidity ratio >= 40%, LCR/HQLA/NSFR >= 120%, securities risk coverage >= 150%, insurer comprehensive solvency >= 150%, SLC leverage <= 0.7x, FGC leverage <= 8x, ...); all prohibition flags are 0.",
  loans:
    "Individual borrowers have 1-3 distinct lenders; online small-loan balances stay under RMB 200k and one third of known income; true annual rates (IRR of cash flows, fees included) stay under 24% for local lenders and under 4x LPR for banks, trusts and lending platforms; joint-lending partner shares <= 68%.",
  guarantees:
    "Enterprise guarantees only run from a lower-numbered enterprise to a higher-numbered one, and guarantee companies are never guaranteed, so the background guarantee graph is acyclic.",
  products:
    "Background leverage (total/net) <= 1.30 for open-ended public products, <= 1.80 otherwise and <= 1.35 for tiered private products; only closed-end private products are tiered, within the ratio for their asset class; nesting is at most one layer and the layer held is a public fund or a product that holds no products; equity stakes carry neither fixed return nor buy-back.",
  sales:
    "Every background sale's product risk is within the customer's assessed class (R1 only for the lowest category); banks record every retail sale; every product sold has a filing by the seller (issuer or agent). Non-bank sellers may leave recording_ref empty for online and mobile sales, which the dual-recording rule does not cover.",
  claims:
    "Each person has their own phone, address, bank card and plate (bijective maps), so distinct background claimants never share an identifier.",
  surrenders:
    "Background monthly surrenders vary within about +-25% of each insurer's base, with mild seasonality.",
  venues:
    "Background listings use negotiated transfer or auction, are not standardised, offer no leverage, keep funds segregated, stay under 200 holders after look-through, and no account sells within 5 days of buying.",
  watched:
    "Background watched companies promise no return above 6%, use no guarantee phrases, draw few complaints and receive few individual transfers.",
  bills:
    "Discount proceeds are placed below the discount rate and never in structured deposits or WMPs; endorsements run from lower- to higher-numbered enterprises (acyclic).",
  bonds: "Background issuers have 1-4 bonds at least three months apart, coupons 2.2-4.6%.",
  disclosures: "Background reports are filed on or before their due date.",
};
