/**
 * Commercial drafts outstanding at the end period and their endorsement chains. In the background every
 * endorsement goes from a lower-numbered enterprise to a higher-numbered one (no cycle), and discount proceeds
 * never earn more than the discount rate.
 */
import { fen, isoDate, padInt } from "./format.ts";
import { recordNo } from "./ids.ts";
import type { PlanContext } from "./plan-context.ts";
import { enterpriseCode } from "./population.ts";
import { Rng } from "./random.ts";
import { detector } from "./truth.ts";
import { type Institution, streamKey, type World } from "./world.ts";
import { PeriodWriter, type WrittenFile } from "./writer.ts";

/** Enterprises that take part in background bills (an estimate of the borrowing population). */
export function backgroundEnterprises(world: World): number {
  return Math.max(5_000, Math.round((world.scale.loans * 0.07) / 2.6));
}

export interface BillPlan {
  bills: { bank: Institution; line: string }[];
  endorsements: { bank: Institution; line: string }[];
  /** Shared by the planners so planted bill numbers never collide. */
  numbering?: BillNumbers;
}

function billBanks(world: World): Institution[] {
  return world.byType.bank.filter((b) => b.status !== "revoked" && (b.tier ?? 5) <= 4);
}

/** Background bills per reporting bank. */
function billsPerBank(world: World): Map<Institution, number> {
  const banks = billBanks(world);
  const wsum = banks.reduce((s, b) => s + b.totalAssets ** 0.7, 0);
  return new Map(
    banks.map((b) => [b, Math.max(1, Math.round((world.scale.bills * b.totalAssets ** 0.7) / wsum))]),
  );
}

/** Bill number k of a bank (scrambled). */
const billId = (bank: Institution, k: number) => `BL${padInt(bank.idx, 4)}${recordNo(k, 0xb111)}`;

/** Numbers planted bills after the bank's background bills. */
class BillNumbers {
  private readonly next = new Map<Institution, number>();
  private readonly counts: Map<Institution, number>;
  constructor(world: World) {
    this.counts = billsPerBank(world);
  }
  id(bank: Institution): string {
    const k = this.next.get(bank) ?? this.counts.get(bank) ?? 0;
    this.next.set(bank, k + 1);
    return billId(bank, k);
  }
}

const rate = (x: number) => x.toFixed(6);

/** Writes bills and bill_endorsements for the end period. */
export function writeBills(world: World, plan: BillPlan, out: string): WrittenFile[] {
  const period = world.endPeriod;
  const bw = new PeriodWriter(out, "bills", period);
  const ew = new PeriodWriter(out, "bill_endorsements", period);
  const counts = billsPerBank(world);
  const universe = backgroundEnterprises(world);
  const rng = new Rng();
  const key = streamKey(world, "bills");
  const end = world.endDay;
  for (const [bank, n] of counts) {
    for (let k = 0; k < n; k++) {
      rng.reseed(world.s0, key, bank.idx, k);
      const id = billId(bank, k);
      const acceptor = rng.chance(0.6);
      const tenor = 90 + rng.int(91);
      const issue = end - rng.int(tenor);
      const maturity = issue + tenor;
      const face = Math.round(rng.logNormal(1_000_000, 1, 50_000, 50_000_000) / 1000) * 1000;
      const drawer = rng.int(Math.floor(universe * 0.6));
      const payee = Math.min(universe - 1, drawer + 1 + rng.int(2000));
      let tail: string;
      if (acceptor) {
        tail = `acceptor,${enterpriseCode(world, drawer)},${enterpriseCode(world, payee)},${isoDate(issue)},${isoDate(maturity)},${fen(face * 100)},${fen(Math.round(face * rng.range(0.2, 0.5)) * 100)},,,,`;
      } else {
        const discountDay = issue + rng.int(end - issue + 1);
        const dr = rng.range(0.01, 0.02);
        const u = rng.float();
        const placement = u < 0.55 ? "none" : u < 0.9 ? "demand_deposit" : "time_deposit";
        const pr =
          placement === "none"
            ? ""
            : rate(
                placement === "demand_deposit"
                  ? rng.range(0.0005, 0.0025)
                  : Math.min(dr - 0.001, rng.range(0.008, 0.01)),
              );
        tail = `discounter,${enterpriseCode(world, drawer)},${enterpriseCode(world, payee)},${isoDate(issue)},${isoDate(maturity)},${fen(face * 100)},,${isoDate(discountDay)},${rate(dr)},${placement},${pr}`;
      }
      bw.add(`${id},${bank.code},${period},${tail}\n`);
      if (!acceptor || rng.chance(0.3)) continue;
      // Endorsements move the bill to ever higher-numbered holders.
      const steps = 1 + rng.int(4);
      let holder = payee;
      let day = issue;
      for (let s = 1; s <= steps; s++) {
        const next = holder + 1 + rng.int(3000);
        if (next >= universe) break;
        day = Math.min(end, day + 1 + rng.int(20));
        ew.add(
          `${bank.code},${period},${id},${s},${enterpriseCode(world, holder)},${enterpriseCode(world, next)},${isoDate(day)}\n`,
        );
        holder = next;
      }
    }
    // Planted bills are the bank's latest.
    for (const x of plan.bills) if (x.bank === bank) bw.add(x.line.replace("{period}", period));
    for (const x of plan.endorsements) if (x.bank === bank) ew.add(x.line.replace("{period}", period));
  }
  return [...bw.close(), ...ew.close()];
}

/** Plans discounted bills whose proceeds sit in structured deposits paying more than the discount rate. */
export function planBillArbitrage(ctx: PlanContext, plan: BillPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const banks = ctx.dirty("bank", (b) => (b.tier ?? 5) <= 4);
  if (banks.length === 0) return;
  const end = world.endDay;
  if (!plan.numbering) plan.numbering = new BillNumbers(world);
  const numbers = plan.numbering;
  for (let k = 0; k < count; k++) {
    const bank = banks[rng.int(banks.length)]!;
    const drawer = enterpriseCode(world, ctx.newEnterprise());
    const holder = enterpriseCode(world, ctx.newEnterprise());
    const n = 3 + rng.int(6);
    const ids: string[] = [];
    let face = 0;
    const dr = rng.range(0.012, 0.018);
    const pr = dr + rng.range(0.006, 0.013);
    const placement = rng.chance(0.75) ? "structured_deposit" : "wmp";
    for (let j = 0; j < n; j++) {
      const id = numbers.id(bank);
      const tenor = 150 + rng.int(31);
      const issue = end - rng.int(60);
      const f = Math.round(rng.range(5e6, 3e7) / 1e4) * 1e4;
      face += f;
      const discountDay = Math.min(end, issue + 1 + rng.int(5));
      plan.bills.push({
        bank,
        line: `${id},${bank.code},{period},discounter,${drawer},${holder},${isoDate(issue)},${isoDate(issue + tenor)},${fen(f * 100)},,${isoDate(discountDay)},${rate(dr)},${placement},${rate(pr)}\n`,
      });
      ids.push(id);
    }
    ctx.touch(bank);
    ctx.add({
      kind: "bill_arbitrage",
      subjectType: "bill",
      subjects: ids,
      periods: [world.endPeriod],
      flaggedBy: [detector("bill_arbitrage")],
      details: {
        bank: bank.code,
        drawer,
        discountedBy: holder,
        discountRate: Math.round(dr * 1e6) / 1e6,
        placement,
        placementRate: Math.round(pr * 1e6) / 1e6,
        spread: Math.round((pr - dr) * 1e6) / 1e6,
        totalFace: face,
      },
    });
  }
}

/** Plans related companies endorsing bills around a circle back to the first holder. */
export function planCircularEndorsements(ctx: PlanContext, plan: BillPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const banks = ctx.dirty("bank", (b) => (b.tier ?? 5) <= 4);
  if (banks.length === 0) return;
  const end = world.endDay;
  if (!plan.numbering) plan.numbering = new BillNumbers(world);
  const numbers = plan.numbering;
  for (let k = 0; k < count; k++) {
    const bank = banks[rng.int(banks.length)]!;
    const size = 3 + rng.int(3);
    const ring = Array.from({ length: size }, () => enterpriseCode(world, ctx.newEnterprise()));
    const drawer = enterpriseCode(world, ctx.newEnterprise());
    const ids: string[] = [];
    const bills = 2 + rng.int(3);
    for (let j = 0; j < bills; j++) {
      const id = numbers.id(bank);
      const tenor = 120 + rng.int(61);
      const issue = end - 30 - rng.int(60);
      const f = Math.round(rng.range(1e6, 2e7) / 1e4) * 1e4;
      plan.bills.push({
        bank,
        line: `${id},${bank.code},{period},acceptor,${drawer},${ring[0]},${isoDate(issue)},${isoDate(issue + tenor)},${fen(f * 100)},${fen(Math.round(f * 0.1) * 100)},,,,\n`,
      });
      let day = issue;
      for (let s = 0; s < size; s++) {
        day = Math.min(end, day + 1 + rng.int(6));
        plan.endorsements.push({
          bank,
          line: `${bank.code},{period},${id},${s + 1},${ring[s]},${ring[(s + 1) % size]},${isoDate(day)}\n`,
        });
      }
      ids.push(id);
    }
    ctx.touch(bank);
    ctx.add({
      kind: "circular_endorsement",
      subjectType: "enterprise",
      subjects: ring,
      periods: [world.endPeriod],
      flaggedBy: [detector("circular_endorsement")],
      details: {
        bank: bank.code,
        billIds: ids,
        cycleLength: size,
        order: "subjects[i] endorses to subjects[i+1]; the last endorses back to the first",
        related: true,
      },
    });
  }
}
