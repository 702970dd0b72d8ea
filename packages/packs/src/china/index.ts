/** The China rule pack: every rule, in family order, and the same rules by id. */
import type { AnyRule } from "@beacon/core/rules/index";
import { assetManagementRules } from "./asset-management.ts";
import { bankCapitalRules } from "./bank-capital.ts";
import { bankConcentrationRules } from "./bank-concentration.ts";
import { bankCreditRules } from "./bank-credit.ts";
import { bankLiquidityRules } from "./bank-liquidity.ts";
import { billsRules } from "./bills.ts";
import { disclosureRules } from "./disclosure.ts";
import { financingGuaranteeRules } from "./financing-guarantee.ts";
import { insuranceRules } from "./insurance.ts";
import { onlineSmallLoanRules } from "./online-small-loan.ts";
import { securitiesRules } from "./securities.ts";
import { smallLoanRules } from "./small-loan.ts";
import { tradingVenueRules } from "./trading-venues.ts";

export const chinaPack: readonly AnyRule[] = [
  ...assetManagementRules,
  ...bankCapitalRules,
  ...bankCreditRules,
  ...bankLiquidityRules,
  ...bankConcentrationRules,
  ...billsRules,
  ...securitiesRules,
  ...insuranceRules,
  ...smallLoanRules,
  ...onlineSmallLoanRules,
  ...financingGuaranteeRules,
  ...tradingVenueRules,
  ...disclosureRules,
];

export const rulesById: ReadonlyMap<string, AnyRule> = new Map(chinaPack.map((r) => [r.id, r]));
