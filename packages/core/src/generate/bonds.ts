/**
 * Bonds of issuers in the province with their maturities, and periodic disclosures of listed and NEEQ companies.
 * Background issuers spread their maturities at least three months apart and file reports on time.
 */

import { backgroundEnterprises } from "./bills.ts";
import { monthLabel, monthStart } from "./calendar.ts";
import { dayOf, fen, isoDate, padInt } from "./format.ts";
import { type LoanPlan, makePlantedLoan } from "./loans.ts";
import type { PlanContext } from "./plan-context.ts";
import { enterpriseCode, enterpriseInfo } from "./population.ts";
import { Rng } from "./random.ts";
import { detector } from "./truth.ts";
import { type Institution, streamKey, type World } from "./world.ts";
import { PeriodWriter, type WrittenFile } from "./writer.ts";

export interface BondPlan {
  bonds: string[];
  disclosures: string[];
}

function issuerCount(world: World): number {
  return Math.max(20, Math.round(world.scale.loans / 700));
}

function listedCount(world: World): number {
  return Math.max(20, Math.round(world.scale.loans / 2500));
}

const exchanges = [".IB", ".IB", ".SH", ".SZ"];

/** Writes bond_maturities and disclosures for the end period. */
export function writeBonds(world: World, plan: BondPlan, out: string): WrittenFile[] {
  const period = world.endPeriod;
  const bw = new PeriodWriter(out, "bond_maturities", period);
  const dw = new PeriodWriter(out, "disclosures", period);
  const universe = backgroundEnterprises(world);
  const secs = world.byType.securities_firm.filter((s) => s.status !== "revoked");
  const banks = world.byType.bank.filter((b) => b.status !== "revoked" && (b.tier ?? 5) <= 3);
  const rng = new Rng();
  const key = streamKey(world, "bonds");
  let seq = 0;
  const seen = new Set<number>();
  const bankIssuers = new Set<Institution>();
  const issuers = issuerCount(world);
  // Planted rows go in at seeded positions among the background issuers and companies.
  const prng = new Rng(world.s0, streamKey(world, "bonds:positions"), 0, 0);
  const bondSlots = plan.bonds.map(() => prng.int(issuers)).sort((a, b) => a - b);
  let nextBond = 0;
  for (let k = 0; k <= issuers; k++) {
    while (nextBond < plan.bonds.length && bondSlots[nextBond]! <= k)
      bw.add(plan.bonds[nextBond++]!.replace("{period}", period));
    if (k === issuers) break;
    const e = (k * 104_729 + 17) % universe;
    if (seen.has(e)) continue;
    seen.add(e);
    rng.reseed(world.s0, key, k, 0);
    const info = enterpriseInfo(world, e);
    // A few issuers are banks with financial bonds; each bank issues under one issuer slot only.
    const bank = banks.length > 0 && rng.chance(0.08) ? banks[rng.int(banks.length)]! : undefined;
    const bankIssuer = bank !== undefined && !bankIssuers.has(bank);
    if (bank) bankIssuers.add(bank);
    const issuer = bankIssuer ? bank.code : info.code;
    const n = 1 + rng.int(4);
    let m = world.endMonth + 1 + rng.int(48);
    for (let j = 0; j < n; j++) {
      const type = bankIssuer
        ? "financial"
        : info.lgfv
          ? rng.pick(["lgfv", "mtn", "enterprise"])
          : rng.pick(["corporate", "mtn", "cp", "corporate"]);
      const viaBank = type === "mtn" || type === "cp" || type === "financial";
      const reporter: Institution | undefined =
        viaBank && banks.length > 0 ? banks[rng.int(banks.length)] : secs[rng.int(Math.max(1, secs.length))];
      if (!reporter) break;
      const maturity = monthStart(m) + rng.int(28);
      seq++;
      const id = `${padInt(100_000 + seq, 7)}${exchanges[rng.int(exchanges.length)]}`;
      bw.add(
        `${id},${reporter.code},${period},${issuer},${type},${isoDate(maturity)},${fen(Math.round(rng.logNormal(8e8, 0.6, 2e8, 3e9) / 1e6) * 1e8)},${rng.range(0.022, 0.046).toFixed(6)}\n`,
      );
      m += 3 + rng.int(22);
    }
  }
  // Disclosures of listed and NEEQ companies, each with its sponsor broker.
  const endYear = Math.floor(world.endMonth / 12);
  const listed = listedCount(world);
  // A planted company's reports stay together, as the background's do.
  const groups: string[][] = [];
  for (const l of plan.disclosures) {
    const company = l.split(",")[2]!;
    const last = groups[groups.length - 1];
    if (last && last[0]!.split(",")[2] === company) last.push(l);
    else groups.push([l]);
  }
  const discSlots = groups.map(() => prng.int(listed)).sort((a, b) => a - b);
  let nextDisc = 0;
  for (let k = 0; k <= listed; k++) {
    while (nextDisc < groups.length && discSlots[nextDisc]! <= k)
      for (const l of groups[nextDisc++]!) dw.add(l.replace("{period}", period));
    if (k === listed || secs.length === 0) continue;
    const e = (k * 7_919 + 101) % universe;
    rng.reseed(world.s0, key, 1_000_000 + k, 0);
    const sponsor = secs[rng.int(secs.length)]!;
    const market = rng.chance(0.6) ? "listed" : "neeq";
    for (const r of reportsDue(world, endYear, market)) {
      const filed = r.due - rng.int(60);
      dw.add(
        `${sponsor.code},${period},${enterpriseCode(world, e)},${market},${r.type},${r.fiscal},${isoDate(r.due)},${isoDate(filed)}\n`,
      );
    }
  }
  return [...bw.close(), ...dw.close()];
}

interface DueReport {
  type: "annual" | "semiannual" | "quarterly";
  fiscal: string;
  due: number;
}

/** Reports due in the twelve months up to the end period. */
function reportsDue(world: World, endYear: number, market: string): DueReport[] {
  const out: DueReport[] = [];
  for (const y of [endYear - 1, endYear]) {
    out.push({ type: "annual", fiscal: `${y - 1}-12`, due: dayOf(y, 4, 30) });
    out.push({ type: "semiannual", fiscal: `${y}-06`, due: dayOf(y, 8, 31) });
    if (market === "listed") {
      out.push({ type: "quarterly", fiscal: `${y}-Q1`, due: dayOf(y, 4, 30) });
      out.push({ type: "quarterly", fiscal: `${y}-Q3`, due: dayOf(y, 10, 31) });
    }
  }
  const from = world.endDay - 365;
  return out.filter((r) => r.due <= world.endDay && r.due > from);
}

/** Plans issuers with several large bonds maturing in one month while their loans are already stressed. */
export function planMaturityWalls(
  ctx: PlanContext,
  plan: BondPlan,
  loans: LoanPlan,
  rng: Rng,
  count: number,
): void {
  const world = ctx.world;
  const secs = ctx.dirty("securities_firm");
  const banks = ctx.dirty("bank", (b) => (b.tier ?? 5) <= 3);
  if (secs.length === 0 || banks.length === 0) return;
  for (let k = 0; k < count; k++) {
    const issuerNo = ctx.newEnterprise();
    const issuer = enterpriseCode(world, issuerNo);
    const lgfv = k % 2 === 0;
    const month = world.endMonth + 2 + rng.int(8);
    const n = 4 + rng.int(5);
    const ids: string[] = [];
    let total = 0;
    const coupons: number[] = [];
    for (let j = 0; j < n; j++) {
      const reporter = secs[rng.int(secs.length)]!;
      const id = `${padInt(100_000 + issuerCount(world) * 4 + 1 + k * 10 + j, 7)}${rng.pick(exchanges)}`;
      const amount = Math.round(rng.range(5e8, 2e9) / 1e6) * 1e6;
      const coupon = rng.range(0.06, 0.08);
      total += amount;
      coupons.push(Math.round(coupon * 10000) / 10000);
      plan.bonds.push(
        `${id},${reporter.code},{period},${issuer},${lgfv ? "lgfv" : "corporate"},${isoDate(monthStart(month) + rng.int(28))},${fen(amount * 100)},${coupon.toFixed(6)}\n`,
      );
      ids.push(id);
      ctx.touch(reporter);
    }
    // Stress: the issuer's bank loans are already special mention or substandard.
    const loanIds: string[] = [];
    const classes: string[] = [];
    for (let j = 0; j < 2 + rng.int(2); j++) {
      const lender = banks[rng.int(banks.length)]!;
      const cls = rng.chance(0.5) ? "substandard" : "special_mention";
      const l = makePlantedLoan(world, rng, {
        lender,
        enterprise: issuerNo,
        principal: Math.round(rng.range(2e8, 1e9) / 1e6) * 1e6,
        nominalRate: 0.045 + rng.range(0, 0.02),
        termMonths: 36,
        method: "interest_only",
        monthsAgo: 6 + rng.int(20),
        classification: cls,
        industry: lgfv ? "N" : "K",
        realEstate: !lgfv,
        lgfv,
      });
      loans.rows.push(l);
      loanIds.push(l.loanId);
      classes.push(cls);
      ctx.touch(lender);
    }
    ctx.add({
      kind: "maturity_wall",
      subjectType: "enterprise",
      subjects: [issuer],
      periods: [world.endPeriod],
      flaggedBy: [detector("maturity_wall")],
      details: {
        issuerKind: lgfv ? "LGFV" : "property developer",
        maturityMonth: monthLabel(month),
        bonds: ids,
        bondCount: n,
        totalMaturing: total,
        coupons,
        stress: { loanIds, classifications: classes, highCoupons: "6-8% against 2.2-4.6% in the background" },
      },
    });
  }
}

/** Plans companies filing a periodic report late or not at all (the disclosures side of late_disclosure). */
export function planLateDisclosures(ctx: PlanContext, plan: BondPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const secs = ctx.dirty("securities_firm");
  if (secs.length === 0) return;
  const endYear = Math.floor(world.endMonth / 12);
  for (let k = 0; k < count; k++) {
    const sponsor = secs[rng.int(secs.length)]!;
    const company = enterpriseCode(world, ctx.newEnterprise());
    const market = rng.chance(0.6) ? "listed" : "neeq";
    const reports = reportsDue(world, endYear, market);
    const overdue = reports.filter((r) => r.due < world.endDay - 5);
    if (overdue.length === 0) continue;
    const bad = overdue[rng.int(overdue.length)]!;
    const missing = rng.chance(0.35) && bad.due < world.endDay - 10;
    const lateDays = 5 + rng.int(56);
    const filedLate = Math.min(world.endDay, bad.due + lateDays);
    for (const r of reports) {
      const filed = r === bad ? (missing ? "" : isoDate(filedLate)) : isoDate(r.due - rng.int(40));
      plan.disclosures.push(
        `${sponsor.code},{period},${company},${market},${r.type},${r.fiscal},${isoDate(r.due)},${filed}\n`,
      );
    }
    ctx.touch(sponsor);
    ctx.add({
      kind: "late_disclosure",
      subjectType: "enterprise",
      subjects: [company],
      periods: [world.endPeriod],
      flaggedBy: [detector("late_disclosure")],
      details: {
        source: "disclosures",
        sponsor: sponsor.code,
        market,
        reportType: bad.type,
        fiscalPeriod: bad.fiscal,
        dueDate: isoDate(bad.due),
        filedDate: missing ? null : isoDate(filedLate),
        daysLate: missing ? null : filedLate - bad.due,
        missing,
      },
    });
  }
}
