/**
 * People and enterprises outside the registry (borrowers, customers, policyholders, guarantors, issuers). Each is
 * a number; every attribute is a pure function of (seed, number), so datasets written in different tasks agree
 * on who is who without sharing memory.
 */
import { creditCode, districtAt, ENTERPRISE_ORG_BASE } from "./ids.ts";
import { hash4 } from "./random.ts";
import type { World } from "./world.ts";

/** Planted people are numbered from here, far above any background population. */
export const PLANT_PERSON_BASE = 120_000_000;
/** Planted enterprises are numbered from here. */
export const PLANT_ENTERPRISE_BASE = 40_000_000;

/** GB/T 4754-2017 sections with their weight among enterprise borrowers. */
const industryWeights: [string, number][] = [
  ["C", 24],
  ["F", 22],
  ["E", 9],
  ["L", 9],
  ["A", 6],
  ["G", 6],
  ["K", 5],
  ["I", 5],
  ["H", 4],
  ["N", 3],
  ["M", 2],
  ["D", 2],
  ["O", 1],
  ["Q", 1],
  ["R", 1],
  ["P", 0.5],
  ["B", 0.5],
];
const industryTable: string[] = (() => {
  const out: string[] = [];
  for (const [k, w] of industryWeights) for (let i = 0; i < w * 2; i++) out.push(k);
  return out;
})();

function u(world: World, kind: number, n: number): number {
  return hash4(world.s0, world.s1 ^ kind, n, 0x5eed) / 4294967296;
}

export interface EnterpriseInfo {
  code: string;
  industry: string;
  lgfv: boolean;
  developer: boolean;
  /** Relative size (1 = median). */
  size: number;
}

const codeCache = new Map<string, string>();

/** Credit code of enterprise `e`. */
export function enterpriseCode(world: World, e: number): string {
  const district = districtAt(u(world, 1, e));
  return creditCode(ENTERPRISE_ORG_BASE + e, district.code);
}

/** Credit code of enterprise `e`, memoised (for the small sets used by plants and issuers). */
export function enterpriseCodeCached(world: World, e: number): string {
  const key = `${world.seed}:${e}`;
  let c = codeCache.get(key);
  if (c === undefined) {
    c = enterpriseCode(world, e);
    if (codeCache.size > 100_000) codeCache.clear();
    codeCache.set(key, c);
  }
  return c;
}

/** Industry, LGFV and developer flags and relative size of enterprise `e`. */
export function enterpriseInfo(world: World, e: number): EnterpriseInfo {
  const a = u(world, 2, e);
  const lgfv = a < 0.025;
  let industry = industryTable[Math.floor(u(world, 3, e) * industryTable.length)]!;
  if (lgfv) industry = a < 0.01 ? "N" : a < 0.018 ? "E" : "L";
  const size = Math.exp(1.1 * (u(world, 4, e) + u(world, 5, e) + u(world, 6, e) - 1.5) * 2);
  return { code: enterpriseCode(world, e), industry, lgfv, developer: industry === "K", size };
}

/** True for the enterprises that are LGFVs (cheaper than enterpriseInfo). */
export function isLgfv(world: World, e: number): boolean {
  return u(world, 2, e) < 0.025;
}

/** Average annual income of person `i` over three years, in yuan; 0 when the lender does not know it. */
export function personIncome(world: World, i: number): number {
  const known = u(world, 10, i);
  if (known < 0.15) return 0;
  // Log-normal around 72k a year, from three uniforms (a cheap bell curve).
  const z = (u(world, 11, i) + u(world, 12, i) + u(world, 13, i) - 1.5) * 2;
  const income = 72_000 * Math.exp(0.6 * z * 1.2);
  return Math.round(Math.min(2_000_000, Math.max(18_000, income)) / 100) * 100;
}

/** A uniform number tied to a person and a purpose (risk class, product appetite...). */
export function personUnit(world: World, i: number, purpose: number): number {
  return u(world, 100 + purpose, i);
}
