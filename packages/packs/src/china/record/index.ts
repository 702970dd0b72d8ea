/** The China pack's record-level rules: caps checked on every loan, borrower, bill and product in the lake. */
import type { AnyRecordRule } from "@beacon/core/rules/record/record-rule";
import { billTenor } from "./bill-tenor.ts";
import { lookThroughLeverage } from "./look-through-leverage.ts";
import { onlineBorrowerCap } from "./online-borrower-cap.ts";
import { trueRateCap } from "./true-rate-cap.ts";

export const chinaRecordRules: readonly AnyRecordRule[] = [
  trueRateCap,
  onlineBorrowerCap,
  billTenor,
  lookThroughLeverage,
];
