/** Bills: acceptance concentration and acceptance margin limits for acceptors. */

import { thresholdRule } from "@beacon/core/rules/index";
import { maximumParams } from "./common.ts";
import { docs } from "./legal-basis.ts";

const billsRule = {
  version: 1,
  family: "bills",
  severity: "medium",
  // Finance companies accept drafts too, but are not an institution type yet.
  appliesTo: { types: ["bank"] },
  effective: { from: "2024-01-01" },
  legalBasis: [docs.bills2022],
  leadUnit: "pbc_cq",
  comparator: "<=",
  regulatory: "maximum",
  notes: [
    "Finance companies are covered by the same limits but have no institution type; add one to extend the rule.",
    "Tenor (≤ 6 months) and bill arbitrage are record-level checks over bill data.",
  ],
} as const;

export const acceptanceConcentration = thresholdRule({
  ...billsRule,
  id: "cn.bills.acceptance_concentration",
  zh: "承兑余额集中度",
  en: "Acceptance concentration",
  params: maximumParams("0.15"),
  metric: "BANK_ACCEPTANCE_RATIO",
});

export const acceptanceMargin = thresholdRule({
  ...billsRule,
  id: "cn.bills.acceptance_margin",
  zh: "承兑保证金占比",
  en: "Acceptance margin deposits",
  params: maximumParams("0.1"),
  metric: "BANK_ACCEPTANCE_MARGIN_RATIO",
});

export const billsRules = [acceptanceConcentration, acceptanceMargin];
