/**
 * The generated world before any row is written: the calendar, the institutions (registry, sizes, groups) and
 * the populations of people and enterprises, all derived from the seed. Every task (and every worker thread)
 * rebuilds the same world from (seed, scale), so no data needs to be passed between threads.
 */
import {
  type InstitutionType,
  institutionTypeCodes,
  type SupervisoryUnit,
  supervisoryUnits,
} from "../contract/institution-types.ts";
import { monthEnd, monthIndex, monthLabel, quarterLabel } from "./calendar.ts";
import {
  creditCode,
  type District,
  districtAt,
  districtByCode,
  districts,
  urbanDistrictCodes,
} from "./ids.ts";
import { type Brand, brands, institutionName } from "./names.ts";
import { hashString, Rng, unit4 } from "./random.ts";
import { DEFAULT_END_PERIOD, type ScaleConfig, type ScaleName, scales } from "./scales.ts";

export type InstitutionStatus = "active" | "under_watch" | "exited" | "taken_over" | "revoked";

export interface Institution {
  /** Position in the registry. */
  idx: number;
  code: string;
  type: InstitutionType;
  zh: string;
  en: string;
  district: District;
  brand: Brand;
  /** Picks among name templates, venue kinds and the like. */
  variant: number;
  tier: number | null;
  /** Total assets in yuan at the last year end. */
  totalAssets: number;
  parentCode: string | null;
  groupCode: string | null;
  status: InstitutionStatus;
  /** Relative activity within its type (granular row counts). */
  weight: number;
  /** Held back from every planted problem, so it can be listed as clean. */
  reservedClean: boolean;
  /** Uniform numbers fixing the institution's background profile (ratios, growth, mixes). */
  u: Float64Array;
  /** The supervisory unit an office stands for (offices only). */
  unit: SupervisoryUnit | null;
}

export interface World {
  seed: number;
  s0: number;
  s1: number;
  scale: ScaleConfig;
  endMonth: number;
  firstMonth: number;
  /** Month indexes of all monthly periods, oldest first. */
  months: number[];
  /** Month indexes closing a quarter within the range. */
  quarterEnds: number[];
  endDay: number;
  endPeriod: string;
  institutions: Institution[];
  byType: Record<InstitutionType, Institution[]>;
}

/** A stream of random numbers named by a label and up to two entity numbers. */
export function streamRng(world: World, label: string, a = 0, b = 0): Rng {
  return new Rng(world.s0, streamKey(world, label), a, b);
}

/** The second seed word of a labelled stream, for reseeding a shared Rng in hot loops. */
export function streamKey(world: World, label: string): number {
  return (hashString(label) ^ Math.imul(world.s1 | 0, 0x9e3779b1)) >>> 0;
}

export function periodOf(mi: number): string {
  return monthLabel(mi);
}

export function quarterOf(mi: number): string {
  return quarterLabel(mi);
}

const sizeRanges: Record<InstitutionType, [median: number, sigma: number, lo: number, hi: number]> = {
  bank: [0, 0, 0, 0],
  securities_firm: [25e9, 0.7, 5e9, 120e9],
  futures_firm: [3e9, 0.6, 0.8e9, 12e9],
  public_fund_manager: [1.5e9, 0.6, 0.4e9, 6e9],
  private_fund_manager: [60e6, 0.9, 8e6, 600e6],
  trust: [15e9, 0.6, 4e9, 50e9],
  life_insurer: [80e9, 0.8, 15e9, 400e9],
  pc_insurer: [15e9, 0.7, 3e9, 70e9],
  small_loan: [250e6, 0.7, 50e6, 1.5e9],
  online_small_loan: [3e9, 0.5, 1.5e9, 10e9],
  financing_guarantee: [1.2e9, 0.7, 0.3e9, 6e9],
  financial_leasing: [6e9, 0.8, 1e9, 35e9],
  pawn: [80e6, 0.7, 20e6, 400e6],
  commercial_factoring: [400e6, 0.8, 50e6, 3e9],
  trading_venue: [150e6, 0.7, 30e6, 600e6],
  local_amc: [18e9, 0.5, 5e9, 50e9],
  investment_consulting: [15e6, 0.7, 3e6, 60e6],
  internet_lending_platform: [80e6, 0.6, 20e6, 300e6],
  watched_company: [40e6, 0.9, 3e6, 300e6],
  supervisory_office: [0, 0, 0, 0],
};

const bankTierSizes: Record<number, [number, number, number, number]> = {
  1: [520e9, 0.35, 260e9, 1_400e9],
  2: [310e9, 0.3, 205e9, 620e9],
  3: [70e9, 0.8, 18e9, 280e9],
  4: [18e9, 0.6, 4e9, 60e9],
  5: [1.8e9, 0.6, 0.4e9, 6e9],
};

/** Tiers of `n` banks: a few large ones, many small (tiny scale: one or two of each). */
function bankTiers(n: number): number[] {
  if (n <= 10) return [1, 2, 3, 3, 4, 4, 5, 5, 3, 5].slice(0, n);
  const shares = [0.06, 0.08, 0.18, 0.28, 0.4];
  const counts = shares.map((s) => Math.max(1, Math.round(s * n)));
  counts[4] = n - counts[0]! - counts[1]! - counts[2]! - counts[3]!;
  return counts.flatMap((c, i) => Array<number>(c).fill(i + 1));
}

/** Builds the world of a scale and seed; `endPeriod` overrides the fixed last month (for tests). */
export function buildWorld(seed: number, scaleName: ScaleName, endPeriod = DEFAULT_END_PERIOD): World {
  const scale = scales[scaleName];
  const s0 = seed >>> 0;
  const s1 = Math.floor(seed / 4294967296) >>> 0;
  const endMonth = monthIndex(endPeriod);
  const firstMonth = endMonth - scale.months + 1;
  const months: number[] = [];
  for (let m = firstMonth; m <= endMonth; m++) months.push(m);
  const world: World = {
    seed,
    s0,
    s1,
    scale,
    endMonth,
    firstMonth,
    months,
    quarterEnds: months.filter((m) => m % 3 === 2),
    endDay: monthEnd(endMonth),
    endPeriod,
    institutions: [],
    byType: Object.fromEntries(institutionTypeCodes.map((t) => [t, [] as Institution[]])) as Record<
      InstitutionType,
      Institution[]
    >,
  };
  buildInstitutions(world);
  return world;
}

function buildInstitutions(world: World): void {
  const rng = streamRng(world, "institutions");
  const usedNames = new Set<string>();
  const usedCodes = new Set<string>();
  let orgNo = 100 + rng.int(5000);
  const brandOrder = rng.shuffled(brands.map((_, i) => i));
  const newCode = (district: District, prefix = "91"): string => {
    for (;;) {
      orgNo += 1 + rng.int(37);
      const code = prefix === "91" ? creditCode(orgNo, district.code) : creditCode(orgNo, "500000", prefix);
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };
  const brandAt = (k: number): Brand => {
    const a = brands[brandOrder[k % brands.length]!]!;
    if (k < brands.length) return a;
    const b = brands[brandOrder[(Math.floor(k / brands.length) + k) % brands.length]!]!;
    return a === b
      ? { zh: `${a.zh}新`, en: `${a.en} Xin` }
      : { zh: a.zh + b.zh, en: `${a.en}${b.en.toLowerCase()}` };
  };

  for (const type of institutionTypeCodes) {
    if (type === "supervisory_office") {
      addOffices(world, rng, newCode);
      continue;
    }
    const n = world.scale.institutions[type];
    const tiers = type === "bank" ? bankTiers(n) : [];
    let brandCursor = rng.int(brands.length);
    for (let j = 0; j < n; j++) {
      const tier = type === "bank" ? tiers[j]! : null;
      const u = new Float64Array(16);
      for (let k = 0; k < 16; k++) u[k] = rng.float();
      const variant = rng.int(1000);
      const district = pickDistrict(type, tier, rng);
      const [median, sigma, lo, hi] = tier !== null ? bankTierSizes[tier]! : sizeRanges[type];
      const totalAssets = Math.round(rng.logNormal(median, sigma, lo, hi) / 1e4) * 1e4;
      let brand = brandAt(brandCursor++);
      let parentCode: string | null = null;
      let groupCode: string | null = null;
      // Subsidiaries take their parent's brand: futures firms and fund managers of securities firms, P&C
      // insurers of life groups, village banks of their sponsoring rural bank.
      const sponsor = sponsorOf(world, type, tier, j, rng);
      if (sponsor) {
        brand = sponsor.brand;
        parentCode = sponsor.code;
        groupCode = sponsor.groupCode ?? sponsor.code;
      }
      let names = institutionName(type, brand, district, variant, tier ?? undefined);
      let guard = 0;
      while (usedNames.has(names.zh)) {
        brand = brandAt(brandCursor++);
        names = institutionName(type, brand, district, variant + guard, tier ?? undefined);
        if (++guard > 10_000) throw new Error(`cannot name ${type} #${j}`);
      }
      usedNames.add(names.zh);
      const inst: Institution = {
        idx: world.institutions.length,
        code: newCode(district),
        type,
        zh: names.zh,
        en: names.en,
        district,
        brand,
        variant,
        tier,
        totalAssets,
        parentCode,
        groupCode,
        status: type === "watched_company" ? "under_watch" : "active",
        weight: totalAssets ** 0.6,
        reservedClean: false,
        u,
        unit: null,
      };
      world.institutions.push(inst);
      world.byType[type].push(inst);
    }
  }
  // Hold back about a third of each type (never the only one of a type) as the clean sample.
  for (const type of institutionTypeCodes) {
    if (type === "supervisory_office") continue;
    const list = world.byType[type];
    const k = Math.floor(list.length * 0.34);
    const order = rng.shuffled(list);
    for (let i = 0; i < k; i++) order[i]!.reservedClean = true;
  }
}

/** The regulators' own offices: they receive complaints and report watch lists and outcome labels. */
function addOffices(world: World, rng: Rng, newCode: (d: District, prefix?: string) => string): void {
  const yuzhong = districtByCode("500103");
  for (const unit of Object.keys(supervisoryUnits) as SupervisoryUnit[]) {
    const names = supervisoryUnits[unit];
    const inst: Institution = {
      idx: world.institutions.length,
      code: newCode(yuzhong, "11"),
      type: "supervisory_office",
      zh: names.zh,
      en: names.en,
      district: yuzhong,
      brand: { zh: names.zh, en: names.en },
      variant: 0,
      tier: null,
      totalAssets: 0,
      parentCode: null,
      groupCode: null,
      status: "active",
      weight: 0,
      reservedClean: false,
      u: new Float64Array(16).map(() => rng.float()),
      unit,
    };
    world.institutions.push(inst);
    world.byType.supervisory_office.push(inst);
  }
}

/** The office of a supervisory unit. */
export function office(world: World, unit: SupervisoryUnit): Institution {
  const o = world.byType.supervisory_office.find((i) => i.unit === unit);
  if (!o) throw new Error(`no office for ${unit}`);
  return o;
}

function pickDistrict(type: InstitutionType, tier: number | null, rng: Rng): District {
  const urban = () => districtByCode(urbanDistrictCodes[rng.int(urbanDistrictCodes.length)]!);
  if (type === "bank") {
    if (tier !== null && tier <= 2) return urban();
    if (tier === 3) return rng.chance(0.6) ? urban() : districtAt(rng.float());
    // County rural banks and village banks spread over all districts and counties.
    return districts[rng.int(districts.length)]!;
  }
  if (
    type === "small_loan" ||
    type === "pawn" ||
    type === "financing_guarantee" ||
    type === "watched_company"
  )
    return districtAt(rng.float());
  return rng.chance(0.8) ? urban() : districtAt(rng.float());
}

function sponsorOf(
  world: World,
  type: InstitutionType,
  tier: number | null,
  j: number,
  rng: Rng,
): Institution | null {
  const list = (t: InstitutionType) => world.byType[t];
  switch (type) {
    case "futures_firm":
      return list("securities_firm")[j] ?? null;
    case "public_fund_manager": {
      const s = list("securities_firm");
      return j % 2 === 0 ? (s[s.length - 1 - Math.floor(j / 2)] ?? null) : null;
    }
    case "pc_insurer":
      return j % 2 === 0 ? (list("life_insurer")[j] ?? null) : null;
    case "bank": {
      if (tier !== 5) return null;
      const sponsors = list("bank").filter((b) => b.tier === 3 || b.tier === 4);
      return sponsors.length > 0 && rng.chance(0.7) ? sponsors[rng.int(sponsors.length)]! : null;
    }
    case "private_fund_manager": {
      const t = list("trust");
      return j % 5 === 0 ? (t[Math.floor(j / 5)] ?? null) : null;
    }
    default:
      return null;
  }
}

/** Stable uniform number for an institution and a purpose (no stream state involved). */
export function instUnit(world: World, inst: Institution, purpose: string, k = 0): number {
  return unit4(world.s0, hashString(purpose) ^ world.s1, inst.idx, k);
}
