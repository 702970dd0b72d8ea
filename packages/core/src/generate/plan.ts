/**
 * Decides every planted problem before any row is written, in a fixed order, and assembles the truth. The plan
 * is a pure function of the world, so each worker rebuilds the same plan.
 */

import { type BillPlan, planBillArbitrage, planCircularEndorsements } from "./bills.ts";
import { type BondPlan, planLateDisclosures, planMaturityWalls } from "./bonds.ts";
import { monthLabel, quarterLabel } from "./calendar.ts";
import { type GuaranteePlan, planGuaranteeCircles } from "./guarantees.ts";
import { type InsurancePlan, planClaimRings, planSurrenderWaves } from "./insurance.ts";
import {
  type LoanPlan,
  planHiddenFees,
  planMultipleLoans,
  planOnlineCaps,
  resetPlantedLoanIds,
} from "./loans.ts";
import { PlanContext } from "./plan-context.ts";
import {
  buildCatalogue,
  type Catalogue,
  planDisguisedDebt,
  planProductLeverage,
  planProductNesting,
  planProductTiering,
} from "./products.ts";
import { licences } from "./registry.ts";
import {
  bankFailureTruth,
  crossings,
  planBankFailures,
  planLateFilings,
  planReturnBreaches,
  type ReturnsPlan,
  reportsIn,
  returnBreachTruth,
  valuesFor,
} from "./returns.ts";
import { planFlyingOrders, planSuitability, planUnrecorded, type SalesPlan } from "./sales.ts";
import { backgroundGuarantees, type Plant, type Truth } from "./truth.ts";
import { planVenueViolations, type VenuePlan } from "./venues.ts";
import { backgroundComplaints, planFundraising, type WatchPlan } from "./watch.ts";
import { streamRng, type World } from "./world.ts";

export interface Plan {
  returns: ReturnsPlan;
  loans: LoanPlan;
  guarantees: GuaranteePlan;
  sales: SalesPlan;
  insurance: InsurancePlan;
  bills: BillPlan;
  venues: VenuePlan;
  bonds: BondPlan;
  watch: WatchPlan;
  catalogue: Catalogue;
  plants: Plant[];
  /** Institutions touched by any plant. */
  touched: Set<number>;
}

/** Plans every planted problem of the world. */
export function buildPlan(world: World): Plan {
  resetPlantedLoanIds();
  const ctx = new PlanContext(world);
  const counts = world.scale.plants;
  const rng = (label: string) => streamRng(world, `plan:${label}`);
  const returns: ReturnsPlan = {
    failures: [],
    breaches: [],
    overrides: new Map(),
    surrenderFactors: new Map(),
    complaintCount: () => 0,
  };
  const loans: LoanPlan = { rows: [] };
  const guarantees: GuaranteePlan = { rows: [] };
  const sales: SalesPlan = { sales: [], assessments: [] };
  const insurance: InsurancePlan = { policies: [], claims: [] };
  const bills: BillPlan = { bills: [], endorsements: [] };
  const venues: VenuePlan = { listings: [], holdings: [], trades: [] };
  const bonds: BondPlan = { bonds: [], disclosures: [] };
  const watch: WatchPlan = { companies: [], complaints: [], transactions: [] };

  planBankFailures(ctx, returns, rng("bank_failure"), counts.bank_failure);
  planReturnBreaches(ctx, returns, rng("return_breach"), counts.return_breach);
  const lateInstitutions = Math.max(1, Math.round(counts.late_disclosure / 4));
  planLateFilings(ctx, returns, rng("late_filings"), lateInstitutions);
  planMultipleLoans(ctx, loans, rng("multiple_loans"), counts.multiple_loans);
  planHiddenFees(ctx, loans, rng("hidden_fee_rate"), counts.hidden_fee_rate);
  planOnlineCaps(ctx, loans, returns, rng("online_loan_cap"), counts.online_loan_cap);
  planGuaranteeCircles(ctx, loans, guarantees, rng("guarantee_circle"), counts.guarantee_circle);
  planMaturityWalls(ctx, bonds, loans, rng("maturity_wall"), counts.maturity_wall);
  planLateDisclosures(
    ctx,
    bonds,
    rng("late_disclosure"),
    Math.max(1, counts.late_disclosure - lateInstitutions),
  );
  const catalogue = buildCatalogue(world);
  planProductLeverage(ctx, catalogue, rng("product_leverage"), counts.product_leverage);
  planProductNesting(ctx, catalogue, rng("product_nesting"), counts.product_nesting);
  planProductTiering(ctx, catalogue, rng("product_tiering"), counts.product_tiering);
  planDisguisedDebt(ctx, catalogue, rng("disguised_debt"), counts.disguised_debt);
  planSuitability(ctx, catalogue, sales, rng("suitability_breach"), counts.suitability_breach);
  planUnrecorded(ctx, catalogue, sales, rng("unrecorded_sale"), counts.unrecorded_sale);
  planFlyingOrders(ctx, catalogue, sales, rng("flying_order"), counts.flying_order);
  planClaimRings(ctx, insurance, rng("claim_ring"), counts.claim_ring);
  planSurrenderWaves(ctx, returns, rng("surrender_wave"), counts.surrender_wave);
  planVenueViolations(ctx, venues, returns, rng("venue_violation"), counts.venue_violation);
  planFundraising(ctx, watch, rng("fundraising_company"), counts.fundraising_company);
  planBillArbitrage(ctx, bills, rng("bill_arbitrage"), counts.bill_arbitrage);
  planCircularEndorsements(ctx, bills, rng("circular_endorsement"), counts.circular_endorsement);

  // Complaints an institution receives about itself feed GEN_COMPLAINTS in its returns.
  returns.complaintCount = (inst, mi) => backgroundComplaints(world, inst, mi);
  // Return-based truth last: it reads the model with every override in place.
  bankFailureTruth(ctx, returns);
  returnBreachTruth(ctx, returns);
  return {
    returns,
    loans,
    guarantees,
    sales,
    insurance,
    bills,
    venues,
    bonds,
    watch,
    catalogue,
    plants: ctx.plants,
    touched: ctx.touched,
  };
}

/** Institutions held back from every plant whose returns stay inside every threshold in every period. */
export function cleanInstitutions(world: World, plan: Plan): string[] {
  const out: string[] = [];
  for (const inst of world.institutions) {
    if (
      !inst.reservedClean ||
      plan.touched.has(inst.idx) ||
      inst.status !== "active" ||
      inst.type === "supervisory_office"
    )
      continue;
    let ok = true;
    if (inst.type !== "watched_company")
      for (const mi of world.months) {
        if (!reportsIn(plan.returns, inst, mi)) continue;
        if (crossings(inst, valuesFor(world, plan.returns, inst, mi)).length > 0) {
          ok = false;
          break;
        }
      }
    if (ok) out.push(inst.code);
  }
  return out;
}

/** Every period label of the range: months, and quarters at quarter ends. */
export function periodLabels(world: World): string[] {
  const out: string[] = [];
  for (const mi of world.months) {
    out.push(monthLabel(mi));
    if (mi % 3 === 2) out.push(quarterLabel(mi));
  }
  return out;
}

/** The answer key written as truth.json. */
export function buildTruth(world: World, plan: Plan): Truth {
  const ev = licences(world, plan.returns.failures).events;
  return {
    seed: world.seed,
    scale: world.scale.name,
    periods: periodLabels(world),
    plants: plan.plants,
    clean: cleanInstitutions(world, plan),
    background: backgroundGuarantees,
    registryEvents: { licencesExpiringSoon: ev.expiringSoon, licencesExpired: ev.expired },
  };
}
