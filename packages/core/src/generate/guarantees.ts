/**
 * Guarantees securing enterprise loans, and exposures between institutions. Background guarantees always run
 * from a lower-numbered enterprise to a higher-numbered one (or from a guarantee company, which nobody
 * guarantees), so the background graph has no cycle; planted circles of 2 to 8 enterprises are the only cycles.
 */
import { addMonths } from "./calendar.ts";
import { fen, isoDate } from "./format.ts";
import { recordNo } from "./ids.ts";
import {
  fillEnterprise,
  type LoanBook,
  type LoanPlan,
  LoanScratch,
  loanId,
  makePlantedLoan,
} from "./loans.ts";
import type { PlanContext } from "./plan-context.ts";
import { enterpriseCode } from "./population.ts";
import { Rng, WeightedTable } from "./random.ts";
import { detector } from "./truth.ts";
import { type Institution, streamKey, type World } from "./world.ts";
import { PeriodWriter, type WrittenFile } from "./writer.ts";

export interface PlantedGuarantee {
  id: string;
  reporter: Institution;
  guarantor: string;
  guaranteed: string;
  loanId: string | null;
  amount: number;
  kind: string;
  start: number;
  end: number;
  related: boolean;
}

export interface GuaranteePlan {
  rows: PlantedGuarantee[];
}

const kinds = ["joint_liability", "joint_liability", "joint_liability", "mortgage", "pledge", "general"];

function guaranteeRow(g: PlantedGuarantee, period: string): string {
  return `${g.id},${g.reporter.code},${period},${g.guarantor},${g.guaranteed},${g.loanId ?? ""},${fen(Math.round(g.amount * 100))},${g.kind},${isoDate(g.start)},${isoDate(g.end)},${g.related}\n`;
}

/** Writes guarantees of the end period: planted circles first, then the acyclic background. */
export function writeGuarantees(book: LoanBook, plan: GuaranteePlan, out: string): WrittenFile[] {
  const world = book.world;
  const period = world.endPeriod;
  const w = new PeriodWriter(out, "guarantees", period);
  // Planted guarantees go in at seeded positions among the background ones.
  const prng = new Rng(world.s0, streamKey(world, "guarantees:positions"), 0, 0);
  const slots = plan.rows.map(() => 1 + prng.int(Math.max(1, book.enterprises - 1))).sort((a, b) => a - b);
  let nextPlant = 0;
  const fgcs = world.byType.financing_guarantee.filter((f) => f.status === "active");
  const fgcTable = new WeightedTable(fgcs.map((f) => f.totalAssets));
  const s = new LoanScratch();
  const loanRng = new Rng();
  const rng = new Rng();
  const key = streamKey(world, "guarantees");
  for (let e = 1; e <= book.enterprises; e++) {
    while (nextPlant < plan.rows.length && slots[nextPlant]! <= e)
      w.add(guaranteeRow(plan.rows[nextPlant++]!, period));
    if (e === book.enterprises) break;
    rng.reseed(world.s0, key, e, 0);
    const withEnterprise = rng.chance(0.3);
    const withFgc = fgcs.length > 0 && rng.chance(0.08);
    if (!withEnterprise && !withFgc) continue;
    const count = book.enterprises > 0 ? fillLoans(book, e, s, loanRng) : 0;
    if (count === 0) continue;
    const guaranteed = s.borrowerCode;
    const principal = s.principal[0]!;
    const start = s.orig[0]!;
    const end = addMonths(s.maturity[0]!, 24 + 12 * rng.int(2));
    if (withEnterprise) {
      const g = e - 1 - rng.int(Math.min(e, 3000));
      w.add(
        guaranteeRow(
          {
            id: `GE${recordNo(e, 0x6a11)}`,
            reporter: s.lender[0]!,
            guarantor: enterpriseCode(world, g),
            guaranteed,
            loanId: loanId("E", start, e, 0),
            amount: Math.round(principal * (0.5 + 0.5 * rng.float())),
            kind: kinds[rng.int(kinds.length)]!,
            start,
            end,
            related: rng.chance(0.2),
          },
          period,
        ),
      );
    }
    if (withFgc) {
      const fgc = fgcs[fgcTable.index(rng.float())]!;
      w.add(
        guaranteeRow(
          {
            id: `GF${recordNo(e, 0x6a12)}`,
            reporter: fgc,
            guarantor: fgc.code,
            guaranteed,
            loanId: null,
            amount: Math.round(Math.min(principal, 30_000_000) * (0.5 + 0.4 * rng.float())),
            kind: "joint_liability",
            start,
            end,
            related: false,
          },
          period,
        ),
      );
    }
  }
  return w.close();
}

/** The enterprise's loans exactly as the loan book holds them, so the guarantee points at a real loan. */
function fillLoans(book: LoanBook, e: number, s: LoanScratch, rng: Rng): number {
  return fillEnterprise(book, e, s, rng);
}

/** Plans circles of enterprises guaranteeing each other's bank loans (length 2 to 8). */
export function planGuaranteeCircles(
  ctx: PlanContext,
  loans: LoanPlan,
  guarantees: GuaranteePlan,
  rng: Rng,
  count: number,
): void {
  const world = ctx.world;
  const banks = ctx.dirty("bank");
  if (banks.length === 0) return;
  for (let k = 0; k < count; k++) {
    const length = 2 + (k % 7);
    const numbers = Array.from({ length }, () => ctx.newEnterprise());
    const members = numbers.map((e) => enterpriseCode(world, e));
    const memberLoans = numbers.map((e) => {
      const lender = banks[rng.int(banks.length)]!;
      ctx.touch(lender);
      const l = makePlantedLoan(world, rng, {
        lender,
        enterprise: e,
        principal: Math.round(rng.range(5e6, 60e6) / 1e4) * 1e4,
        nominalRate: 0.038 + rng.range(0, 0.015),
        termMonths: 12 * (1 + rng.int(3)),
        method: "interest_only",
        monthsAgo: rng.int(10),
        classification: rng.chance(0.25) ? "special_mention" : "normal",
        industry: rng.pick(["C", "F", "E", "G"]),
      });
      loans.rows.push(l);
      return l;
    });
    const ids: string[] = [];
    for (let i = 0; i < length; i++) {
      const target = memberLoans[(i + 1) % length]!;
      const id = `GE${recordNo(numbers[(i + 1) % length]!, 0x6a11)}`;
      ids.push(id);
      guarantees.rows.push({
        id,
        reporter: target.lender,
        guarantor: members[i]!,
        guaranteed: members[(i + 1) % length]!,
        loanId: target.loanId,
        amount: target.terms.principal,
        kind: "joint_liability",
        start: target.orig,
        end: addMonths(target.maturity, 24),
        related: rng.chance(0.5),
      });
    }
    ctx.add({
      kind: "guarantee_circle",
      subjectType: "enterprise",
      subjects: members,
      periods: [world.endPeriod],
      flaggedBy: [detector("guarantee_circle")],
      details: {
        cycleLength: length,
        order: "subjects[i] guarantees subjects[i+1]; the last guarantees the first",
        guaranteeIds: ids,
        loanIds: memberLoans.map((l) => l.loanId),
        lenders: [...new Set(memberLoans.map((l) => l.lender.code))],
        totalGuaranteed: memberLoans.reduce((s, l) => s + l.terms.principal, 0),
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Exposures between institutions.

/** Writes what each institution is owed by others at the end period (interbank, deposits, repo, bonds, channels). */
export function writeExposures(
  world: World,
  failingBanks: readonly Institution[],
  out: string,
): WrittenFile[] {
  const period = world.endPeriod;
  const w = new PeriodWriter(out, "exposures", period);
  const rng = new Rng();
  const key = streamKey(world, "exposures");
  const banks = world.byType.bank.filter((b) => b.status !== "revoked");
  const creditors = banks.filter((b) => !b.reservedClean);
  const active = new Map<string, Institution[]>();
  for (const t of ["securities_firm", "trust", "small_loan"] as const)
    active.set(
      t,
      world.byType[t].filter((i) => i.status !== "revoked"),
    );
  const pickOf = (_w: World, type: "securities_firm" | "trust" | "small_loan", r: Rng) => {
    const list = active.get(type)!;
    return list.length === 0 ? undefined : list[r.int(list.length)];
  };
  const bigBanks = banks.filter((b) => (b.tier ?? 5) <= 3);
  const maturity = (days: number) => isoDate(world.endDay + days);
  for (const inst of world.institutions) {
    if (inst.status === "revoked" || inst.type === "watched_company") continue;
    rng.reseed(world.s0, key, inst.idx, 0);
    let seq = 0;
    const add = (borrower: Institution, type: string, amount: number, mat: string) => {
      if (borrower === inst || amount < 1e4) return;
      seq++;
      w.add(
        `EX${inst.idx}-${seq},${inst.code},${period},${borrower.code},${type},${fen(Math.round(amount) * 100)},${mat}\n`,
      );
    };
    const scale = inst.totalAssets;
    switch (inst.type) {
      case "bank": {
        const nLend = 2 + rng.int(4);
        for (let k = 0; k < nLend; k++) {
          const b = rng.chance(0.7) ? banks[rng.int(banks.length)]! : pickOf(world, "securities_firm", rng);
          if (b) add(b, "interbank_lending", scale * rng.range(0.002, 0.012), maturity(7 + rng.int(180)));
        }
        if ((inst.tier ?? 5) >= 4 && bigBanks.length > 0)
          for (let k = 0; k < 1 + rng.int(2); k++)
            add(
              bigBanks[rng.int(bigBanks.length)]!,
              "deposit",
              scale * rng.range(0.01, 0.04),
              maturity(30 + rng.int(330)),
            );
        const sec = pickOf(world, "securities_firm", rng);
        if (sec && rng.chance(0.6))
          add(sec, "repo", scale * rng.range(0.002, 0.01), maturity(1 + rng.int(14)));
        if (bigBanks.length > 0 && rng.chance(0.7))
          add(
            bigBanks[rng.int(bigBanks.length)]!,
            "bond_holding",
            scale * rng.range(0.003, 0.015),
            maturity(365 + rng.int(1500)),
          );
        const trust = pickOf(world, "trust", rng);
        if (trust && (inst.tier ?? 5) <= 3 && rng.chance(0.5))
          add(trust, "product_channel", scale * rng.range(0.002, 0.01), maturity(365 + rng.int(700)));
        break;
      }
      case "life_insurer":
      case "pc_insurer":
        for (let k = 0; k < 2 + rng.int(3) && bigBanks.length > 0; k++)
          add(
            bigBanks[rng.int(bigBanks.length)]!,
            "deposit",
            scale * rng.range(0.01, 0.05),
            maturity(90 + rng.int(1000)),
          );
        if (bigBanks.length > 0)
          add(
            bigBanks[rng.int(bigBanks.length)]!,
            "bond_holding",
            scale * rng.range(0.01, 0.04),
            maturity(365 + rng.int(3000)),
          );
        break;
      case "securities_firm":
      case "trust":
      case "public_fund_manager":
        for (let k = 0; k < 1 + rng.int(3) && banks.length > 0; k++)
          add(
            banks[rng.int(banks.length)]!,
            "deposit",
            scale * rng.range(0.01, 0.05),
            maturity(30 + rng.int(300)),
          );
        break;
      case "small_loan":
        if (rng.chance(0.3)) {
          const other = pickOf(world, "small_loan", rng);
          if (other)
            add(other, "interbank_lending", scale * rng.range(0.02, 0.1), maturity(30 + rng.int(180)));
        }
        break;
      default:
        break;
    }
    // Parents hold equity in their subsidiaries.
    for (const sub of world.institutions)
      if (sub.parentCode === inst.code) add(sub, "equity", sub.totalAssets * rng.range(0.05, 0.15), "");
  }
  // Other banks have lent to the banks that slide into failure: contagion channels.
  for (const f of failingBanks) {
    rng.reseed(world.s0, key, 1_000_000 + f.idx, 0);
    for (let k = 0; k < 3 + rng.int(4); k++) {
      if (creditors.length === 0) break;
      const lender = creditors[rng.int(creditors.length)]!;
      if (lender === f) continue;
      w.add(
        `EXF${f.idx}-${k + 1},${lender.code},${period},${f.code},interbank_lending,${fen(Math.round(f.totalAssets * rng.range(0.005, 0.02)) * 100)},${maturity(7 + rng.int(90))}\n`,
      );
    }
  }
  return w.close();
}
