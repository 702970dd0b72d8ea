/**
 * The fund-raising risk index of one company, as a pure function of its figures: each dimension turns a figure
 * into a 0-1 signal, the signal times the dimension's weight is its contribution, and the contributions add up to
 * a score of 0-100. The card follows from the score and from the legal elements of illegal fund-raising.
 */
import {
  institutionTypes,
  type Sector,
  type SupervisoryUnit,
  sectorUnits,
} from "../../contract/institution-types.ts";
import type { Dimension, FundraisingParams } from "./index-params.ts";
import { advertisedReturn, hitWeight, matchPhrases, type PhraseHit } from "./match-phrases.ts";
import type { PhraseEntry } from "./phrases.ts";

export interface MonthlyInflow {
  month: string;
  /** Distinct individuals paying small transfers in that month. */
  payers: number;
  /** Small transfers from individuals in that month. */
  transfers: number;
  /** Yuan received from individuals. */
  amount: number;
}

export interface RelationLink {
  attribute: "director" | "phone" | "address" | "account";
  /** The offender: a credit code, or "black-list" for a person on the shared black list. */
  offender: string;
  source: string;
}

/** Everything the index reads about one company. */
export interface CompanyFigures {
  code: string;
  name: string;
  district: string | null;
  /** Registry type, or "watched_company" for a company known only from the watch list. */
  kind: string;
  onWatchList: boolean;
  /** Kinds of the financial licences held (registry licences in force plus the declared one). */
  licences: string[];
  businessScope: string | null;
  marketingText: string | null;
  promisedReturn: number | null;
  promotionChannels: number | null;
  complaints: { total: number; fundRaising: number; recent: string[] };
  flows: {
    /** Distinct individuals paying in small transfers over the window. */
    payers: number;
    /** Yuan received from individuals over the window. */
    individualInflow: number;
    outflow: number;
    monthly: MonthlyInflow[];
    /** Share of individual inflows passed on within the pass-through days (0-1), or null without inflows. */
    passThrough: number | null;
  } | null;
  relations: RelationLink[];
}

export interface Contribution {
  signal: number;
  points: number;
  figure: string;
  explanation: string;
}

export type Card = "red" | "yellow" | "green";

export interface Disposal {
  card: Card;
  /** public_security, a supervisory unit code, or keep_watching. */
  referTo: string;
  en: string;
  zh: string;
}

export interface LegalElements {
  unapproved: boolean;
  publicPromotion: boolean;
  promisedReturn: boolean;
  publicAtLarge: boolean;
  criminalThreshold: boolean;
}

export interface CompanyScore {
  code: string;
  name: string;
  district: string | null;
  kind: string;
  score: number;
  card: Card;
  disposal: Disposal;
  contributions: Record<Dimension, Contribution>;
  legalElements: LegalElements;
  evidence: {
    phrases: PhraseHit[];
    promisedReturn: number | null;
    advertisedReturn: number | null;
    promotionChannels: number | null;
    licences: string[];
    complaints: CompanyFigures["complaints"];
    flows: CompanyFigures["flows"];
    relations: RelationLink[];
  };
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

const promiseCategories = ["guarantee", "no_risk", "high_return", "referral"] as const;
/** Licence kinds that allow no financial business at all. */
const nonFinancial = new Set(["none", "watched_company", "supervisory_office", "investment_consulting"]);
const assetManagers = new Set([
  "trust",
  "securities_firm",
  "futures_firm",
  "public_fund_manager",
  "private_fund_manager",
  "life_insurer",
  "pc_insurer",
]);

/** Monthly growth of individual inflows: the slope of log inflow over the active months of the last six, as a rate. */
export function inflowGrowth(monthly: readonly MonthlyInflow[]): number | null {
  const recent = monthly.slice(-6).filter((m) => m.amount > 0);
  if (recent.length < 3) return null;
  const xs = recent.map((m) => monthIndex(m.month));
  const ys = recent.map((m) => Math.log(m.amount));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx === 0 ? null : Math.exp(sxy / sxx) - 1;
}

/** The fan-in signal (0-1) of monthly inflows: the busiest month's small transfers from individuals, log scale. */
export function fanInSignal(
  monthly: readonly MonthlyInflow[],
  params: Pick<FundraisingParams, "fanInNormal" | "fanInFull">,
): { signal: number; peak: MonthlyInflow | null } {
  let peak: MonthlyInflow | null = null;
  for (const m of monthly) if (peak === null || m.transfers > peak.transfers) peak = m;
  const k = peak?.transfers ?? 0;
  const signal =
    k <= params.fanInNormal
      ? 0
      : Math.log(k / params.fanInNormal) / Math.log(params.fanInFull / params.fanInNormal);
  return { signal: clamp01(signal), peak };
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
}

/** The unit to refer a yellow card to: the lead unit of the licence's sector, else the finance office. */
function sectorRegulator(licences: readonly string[]): SupervisoryUnit {
  for (const kind of licences) {
    const info = (institutionTypes as Record<string, { sector: Sector } | undefined>)[kind];
    if (info && kind !== "investment_consulting") return sectorUnits[info.sector].lead[0] ?? "finance_office";
  }
  // The finance office leads the handling of illegal fund-raising by unlicensed firms (the plan's local-finance task).
  return "finance_office";
}

/** Scores one company; `lprOneYear` is the one-year LPR as a fraction (0.03 for 3%), null when unknown. */
export function scoreCompany(
  f: CompanyFigures,
  params: FundraisingParams,
  phrases: readonly PhraseEntry[],
  lprOneYear: number | null,
): CompanyScore {
  const w = params.weights;
  const hits = mergeHits(matchPhrases(f.marketingText, phrases), matchPhrases(f.businessScope, phrases));
  const advertised = advertisedReturn(f.marketingText);
  const promised = Math.max(f.promisedReturn ?? 0, advertised ?? 0) || null;
  const flows = f.flows;
  const payers = flows?.payers ?? 0;

  const c: Partial<Record<Dimension, Contribution>> = {};
  const put = (d: Dimension, signal: number, figure: string, explanation: string) => {
    const s = round(clamp01(signal), 4);
    c[d] = { signal: s, points: round(s * w[d], 2), figure, explanation };
  };

  // Complaints: fund-raising complaints on a log scale, full at complaintsFull.
  const n = f.complaints.fundRaising;
  put(
    "complaints",
    Math.log1p(n) / Math.log1p(params.complaintsFull),
    `${n} of ${f.complaints.total}`,
    `${n} fund-raising complaints in the window (full signal at ${params.complaintsFull})`,
  );

  // Promotion: channels beyond the ordinary, or public-promotion phrases in the marketing text.
  const channels = f.promotionChannels;
  const channelSignal =
    channels === null
      ? 0
      : (channels - params.channelsNormal) / (params.channelsFull - params.channelsNormal);
  const promoWeight = hitWeight(hits, ["promotion"]);
  put(
    "promotion",
    Math.max(clamp01(channelSignal), clamp01(promoWeight)),
    channels === null ? "not known" : `${channels} channels`,
    channels === null
      ? "promotion channels not reported"
      : `${channels} promotion channels (ordinary up to ${params.channelsNormal}, public campaign from ${params.channelsFull})${promoWeight > 0 ? "; public-promotion phrases in the marketing text" : ""}`,
  );

  // Licence against activity: a promise of principal or return needs a deposit-taking licence; declared
  // financial business needs some financial licence (investment consulting is not one).
  const promises = hits.some((h) => h.category === "guarantee" || h.category === "no_risk");
  const takesFunds = promises || promised !== null;
  const financialWords = hits.filter((h) => h.category === "financial_activity");
  const licenced = f.licences.filter((k) => !nonFinancial.has(k));
  let licenceSignal = 0;
  let licenceText = "no financial activity declared";
  if (takesFunds && !licenced.includes("bank")) {
    if (!promises && licenced.some((k) => assetManagers.has(k))) {
      licenceSignal = 0.5;
      licenceText = `advertises a return of ${pct(promised ?? 0)} under a ${licenced.join(", ")} licence (no guarantee phrases)`;
    } else {
      licenceSignal = 1;
      licenceText = `takes funds with a promised ${promises ? "principal or return" : `return of ${pct(promised ?? 0)}`} while holding ${licenced.length > 0 ? `only a ${licenced.join(", ")} licence` : f.licences.includes("investment_consulting") ? "only an investment-consulting licence" : "no financial licence"}; only banks may take deposits`;
    }
  } else if (financialWords.length > 0 && licenced.length === 0) {
    licenceSignal = 0.5;
    licenceText = `declares financial business (${financialWords.map((h) => h.phrase).join(", ")}) without a financial licence`;
  }
  put(
    "licence",
    licenceSignal,
    licenced.length > 0 ? licenced.join(", ") : f.licences.join(", ") || "none",
    licenceText,
  );

  // Excess yield: promised return as a multiple of the one-year LPR.
  if (promised === null) put("excess_yield", 0, "none", "no return promised or advertised");
  else if (lprOneYear === null || lprOneYear <= 0)
    put("excess_yield", 0, pct(promised), "no LPR stored for the period");
  else {
    const multiple = promised / lprOneYear;
    put(
      "excess_yield",
      (multiple - params.yieldFloor) / (params.yieldCap - params.yieldFloor),
      `${pct(promised)} = ${multiple.toFixed(2)} × LPR ${pct(lprOneYear)}`,
      `promised ${pct(promised)}, ${pct(promised - lprOneYear)} above the one-year LPR of ${pct(lprOneYear)} (signal from ${params.yieldFloor}× to ${params.yieldCap}× LPR, the judicial cap for private lending)`,
    );
  }

  // Keywords: promise, no-risk, high-return and referral phrases.
  const kw = hits.filter((h) => (promiseCategories as readonly string[]).includes(h.category));
  const kwWeight = hitWeight(kw, promiseCategories);
  put(
    "keywords",
    kwWeight / params.keywordsFull,
    kw.length > 0 ? kw.map((h) => h.phrase).join(", ") : "none",
    kw.length > 0
      ? `${kw.length} phrases of the governed list (weight ${kwWeight.toFixed(2)}, full at ${params.keywordsFull})`
      : "no phrase of the governed list",
  );

  // Fan-in: the busiest month's small transfers from individuals, on a log scale.
  const { signal: fanIn, peak } = fanInSignal(flows?.monthly ?? [], params);
  const k = peak?.transfers ?? 0;
  const materiality = clamp01(k / params.flowMaterialPayers);
  put(
    "fan_in",
    fanIn,
    flows === null
      ? "no account data"
      : `${k} transfers from ${peak?.payers ?? 0} individuals in ${peak?.month ?? "-"}; ${payers} payers in the window`,
    flows === null
      ? "no account flows reported"
      : `${k} small transfers (≤ ${params.smallTransferMax} yuan) from individuals in the busiest month (ordinary up to ${params.fanInNormal}, full at ${params.fanInFull})`,
  );

  // Pass-through: individual money passed on within days, scaled down while the payers are few.
  const pt = flows?.passThrough ?? null;
  put(
    "pass_through",
    pt === null ? 0 : pt * materiality,
    pt === null ? "no individual inflows" : `${pct(pt)} passed on within ${params.passThroughDays} days`,
    pt === null
      ? "no individual inflows to pass on"
      : `${pct(pt)} of the money from individuals left again within ${params.passThroughDays} days${materiality < 1 ? ` (scaled by ${materiality.toFixed(2)}: at most ${k} transfers from individuals a month)` : ""}`,
  );

  // Ponzi-like growth of individual inflows.
  const g = flows ? inflowGrowth(flows.monthly) : null;
  put(
    "inflow_growth",
    g === null ? 0 : clamp01(g / params.growthFull) * materiality,
    g === null ? "fewer than 3 active months" : `${pct(g)} a month`,
    g === null
      ? "too few months of individual inflows to measure growth"
      : `individual inflows grew ${pct(g)} a month over the last active months (full at ${pct(params.growthFull)})`,
  );

  // Relations with known offenders.
  const strong = f.relations.filter((r) => r.attribute !== "account");
  put(
    "relations",
    strong.length > 0 ? 1 : f.relations.length > 0 ? 0.7 : 0,
    f.relations.length > 0 ? `${f.relations.length} links` : "none",
    f.relations.length > 0
      ? `shares ${[...new Set(f.relations.map((r) => r.attribute))].join(", ")} with ${[...new Set(f.relations.map((r) => r.offender))].join(", ")}`
      : "no director, phone, address or account shared with a known offender",
  );

  const contributions = c as Record<Dimension, Contribution>;
  const score = round(
    Object.values(contributions).reduce((a, x) => a + x.points, 0),
    1,
  );
  const legalElements: LegalElements = {
    unapproved: licenceSignal >= 0.5,
    publicPromotion: contributions.promotion.signal > 0 || (peak?.payers ?? 0) >= params.publicDepositors,
    promisedReturn: kw.length > 0 || (promised !== null && lprOneYear !== null && promised > lprOneYear),
    publicAtLarge: payers >= params.publicDepositors,
    criminalThreshold:
      payers >= params.criminalDepositors || (flows?.individualInflow ?? 0) >= params.criminalAmount,
  };
  const allElements =
    legalElements.unapproved &&
    legalElements.publicPromotion &&
    legalElements.promisedReturn &&
    legalElements.publicAtLarge;
  const card: Card =
    score >= params.redFrom || (allElements && legalElements.criminalThreshold)
      ? "red"
      : score >= params.yellowFrom || allElements
        ? "yellow"
        : "green";
  return {
    code: f.code,
    name: f.name,
    district: f.district,
    kind: f.kind,
    score,
    card,
    disposal: disposalOf(card, score, legalElements, f.licences, params),
    contributions,
    legalElements,
    evidence: {
      phrases: hits,
      promisedReturn: f.promisedReturn,
      advertisedReturn: advertised ?? null,
      promotionChannels: channels,
      licences: f.licences,
      complaints: f.complaints,
      flows,
      relations: f.relations,
    },
  };
}

function mergeHits(a: PhraseHit[], b: PhraseHit[]): PhraseHit[] {
  const seen = new Set(a.map((h) => h.id));
  return [...a, ...b.filter((h) => !seen.has(h.id))];
}

function disposalOf(
  card: Card,
  score: number,
  e: LegalElements,
  licences: readonly string[],
  p: FundraisingParams,
): Disposal {
  const elements = [
    e.unapproved && "no authority for the business",
    e.publicPromotion && "public promotion",
    e.promisedReturn && "promised return",
    e.publicAtLarge && "funds from the public at large",
  ].filter(Boolean);
  if (card === "red") {
    const why =
      score >= p.redFrom
        ? `score ${score} ≥ ${p.redFrom}`
        : `all four elements of illegal fund-raising (${elements.join(", ")}) and a criminal threshold reached`;
    return {
      card,
      referTo: "public_security",
      en: `Red: refer to the public-security authorities (${why}).`,
      zh: `红色：移送公安机关（${score >= p.redFrom ? `综合得分${score}，达到${p.redFrom}分` : "具备非法集资四个特征且达到立案追诉标准"}）。`,
    };
  }
  if (card === "yellow") {
    const unit = sectorRegulator(licences);
    return {
      card,
      referTo: unit,
      en: `Yellow: refer to the sector regulator (${unit}) for verification (score ${score}${elements.length > 0 ? `; ${elements.join(", ")}` : ""}).`,
      zh: `黄色：移交行业主管部门（${unit}）核查（综合得分${score}）。`,
    };
  }
  return {
    card,
    referTo: "keep_watching",
    en: `Green: keep watching (score ${score} below ${p.yellowFrom}).`,
    zh: `绿色：持续监测（综合得分${score}，低于${p.yellowFrom}分）。`,
  };
}
