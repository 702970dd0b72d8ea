/**
 * The loan book at the end period, generated borrower by borrower. Each borrower's loans are a pure function
 * of (seed, borrower number), so the book can be cut into parts written by parallel workers, and the guarantee
 * generator can look up an enterprise's loans without the book in memory. Rows are built as strings straight
 * into the file buffer (no per-row objects).
 */

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { InstitutionType } from "../contract/institution-types.ts";
import { lpr1y, lpr5y, monthLabel, monthOfDay } from "./calendar.ts";
import { compactDate, fen, isoDate } from "./format.ts";
import { recordNo, residentId, scramble30 } from "./ids.ts";
import { type LoanTerms, type RepaymentMethod, scheduledBalance, trueAnnualRate } from "./irr.ts";
import type { PlanContext } from "./plan-context.ts";
import { enterpriseCode, enterpriseInfo, personIncome } from "./population.ts";
import { Rng, WeightedTable } from "./random.ts";
import { creditQuality, overrideKey, type ReturnsPlan } from "./returns.ts";
import { detector, rule } from "./truth.ts";
import { type Institution, streamKey, type World } from "./world.ts";
import { type ByteSink, CsvFile, headerOf, type WrittenFile } from "./writer.ts";

// Channels: a lender type and a kind of loan.
const CH_MORTGAGE = 0;
const CH_BANK_CONSUMER = 1;
const CH_BANK_BUSINESS = 2;
const CH_OSL = 3;
const CH_SLC = 4;
const CH_PLATFORM = 5;
const CH_PAWN = 6;
const CH_E_BANK = 7;
const CH_E_SLC = 8;
const CH_E_TRUST = 9;
const CH_E_LEASING = 10;
const CH_E_FACTORING = 11;
const CH_E_AMC = 12;
const CH_E_PAWN = 13;
const CHANNELS = 14;

const channelType: InstitutionType[] = [
  "bank",
  "bank",
  "bank",
  "online_small_loan",
  "small_loan",
  "internet_lending_platform",
  "pawn",
  "bank",
  "small_loan",
  "trust",
  "financial_leasing",
  "commercial_factoring",
  "local_amc",
  "pawn",
];
const individualChannelWeights = [14, 26, 6, 30, 10, 4, 3];
const enterpriseChannelWeights = [64, 11, 4, 7, 7, 2, 5];
/** Share of the book lent to enterprises (by count of loans). */
const ENTERPRISE_SHARE = 0.07;

const methods: RepaymentMethod[] = ["bullet", "equal_instalment", "equal_principal", "interest_only"];
const classes = ["normal", "special_mention", "substandard", "doubtful", "loss"];
const businessIndustries = ["F", "H", "A", "O", "G", "C"];

/** Month starts as day numbers, 1970-2090, to avoid Date work per row. */
const MONTH_BASE = 1970 * 12;
const monthStarts = (() => {
  const a = new Int32Array(121 * 12);
  for (let i = 0; i < a.length; i++) {
    const mi = MONTH_BASE + i;
    a[i] = Math.round(Date.UTC(Math.floor(mi / 12), mi % 12, 1) / 86_400_000);
  }
  return a;
})();
const monthStart = (mi: number) => monthStarts[mi - MONTH_BASE]!;

export interface LoanBook {
  world: World;
  returnsPlan: ReturnsPlan;
  lenders: Institution[][];
  tables: WeightedTable[];
  individualChannels: WeightedTable;
  individualChannelIds: number[];
  enterpriseChannels: WeightedTable;
  enterpriseChannelIds: number[];
  npl: Float64Array;
  sm: Float64Array;
  partners: Map<number, Institution[]>;
  keyInd: number;
  keyEnt: number;
  /** Background borrowers. */
  individuals: number;
  enterprises: number;
}

/** Reusable per-borrower loan buffers (no allocation per loan). */
export class LoanScratch {
  count = 0;
  lender: Institution[] = [];
  channel = new Int32Array(16);
  principal = new Float64Array(16);
  outstandingFen = new Float64Array(16);
  orig = new Int32Array(16);
  maturity = new Int32Array(16);
  rateMicro = new Int32Array(16);
  upfrontFen = new Float64Array(16);
  periodicFen = new Float64Array(16);
  otherFen = new Float64Array(16);
  method = new Int32Array(16);
  term = new Int32Array(16);
  partner: (Institution | null)[] = [];
  shareCenti = new Int32Array(16);
  cls = new Int32Array(16);
  industry: string[] = [];
  flags = new Int32Array(16);
  /** Credit code of the enterprise last filled. */
  borrowerCode = "";
}

/** Builds lender tables and calibrates borrower counts so the book has about the scale's number of loans. */
export function loanBook(world: World, returnsPlan: ReturnsPlan, plantedRows: number): LoanBook {
  const failed = new Set(returnsPlan.failures.filter((f) => f.event === "failed").map((f) => f.inst.idx));
  const lenders: Institution[][] = [];
  const tables: WeightedTable[] = [];
  for (let c = 0; c < CHANNELS; c++) {
    const t = channelType[c]!;
    const list = world.byType[t].filter(
      (i) => !failed.has(i.idx) && (c !== CH_MORTGAGE || (i.tier ?? 5) <= 4),
    );
    lenders.push(list);
    tables.push(new WeightedTable(list.map((i) => i.totalAssets ** 0.7)));
  }
  const indIds = individualChannelWeights.map((_, i) => i).filter((c) => lenders[c]!.length > 0);
  const entIds = enterpriseChannelWeights.map((_, i) => i + 7).filter((c) => lenders[c]!.length > 0);
  const npl = new Float64Array(world.institutions.length);
  const sm = new Float64Array(world.institutions.length);
  for (const inst of world.institutions) {
    const q = creditQuality(world, returnsPlan, inst, world.endMonth);
    npl[inst.idx] = q.npl;
    sm[inst.idx] = q.sm;
  }
  const partners = new Map<number, Institution[]>();
  const big = world.byType.bank.filter((b) => (b.tier ?? 5) <= 3 && !failed.has(b.idx));
  for (const o of world.byType.online_small_loan) {
    const list: Institution[] = [];
    for (let k = 0; k < 3 && big.length > 0; k++) list.push(big[Math.floor(o.u[10 + k]! * big.length)]!);
    partners.set(o.idx, list);
  }
  const book: LoanBook = {
    world,
    returnsPlan,
    lenders,
    tables,
    individualChannels: new WeightedTable(indIds.map((c) => individualChannelWeights[c]!)),
    individualChannelIds: indIds,
    enterpriseChannels: new WeightedTable(entIds.map((c) => enterpriseChannelWeights[c - 7]!)),
    enterpriseChannelIds: entIds,
    npl,
    sm,
    partners,
    keyInd: streamKey(world, "loans:individual"),
    keyEnt: streamKey(world, "loans:enterprise"),
    individuals: 0,
    enterprises: 0,
  };
  // Calibrate on a sample of borrowers: loans per borrower depend only on the distributions.
  const s = new LoanScratch();
  const rng = new Rng();
  let li = 0;
  const sampleI = 4000;
  for (let b = 0; b < sampleI; b++) li += fillIndividual(book, b, s, rng);
  let le = 0;
  const sampleE = 2000;
  for (let e = 0; e < sampleE; e++) le += fillEnterprise(book, e, s, rng);
  const target = Math.max(0, world.scale.loans - plantedRows);
  book.individuals = Math.max(1, Math.round((target * (1 - ENTERPRISE_SHARE)) / (li / sampleI)));
  book.enterprises = Math.max(1, Math.round((target * ENTERPRISE_SHARE) / (le / sampleE)));
  return book;
}

function pickLender(book: LoanBook, c: number, rng: Rng): Institution {
  const list = book.lenders[c]!;
  return list[book.tables[c]!.index(rng.float())]!;
}

function classify(book: LoanBook, lender: Institution, rng: Rng): number {
  const u = rng.float();
  const npl = book.npl[lender.idx]!;
  if (u < npl) return u < npl * 0.45 ? 2 : u < npl * 0.8 ? 3 : 4;
  if (u < npl + book.sm[lender.idx]!) return 1;
  return 0;
}

/** Sets timing and balance of loan k from its terms; non-performing loans have missed instalments. */
function settle(book: LoanBook, s: LoanScratch, k: number, rng: Rng, maxAgeMonths: number): void {
  const world = book.world;
  const term = s.term[k]!;
  const elapsed = rng.int(Math.min(term, maxAgeMonths));
  const dom = 1 + rng.int(28);
  const mo = world.endMonth - elapsed;
  s.orig[k] = monthStart(mo) + dom - 1;
  s.maturity[k] = monthStart(mo + term) + dom - 1;
  const cls = s.cls[k]!;
  const paid =
    cls >= 2 ? Math.max(0, elapsed - 3 - rng.int(10)) : cls === 1 ? Math.max(0, elapsed - 1) : elapsed;
  const terms: LoanTerms = {
    principal: s.principal[k]!,
    nominalRate: s.rateMicro[k]! / 1e6,
    termMonths: term,
    method: methods[s.method[k]!]!,
    upfrontFee: 0,
    periodicFee: 0,
    otherFees: 0,
  };
  let bal = scheduledBalance(terms, paid);
  if (bal < 1) bal = Math.min(s.principal[k]!, 100 + rng.int(5000));
  s.outstandingFen[k] = Math.round(bal * 100);
}

function roundTo(x: number, step: number): number {
  return Math.max(step, Math.round(x / step) * step);
}

function floorTo(x: number, step: number): number {
  return Math.max(step, Math.floor(x / step) * step);
}

/** Fills the loans of background individual borrower `b`; returns how many. */
export function fillIndividual(book: LoanBook, b: number, s: LoanScratch, rng: Rng): number {
  const world = book.world;
  rng.reseed(world.s0, book.keyInd, b, 0);
  const income = personIncome(world, b);
  const u = rng.float();
  const slots = u < 0.62 ? 1 : u < 0.9 ? 2 : 3;
  s.count = 0;
  const chosen: Institution[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const c = book.individualChannelIds[book.individualChannels.index(rng.float())]!;
    let lender = pickLender(book, c, rng);
    for (let t = 0; t < 3 && chosen.includes(lender); t++) lender = pickLender(book, c, rng);
    if (chosen.includes(lender)) continue;
    chosen.push(lender);
    const many = c !== CH_MORTGAGE && c !== CH_OSL && rng.chance(0.15);
    for (let j = 0; j < (many ? 2 : 1); j++) individualLoan(book, s, c, lender, income, rng);
  }
  return s.count;
}

function individualLoan(
  book: LoanBook,
  s: LoanScratch,
  c: number,
  lender: Institution,
  income: number,
  rng: Rng,
): void {
  const k = s.count++;
  const world = book.world;
  s.lender[k] = lender;
  s.channel[k] = c;
  s.partner[k] = null;
  s.shareCenti[k] = 0;
  s.industry[k] = "";
  s.flags[k] = 0;
  s.upfrontFen[k] = 0;
  s.periodicFen[k] = 0;
  s.otherFen[k] = 0;
  s.cls[k] = classify(book, lender, rng);
  let maxAge = 240;
  const endDay = world.endDay;
  switch (c) {
    case CH_MORTGAGE: {
      s.term[k] = 12 * (10 + rng.int(21));
      s.principal[k] = roundTo(rng.logNormal(680_000, 0.55, 150_000, 3_500_000), 1000);
      s.rateMicro[k] =
        Math.round((Math.max(0.0305, lpr5y(endDay) + rng.range(-0.0045, 0.006)) * 1e6) / 50) * 50;
      s.method[k] = rng.chance(0.72) ? 1 : 2;
      s.flags[k] = 3; // real estate + mortgage
      maxAge = 180;
      break;
    }
    case CH_BANK_CONSUMER:
      s.term[k] = 12 * (1 + rng.int(5));
      s.principal[k] = roundTo(rng.logNormal(80_000, 0.8, 10_000, 500_000), 1000);
      s.rateMicro[k] = Math.round((lpr1y(endDay) + rng.range(0.003, 0.04)) * 1e6);
      s.method[k] = 1;
      break;
    case CH_BANK_BUSINESS:
      s.term[k] = 12 * (1 + rng.int(3));
      s.principal[k] = roundTo(rng.logNormal(300_000, 0.8, 50_000, 3_000_000), 1000);
      s.rateMicro[k] = Math.round((lpr1y(endDay) + rng.range(0.004, 0.025)) * 1e6);
      s.method[k] = rng.chance(0.5) ? 3 : 2;
      s.industry[k] = businessIndustries[rng.int(businessIndustries.length)]!;
      break;
    case CH_OSL: {
      // Online loans stay under RMB 200k and one third of known income (a quarter when income is unknown).
      const cap = Math.min(200_000, income > 0 ? (income / 3) * 0.85 : 20_000);
      s.term[k] = [3, 6, 6, 12, 12, 12, 24][rng.int(7)]!;
      s.principal[k] = roundTo(Math.min(cap, rng.logNormal(12_000, 0.9, 1_000, 200_000)), 100);
      s.method[k] = 1;
      if (rng.chance(0.2)) {
        s.rateMicro[k] = Math.round(rng.range(0.072, 0.12) * 1e6);
        s.periodicFen[k] = Math.round(s.principal[k]! * rng.range(0.0005, 0.002) * 100);
      } else s.rateMicro[k] = Math.round(rng.range(0.072, 0.18) * 1e6);
      const partners = book.partners.get(lender.idx);
      if (partners && partners.length > 0 && rng.chance(0.6)) {
        s.partner[k] = partners[rng.int(partners.length)]!;
        s.shareCenti[k] = 50 + rng.int(19);
      }
      maxAge = 24;
      break;
    }
    case CH_SLC:
      s.term[k] = [3, 6, 6, 12, 12, 24, 36][rng.int(7)]!;
      s.principal[k] = roundTo(rng.logNormal(150_000, 0.8, 20_000, 1_000_000), 1000);
      s.rateMicro[k] = Math.round(rng.range(0.1, 0.18) * 1e6);
      s.method[k] = rng.chance(0.5) ? 3 : 1;
      if (s.term[k]! >= 6 && rng.chance(0.4))
        s.upfrontFen[k] = Math.round(s.principal[k]! * rng.range(0.001, 0.005) * 100);
      if (rng.chance(0.4)) s.industry[k] = businessIndustries[rng.int(businessIndustries.length)]!;
      maxAge = 36;
      break;
    case CH_PLATFORM:
      s.term[k] = [6, 12, 12, 24, 36][rng.int(5)]!;
      s.principal[k] = roundTo(rng.logNormal(30_000, 0.8, 5_000, 200_000), 100);
      s.rateMicro[k] = Math.round(rng.range(0.065, 0.095) * 1e6);
      s.method[k] = 1;
      if (rng.chance(0.5)) s.periodicFen[k] = Math.round(s.principal[k]! * rng.range(0.0001, 0.0005) * 100);
      maxAge = 36;
      break;
    case CH_PAWN:
      s.term[k] = 1 + rng.int(6);
      s.principal[k] = roundTo(rng.logNormal(60_000, 0.9, 10_000, 1_000_000), 1000);
      s.rateMicro[k] = Math.round(rng.range(0.05, 0.08) * 1e6);
      s.method[k] = rng.chance(0.5) ? 0 : 3;
      s.periodicFen[k] = Math.round(s.principal[k]! * rng.range(0.004, 0.008) * 100);
      maxAge = 6;
      break;
  }
  settle(book, s, k, rng, maxAge);
}

/** Fills the loans of background enterprise `e`; returns how many. */
export function fillEnterprise(book: LoanBook, e: number, s: LoanScratch, rng: Rng): number {
  const world = book.world;
  rng.reseed(world.s0, book.keyEnt, e, 0);
  const info = enterpriseInfo(world, e);
  s.borrowerCode = info.code;
  const u = rng.float();
  const slots = u < 0.55 ? 1 : u < 0.85 ? 2 : 3;
  s.count = 0;
  const chosen: Institution[] = [];
  for (let slot = 0; slot < slots; slot++) {
    let c = book.enterpriseChannelIds[book.enterpriseChannels.index(rng.float())]!;
    // LGFVs and developers borrow from banks and trusts.
    if ((info.lgfv || info.developer) && c !== CH_E_BANK && c !== CH_E_TRUST) c = CH_E_BANK;
    if (book.lenders[c]!.length === 0) continue;
    let lender = pickLender(book, c, rng);
    for (let t = 0; t < 3 && chosen.includes(lender); t++) lender = pickLender(book, c, rng);
    if (chosen.includes(lender)) continue;
    chosen.push(lender);
    const loans = c === CH_E_BANK ? 1 + rng.int(3) : 1;
    for (let j = 0; j < loans; j++)
      enterpriseLoan(book, s, c, lender, info.size, info.industry, info.lgfv, info.developer, rng);
  }
  return s.count;
}

function enterpriseLoan(
  book: LoanBook,
  s: LoanScratch,
  c: number,
  lender: Institution,
  size: number,
  industry: string,
  lgfv: boolean,
  developer: boolean,
  rng: Rng,
): void {
  const k = s.count++;
  const endDay = book.world.endDay;
  s.lender[k] = lender;
  s.channel[k] = c;
  s.partner[k] = null;
  s.shareCenti[k] = 0;
  s.industry[k] = industry;
  s.flags[k] = (developer ? 1 : 0) | (lgfv ? 4 : 0);
  s.upfrontFen[k] = 0;
  s.periodicFen[k] = 0;
  s.otherFen[k] = 0;
  s.cls[k] = classify(book, lender, rng);
  let maxAge = 120;
  switch (c) {
    case CH_E_BANK:
      s.term[k] = rng.chance(0.1) ? 12 * (5 + rng.int(6)) : 6 * (1 + rng.int(10));
      s.principal[k] = roundTo(rng.logNormal(8_000_000 * size, 0.9, 500_000, 800_000_000), 10_000);
      s.rateMicro[k] = Math.round(Math.max(0.024, lpr1y(endDay) + rng.range(-0.004, 0.018)) * 1e6);
      s.method[k] = [0, 2, 3, 3][rng.int(4)]!;
      break;
    case CH_E_SLC:
      s.term[k] = 6 * (1 + rng.int(4));
      s.principal[k] = roundTo(rng.logNormal(800_000, 0.7, 100_000, 5_000_000), 10_000);
      s.rateMicro[k] = Math.round(rng.range(0.1, 0.17) * 1e6);
      s.method[k] = 3;
      maxAge = 24;
      break;
    case CH_E_TRUST:
      s.term[k] = 12 * (1 + rng.int(3));
      s.principal[k] = roundTo(rng.logNormal(80_000_000, 0.7, 20_000_000, 500_000_000), 100_000);
      s.rateMicro[k] = Math.round(rng.range(0.06, 0.095) * 1e6);
      s.method[k] = rng.chance(0.6) ? 0 : 3;
      if (rng.chance(0.5)) s.upfrontFen[k] = Math.round(s.principal[k]! * rng.range(0.002, 0.01) * 100);
      break;
    case CH_E_LEASING:
      s.term[k] = 12 * (2 + rng.int(4));
      s.principal[k] = roundTo(rng.logNormal(20_000_000, 0.8, 5_000_000, 200_000_000), 10_000);
      s.rateMicro[k] = Math.round(rng.range(0.05, 0.08) * 1e6);
      s.method[k] = 1;
      if (rng.chance(0.6)) s.upfrontFen[k] = Math.round(s.principal[k]! * rng.range(0.005, 0.02) * 100);
      break;
    case CH_E_FACTORING:
      s.term[k] = 3 * (1 + rng.int(4));
      s.principal[k] = roundTo(rng.logNormal(5_000_000, 0.8, 1_000_000, 50_000_000), 10_000);
      s.rateMicro[k] = Math.round(rng.range(0.06, 0.095) * 1e6);
      s.method[k] = 0;
      if (rng.chance(0.4)) s.upfrontFen[k] = Math.round(s.principal[k]! * rng.range(0.001, 0.004) * 100);
      maxAge = 12;
      break;
    case CH_E_AMC:
      s.term[k] = 12 * (1 + rng.int(3));
      s.principal[k] = roundTo(rng.logNormal(60_000_000, 0.7, 10_000_000, 300_000_000), 100_000);
      s.rateMicro[k] = Math.round(rng.range(0.07, 0.1) * 1e6);
      s.method[k] = 0;
      break;
    case CH_E_PAWN:
      s.term[k] = 1 + rng.int(6);
      s.principal[k] = roundTo(rng.logNormal(500_000, 0.8, 100_000, 5_000_000), 10_000);
      s.rateMicro[k] = Math.round(rng.range(0.05, 0.08) * 1e6);
      s.method[k] = 0;
      s.periodicFen[k] = Math.round(s.principal[k]! * rng.range(0.004, 0.008) * 100);
      maxAge = 6;
  }
  settle(book, s, k, rng, maxAge);
}

/** Loan id of loan j of a borrower ("P" person, "E" enterprise): unique across the book, borrower number hidden. */
export function loanId(prefix: "P" | "E", orig: number, borrower: number, j: number): string {
  return `DK${prefix}${compactDate(orig)}${recordNo(borrower, prefix === "P" ? LOAN_SALT_P : LOAN_SALT_E)}${j}`;
}

const LOAN_SALT_P = 0x1d3a5;
const LOAN_SALT_E = 0x2e4b6;

/** Writes the scratch loans of one borrower as CSV bytes (no strings built per field). */
function writeScratch(
  out: ByteSink,
  s: LoanScratch,
  individual: boolean,
  borrower: number,
  idText: string,
  incomeFen: number,
  period: string,
): void {
  const idNo = scramble30(borrower, individual ? LOAN_SALT_P : LOAN_SALT_E);
  for (let k = 0; k < s.count; k++) {
    out.room(512);
    const lender = s.lender[k]!;
    const p = s.partner[k];
    const f = s.flags[k]!;
    out.str(individual ? "DKP" : "DKE");
    out.str(compactDate(s.orig[k]!));
    out.padded(idNo, 10);
    out.int(k);
    out.comma();
    out.str(lender.code);
    out.comma();
    out.str(period);
    if (individual) {
      out.str(",individual,");
      out.str(idText);
      out.str(",,");
      if (incomeFen > 0) out.fen(incomeFen);
    } else {
      out.str(",enterprise,,");
      out.str(idText);
      out.comma();
    }
    out.comma();
    out.fen(s.principal[k]! * 100);
    out.comma();
    out.fen(s.outstandingFen[k]!);
    out.comma();
    out.date(s.orig[k]!);
    out.comma();
    out.date(s.maturity[k]!);
    out.str(",0.");
    out.padded(s.rateMicro[k]!, 6);
    out.comma();
    out.fen(s.upfrontFen[k]!);
    out.comma();
    out.fen(s.periodicFen[k]!);
    out.comma();
    out.fen(s.otherFen[k]!);
    out.comma();
    out.str(methods[s.method[k]!]!);
    out.comma();
    out.int(s.term[k]!);
    out.comma();
    if (p) {
      out.str(p.code);
      out.str(",0.");
      out.padded(s.shareCenti[k]!, 2);
    } else out.comma();
    out.comma();
    out.str(classes[s.cls[k]!]!);
    out.comma();
    out.str(s.industry[k]!);
    out.str(f & 1 ? ",true" : ",false");
    out.str(f & 2 ? ",true" : ",false");
    out.str(f & 4 ? ",true\n" : ",false\n");
  }
}

/** Enterprise loans for the guarantee generator: lender, id, amount and dates of loan 0..count-1. */
export function enterpriseLoans(book: LoanBook, e: number, s: LoanScratch, rng: Rng): number {
  return fillEnterprise(book, e, s, rng);
}

// ---------------------------------------------------------------------------------------------------------
// Planted loans.

export interface PlantedLoan {
  loanId: string;
  lender: Institution;
  person: number | null;
  enterpriseCode: string | null;
  income: number;
  terms: LoanTerms;
  outstanding: number;
  orig: number;
  maturity: number;
  partner: Institution | null;
  partnerShare: number;
  classification: string;
  industry: string;
  realEstate: boolean;
  mortgage: boolean;
  lgfv: boolean;
}

export interface LoanPlan {
  rows: PlantedLoan[];
}

function plantedRow(l: PlantedLoan, period: string): string {
  const t = l.terms;
  const who =
    l.person !== null
      ? `individual,${residentId(l.person)},,${l.income > 0 ? fen(l.income * 100) : ""}`
      : `enterprise,,${l.enterpriseCode},`;
  return `${l.loanId},${l.lender.code},${period},${who},${fen(Math.round(t.principal * 100))},${fen(Math.round(l.outstanding * 100))},${isoDate(l.orig)},${isoDate(l.maturity)},${t.nominalRate.toFixed(6)},${fen(Math.round(t.upfrontFee * 100))},${fen(Math.round(t.periodicFee * 100))},${fen(Math.round(t.otherFees * 100))},${t.method},${t.termMonths},${l.partner ? l.partner.code : ""},${l.partner ? l.partnerShare.toFixed(2) : ""},${l.classification},${l.industry},${l.realEstate},${l.mortgage},${l.lgfv}\n`;
}

/** Loans already given to each planted borrower, so that each gets ids j = 0, 1, ... like the background. */
const plantedCount = new Map<string, number>();

/** A planted loan with timing set from months before the end period; the outstanding follows the schedule. */
export function makePlantedLoan(
  world: World,
  rng: Rng,
  spec: {
    lender: Institution;
    person?: number;
    enterprise?: number;
    income?: number;
    principal: number;
    nominalRate: number;
    termMonths: number;
    method: RepaymentMethod;
    upfrontFee?: number;
    periodicFee?: number;
    otherFees?: number;
    monthsAgo: number;
    classification?: string;
    industry?: string;
    realEstate?: boolean;
    lgfv?: boolean;
    partner?: Institution;
    partnerShare?: number;
  },
): PlantedLoan {
  const mo = world.endMonth - spec.monthsAgo;
  const dom = 1 + rng.int(28);
  const orig = monthStart(mo) + dom - 1;
  const maturity = monthStart(mo + spec.termMonths) + dom - 1;
  const terms: LoanTerms = {
    principal: spec.principal,
    nominalRate: spec.nominalRate,
    termMonths: spec.termMonths,
    method: spec.method,
    upfrontFee: spec.upfrontFee ?? 0,
    periodicFee: spec.periodicFee ?? 0,
    otherFees: spec.otherFees ?? 0,
  };
  const paidMonths = Math.min(spec.termMonths - 1, spec.monthsAgo);
  const outstanding = Math.max(100, scheduledBalance(terms, paidMonths));
  const individual = spec.person !== undefined;
  const borrower = individual ? spec.person! : spec.enterprise!;
  const key = `${individual ? "P" : "E"}${borrower}`;
  const j = plantedCount.get(key) ?? 0;
  plantedCount.set(key, j + 1);
  return {
    loanId: loanId(individual ? "P" : "E", orig, borrower, j),
    lender: spec.lender,
    person: spec.person ?? null,
    enterpriseCode: individual ? null : enterpriseCode(world, borrower),
    income: spec.income ?? 0,
    terms,
    outstanding: Math.round(outstanding * 100) / 100,
    orig,
    maturity,
    partner: spec.partner ?? null,
    partnerShare: spec.partnerShare ?? 0,
    classification: spec.classification ?? "normal",
    industry: spec.industry ?? "",
    realEstate: spec.realEstate ?? false,
    mortgage: false,
    lgfv: spec.lgfv ?? false,
  };
}

/** Restarts planted loan numbering (each plan build starts afresh). */
export function resetPlantedLoanIds(): void {
  plantedCount.clear();
}

const consumerTypes: InstitutionType[] = [
  "online_small_loan",
  "small_loan",
  "internet_lending_platform",
  "pawn",
  "bank",
];

function consumerLoan(
  world: World,
  rng: Rng,
  lender: Institution,
  person: number,
  income: number,
  monthsAgo: number,
  principal?: number,
): PlantedLoan {
  // The term always covers the months since origination, so the loan is still on the book at the end.
  const term = (base: number) => Math.max(base, monthsAgo + 3);
  const common = { lender, person, income, monthsAgo };
  switch (lender.type) {
    case "online_small_loan":
      // Unless a breach is planted, stay under the online cap of one third of income (no accidental breaches).
      return makePlantedLoan(world, rng, {
        ...common,
        principal:
          principal ?? Math.min(roundTo(rng.range(5_000, 30_000), 100), floorTo((income / 3) * 0.85, 100)),
        nominalRate: rng.range(0.1, 0.18),
        termMonths: term(12),
        method: "equal_instalment",
      });
    case "small_loan":
      return makePlantedLoan(world, rng, {
        ...common,
        principal: principal ?? roundTo(rng.range(20_000, 120_000), 1000),
        nominalRate: rng.range(0.12, 0.18),
        termMonths: term(24),
        method: "equal_instalment",
      });
    case "internet_lending_platform":
      return makePlantedLoan(world, rng, {
        ...common,
        principal: principal ?? roundTo(rng.range(8_000, 60_000), 100),
        nominalRate: rng.range(0.07, 0.095),
        termMonths: term(24),
        method: "equal_instalment",
      });
    case "pawn":
      return makePlantedLoan(world, rng, {
        ...common,
        principal: principal ?? roundTo(rng.range(20_000, 100_000), 1000),
        nominalRate: rng.range(0.05, 0.08),
        termMonths: term(6),
        method: "interest_only",
      });
    default:
      return makePlantedLoan(world, rng, {
        ...common,
        principal: principal ?? roundTo(rng.range(30_000, 200_000), 1000),
        nominalRate: lpr1y(world.endDay) + rng.range(0.005, 0.03),
        termMonths: term(36),
        method: "equal_instalment",
      });
  }
}

/** Plans borrowers with loans at many lenders (some growing month by month, some over-borrowed online). */
export function planMultipleLoans(ctx: PlanContext, loans: LoanPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const pool = ctx.dirty(consumerTypes);
  const onlinePool = pool.filter((i) => i.type === "online_small_loan");
  if (pool.length < 5) return;
  for (let k = 0; k < count; k++) {
    const person = ctx.newPerson();
    const variant = k % 3;
    const income = roundTo(rng.range(36_000, 120_000), 100);
    const nLenders = Math.min(pool.length, 5 + rng.int(4));
    const lenders = rng.shuffled(pool).slice(0, nLenders);
    if (variant === 2 && onlinePool.length > 0 && !lenders.some((l) => l.type === "online_small_loan"))
      lenders[0] = onlinePool[rng.int(onlinePool.length)]!;
    const timeline: number[] =
      variant === 1
        ? lenders.map((_, i) => Math.max(0, Math.round((nLenders - 1 - i) * (20 / nLenders)) + rng.int(2)))
        : lenders.map(() => rng.int(4));
    const ids: string[] = [];
    const origMonths: number[] = [];
    let overIncomeLender: Institution | null = null;
    let onlineBalance = 0;
    lenders.forEach((lender, i) => {
      const over = variant === 2 && lender.type === "online_small_loan" && overIncomeLender === null;
      const principal = over ? roundTo((income / 3) * rng.range(1.25, 1.8), 100) : undefined;
      // The over-income loan starts in the end month, so no repayment has brought it back under the cap.
      const l = consumerLoan(world, rng, lender, person, income, over ? 0 : timeline[i]!, principal);
      if (over) {
        overIncomeLender = lender;
        onlineBalance = l.outstanding;
      }
      loans.rows.push(l);
      ids.push(l.loanId);
      origMonths.push(monthOfDay(l.orig));
      ctx.touch(lender);
    });
    const flagged = [detector("multiple_loans")];
    if (overIncomeLender) flagged.push(detector("online_loan_cap"));
    const firstMonth = Math.min(...origMonths);
    ctx.add({
      kind: "multiple_loans",
      subjectType: "person",
      subjects: [residentId(person)],
      periods: [world.endPeriod],
      flaggedBy: flagged,
      details: {
        variant:
          variant === 0
            ? "many_lenders"
            : variant === 1
              ? "rising_lender_count"
              : "above_third_of_income_online",
        distinctLenders: nLenders,
        lenders: lenders.map((l) => l.code),
        loanIds: ids,
        annualIncome: income,
        firstOrigination: monthLabel(firstMonth),
        lenderCountByOrigination:
          variant === 1
            ? [...new Set(origMonths)]
                .sort((a, b) => a - b)
                .map((m) => ({ period: monthLabel(m), lenders: origMonths.filter((o) => o <= m).length }))
            : undefined,
        onlineLender: overIncomeLender ? (overIncomeLender as Institution).code : undefined,
        onlineBalance: overIncomeLender ? onlineBalance : undefined,
      },
    });
  }
}

/** Plans loans whose nominal rate looks compliant while fees push the true annual rate above the caps. */
export function planHiddenFees(ctx: PlanContext, loans: LoanPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const pool = ctx.dirty(["small_loan", "online_small_loan", "internet_lending_platform", "pawn"]);
  if (pool.length === 0) return;
  const lenders = rng.shuffled(pool).slice(0, Math.max(1, Math.min(pool.length, Math.ceil(count / 5))));
  for (let k = 0; k < count; k++) {
    const lender = lenders[k % lenders.length]!;
    const person = ctx.newPerson();
    const income = roundTo(rng.range(40_000, 150_000), 100);
    for (let attempt = 0; attempt < 50; attempt++) {
      const term = [3, 6, 12, 12, 24][rng.int(5)]!;
      const principal = roundTo(rng.range(5_000, 100_000), 100);
      const nominal = rng.range(0.06, 0.15);
      const style = rng.int(3);
      const upfront = style !== 1 ? principal * rng.range(0.04, 0.18) : 0;
      const periodic = style !== 0 ? principal * rng.range(0.006, 0.02) : 0;
      const other = rng.chance(0.3) ? principal * rng.range(0.01, 0.03) : 0;
      // At an online lender the balance also stays within a third of income: only the rate is planted here.
      const loanIncome =
        lender.type === "online_small_loan" ? Math.max(income, roundTo(principal * 3.6, 100)) : income;
      const l = makePlantedLoan(world, rng, {
        lender,
        person,
        income: loanIncome,
        principal,
        nominalRate: Math.round(nominal * 10000) / 10000,
        termMonths: term,
        method: lender.type === "pawn" ? "interest_only" : "equal_instalment",
        upfrontFee: Math.round(upfront),
        periodicFee: Math.round(periodic),
        otherFees: Math.round(other),
        monthsAgo: rng.int(Math.min(term, 6)),
      });
      const tr = trueAnnualRate(l.terms);
      const cap4 = 4 * lpr1y(l.orig);
      if (tr.annual <= 0.24) continue;
      loans.rows.push(l);
      ctx.touch(lender);
      const caps: string[] = [];
      if (tr.annual > 0.24) caps.push("24%");
      if (tr.annual > 0.36) caps.push("36%");
      if (tr.annual > cap4) caps.push("4xLPR");
      ctx.add({
        kind: "hidden_fee_rate",
        subjectType: "loan",
        subjects: [l.loanId],
        periods: [world.endPeriod],
        flaggedBy: [detector("hidden_fee_rate")],
        details: {
          lender: lender.code,
          lenderType: lender.type,
          borrower: residentId(person),
          principal: l.terms.principal,
          nominalRate: l.terms.nominalRate,
          upfrontFee: l.terms.upfrontFee,
          periodicFee: l.terms.periodicFee,
          otherFees: l.terms.otherFees,
          termMonths: l.terms.termMonths,
          method: l.terms.method,
          trueAnnualRate: Math.round(tr.annual * 1e6) / 1e6,
          effectiveAnnualRate: Math.round(tr.effective * 1e6) / 1e6,
          fourTimesLpr: Math.round(cap4 * 1e6) / 1e6,
          capsExceeded: caps,
          method_note:
            "true rate = 12 x monthly IRR of (principal - upfront fee) against instalments + periodic fees + other fees at maturity",
        },
      });
      break;
    }
  }
}

/** Plans natural persons whose online small-loan balance at one lender exceeds RMB 300k or a third of income. */
export function planOnlineCaps(
  ctx: PlanContext,
  loans: LoanPlan,
  returns: ReturnsPlan,
  rng: Rng,
  count: number,
): void {
  const world = ctx.world;
  const pool = ctx.dirty("online_small_loan");
  if (pool.length === 0) return;
  const maxByLender = new Map<Institution, { max: number; people: string[] }>();
  for (let k = 0; k < count; k++) {
    const lender = pool[k % pool.length]!;
    const person = ctx.newPerson();
    const overAmount = k % 2 === 0;
    const income = overAmount
      ? roundTo(rng.range(1_200_000, 2_000_000), 1000)
      : roundTo(rng.range(30_000, 90_000), 100);
    const target = overAmount
      ? roundTo(rng.range(320_000, 600_000), 1000)
      : roundTo((income / 3) * rng.range(1.3, 2.2), 100);
    const pieces = overAmount ? 2 : 1 + rng.int(2);
    const ids: string[] = [];
    let balance = 0;
    for (let j = 0; j < pieces; j++) {
      const l = makePlantedLoan(world, rng, {
        lender,
        person,
        income,
        principal: roundTo(target / pieces, 100) + 1000,
        nominalRate: rng.range(0.1, 0.18),
        termMonths: 12,
        method: "equal_instalment",
        monthsAgo: j === 0 ? 0 : 1,
      });
      loans.rows.push(l);
      ids.push(l.loanId);
      balance += l.outstanding;
    }
    balance = Math.round(balance * 100) / 100;
    ctx.touch(lender);
    const flagged = [detector("online_loan_cap")];
    if (balance > 300_000) {
      const m = maxByLender.get(lender) ?? { max: 0, people: [] };
      m.max = Math.max(m.max, balance);
      m.people.push(residentId(person));
      maxByLender.set(lender, m);
    }
    ctx.add({
      kind: "online_loan_cap",
      subjectType: "person",
      subjects: [residentId(person)],
      periods: [world.endPeriod],
      flaggedBy: flagged,
      details: {
        lender: lender.code,
        loanIds: ids,
        balance,
        annualIncome: income,
        limitExceeded: balance > 300_000 ? "RMB 300k" : "one third of income",
        limit: balance > 300_000 ? 300_000 : Math.round((income / 3) * 100) / 100,
      },
    });
  }
  // The lenders' own returns then report the largest natural-person balance honestly: the cap rule sees it.
  for (const [lender, m] of maxByLender) {
    returns.overrides.set(overrideKey(lender, world.endMonth, "OSL_MAX_NATURAL_PERSON_BALANCE"), m.max);
    ctx.add({
      kind: "online_loan_cap",
      subjectType: "institution",
      subjects: [lender.code],
      periods: [world.endPeriod],
      flaggedBy: [rule("OSL_MAX_NATURAL_PERSON_BALANCE")],
      details: {
        source: "returns",
        item: "OSL_MAX_NATURAL_PERSON_BALANCE",
        value: m.max,
        limit: 300_000,
        borrowers: m.people,
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing parts.

/** Loan files of the end period: one file, or parts of at most 5M rows each. */
export interface LoanPart {
  index: number;
  /** Individual borrowers [from, to). */
  individuals: [number, number];
  /** Enterprise borrowers [from, to) (all in part 1). */
  enterprises: [number, number];
  withPlants: boolean;
  fileName: string;
}

const PART_TARGET = 4_400_000;

/**
 * Splits the book into parts of about 4.4M expected rows each (the limit is 5M). Borrowers are taken in one
 * sequence, enterprises then individuals, cut where the expected row count reaches each part's share.
 */
export function loanParts(book: LoanBook, plantedRows: number): LoanPart[] {
  const world = book.world;
  const total = world.scale.loans;
  const nParts = total <= PART_TARGET ? 1 : Math.ceil(total / PART_TARGET);
  const background = total - plantedRows;
  const perEnt = (background * ENTERPRISE_SHARE) / book.enterprises;
  const perInd = (background * (1 - ENTERPRISE_SHARE)) / book.individuals;
  const entRows = book.enterprises * perEnt;
  const span = book.enterprises + book.individuals;
  // Borrower position at which the expected background rows reach `rows`.
  const positionAt = (rows: number) =>
    rows <= entRows ? Math.round(rows / perEnt) : book.enterprises + Math.round((rows - entRows) / perInd);
  const share = total / nParts;
  const parts: LoanPart[] = [];
  let from = 0;
  for (let p = 0; p < nParts; p++) {
    // Part 1 also holds the planted loans.
    const to = p === nParts - 1 ? span : Math.min(span, positionAt((p + 1) * share - plantedRows));
    parts.push({
      index: p + 1,
      individuals: [Math.max(0, from - book.enterprises), Math.max(0, to - book.enterprises)],
      enterprises: [Math.min(from, book.enterprises), Math.min(to, book.enterprises)],
      withPlants: p === 0,
      fileName:
        nParts === 1
          ? `${world.endPeriod}.csv`
          : `${world.endPeriod}-part-${String(p + 1).padStart(4, "0")}.csv`,
    });
    from = to;
  }
  return parts;
}

/** Writes one part of the loan book. */
export function writeLoanPart(
  book: LoanBook,
  plan: LoanPlan,
  part: LoanPart,
  out: string,
  progress?: (rows: number) => void,
): WrittenFile {
  const world = book.world;
  const dir = join(out, "loans");
  mkdirSync(dir, { recursive: true });
  const file = new CsvFile(join(dir, part.fileName), headerOf("loans"));
  const sink = file.sink();
  const period = world.endPeriod;
  // Planted loans are spread through the part at seeded positions (before a given borrower's loans).
  const planted = part.withPlants ? plan.rows : [];
  const nEnt = part.enterprises[1] - part.enterprises[0];
  const span = nEnt + (part.individuals[1] - part.individuals[0]);
  const prng = new Rng(world.s0, streamKey(world, "loans:positions"), 0, 0);
  const slots = planted.map(() => prng.int(Math.max(1, span))).sort((a, b) => a - b);
  let nextPlant = 0;
  const s = new LoanScratch();
  const rng = new Rng();
  let rows = 0;
  const emitPlanted = (position: number) => {
    while (nextPlant < planted.length && slots[nextPlant]! <= position) {
      const line = plantedRow(planted[nextPlant]!, period);
      sink.room(line.length + 1);
      sink.str(line);
      rows++;
      nextPlant++;
    }
  };
  for (let e = part.enterprises[0]; e < part.enterprises[1]; e++) {
    emitPlanted(e - part.enterprises[0]);
    rows += fillEnterprise(book, e, s, rng);
    writeScratch(sink, s, false, e, s.borrowerCode, 0, period);
  }
  let reported = 0;
  for (let b = part.individuals[0]; b < part.individuals[1]; b++) {
    emitPlanted(nEnt + b - part.individuals[0]);
    rows += fillIndividual(book, b, s, rng);
    writeScratch(sink, s, true, b, residentId(b), personIncome(world, b) * 100, period);
    if (rows - reported > 200_000) {
      progress?.(rows - reported);
      reported = rows;
    }
  }
  emitPlanted(Number.POSITIVE_INFINITY);
  progress?.(rows - reported);
  file.countRows(rows);
  file.close();
  if (file.rows > 5_000_000)
    throw new Error(`loan part ${part.fileName} has ${file.rows} rows, above the 5M limit`);
  return { dataset: "loans", period, path: `loans/${part.fileName}`, rows: file.rows };
}
