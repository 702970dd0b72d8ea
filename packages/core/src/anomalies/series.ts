/**
 * The monitored series: what is watched for sudden change, per institution and month. Some come from returns
 * (already in the panel), some from granular lake datasets aggregated in DuckDB; where both could serve, the lake
 * series (monthly, closer to the event) wins for the institutions it covers.
 */
import type { InstitutionType } from "../contract/institution-types.ts";
import type { ItemCode } from "../contract/items.ts";
import type { Direction, Transform } from "./robust.ts";

export interface SeriesDef {
  code: string;
  en: string;
  zh: string;
  types: readonly InstitutionType[];
  direction: Direction;
  transform: Transform;
  /** Counts: Poisson floor on the scale. */
  count: boolean;
  /** Money amounts are shown in CNY; others as numbers or percentages. */
  unit: "CNY" | "count" | "ratio";
  /** A lake series that replaces this one for the institutions it covers. */
  replacedBy?: string;
  /** Linear series: the smallest scale (see BaselineOptions.absoluteFloor). */
  floor?: number;
}

const INS: InstitutionType[] = ["life_insurer", "pc_insurer"];
const LIFE: InstitutionType[] = ["life_insurer"];
const BANK: InstitutionType[] = ["bank"];

/** Series built from returns facts held in the panel. */
export interface ReturnsSeriesDef extends SeriesDef {
  source: "returns";
  /**
   * How a month's value comes from its items: an item as reported, a year-to-date item turned into the amount of
   * its own quarter, a monthly change rate, or a ratio of year-to-date flows to a stock.
   */
  build:
    | { kind: "item"; item: ItemCode }
    | { kind: "change"; item: ItemCode }
    | { kind: "ytd_quarter"; items: readonly ItemCode[] }
    | { kind: "ytd_quarter_ratio"; items: readonly ItemCode[]; over: ItemCode };
}

export interface LakeSeriesDef extends SeriesDef {
  source: "lake";
  dataset: string;
  /** DuckDB SQL over the dataset's view: columns institution, period ("YYYY-MM"), value. */
  sql: string;
}

export const returnsSeries: readonly ReturnsSeriesDef[] = [
  {
    code: "deposit_change",
    en: "Monthly deposit change",
    zh: "存款月度变动率",
    types: BANK,
    direction: "down",
    transform: "linear",
    count: false,
    unit: "ratio",
    floor: 0.01,
    source: "returns",
    build: { kind: "change", item: "BANK_DEPOSITS" },
  },
  {
    // Stocks are watched through their monthly change: their level trends, their change should not jump.
    code: "acceptances_change",
    en: "Monthly change of acceptances outstanding",
    zh: "承兑汇票余额月度变动率",
    types: BANK,
    direction: "up",
    transform: "linear",
    count: false,
    unit: "ratio",
    floor: 0.02,
    source: "returns",
    build: { kind: "change", item: "BANK_ACCEPTANCES_OUTSTANDING" },
  },
  {
    code: "margin_balance_change",
    en: "Monthly change of the trading margin balance",
    zh: "交易保证金余额月度变动率",
    types: ["trading_venue"],
    direction: "both",
    transform: "linear",
    count: false,
    unit: "ratio",
    floor: 0.02,
    source: "returns",
    build: { kind: "change", item: "VEN_MARGIN_BALANCE" },
  },
  {
    code: "complaints",
    en: "Complaints",
    zh: "投诉量",
    types: [
      "bank",
      "securities_firm",
      "futures_firm",
      "public_fund_manager",
      "private_fund_manager",
      "trust",
      "life_insurer",
      "pc_insurer",
      "small_loan",
      "online_small_loan",
      "financing_guarantee",
      "financial_leasing",
      "pawn",
      "commercial_factoring",
      "trading_venue",
      "local_amc",
      "investment_consulting",
      "internet_lending_platform",
    ],
    direction: "up",
    transform: "log",
    count: true,
    unit: "count",
    source: "returns",
    build: { kind: "item", item: "GEN_COMPLAINTS" },
    replacedBy: "complaints_about",
  },
  {
    code: "surrenders_quarter",
    en: "Surrenders in the quarter",
    zh: "季度退保金",
    types: INS,
    direction: "up",
    transform: "log",
    count: false,
    unit: "CNY",
    source: "returns",
    build: { kind: "ytd_quarter", items: ["INS_SURRENDERS"] },
    replacedBy: "surrenders",
  },
  {
    code: "payouts_to_liquid",
    en: "Surrenders and maturity payouts in the quarter to liquid assets",
    zh: "季度退保和满期给付占流动资产比例",
    types: INS,
    direction: "up",
    transform: "log",
    count: false,
    unit: "ratio",
    source: "returns",
    build: {
      kind: "ytd_quarter_ratio",
      items: ["INS_SURRENDERS", "INS_MATURITY_BENEFITS"],
      over: "INS_LIQUID_ASSETS",
    },
  },
];

export const lakeSeries: readonly LakeSeriesDef[] = [
  {
    code: "surrenders",
    en: "Surrenders paid",
    zh: "退保金支付",
    types: LIFE,
    direction: "up",
    transform: "log",
    count: false,
    unit: "CNY",
    source: "lake",
    dataset: "surrenders",
    sql: "SELECT insurer_code AS institution, period, CAST(sum(amount) AS DOUBLE) AS value FROM surrenders GROUP BY ALL",
  },
  {
    code: "maturity_benefits",
    en: "Maturity benefits paid",
    zh: "满期给付",
    types: LIFE,
    direction: "up",
    transform: "log",
    count: false,
    unit: "CNY",
    source: "lake",
    dataset: "maturity_benefits",
    sql: "SELECT insurer_code AS institution, period, CAST(sum(amount) AS DOUBLE) AS value FROM maturity_benefits GROUP BY ALL",
  },
  {
    code: "bill_discounting",
    en: "Bills discounted",
    zh: "票据贴现量",
    types: BANK,
    direction: "up",
    transform: "log",
    count: false,
    unit: "CNY",
    source: "lake",
    dataset: "bills",
    // By the month of discounting, not of reporting: one period's file can carry several months of discounts. Bills
    // are a snapshot (outstanding at period end), so a bill in several periods' files counts once, from the latest.
    sql: `SELECT bank_code AS institution, strftime(discount_date, '%Y-%m') AS period, CAST(sum(face_amount) AS DOUBLE) AS value
          FROM (SELECT * FROM bills WHERE role = 'discounter' AND discount_date IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY bank_code, bill_id ORDER BY period DESC) = 1)
          GROUP BY ALL`,
  },
  {
    code: "complaints_about",
    en: "Complaints about the institution",
    zh: "针对该机构的投诉举报",
    types: returnsSeries.find((s) => s.code === "complaints")!.types,
    direction: "up",
    transform: "log",
    count: true,
    unit: "count",
    source: "lake",
    dataset: "complaints",
    sql: "SELECT target_code AS institution, period, CAST(count(*) AS DOUBLE) AS value FROM complaints GROUP BY ALL",
  },
];

/** Every series, by code. */
export const seriesByCode: ReadonlyMap<string, SeriesDef> = new Map(
  [...returnsSeries, ...lakeSeries].map((s) => [s.code, s as SeriesDef]),
);
