/**
 * Institution types, sectors and supervisory units, as the Chongqing plan assigns them.
 * Everything keyed by these codes (rules' applicability, item dictionary, scoping) imports them from here.
 */

export const sectors = [
  "banking",
  "securities",
  "insurance",
  "trust",
  "local_finance",
  "internet_finance",
  "unlicensed",
  "supervision",
] as const;
export type Sector = (typeof sectors)[number];

interface InstitutionTypeInfo {
  sector: Sector;
  zh: string;
  en: string;
}

export const institutionTypes = {
  bank: { sector: "banking", zh: "商业银行", en: "Commercial bank" },
  securities_firm: { sector: "securities", zh: "证券公司", en: "Securities firm" },
  futures_firm: { sector: "securities", zh: "期货公司", en: "Futures firm" },
  public_fund_manager: { sector: "securities", zh: "公募基金管理人", en: "Public fund manager" },
  private_fund_manager: { sector: "securities", zh: "私募基金管理人", en: "Private fund manager" },
  trust: { sector: "trust", zh: "信托公司", en: "Trust company" },
  life_insurer: { sector: "insurance", zh: "人身保险公司", en: "Life insurer" },
  pc_insurer: { sector: "insurance", zh: "财产保险公司", en: "Property and casualty insurer" },
  small_loan: { sector: "local_finance", zh: "小额贷款公司", en: "Small-loan company" },
  online_small_loan: { sector: "local_finance", zh: "网络小额贷款公司", en: "Online small-loan company" },
  financing_guarantee: { sector: "local_finance", zh: "融资担保公司", en: "Financing guarantee company" },
  financial_leasing: { sector: "local_finance", zh: "融资租赁公司", en: "Financial leasing company" },
  pawn: { sector: "local_finance", zh: "典当行", en: "Pawnshop" },
  commercial_factoring: { sector: "local_finance", zh: "商业保理公司", en: "Commercial factoring company" },
  trading_venue: { sector: "local_finance", zh: "地方交易场所", en: "Local trading venue" },
  local_amc: { sector: "local_finance", zh: "地方资产管理公司", en: "Local asset-management company" },
  investment_consulting: { sector: "local_finance", zh: "投资咨询公司", en: "Investment-consulting company" },
  internet_lending_platform: {
    sector: "internet_finance",
    zh: "网络借贷平台",
    en: "Internet lending platform",
  },
  watched_company: { sector: "unlicensed", zh: "重点监测企业", en: "Company under watch" },
  /** Regulators' own offices submit complaints, watch lists and outcome labels; they hold no licence. */
  supervisory_office: { sector: "supervision", zh: "监管机构", en: "Supervisory office" },
} as const satisfies Record<string, InstitutionTypeInfo>;

export type InstitutionType = keyof typeof institutionTypes;
export const institutionTypeCodes = Object.keys(institutionTypes) as InstitutionType[];

/** The 2020 real-estate concentration tiers (PBoC + CBIRC notice of 2020-12-31). */
export const bankTiers = [1, 2, 3, 4, 5] as const;
export type BankTier = (typeof bankTiers)[number];

export const supervisoryUnits = {
  pbc_cq: { zh: "人民银行重庆营业管理部", en: "PBoC Chongqing Operations Office" },
  cbrc_cq: { zh: "重庆银监局", en: "Chongqing Banking Regulatory Bureau" },
  csrc_cq: { zh: "重庆证监局", en: "Chongqing Securities Regulatory Bureau" },
  circ_cq: { zh: "重庆保监局", en: "Chongqing Insurance Regulatory Bureau" },
  finance_office: { zh: "市金融办", en: "Municipal Finance Office" },
  ndrc_cq: { zh: "市发展改革委", en: "Municipal Development and Reform Commission" },
  sasac_cq: { zh: "市国资委", en: "Municipal State-owned Assets Supervision and Administration Commission" },
  aic_cq: { zh: "市工商局", en: "Municipal Industry and Commerce Bureau" },
  commerce_cq: { zh: "市商务委", en: "Municipal Commerce Commission" },
  foreign_trade_cq: { zh: "市外经贸委", en: "Municipal Foreign Economic and Trade Commission" },
} as const;
export type SupervisoryUnit = keyof typeof supervisoryUnits;

/** Which unit leads and which coordinate, per sector, as the plan assigns the tasks. */
export const sectorUnits: Record<Sector, { lead: SupervisoryUnit[]; coordinate: SupervisoryUnit[] }> = {
  banking: { lead: ["cbrc_cq", "pbc_cq"], coordinate: [] },
  securities: { lead: ["csrc_cq"], coordinate: ["ndrc_cq", "pbc_cq"] },
  insurance: { lead: ["circ_cq"], coordinate: [] },
  trust: { lead: ["pbc_cq", "cbrc_cq"], coordinate: ["finance_office", "csrc_cq", "circ_cq"] },
  local_finance: {
    lead: ["finance_office"],
    coordinate: ["sasac_cq", "aic_cq", "commerce_cq", "foreign_trade_cq"],
  },
  internet_finance: { lead: ["pbc_cq", "finance_office"], coordinate: ["cbrc_cq", "csrc_cq", "circ_cq"] },
  unlicensed: { lead: ["finance_office"], coordinate: ["aic_cq", "pbc_cq"] },
  supervision: { lead: ["finance_office"], coordinate: [] },
};

/** Types that submit without holding a licence of their own type. */
export const unlicensedReporterTypes: readonly InstitutionType[] = ["supervisory_office"];

export function sectorOf(type: InstitutionType): Sector {
  return institutionTypes[type].sector;
}
