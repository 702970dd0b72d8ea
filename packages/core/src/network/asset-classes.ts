import type { ItemCode } from "../contract/items.ts";

/**
 * Asset classes a stress scenario can shock on a stored network (`asset:CLASS=FRACTION`), and the return items
 * that give each institution's holdings of the class. Only classes the returns report are listed; real_estate
 * includes personal mortgages (2020 concentration notice), so name one of the two in a scenario, not both.
 */
export const assetClasses = {
  real_estate: { items: ["BANK_RE_LOANS"], en: "Real-estate loans", zh: "房地产贷款" },
  mortgages: { items: ["BANK_MORTGAGE_LOANS"], en: "Personal housing mortgages", zh: "个人住房贷款" },
  lgfv: {
    items: ["BANK_LGFV_LOANS"],
    en: "Loans to local-government financing vehicles",
    zh: "地方融资平台贷款",
  },
  loans: { items: ["BANK_LOANS_TOTAL", "SLC_LOANS_OUTSTANDING"], en: "Loans", zh: "贷款" },
  equity: {
    items: ["SEC_PROP_EQUITY_HOLDINGS"],
    en: "Proprietary equity and derivatives",
    zh: "自营权益类及衍生品",
  },
  fixed_income: {
    items: ["SEC_PROP_NON_EQUITY_HOLDINGS"],
    en: "Proprietary non-equity holdings",
    zh: "自营非权益类证券",
  },
  margin_lending: {
    items: ["SEC_MARGIN_TOTAL"],
    en: "Margin financing and securities lending",
    zh: "融资融券",
  },
} as const satisfies Record<string, { items: readonly ItemCode[]; en: string; zh: string }>;

export type AssetClass = keyof typeof assetClasses;

/** Return item -> the asset class it measures. */
export const assetClassOfItem: ReadonlyMap<string, AssetClass> = new Map(
  Object.entries(assetClasses).flatMap(([name, c]) => c.items.map((item) => [item, name as AssetClass])),
);
