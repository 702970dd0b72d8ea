/**
 * Insurance: the in-force policy book, claims over the last twelve months, and monthly surrenders and maturity
 * benefits over the whole range. Claimants are policyholders whose phone, address, card and plate come from
 * their person number, so only planted rings share identifiers.
 */
import { activitySeason, monthLabel, monthOfDay, monthStart } from "./calendar.ts";
import { fen, isoDate, padInt } from "./format.ts";
import { address, bankCard, phone, plate, recordNo, residentId, scramble30 } from "./ids.ts";
import type { PlanContext } from "./plan-context.ts";
import { Rng, WeightedTable } from "./random.ts";
import type { ReturnsPlan } from "./returns.ts";
import { backgroundPersons } from "./sales.ts";
import { detector } from "./truth.ts";
import { type Institution, streamKey, type World } from "./world.ts";
import { type ByteSink, DatasetWriter, PeriodWriter, type WrittenFile } from "./writer.ts";

const lifeKinds = ["universal_life", "annuity", "whole_life", "endowment", "term_life", "health", "accident"];
const lifeKindTable = new WeightedTable([10, 10, 15, 10, 10, 30, 15]);
const pcKinds = ["auto", "property", "accident", "health"];
const pcKindTable = new WeightedTable([55, 10, 15, 20]);
const claimRate: Record<string, number> = {
  auto: 0.3,
  health: 0.25,
  accident: 0.06,
  property: 0.05,
  whole_life: 0.005,
  term_life: 0.005,
  universal_life: 0.002,
  annuity: 0.002,
  endowment: 0.002,
};
const longTerm = new Set(["universal_life", "annuity", "whole_life", "endowment", "term_life"]);
/** Claims at or above this amount go to manual review; rings keep just below it. */
export const REVIEW_THRESHOLD = 50_000;

export function insurers(world: World): Institution[] {
  return [...world.byType.life_insurer, ...world.byType.pc_insurer].sort((a, b) => a.idx - b.idx);
}

/** Policies in force per insurer at the end period (P&C books hold many more, smaller policies per yuan). */
export function policiesPerInsurer(world: World): Map<number, number> {
  const list = insurers(world);
  const weight = (i: Institution) => i.totalAssets ** 0.7 * (i.type === "pc_insurer" ? 3 : 1);
  const total = list.reduce((s, i) => s + weight(i), 0);
  return new Map(
    list.map((i) => [i.idx, Math.max(10, Math.round((world.scale.policies * weight(i)) / total))]),
  );
}

interface Policy {
  /** Set for planted policies only; background rows write the number as bytes. */
  id: string;
  no: number;
  holder: number;
  kind: string;
  start: number;
  end: number | null;
  premium: number;
  sumInsured: number;
  channel: string;
}

function policyAt(
  world: World,
  inst: Institution,
  p: number,
  rng: Rng,
  key: number,
  persons: number,
): Policy {
  rng.reseed(world.s0, key, inst.idx, p);
  const life = inst.type === "life_insurer";
  const kind = life ? lifeKinds[lifeKindTable.index(rng.float())]! : pcKinds[pcKindTable.index(rng.float())]!;
  const holder = rng.int(persons);
  const endDay = world.endDay;
  let start: number;
  let end: number | null;
  if (longTerm.has(kind)) {
    start = endDay - 30 - rng.int(15 * 365);
    end =
      kind === "endowment"
        ? start + 365 * (10 + rng.int(11))
        : kind === "term_life"
          ? start + 365 * (10 + rng.int(21))
          : null;
  } else {
    start = endDay - rng.int(364);
    end = start + 365;
  }
  const r = (m: number, s: number, lo: number, hi: number) => Math.round(rng.logNormal(m, s, lo, hi));
  const [premium, sumInsured] =
    kind === "auto"
      ? [r(3500, 0.4, 1500, 12000), r(1_000_000, 0.5, 200_000, 3_000_000)]
      : kind === "property"
        ? [r(1500, 0.7, 300, 20000), r(500_000, 0.8, 50_000, 5_000_000)]
        : kind === "accident"
          ? [r(300, 0.6, 50, 3000), r(300_000, 0.6, 50_000, 2_000_000)]
          : kind === "health"
            ? [r(1500, 0.8, 200, 20000), r(500_000, 0.7, 20_000, 3_000_000)]
            : kind === "term_life"
              ? [r(2000, 0.6, 300, 20000), r(800_000, 0.6, 100_000, 5_000_000)]
              : [r(20_000, 0.8, 3000, 300_000), r(300_000, 0.8, 30_000, 5_000_000)];
  const channel = life
    ? ["agent", "agent", "bancassurance", "internet", "direct"][rng.int(5)]!
    : ["agent", "internet", "direct"][rng.int(3)]!;
  return { id: "", no: p, holder, kind, start, end, premium, sumInsured, channel };
}

/** Policy number p of an insurer (scrambled, so numbers carry no order). */
function policyId(inst: Institution, p: number): string {
  return `PL${padInt(inst.idx, 4)}${recordNo(p, POLICY_SALT)}`;
}

const POLICY_SALT = 0x9011;

/** Writes the policy number's digits (after "PL" or "CL"). */
function policyDigits(o: ByteSink, inst: Institution, p: Policy): void {
  o.padded(inst.idx, 4);
  o.padded(scramble30(p.no, POLICY_SALT), 10);
}

function writePolicy(o: ByteSink, inst: Institution, period: string, p: Policy): void {
  o.str("PL");
  policyDigits(o, inst, p);
  o.comma();
  o.str(inst.code);
  o.comma();
  o.str(period);
  o.comma();
  o.residentId(p.holder);
  o.comma();
  o.str(p.kind);
  o.comma();
  o.date(p.start);
  o.comma();
  if (p.end !== null) o.date(p.end);
  o.comma();
  o.fen(p.premium * 100);
  o.comma();
  o.fen(p.sumInsured * 100);
  o.comma();
  o.str(p.channel);
  o.byte(10);
}

function policyLine(inst: Institution, period: string, p: Policy): string {
  return `${p.id},${inst.code},${period},${residentId(p.holder)},${p.kind},${isoDate(p.start)},${p.end === null ? "" : isoDate(p.end)},${fen(p.premium * 100)},${fen(p.sumInsured * 100)},${p.channel}\n`;
}

export interface PlantedPolicy {
  insurer: Institution;
  policy: Policy;
}

export interface PlantedClaim {
  insurer: Institution;
  line: (period: string) => string;
  claimDay: number;
}

export interface InsurancePlan {
  policies: PlantedPolicy[];
  claims: PlantedClaim[];
}

function claimLine(
  id: string,
  inst: Institution,
  period: string,
  policy: Policy,
  claimant: number,
  phoneText: string,
  addressText: string,
  card: string,
  vehicle: string,
  hospital: string,
  incident: number,
  claimDay: number,
  amount: number,
  paid: number | null,
  status: string,
): string {
  return `${id},${inst.code},${period},${policy.id},${isoDate(policy.start)},${residentId(claimant)},${phoneText},${addressText},${card},${vehicle},${hospital},${isoDate(incident)},${isoDate(claimDay)},${fen(amount * 100)},${paid === null ? "" : fen(paid * 100)},${status}\n`;
}

/** Months holding claims: the last twelve. */
function claimMonths(world: World): number[] {
  return world.months.slice(-12);
}

/** Writes policies (end period) and claims (by month of claim). */
export function writePoliciesAndClaims(
  world: World,
  plan: InsurancePlan,
  out: string,
  progress?: (rows: number) => void,
): WrittenFile[] {
  const period = world.endPeriod;
  const pw = new PeriodWriter(out, "policies", period);
  const cw = new DatasetWriter(out, "claims");
  const months = claimMonths(world);
  for (const m of months) cw.open(monthLabel(m));
  const windowStart = monthStart(months[0]!);
  const counts = policiesPerInsurer(world);
  const persons = backgroundPersons(world);
  const key = streamKey(world, "policies");
  const ckey = streamKey(world, "claims");
  const rng = new Rng();
  const crng = new Rng();
  // Scale claim rates so the book yields about the scale's number of claims.
  let expected = 0;
  for (const inst of insurers(world)) {
    const life = inst.type === "life_insurer";
    const kinds = life ? lifeKinds : pcKinds;
    const table = life ? lifeKindTable : pcKindTable;
    let e = 0;
    for (let k = 0; k < kinds.length; k++)
      e +=
        (claimRate[kinds[k]!]! * (table.cumulative[k]! - (k > 0 ? table.cumulative[k - 1]! : 0))) /
        table.total;
    expected += e * counts.get(inst.idx)!;
  }
  const factor = Math.min(3, world.scale.claims / Math.max(1, expected));
  let rows = 0;
  for (const inst of insurers(world)) {
    const n = counts.get(inst.idx)!;
    for (let p = 0; p < n; p++) {
      const pol = policyAt(world, inst, p, rng, key, persons);
      writePolicy(pw.row(200), inst, period, pol);
      crng.reseed(world.s0, ckey, inst.idx, p);
      if (!crng.chance(Math.min(0.9, claimRate[pol.kind]! * factor))) continue;
      const from = Math.max(pol.start + 1, windowStart);
      if (from >= world.endDay - 2) continue;
      const incident = from + crng.int(world.endDay - 2 - from);
      const claimDay = Math.min(world.endDay, incident + crng.int(21));
      const amount = claimAmount(pol, crng);
      const age = world.endDay - claimDay;
      const u = crng.float();
      const status =
        age > 45 ? (u < 0.9 ? "paid" : u < 0.97 ? "rejected" : "open") : u < 0.4 ? "paid" : "open";
      const paid = status === "paid" ? Math.round(amount * crng.range(0.7, 1)) : null;
      const who = pol.holder;
      const label = monthLabel(monthOfDay(claimDay));
      // Background claim rows are written as bytes: a million of them would otherwise be a million strings.
      const o = cw.row(label, 400);
      o.str("CL");
      policyDigits(o, inst, pol);
      o.comma();
      o.str(inst.code);
      o.comma();
      o.str(label);
      o.str(",PL");
      policyDigits(o, inst, pol);
      o.comma();
      o.date(pol.start);
      o.comma();
      o.residentId(who);
      o.comma();
      o.str(phone(who));
      o.comma();
      o.utf8(address(who));
      o.comma();
      o.str(bankCard(who));
      o.comma();
      if (pol.kind === "auto") o.utf8(plate(who));
      o.comma();
      if (pol.kind === "health" || pol.kind === "accident") {
        o.str("HOSP");
        o.padded(crng.int(3000), 4);
      }
      o.comma();
      o.date(incident);
      o.comma();
      o.date(claimDay);
      o.comma();
      o.fen(amount * 100);
      o.comma();
      if (paid !== null) o.fen(paid * 100);
      o.comma();
      o.str(status);
      o.byte(10);
      rows++;
      if (rows > 100_000) {
        progress?.(rows);
        rows = 0;
      }
    }
    // Planted policies are the insurer's newest; their claims follow its other claims of the month.
    for (const pp of plan.policies) if (pp.insurer === inst) pw.add(policyLine(inst, period, pp.policy));
    for (const c of plan.claims) {
      if (c.insurer !== inst) continue;
      const label = monthLabel(monthOfDay(c.claimDay));
      cw.add(label, c.line(label));
    }
  }
  progress?.(rows);
  return [...pw.close(), ...cw.close()];
}

function claimAmount(p: Policy, rng: Rng): number {
  const r = (m: number, s: number, lo: number, hi: number) => Math.round(rng.logNormal(m, s, lo, hi));
  switch (p.kind) {
    case "auto":
      return r(6000, 0.9, 500, 200_000);
    case "health":
      return r(8000, 1, 300, 300_000);
    case "accident":
      return r(5000, 1, 300, 200_000);
    case "property":
      return r(20_000, 1, 1000, 1_000_000);
    default:
      return Math.min(p.sumInsured, r(200_000, 0.8, 20_000, 3_000_000));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Surrenders and maturity benefits.

/** Surrenders of a life insurer in a month (the same draw feeds the file and the truth). */
export function surrenderCount(
  world: World,
  plan: ReturnsPlan,
  inst: Institution,
  mi: number,
  policies: number,
): number {
  const rng = new Rng(world.s0, streamKey(world, "surrenders"), inst.idx, mi);
  const season = (mi % 12) + 1 <= 2 ? 1.15 : (mi % 12) + 1 === 12 ? 1.1 : 1;
  const factor = plan.surrenderFactors.get(`${inst.idx}|${mi}`) ?? 1;
  const base = Math.max(2, policies * 0.0025 * (0.7 + 0.6 * inst.u[6]!));
  return rng.poisson(base * season * (0.85 + 0.3 * rng.float()) * factor);
}

/** Writes surrenders and maturity benefits for every month of the range. */
export function writeSurrenders(world: World, plan: ReturnsPlan, out: string): WrittenFile[] {
  const sw = new DatasetWriter(out, "surrenders");
  const mw = new DatasetWriter(out, "maturity_benefits");
  const counts = policiesPerInsurer(world);
  const rng = new Rng();
  const key = streamKey(world, "surrender-rows");
  for (const mi of world.months) {
    const label = monthLabel(mi);
    sw.open(label);
    mw.open(label);
    const start = monthStart(mi);
    const days = monthStart(mi + 1) - start;
    const ym = label.replace("-", "");
    for (const inst of world.byType.life_insurer) {
      const n = counts.get(inst.idx)!;
      const count = surrenderCount(world, plan, inst, mi, n);
      rng.reseed(world.s0, key, inst.idx, mi);
      for (let k = 0; k < count; k++) {
        const policy = policyId(inst, n + (mi % 1000) * 10_000 + k);
        sw.add(
          label,
          `SR${padInt(inst.idx, 4)}${ym}${padInt(k + 1, 6)},${inst.code},${label},${policy},${isoDate(start + rng.int(days))},${fen(Math.round(rng.logNormal(40_000, 0.9, 2_000, 2_000_000)) * 100)}\n`,
        );
      }
      const mat = rng.poisson(Math.max(1, n * 0.0008) * activitySeason(mi));
      for (let k = 0; k < mat; k++) {
        const policy = policyId(inst, rng.int(n));
        mw.add(
          label,
          `MB${padInt(inst.idx, 4)}${ym}${padInt(k + 1, 6)},${inst.code},${label},${policy},${isoDate(start + rng.int(days))},${fen(Math.round(rng.logNormal(60_000, 0.8, 5_000, 3_000_000)) * 100)}\n`,
        );
      }
    }
  }
  return [...sw.close(), ...mw.close()];
}

// ---------------------------------------------------------------------------------------------------------
// Plants.

/** Plans insurers whose monthly surrenders jump several-fold for one to three months. */
export function planSurrenderWaves(ctx: PlanContext, returns: ReturnsPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const pool = rng.shuffled(ctx.dirty("life_insurer"));
  const counts = policiesPerInsurer(world);
  for (let k = 0; k < Math.min(count, pool.length); k++) {
    const inst = pool[k]!;
    const len = 1 + rng.int(3);
    const recent = world.months.slice(-Math.min(12, world.months.length));
    const first = rng.int(Math.max(1, recent.length - len - 1)) + 1;
    const months = recent.slice(first, first + len);
    const factor = 4 + 4 * rng.float();
    for (const m of months) returns.surrenderFactors.set(`${inst.idx}|${m}`, factor);
    ctx.touch(inst);
    const n = counts.get(inst.idx)!;
    const before = world.months.filter((m) => m < months[0]!).slice(-6);
    const baseline = before.map((m) => surrenderCount(world, returns, inst, m, n));
    const avg = baseline.reduce((s, x) => s + x, 0) / Math.max(1, baseline.length);
    ctx.add({
      kind: "surrender_wave",
      subjectType: "institution",
      subjects: [inst.code],
      periods: months.map(monthLabel),
      flaggedBy: [detector("surrender_wave")],
      details: {
        name: inst.zh,
        factor: Math.round(factor * 100) / 100,
        baselineMonthlyCount: Math.round(avg * 10) / 10,
        waveCounts: months.map((m) => ({
          period: monthLabel(m),
          surrenders: surrenderCount(world, returns, inst, m, n),
        })),
        returnsItem: "INS_SURRENDERS (quarterly, year to date) carries the same jump",
      },
    });
  }
}

/** Plans rings of claimants sharing phones, addresses, cards or vehicles, claiming soon after cover starts. */
export function planClaimRings(ctx: PlanContext, plan: InsurancePlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const pool = ctx.dirty(["pc_insurer", "life_insurer"]);
  if (pool.length === 0) return;
  const modes = ["phone", "address", "payee_account", "vehicle", "phone+payee_account", "address+vehicle"];
  const months = claimMonths(world);
  const windowStart = monthStart(months[0]!);
  const counts = policiesPerInsurer(world);
  const nextPolicy = new Map<number, number>();
  for (let k = 0; k < count; k++) {
    const inst = pool[rng.int(pool.length)]!;
    const mode = modes[k % modes.length]!;
    const auto = inst.type === "pc_insurer" && (mode.includes("vehicle") || rng.chance(0.6));
    const size = 4 + rng.int(6);
    const members = Array.from({ length: size }, () => ctx.newPerson());
    const organiser = members[0]!;
    const sharedPlate = plate(organiser);
    const claimIds: string[] = [];
    const policyIds: string[] = [];
    const gaps: number[] = [];
    const centre = windowStart + 30 + rng.int(Math.max(1, world.endDay - windowStart - 90));
    const shared: Record<string, string> = {};
    if (mode.includes("phone")) shared.phone = phone(organiser);
    if (mode.includes("address")) shared.address = address(organiser);
    if (mode.includes("payee_account")) shared.payee_account = bankCard(organiser);
    if (mode.includes("vehicle") && auto) shared.vehicle_plate = sharedPlate;
    if (Object.keys(shared).length === 0) shared.phone = phone(organiser);
    for (const m of members) {
      const incident = Math.min(world.endDay - 5, centre + rng.int(60));
      const gap = 10 + rng.int(36);
      const start = incident - gap;
      const kind = auto ? "auto" : inst.type === "life_insurer" ? "health" : rng.pick(["health", "accident"]);
      const p = nextPolicy.get(inst.idx) ?? counts.get(inst.idx)!;
      nextPolicy.set(inst.idx, p + 1);
      const policy: Policy = {
        id: policyId(inst, p),
        no: p,
        holder: m,
        kind,
        start,
        end: start + 365,
        premium: kind === "auto" ? 2000 + rng.int(3000) : 300 + rng.int(2000),
        sumInsured: kind === "auto" ? 500_000 : 200_000 + 100_000 * rng.int(5),
        channel: rng.pick(["agent", "internet"]),
      };
      plan.policies.push({ insurer: inst, policy });
      const claimDay = Math.min(world.endDay, incident + 1 + rng.int(5));
      const amount = REVIEW_THRESHOLD - 100 - rng.int(5000);
      const id = `CL${policy.id.slice(2)}`;
      const status = world.endDay - claimDay > 20 ? "paid" : "open";
      const line = (label: string) =>
        claimLine(
          id,
          inst,
          label,
          policy,
          m,
          shared.phone ?? phone(m),
          shared.address ?? address(m),
          shared.payee_account ?? bankCard(m),
          kind === "auto" ? (shared.vehicle_plate ?? plate(m)) : "",
          kind === "auto" ? "" : `HOSP${padInt(rng.int(3000), 4)}`,
          incident,
          claimDay,
          amount,
          status === "paid" ? amount : null,
          status,
        );
      plan.claims.push({ insurer: inst, line, claimDay });
      claimIds.push(id);
      policyIds.push(policy.id);
      gaps.push(claimDay - start);
    }
    ctx.touch(inst);
    ctx.add({
      kind: "claim_ring",
      subjectType: "person",
      subjects: members.map(residentId),
      periods: [...new Set(plan.claims.slice(-size).map((c) => monthLabel(monthOfDay(c.claimDay))))].sort(),
      flaggedBy: [detector("claim_ring")],
      details: {
        insurer: inst.code,
        sharedIdentifiers: shared,
        claimIds,
        policyIds,
        daysFromPolicyStartToClaim: gaps,
        reviewThreshold: REVIEW_THRESHOLD,
        amounts: "just below the review threshold (threshold - 100 - up to 5,000)",
      },
    });
  }
}
