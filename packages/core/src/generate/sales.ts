/**
 * Customers' suitability assessments and product sales over the last twelve months. Background sales always
 * match the customer's class, carry a recording where the dual-recording rule applies, and sell only products
 * the seller issued or is authorised for; planted sales break exactly one of these.
 */
import { activitySeason, monthLabel, monthStart } from "./calendar.ts";
import { fen, isoDate, padInt } from "./format.ts";
import { recordNo, residentId, scramble30 } from "./ids.ts";
import type { PlanContext } from "./plan-context.ts";
import { enterpriseCode } from "./population.ts";
import type { Catalogue, Product, ProductType } from "./products.ts";
import { Rng, unit4, WeightedTable } from "./random.ts";
import { detector } from "./truth.ts";
import { type Institution, streamKey, type World } from "./world.ts";
import { DatasetWriter, PeriodWriter, type WrittenFile } from "./writer.ts";

/** People are numbered 0..persons-1 in the background; sellers draw customers from this range. */
export function backgroundPersons(world: World): number {
  return Math.max(20_000, Math.round(world.scale.loans * 0.6));
}

const typeShare: Partial<Record<Institution["type"], number>> = {
  bank: 60,
  securities_firm: 15,
  public_fund_manager: 10,
  trust: 5,
  investment_consulting: 3,
  life_insurer: 1.5,
  pc_insurer: 1.5,
  private_fund_manager: 4,
  futures_firm: 1,
};

interface Seller {
  inst: Institution;
  /** Products sellable to a customer of class r (index 1..5). */
  upTo: Product[][];
  customers: number;
  customerBase: number;
  branches: number;
  monthlyMean: number;
}

function branchCount(inst: Institution): number {
  if (inst.type !== "bank") return 1 + Math.floor(inst.u[9]! * 5);
  const t = inst.tier ?? 5;
  const [lo, hi] = t === 1 ? [40, 80] : t === 2 ? [20, 40] : t === 3 ? [10, 30] : t === 4 ? [5, 15] : [2, 5];
  return lo + Math.floor(inst.u[9]! * (hi - lo));
}

/** Sellers with their products and expected monthly sales. */
export function sellers(world: World, cat: Catalogue): Seller[] {
  const candidates = world.institutions.filter(
    (i) => cat.sellable.has(i.idx) && typeShare[i.type] !== undefined,
  );
  const byType = new Map<string, Institution[]>();
  for (const c of candidates) (byType.get(c.type) ?? byType.set(c.type, []).get(c.type)!).push(c);
  let shareSum = 0;
  for (const t of byType.keys()) shareSum += typeShare[t as Institution["type"]]!;
  const monthly = world.scale.sales / 12;
  const persons = backgroundPersons(world);
  const out: Seller[] = [];
  for (const [t, list] of byType) {
    const typeTotal = (monthly * typeShare[t as Institution["type"]]!) / shareSum;
    const wsum = list.reduce((s, i) => s + i.totalAssets ** 0.6, 0);
    for (const inst of list) {
      const mean = (typeTotal * inst.totalAssets ** 0.6) / wsum;
      const products = cat.sellable.get(inst.idx)!;
      const upTo: Product[][] = [[]];
      for (let r = 1; r <= 5; r++) upTo.push(products.filter((p) => p.risk <= r));
      out.push({
        inst,
        upTo,
        customers: Math.max(20, Math.ceil((mean * 12) / 2.5)),
        customerBase: Math.floor(unit4(world.s0, world.s1, inst.idx, 0xc057) * persons),
        branches: branchCount(inst),
        monthlyMean: mean,
      });
    }
  }
  out.sort((a, b) => a.inst.idx - b.inst.idx);
  return out;
}

/** The person behind customer j of a seller. */
export function customerPerson(world: World, s: Seller, j: number): number {
  return (s.customerBase + j) % backgroundPersons(world);
}

export interface Assessment {
  riskClass: number;
  lowest: boolean;
  professional: boolean;
  assessedOn: number;
}

const classCdf = [0.15, 0.4, 0.73, 0.91, 1];

/** The assessment a seller holds for its customer j (stable per seller and customer). */
export function assessment(world: World, s: Seller, j: number): Assessment {
  const u = unit4(world.s0 ^ 0xa55e, world.s1, s.inst.idx, j);
  let c = 1;
  while (u >= classCdf[c - 1]!) c++;
  const v = unit4(world.s0 ^ 0x10e5, world.s1, s.inst.idx, j);
  const months = world.months.length;
  const windowStart = monthStart(world.endMonth - Math.min(12, months) + 1);
  return {
    riskClass: c,
    lowest: c === 1 && v < 0.25,
    professional: c >= 4 && v < 0.05,
    assessedOn: windowStart - 30 - Math.floor(unit4(world.s0, world.s1 ^ 0xda7e, s.inst.idx, j) * 700),
  };
}

function amountFor(type: ProductType, rng: Rng): number {
  const r = (m: number, s: number, lo: number, hi: number) =>
    Math.round(rng.logNormal(m, s, lo, hi) / 100) * 100;
  switch (type) {
    case "bank_wmp":
      return r(200_000, 0.9, 10_000, 5_000_000);
    case "public_fund":
      return r(30_000, 1, 1_000, 1_000_000);
    case "trust_plan":
    case "private_fund":
    case "fund_special":
      return r(2_000_000, 0.6, 1_000_000, 20_000_000);
    case "securities_am":
    case "futures_am":
      return r(600_000, 0.6, 300_000, 5_000_000);
    case "insurance_am":
      return r(500_000, 0.7, 100_000, 3_000_000);
  }
}

const channels = ["counter", "online", "mobile", "agent"];
const channelWeights = new WeightedTable([35, 25, 35, 5]);

export interface PlantedSale {
  month: number;
  seller: Institution;
  line: (period: string) => string;
}

export interface SalesPlan {
  sales: PlantedSale[];
  assessments: { seller: Institution; person: number; a: Assessment }[];
  /** Shared by the planners so planted sale numbers never collide. */
  numbering?: SaleNumbers;
}

function saleLine(
  id: string,
  seller: Institution,
  period: string,
  person: number,
  productId: string,
  issuer: string,
  risk: number,
  employee: string,
  branch: string,
  day: number,
  amount: number,
  channel: string,
  retail: boolean,
  recording: string,
  warning: boolean,
): string {
  return `${id},${seller.code},${period},${residentId(person)},${productId},${issuer},R${risk},${employee},${branch},${isoDate(day)},${fen(amount * 100)},${channel},${retail},${recording},${warning}\n`;
}

const saleId = (ym: string, seller: Institution, k: number) =>
  `SA${ym}${padInt(seller.idx, 4)}${recordNo(k, 0x5a1e)}`;
const branchId = (s: Institution, b: number) => `B${padInt(s.idx, 4)}${padInt(b, 3)}`;
const employeeId = (s: Institution, b: number, e: number) =>
  `E${padInt(s.idx, 4)}${padInt(b, 3)}${padInt(e, 2)}`;

/** Sales months: the last twelve (or all, when fewer). */
export function salesMonths(world: World): number[] {
  return world.months.slice(-12);
}

/** Writes risk_assessments (end period) and sales (one file per month). */
export function writeSales(
  world: World,
  cat: Catalogue,
  plan: SalesPlan,
  out: string,
  progress?: (rows: number) => void,
): WrittenFile[] {
  const list = sellers(world, cat);
  const period = world.endPeriod;
  const aw = new PeriodWriter(out, "risk_assessments", period);
  for (const s of list) {
    for (let j = 0; j < s.customers; j++) {
      const a = assessment(world, s, j);
      const o = aw.row(120);
      o.str(s.inst.code);
      o.comma();
      o.str(period);
      o.comma();
      o.residentId(customerPerson(world, s, j));
      o.comma();
      o.date(a.assessedOn);
      o.str(",C");
      o.int(a.riskClass);
      o.str(a.lowest ? ",true" : ",false");
      o.str(a.professional ? ",true\n" : ",false\n");
    }
    for (const x of plan.assessments)
      if (x.seller === s.inst)
        aw.add(
          `${x.seller.code},${period},${residentId(x.person)},${isoDate(x.a.assessedOn)},C${x.a.riskClass},${x.a.lowest},${x.a.professional}\n`,
        );
  }
  const sw = new DatasetWriter(out, "sales");
  const rng = new Rng();
  const key = streamKey(world, "sales");
  const months = salesMonths(world);
  const avgSeason = months.reduce((s, m) => s + activitySeason(m), 0) / months.length;
  let rows = 0;
  const plantedHere: PlantedSale[] = [];
  for (const mi of months) {
    const label = monthLabel(mi);
    sw.open(label);
    const start = monthStart(mi);
    const days = monthStart(mi + 1) - start;
    const ym = label.replace("-", "");
    for (const s of list) {
      rng.reseed(world.s0, key, s.inst.idx, mi);
      const n = rng.poisson((s.monthlyMean * activitySeason(mi)) / avgSeason);
      for (const x of plan.sales) if (x.month === mi && x.seller === s.inst) plantedHere.push(x);
      // Planted sales of this seller and month sit among its background sales, at a seeded position.
      const plantedAt = Math.floor(unit4(world.s0, world.s1 ^ 0x51a7, s.inst.idx, mi) * (n + 1));
      for (let k = 0; k <= n; k++) {
        if (k === plantedAt) for (const x of plantedHere) sw.add(label, x.line(label));
        if (k === n) break;
        // A customer for whom the seller has a suitable product (a few sellers lack low-risk ones).
        let j = rng.int(s.customers);
        let a = assessment(world, s, j);
        for (let t = 0; t < 5 && s.upTo[a.lowest ? 1 : a.riskClass]!.length === 0; t++) {
          j = rng.int(s.customers);
          a = assessment(world, s, j);
        }
        const pool = s.upTo[a.lowest ? 1 : a.riskClass]!;
        if (pool.length === 0) continue;
        const p = pool[rng.int(pool.length)]!;
        const b = rng.int(s.branches);
        const channel = channels[channelWeights.index(rng.float())]!;
        const bank = s.inst.type === "bank";
        const retail = !a.professional;
        const recorded = bank ? retail || rng.chance(0.5) : channel === "counter" || channel === "agent";
        const e = rng.int(8);
        const day = start + rng.int(days);
        const amount = amountFor(p.type, rng);
        // Background rows go out as bytes (see ByteSink); the id's number is written twice (sale, recording).
        const num = scramble30(k + 1, 0x5a1e);
        const o = sw.row(label, 300);
        o.str("SA");
        o.str(ym);
        o.padded(s.inst.idx, 4);
        o.padded(num, 10);
        o.comma();
        o.str(s.inst.code);
        o.comma();
        o.str(label);
        o.comma();
        o.residentId(customerPerson(world, s, j));
        o.comma();
        o.str(p.id);
        o.comma();
        o.str(p.manager.code);
        o.str(",R");
        o.int(p.risk);
        o.str(",E");
        o.padded(s.inst.idx, 4);
        o.padded(b, 3);
        o.padded(e, 2);
        o.str(",B");
        o.padded(s.inst.idx, 4);
        o.padded(b, 3);
        o.comma();
        o.date(day);
        o.comma();
        o.fen(amount * 100);
        o.comma();
        o.str(channel);
        o.str(retail ? ",true," : ",false,");
        if (recorded) {
          o.str("RV");
          o.str(ym);
          o.padded(s.inst.idx, 4);
          o.padded(num, 10);
        }
        o.str(",false\n");
        rows++;
      }
      plantedHere.length = 0;
      if (rows > 100_000) {
        progress?.(rows);
        rows = 0;
      }
    }
  }
  progress?.(rows);
  return [...aw.close(), ...sw.close()];
}

// ---------------------------------------------------------------------------------------------------------
// Planted sales.

/** Numbers planted sales after the background sales of the same seller and month, as the seller would. */
class SaleNumbers {
  private readonly next = new Map<string, number>();
  private readonly world: World;
  private readonly avgSeason: number;
  private readonly key: number;

  constructor(world: World) {
    this.world = world;
    const months = salesMonths(world);
    this.avgSeason = months.reduce((s, m) => s + activitySeason(m), 0) / months.length;
    this.key = streamKey(world, "sales");
  }

  id(s: Seller, mi: number): string {
    const k = `${s.inst.idx}|${mi}`;
    let n = this.next.get(k);
    if (n === undefined) {
      // The writer's first draw for this seller and month is its number of background sales.
      const rng = new Rng(this.world.s0, this.key, s.inst.idx, mi);
      n = rng.poisson((s.monthlyMean * activitySeason(mi)) / this.avgSeason) + 1;
    }
    this.next.set(k, n + 1);
    return saleId(monthLabel(mi).replace("-", ""), s.inst, n);
  }
}

/** Plans sales of products riskier than the customer's class, including to the lowest category of C1. */
export function planSuitability(
  ctx: PlanContext,
  cat: Catalogue,
  plan: SalesPlan,
  rng: Rng,
  count: number,
): void {
  const world = ctx.world;
  if (!plan.numbering) plan.numbering = new SaleNumbers(world);
  const numbers = plan.numbering;
  const list = sellers(world, cat).filter(
    (s) => !s.inst.reservedClean && !ctx.excluded.has(s.inst.idx) && s.upTo[5]!.some((p) => p.risk >= 3),
  );
  if (list.length === 0) return;
  const months = salesMonths(world);
  for (let k = 0; k < count; k++) {
    const s = list[rng.int(list.length)]!;
    const lowest = k % 3 === 0;
    const riskClass = lowest ? 1 : 1 + rng.int(2);
    const minRisk = lowest ? 2 : riskClass + 1;
    const risky = s.upTo[5]!.filter((p) => p.risk >= minRisk);
    if (risky.length === 0) continue;
    const person = ctx.newPerson();
    const a: Assessment = {
      riskClass,
      lowest,
      professional: false,
      assessedOn: monthStart(months[0]!) - 60 - rng.int(300),
    };
    plan.assessments.push({ seller: s.inst, person, a });
    const ids: string[] = [];
    const risks: number[] = [];
    const periods = new Set<string>();
    for (let j = 0; j < 1 + rng.int(3); j++) {
      const p = risky[rng.int(risky.length)]!;
      const mi = months[months.length - 1 - rng.int(Math.min(6, months.length))]!;
      const id = numbers.id(s, mi);
      const b = rng.int(s.branches);
      const day = monthStart(mi) + rng.int(28);
      const amount = amountFor(p.type, rng);
      const warning = lowest && rng.chance(0.5);
      const e = employeeId(s.inst, b, rng.int(8));
      plan.sales.push({
        month: mi,
        seller: s.inst,
        line: (label) =>
          saleLine(
            id,
            s.inst,
            label,
            person,
            p.id,
            p.manager.code,
            p.risk,
            e,
            branchId(s.inst, b),
            day,
            amount,
            "counter",
            true,
            `RV${id.slice(2)}`,
            warning,
          ),
      });
      ids.push(id);
      risks.push(p.risk);
      periods.add(monthLabel(mi));
    }
    ctx.touch(s.inst);
    ctx.add({
      kind: "suitability_breach",
      subjectType: "sale",
      subjects: ids,
      periods: [...periods].sort(),
      flaggedBy: [detector("suitability")],
      details: {
        seller: s.inst.code,
        customer: residentId(person),
        customerClass: `C${riskClass}`,
        lowestCategory: lowest,
        productRisks: risks.map((r) => `R${r}`),
        note: lowest
          ? "the lowest category may only buy R1, warning or not"
          : "above-level sale without a signed warning",
      },
    });
  }
}

/** Plans retail bank sales of WMPs and agency products without the dual recording. */
export function planUnrecorded(
  ctx: PlanContext,
  cat: Catalogue,
  plan: SalesPlan,
  rng: Rng,
  count: number,
): void {
  const world = ctx.world;
  if (!plan.numbering) plan.numbering = new SaleNumbers(world);
  const numbers = plan.numbering;
  const list = sellers(world, cat).filter(
    (s) => s.inst.type === "bank" && !s.inst.reservedClean && !ctx.excluded.has(s.inst.idx),
  );
  if (list.length === 0) return;
  const months = salesMonths(world);
  for (let k = 0; k < count; k++) {
    const s = list[rng.int(list.length)]!;
    const b = rng.int(s.branches);
    const n = 8 + rng.int(20);
    const ids: string[] = [];
    const periods = new Set<string>();
    for (let j = 0; j < n; j++) {
      let c = rng.int(s.customers);
      let a = assessment(world, s, c);
      for (let t = 0; t < 20 && (a.professional || s.upTo[a.lowest ? 1 : a.riskClass]!.length === 0); t++) {
        c = rng.int(s.customers);
        a = assessment(world, s, c);
      }
      const pool = s.upTo[a.lowest ? 1 : a.riskClass]!;
      if (pool.length === 0 || a.professional) continue;
      const p = pool[rng.int(pool.length)]!;
      const mi = months[months.length - 1 - rng.int(Math.min(3, months.length))]!;
      const id = numbers.id(s, mi);
      const day = monthStart(mi) + rng.int(28);
      const amount = amountFor(p.type, rng);
      const person = customerPerson(world, s, c);
      const e = employeeId(s.inst, b, rng.int(8));
      plan.sales.push({
        month: mi,
        seller: s.inst,
        line: (label) =>
          saleLine(
            id,
            s.inst,
            label,
            person,
            p.id,
            p.manager.code,
            p.risk,
            e,
            branchId(s.inst, b),
            day,
            amount,
            "counter",
            true,
            "",
            false,
          ),
      });
      ids.push(id);
      periods.add(monthLabel(mi));
    }
    if (ids.length === 0) continue;
    ctx.touch(s.inst);
    ctx.add({
      kind: "unrecorded_sale",
      subjectType: "sale",
      subjects: ids,
      periods: [...periods].sort(),
      flaggedBy: [detector("dual_recording")],
      details: {
        seller: s.inst.code,
        branch: branchId(s.inst, b),
        sales: ids.length,
        rule: "CBRC 2017-110: retail WMP and agency sales need an audio-video recording",
      },
    });
  }
}

/** Plans "flying orders": one employee at one branch selling products the seller has no filing for. */
export function planFlyingOrders(
  ctx: PlanContext,
  cat: Catalogue,
  plan: SalesPlan,
  rng: Rng,
  count: number,
): void {
  const world = ctx.world;
  if (!plan.numbering) plan.numbering = new SaleNumbers(world);
  const numbers = plan.numbering;
  const list = sellers(world, cat).filter(
    (s) => s.inst.type === "bank" && !s.inst.reservedClean && !ctx.excluded.has(s.inst.idx),
  );
  if (list.length === 0) return;
  const months = salesMonths(world);
  for (let k = 0; k < count; k++) {
    const s = list[rng.int(list.length)]!;
    const sellable = new Set(cat.sellable.get(s.inst.idx)?.map((p) => p.id) ?? []);
    const unauthorised = cat.products.filter(
      (p) => !p.planted && !sellable.has(p.id) && p.manager !== s.inst && p.risk >= 3,
    );
    const b = rng.int(s.branches);
    const emp = employeeId(s.inst, b, rng.int(8));
    const fakeIssuer = enterpriseCode(world, ctx.newEnterprise());
    // An unregistered private fund: a code in the registry's style, reserved so no real product has it.
    const fake = {
      id: `S${(46_656 + scramble30(cat.nextSeq++, 0x3b6)).toString(36).toUpperCase()}`,
      issuer: fakeIssuer,
      risk: 4 + rng.int(2),
      type: "private_fund" as ProductType,
    };
    const n = 6 + rng.int(15);
    const ids: string[] = [];
    const products = new Set<string>();
    const periods = new Set<string>();
    for (let j = 0; j < n; j++) {
      const useFake = unauthorised.length === 0 || rng.chance(0.5);
      const p = useFake
        ? fake
        : (() => {
            const q = unauthorised[rng.int(unauthorised.length)]!;
            return { id: q.id, issuer: q.manager.code, risk: q.risk, type: q.type };
          })();
      // A customer whose class covers the product, so the only problem is the missing authorisation.
      let c = rng.int(s.customers);
      for (let t = 0; t < 50 && assessment(world, s, c).riskClass < p.risk; t++) c = rng.int(s.customers);
      const a = assessment(world, s, c);
      if (a.riskClass < p.risk || a.lowest) continue;
      const mi = months[months.length - 1 - rng.int(Math.min(4, months.length))]!;
      const id = numbers.id(s, mi);
      const day = monthStart(mi) + rng.int(28);
      const amount = amountFor(p.type, rng);
      const person = customerPerson(world, s, c);
      plan.sales.push({
        month: mi,
        seller: s.inst,
        line: (label) =>
          saleLine(
            id,
            s.inst,
            label,
            person,
            p.id,
            p.issuer,
            p.risk,
            emp,
            branchId(s.inst, b),
            day,
            amount,
            "counter",
            !a.professional,
            `RV${id.slice(2)}`,
            false,
          ),
      });
      ids.push(id);
      products.add(p.id);
      periods.add(monthLabel(mi));
    }
    if (ids.length === 0) continue;
    ctx.touch(s.inst);
    ctx.add({
      kind: "flying_order",
      subjectType: "sale",
      subjects: ids,
      periods: [...periods].sort(),
      flaggedBy: [detector("flying_order")],
      details: {
        seller: s.inst.code,
        employee: emp,
        branch: branchId(s.inst, b),
        products: [...products],
        unfiledProduct: fake.id,
        unfiledIssuer: fakeIssuer,
        note: "products absent from product_filings, or filed by their issuer without an agent filing for this seller",
      },
    });
  }
}
