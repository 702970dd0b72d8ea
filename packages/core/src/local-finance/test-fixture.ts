/**
 * A small province for the local-finance tests, written as CSV files for real intake: a finance office, a bank, a
 * trading venue, companies under watch (one raising funds from the public, one ordinary, one black-listed offender
 * and one sharing its director), an investment consultancy declaring financial business, and small-loan,
 * guarantee and pawn companies with licences coming up for expiry. Every number follows from the rules written
 * here, so tests assert relationships (who ranks first, which check fires), not magic values.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "../db/client.ts";
import { ingest } from "../intake/ingest.ts";
import { seedLpr } from "../rates/lpr.ts";
import { testDb } from "../testing/db.ts";
import { testCreditCode, testResidentId } from "../testing/fixtures.ts";

/** CSV with RFC 4180 quoting (marketing texts carry commas). */
function csv(rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const t = v === null ? "" : String(v);
    return /[",\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}

export const lf = {
  office: testCreditCode(701),
  bank: testCreditCode(702),
  venue: testCreditCode(703),
  fundraiser: testCreditCode(711),
  ordinary: testCreditCode(712),
  offender: testCreditCode(713),
  related: testCreditCode(714),
  consultancy: testCreditCode(715),
  smallLoan: testCreditCode(721),
  guarantee: testCreditCode(722),
  pawn: testCreditCode(723),
  healthyLoan: testCreditCode(724),
  onlineLoan: testCreditCode(725),
} as const;

/** The raw resident id of the offender's director, shared by the related company. */
export const sharedDirector = testResidentId(9001);

export const period = "2026-09";
export const months = [
  "2025-10",
  "2025-11",
  "2025-12",
  "2026-01",
  "2026-02",
  "2026-03",
  "2026-04",
  "2026-05",
  "2026-06",
  "2026-07",
  "2026-08",
  "2026-09",
];

const phone = (n: number) => `139${String(10_000_000 + n).slice(-8)}`;
const card = (n: number) => `62220${String(100_000_000_000 + n).slice(-11)}`;
const day = (month: string, d: number) => `${month}-${String(Math.min(d, 28)).padStart(2, "0")}`;

/** Writes the province into `dir`; returns the dataset folders written. */
export function writeLocalFinanceProvince(dir: string): void {
  const w = (path: string, rows: (string | number | null)[][]) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), csv(rows));
  };
  const inst = (code: string, zh: string, en: string, type: string, district: string) => [
    code,
    zh,
    en,
    type,
    district,
    null,
    null,
    null,
    null,
    "active",
  ];
  w("institutions.csv", [
    [
      "code",
      "name_zh",
      "name_en",
      "type",
      "district",
      "bank_tier",
      "total_assets",
      "parent_code",
      "group_code",
      "status",
    ],
    inst(lf.office, "市金融办", "Municipal Finance Office", "supervisory_office", "渝中区"),
    [
      lf.bank,
      "重庆测试银行",
      "Chongqing Test Bank",
      "bank",
      "渝中区",
      3,
      "150000000000.00",
      null,
      null,
      "active",
    ],
    inst(lf.venue, "重庆测试农产品交易所", "Chongqing Test Produce Exchange", "trading_venue", "江北区"),
    inst(
      lf.fundraiser,
      "重庆聚财养老服务有限公司",
      "Chongqing Jucai Elderly Care",
      "watched_company",
      "渝北区",
    ),
    inst(lf.ordinary, "重庆山城商贸有限公司", "Chongqing Shancheng Trading", "watched_company", "南岸区"),
    inst(
      lf.offender,
      "重庆旧案投资管理有限公司",
      "Chongqing Old Case Investment",
      "watched_company",
      "渝北区",
    ),
    inst(lf.related, "重庆新壳科技有限公司", "Chongqing New Shell Technology", "watched_company", "渝北区"),
    inst(
      lf.consultancy,
      "重庆智远投资咨询有限公司",
      "Chongqing Zhiyuan Investment Consulting",
      "investment_consulting",
      "江北区",
    ),
    inst(lf.smallLoan, "重庆测试小额贷款有限公司", "Chongqing Test Small Loan", "small_loan", "沙坪坝区"),
    inst(
      lf.guarantee,
      "重庆测试融资担保有限公司",
      "Chongqing Test Financing Guarantee",
      "financing_guarantee",
      "九龙坡区",
    ),
    inst(lf.pawn, "重庆测试典当行", "Chongqing Test Pawnshop", "pawn", "南岸区"),
    inst(lf.healthyLoan, "重庆稳健小额贷款有限公司", "Chongqing Steady Small Loan", "small_loan", "渝中区"),
    inst(
      lf.onlineLoan,
      "重庆测试网络小额贷款有限公司",
      "Chongqing Test Online Small Loan",
      "online_small_loan",
      "两江新区",
    ),
  ]);
  w("licences.csv", [
    ["licence_no", "institution_code", "kind", "issued_on", "expires_on", "status", "status_since"],
    ["B0702", lf.bank, "bank", "2001-01-01", null, "active", null],
    ["JY0703", lf.venue, "trading_venue", "2020-01-01", "2030-01-01", "active", null],
    ["ZX0715", lf.consultancy, "investment_consulting", "2024-01-01", "2027-01-01", "active", null],
    // Expiring within three months of 2026-11-27; the healthy one later, in about five months.
    ["XD0721", lf.smallLoan, "small_loan", "2021-12-20", "2026-12-20", "active", null],
    ["RD0722", lf.guarantee, "financing_guarantee", "2022-01-15", "2027-01-15", "active", null],
    ["DD0723", lf.pawn, "pawn", "2021-02-01", "2027-02-01", "active", null],
    ["XD0724", lf.healthyLoan, "small_loan", "2022-04-30", "2027-04-30", "active", null],
    ["WXD0725", lf.onlineLoan, "online_small_loan", "2023-06-30", "2028-06-30", "active", null],
  ]);

  // The online lender's book: one borrower above the RMB 200k cap across two loans, one above a third of income.
  const loan = (
    id: string,
    borrower: string,
    income: string | null,
    principal: string,
    outstanding: string,
  ) => [
    id,
    lf.onlineLoan,
    period,
    "individual",
    borrower,
    null,
    income,
    principal,
    outstanding,
    "2026-03-01",
    "2027-03-01",
    "0.1800",
    "0.00",
    "0.00",
    "0.00",
    "equal_instalment",
    12,
    null,
    null,
    "normal",
    null,
    "false",
    "false",
    "false",
  ];
  w(`loans/${period}.csv`, [
    [
      "loan_id",
      "lender_code",
      "period",
      "borrower_type",
      "borrower_id",
      "borrower_code",
      "borrower_annual_income",
      "principal",
      "outstanding",
      "origination_date",
      "maturity_date",
      "nominal_rate",
      "upfront_fee",
      "periodic_fee",
      "other_fees",
      "repayment_method",
      "term_months",
      "joint_partner_code",
      "partner_share",
      "classification",
      "industry",
      "real_estate",
      "mortgage",
      "lgfv",
    ],
    loan("OL1", testResidentId(8001), "900000.00", "160000.00", "150000.00"),
    loan("OL2", testResidentId(8001), "900000.00", "160000.00", "150000.00"),
    loan("OL3", testResidentId(8002), "90000.00", "60000.00", "50000.00"),
    loan("OL4", testResidentId(8003), "120000.00", "30000.00", "20000.00"),
  ]);

  // Companies under watch: the fund-raiser promises a guaranteed 18% and advertises everywhere.
  const director = (n: number) => testResidentId(n);
  w(`watched_companies/${period}.csv`, [
    [
      "reporter_code",
      "period",
      "company_code",
      "name",
      "district",
      "business_scope",
      "marketing_text",
      "promised_return",
      "promotion_channels",
      "licence_kind",
      "director_id",
      "phone",
      "address",
    ],
    [
      lf.office,
      period,
      lf.fundraiser,
      "重庆聚财养老服务有限公司",
      "渝北区",
      "养老服务；健康咨询",
      "推出养老公寓投资计划，起投1万元，年化收益18%，保本保息，稳赚不赔，介绍亲友另有返利。Guaranteed returns, no risk.",
      "0.1800",
      8,
      "none",
      director(101),
      phone(101),
      "重庆市渝北区龙溪街道1号",
    ],
    [
      lf.office,
      period,
      lf.ordinary,
      "重庆山城商贸有限公司",
      "南岸区",
      "日用百货销售；企业管理咨询（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
      "专注商贸领域，诚信经营，欢迎洽谈合作。",
      null,
      1,
      "none",
      director(102),
      phone(102),
      "重庆市南岸区南坪街道2号",
    ],
    [
      lf.office,
      period,
      lf.offender,
      "重庆旧案投资管理有限公司",
      "渝北区",
      "投资管理",
      "高额回报，政府背景担保。",
      "0.2400",
      5,
      "none",
      sharedDirector,
      phone(103),
      "重庆市渝北区回兴街道3号",
    ],
    [
      lf.office,
      period,
      lf.related,
      "重庆新壳科技有限公司",
      "渝北区",
      "软件开发",
      "技术服务。",
      null,
      0,
      "none",
      sharedDirector,
      phone(104),
      "重庆市渝北区回兴街道4号",
    ],
    [
      lf.office,
      period,
      lf.consultancy,
      "重庆智远投资咨询有限公司",
      "江北区",
      "投资咨询；财务咨询（不得从事吸收存款、集资收款、受托贷款、发放贷款等金融业务）",
      "智远理财，专业财富管理，为您量身定制投资计划。",
      null,
      2,
      "investment_consulting",
      director(105),
      phone(105),
      "重庆市江北区观音桥5号",
    ],
  ]);

  // Account flows over twelve months. The fund-raiser takes small transfers from ever more individuals from April
  // and passes ~90% on the next day to one controller; the ordinary company trades with enterprises and a few people.
  const txHeader = [
    "txn_id",
    "reporter_code",
    "period",
    "company_code",
    "direction",
    "counterparty_type",
    "counterparty_id",
    "txn_date",
    "amount",
  ];
  let person = 1;
  let tx = 0;
  const raising = new Map([
    ["2026-04", 40],
    ["2026-05", 60],
    ["2026-06", 90],
    ["2026-07", 130],
    ["2026-08", 180],
    ["2026-09", 250],
  ]);
  for (const [mi, m] of months.entries()) {
    const rows: (string | number | null)[][] = [txHeader];
    const add = (
      company: string,
      dir: "in" | "out",
      type: "individual" | "enterprise",
      cp: string,
      date: string,
      amount: number,
    ) => rows.push([`T${++tx}`, lf.office, m, company, dir, type, cp, date, amount.toFixed(2)]);
    const n = raising.get(m) ?? 0;
    const byDay = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      const d = 1 + (k % 27);
      const amount = 10_000 * (1 + (k % 5));
      add(lf.fundraiser, "in", "individual", card(person++), day(m, d), amount);
      byDay.set(d, (byDay.get(d) ?? 0) + amount);
    }
    for (const [d, total] of byDay)
      add(lf.fundraiser, "out", "individual", card(999_001), day(m, d + 1), Math.round(total * 0.9));
    // The offender pays the same controller account as the related company: a shared payee.
    add(lf.offender, "out", "individual", card(999_002), day(m, 10), 50_000);
    add(lf.related, "out", "individual", card(999_002), day(m, 12), 30_000);
    add(lf.related, "in", "enterprise", card(500_000 + mi), day(m, 3), 80_000);
    for (let k = 0; k < 6; k++) {
      add(
        lf.ordinary,
        "in",
        k < 3 ? "individual" : "enterprise",
        card(k < 3 ? 700_000 + mi * 10 + k : 800_000 + k),
        day(m, 2 + 4 * k),
        5_000 + 20_000 * k,
      );
      add(lf.ordinary, "out", "enterprise", card(900_000 + k), day(m, 4 + 4 * k), 30_000 + 10_000 * k);
    }
    w(`company_transactions/${m}.csv`, rows);
  }

  // Complaints: investors of the fund-raiser in the last three months; one service complaint about the ordinary firm.
  const cpHeader = [
    "complaint_id",
    "receiver_code",
    "period",
    "target_code",
    "received_on",
    "channel",
    "category",
    "text",
  ];
  let cp = 0;
  for (const m of months) {
    const rows: (string | number | null)[][] = [cpHeader];
    if (m >= "2026-07") {
      for (let k = 0; k < 6; k++) {
        rows.push([
          `C${++cp}`,
          lf.office,
          m,
          lf.fundraiser,
          day(m, 3 + k),
          "hotline",
          k % 2 === 0 ? "fund_raising" : "other",
          "本人投资养老公寓项目5万元，对方承诺保本保息、年化18%，现无法兑付。",
        ]);
      }
    }
    if (m === "2026-02")
      rows.push([
        `C${++cp}`,
        lf.office,
        m,
        lf.ordinary,
        day(m, 9),
        "online",
        "service",
        "客户反映发票开具不及时。",
      ]);
    w(`complaints/${m}.csv`, rows);
  }

  // A trading venue: five listings, each showing one problem, and one clean listing.
  const listings = [
    // id, product, category, mode, standardised, leverage, fund_pool, deposit_taking, lending_intermediary, units
    ["L-CLEAN", "柑橘现货挂牌1号", "commodity", "negotiated", false, false, false, false, false, 400],
    ["L-HOLD", "重庆测试投资份额收益权1号", "equity", "negotiated", false, false, false, false, false, 1000],
    ["L-T5", "茶叶现货挂牌2号", "commodity", "negotiated", false, false, false, false, false, 500],
    [
      "L-AUCT",
      "白银连续竞价合约",
      "commodity",
      "continuous_auction",
      true,
      false,
      false,
      false,
      false,
      1_000_000,
    ],
    ["L-LEV", "黄金保证金合约", "commodity", "negotiated", false, true, true, false, false, 800],
  ] as const;
  w(`venue_listings/${period}.csv`, [
    [
      "listing_id",
      "venue_code",
      "period",
      "product_name",
      "category",
      "trading_mode",
      "standardised",
      "leverage",
      "fund_pool",
      "deposit_taking",
      "lending_intermediary",
      "units_issued",
    ],
    ...listings.map(([id, name, cat, mode, std, lev, pool, dep, lend, units]) => [
      id,
      lf.venue,
      period,
      name,
      cat,
      mode,
      String(std),
      String(lev),
      String(pool),
      String(dep),
      String(lend),
      units,
    ]),
  ]);
  const holdings: (string | number | null)[][] = [
    [
      "venue_code",
      "period",
      "listing_id",
      "holder_id",
      "underlying_holders",
      "quantity",
      "qualified_investor",
      "funds_source_checked",
    ],
  ];
  for (let a = 1; a <= 10; a++)
    holdings.push([lf.venue, period, "L-CLEAN", `H-CLEAN-${a}`, 1, 40, "true", "true"]);
  // 50 accounts, ten of them nominees for 20 people each: 40 + 200 = 240 actual holders.
  for (let a = 1; a <= 50; a++)
    holdings.push([
      lf.venue,
      period,
      "L-HOLD",
      `H-HOLD-${a}`,
      a <= 10 ? 20 : 1,
      20,
      a <= 10 ? "false" : "true",
      "true",
    ]);
  for (let a = 1; a <= 5; a++)
    holdings.push([lf.venue, period, "L-LEV", `H-LEV-${a}`, 1, 160, "true", a <= 2 ? "false" : "true"]);
  w(`venue_holdings/${period}.csv`, holdings);

  const trades = new Map<string, (string | number | null)[][]>();
  const trade = (
    id: string,
    listing: string,
    buyer: string,
    seller: string,
    date: string,
    qty: number,
    price: number,
    margin: number,
    settlement: string,
  ) => {
    const m = date.slice(0, 7);
    const rows = trades.get(m) ?? [
      [
        "trade_id",
        "venue_code",
        "period",
        "listing_id",
        "buyer_id",
        "seller_id",
        "trade_date",
        "quantity",
        "price",
        "margin",
        "settlement",
      ],
    ];
    rows.push([
      id,
      lf.venue,
      m,
      listing,
      buyer,
      seller,
      date,
      qty,
      price.toFixed(4),
      margin.toFixed(2),
      settlement,
    ]);
    trades.set(m, rows);
  };
  // Clean: sells only by former holders, buyers keep their units; falling spot delivery share over the months.
  trade("TC1", "L-CLEAN", "B-1", "S-1", "2026-04-07", 10, 100, 0, "spot_delivery");
  trade("TC2", "L-CLEAN", "B-2", "S-2", "2026-05-12", 10, 100, 0, "spot_delivery");
  trade("TC3", "L-CLEAN", "B-3", "S-3", "2026-06-09", 10, 100, 0, "cash");
  trade("TC4", "L-CLEAN", "B-4", "S-4", "2026-07-14", 10, 100, 0, "cash");
  // T+5: A buys on Friday 2026-07-03 and sells on Thursday 2026-07-09 (4 trading days): a violation.
  // B buys on Monday 2026-07-06 and sells on Monday 2026-07-13 (5 trading days): allowed.
  // C sells on Saturday 2026-08-08 and buys back on Monday 2026-08-10 (1 trading day): a violation.
  trade("TT1", "L-T5", "ACC-A", "S-9", "2026-07-03", 5, 80, 0, "spot_delivery");
  trade("TT2", "L-T5", "X-1", "ACC-A", "2026-07-09", 5, 81, 0, "spot_delivery");
  trade("TT3", "L-T5", "ACC-B", "S-8", "2026-07-06", 5, 80, 0, "spot_delivery");
  trade("TT4", "L-T5", "X-2", "ACC-B", "2026-07-13", 5, 82, 0, "spot_delivery");
  trade("TT5", "L-T5", "X-3", "ACC-C", "2026-08-08", 5, 80, 0, "spot_delivery");
  trade("TT6", "L-T5", "ACC-C", "S-7", "2026-08-10", 5, 79, 0, "spot_delivery");
  // Continuous auction of a standardised contract, many trades a month.
  for (let k = 1; k <= 30; k++)
    trade(`TA${k}`, "L-AUCT", `AU-${k % 7}`, `AU-${(k + 3) % 7}`, day("2026-09", k), 10 + k, 5, 0, "cash");
  // Leverage: margin of 10% of the traded value.
  for (let k = 1; k <= 4; k++)
    trade(`TL${k}`, "L-LEV", `LV-${k}`, `LS-${k}`, day("2026-08", 3 * k), 10, 400, 400, "cash");
  for (const [m, rows] of trades) w(`venue_trades/${m}.csv`, rows);

  // Returns: the small-loan companies monthly, the guarantee company quarterly, the venue's own flags.
  const ret = (code: string, p: string, item: string, value: string, unit: string) => [
    code,
    p,
    item,
    value,
    unit,
  ];
  w(`returns/${period}.csv`, [
    ["institution_code", "period", "item", "value", "unit"],
    // Weak: provisions cover half the NPLs; borrowing from other SLCs at 40% of net capital.
    ret(lf.smallLoan, period, "SLC_NET_CAPITAL", "100000000", "CNY"),
    ret(lf.smallLoan, period, "SLC_LOANS_OUTSTANDING", "150000000", "CNY"),
    ret(lf.smallLoan, period, "SLC_NPL", "20000000", "CNY"),
    ret(lf.smallLoan, period, "SLC_LOAN_PROVISIONS", "10000000", "CNY"),
    ret(lf.smallLoan, period, "SLC_INTER_SLC_BORROWED", "40000000", "CNY"),
    // Healthy: provisions at twice the NPLs.
    ret(lf.healthyLoan, period, "SLC_NET_CAPITAL", "200000000", "CNY"),
    ret(lf.healthyLoan, period, "SLC_LOANS_OUTSTANDING", "250000000", "CNY"),
    ret(lf.healthyLoan, period, "SLC_NPL", "5000000", "CNY"),
    ret(lf.healthyLoan, period, "SLC_LOAN_PROVISIONS", "10000000", "CNY"),
    ret(lf.healthyLoan, period, "SLC_INTER_SLC_BORROWED", "0", "CNY"),
    ret(lf.onlineLoan, period, "OSL_JOINT_LOANS_TOTAL", "1000000000", "CNY"),
    ret(lf.onlineLoan, period, "OSL_JOINT_LOANS_OWN", "200000000", "CNY"),
    ret(lf.onlineLoan, period, "OSL_MAX_NATURAL_PERSON_BALANCE", "300000", "CNY"),
    ret(lf.onlineLoan, period, "OSL_PAID_IN_CAPITAL", "1200000000", "CNY"),
    ret(lf.onlineLoan, period, "OSL_FLAG_UNAPPROVED_CROSS_PROVINCE", "0", "flag"),
    ret(lf.venue, period, "VEN_FLAG_CENTRALISED_TRADING", "1", "flag"),
    ret(lf.venue, period, "VEN_SPOT_DELIVERY_VOLUME", "20", "count"),
    ret(lf.venue, period, "VEN_SETTLED_VOLUME", "100", "count"),
  ]);
  w("returns/2026-Q3.csv", [
    ["institution_code", "period", "item", "value", "unit"],
    ret(lf.guarantee, "2026-Q3", "FGC_NET_ASSETS", "100000000", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_FIN_GUARANTEE_LIABILITY", "600000000", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_GUARANTEE_LIABILITY", "700000000", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_TOTAL_ASSETS", "300000000", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_COMPENSATION_RECEIVABLE", "0", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_CLASS1_ASSETS", "90000000", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_CLASS1_DEDUCTIONS", "0", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_CLASS2_ASSETS", "120000000", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_CLASS2_DEDUCTIONS", "0", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_CLASS3_ASSETS", "90000000", "CNY"),
    ret(lf.guarantee, "2026-Q3", "FGC_CLASS3_DEDUCTIONS", "0", "CNY"),
  ]);
}

export interface FixtureStore {
  db: Db;
  dataDir: string;
  pseudonymKey: Buffer;
  close(): Promise<void>;
}

/** A migrated test database with the LPR history and this province ingested through real intake. */
export async function ingestLocalFinanceProvince(): Promise<FixtureStore> {
  const db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "lf-data-"));
  const province = mkdtempSync(join(tmpdir(), "lf-province-"));
  const pseudonymKey = Buffer.from("local finance test pseudonym key, 32+ chars");
  await seedLpr(db);
  writeLocalFinanceProvince(province);
  const report = await ingest({ db, dataDir, pseudonymKey }, province);
  if (report.status !== "accepted")
    throw new Error(`fixture rejected: ${JSON.stringify(report.problems?.slice(0, 3))}`);
  return { db, dataDir, pseudonymKey, close: () => db.close() };
}
