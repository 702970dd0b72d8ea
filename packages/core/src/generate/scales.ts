import type { InstitutionType } from "../contract/institution-types.ts";

export const scaleNames = ["tiny", "small", "medium", "large"] as const;
export type ScaleName = (typeof scaleNames)[number];

/** Kinds of planted problems, as named in truth.json. */
export const plantKinds = [
  "bank_failure",
  "return_breach",
  "product_leverage",
  "product_nesting",
  "product_tiering",
  "disguised_debt",
  "guarantee_circle",
  "multiple_loans",
  "hidden_fee_rate",
  "suitability_breach",
  "unrecorded_sale",
  "flying_order",
  "claim_ring",
  "surrender_wave",
  "venue_violation",
  "fundraising_company",
  "bill_arbitrage",
  "circular_endorsement",
  "maturity_wall",
  "late_disclosure",
  "online_loan_cap",
] as const;
export type PlantKind = (typeof plantKinds)[number];

export interface ScaleConfig {
  name: ScaleName;
  institutions: Record<InstitutionType, number>;
  /** Monthly periods ending at the end period. */
  months: number;
  /** Target rows of the latest loan book (background plus planted). */
  loans: number;
  policies: number;
  claims: number;
  sales: number;
  bills: number;
  /** Multiplier on the per-manager product counts. */
  productFactor: number;
  /** Planted cases per kind. */
  plants: Record<PlantKind, number>;
}

const mix300: Record<InstitutionType, number> = {
  bank: 45,
  securities_firm: 6,
  futures_firm: 5,
  public_fund_manager: 3,
  private_fund_manager: 25,
  trust: 4,
  life_insurer: 8,
  pc_insurer: 8,
  small_loan: 60,
  online_small_loan: 8,
  financing_guarantee: 25,
  financial_leasing: 12,
  pawn: 20,
  commercial_factoring: 15,
  trading_venue: 6,
  local_amc: 3,
  investment_consulting: 12,
  internet_lending_platform: 6,
  watched_company: 30,
  supervisory_office: 10,
};

function scaledMix(factor: number): Record<InstitutionType, number> {
  const out = {} as Record<InstitutionType, number>;
  for (const [k, v] of Object.entries(mix300) as [InstitutionType, number][])
    out[k] = Math.max(1, Math.round(v * factor));
  // One office per supervisory unit, whatever the scale.
  out.supervisory_office = mix300.supervisory_office;
  return out;
}

const smallPlants: Record<PlantKind, number> = {
  bank_failure: 2,
  return_breach: 30,
  product_leverage: 8,
  product_nesting: 6,
  product_tiering: 6,
  disguised_debt: 8,
  guarantee_circle: 10,
  multiple_loans: 30,
  hidden_fee_rate: 20,
  suitability_breach: 20,
  unrecorded_sale: 6,
  flying_order: 4,
  claim_ring: 8,
  surrender_wave: 2,
  venue_violation: 10,
  fundraising_company: 6,
  bill_arbitrage: 8,
  circular_endorsement: 6,
  maturity_wall: 4,
  late_disclosure: 12,
  online_loan_cap: 15,
};

function scaledPlants(factor: number, min: number): Record<PlantKind, number> {
  const out = {} as Record<PlantKind, number>;
  for (const [k, v] of Object.entries(smallPlants) as [PlantKind, number][])
    out[k] = Math.max(min, Math.round(v * factor));
  return out;
}

export const scales: Record<ScaleName, ScaleConfig> = {
  tiny: {
    name: "tiny",
    institutions: {
      bank: 8,
      securities_firm: 2,
      futures_firm: 1,
      public_fund_manager: 1,
      private_fund_manager: 2,
      trust: 1,
      life_insurer: 2,
      pc_insurer: 2,
      small_loan: 4,
      online_small_loan: 2,
      financing_guarantee: 2,
      financial_leasing: 1,
      pawn: 1,
      commercial_factoring: 1,
      trading_venue: 2,
      local_amc: 1,
      investment_consulting: 2,
      internet_lending_platform: 1,
      watched_company: 5,
      supervisory_office: 10,
    },
    months: 12,
    loans: 3_000,
    policies: 2_000,
    claims: 800,
    sales: 1_500,
    bills: 300,
    productFactor: 0.3,
    plants: { ...scaledPlants(0.15, 1), bank_failure: 1, return_breach: 8, surrender_wave: 1 },
  },
  small: {
    name: "small",
    institutions: scaledMix(1),
    months: 36,
    loans: 1_000_000,
    policies: 250_000,
    claims: 100_000,
    sales: 200_000,
    bills: 20_000,
    productFactor: 1,
    plants: smallPlants,
  },
  medium: {
    name: "medium",
    institutions: scaledMix(1000 / 300),
    months: 36,
    loans: 10_000_000,
    policies: 2_500_000,
    claims: 1_000_000,
    sales: 2_000_000,
    bills: 100_000,
    productFactor: 1,
    plants: { ...scaledPlants(2, 1), bank_failure: 3, surrender_wave: 3 },
  },
  large: {
    name: "large",
    institutions: scaledMix(3000 / 300),
    months: 36,
    loans: 100_000_000,
    policies: 25_000_000,
    claims: 10_000_000,
    sales: 20_000_000,
    bills: 1_000_000,
    productFactor: 1,
    plants: { ...scaledPlants(3, 1), bank_failure: 4, surrender_wave: 4 },
  },
};

/** The last monthly period of every scale: fixed so that output never depends on today's date. */
export const DEFAULT_END_PERIOD = "2026-09";

/** Largest number of rows in one file; bigger periods are split into parts. */
export const MAX_ROWS_PER_FILE = 5_000_000;
