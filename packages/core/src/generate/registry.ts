/**
 * The registry files (institutions, licences) and the outcome labels of planted failures.
 */
import { monthLabel } from "./calendar.ts";
import { csvText, dayOf, fen, isoDate, padInt } from "./format.ts";
import { Rng } from "./random.ts";
import type { BankFailurePlan } from "./returns.ts";
import { type Institution, office, streamKey, type World } from "./world.ts";
import { DatasetWriter, type WrittenFile, writeTopLevel } from "./writer.ts";

/** Writes institutions.csv. */
export function writeInstitutions(world: World, out: string): WrittenFile {
  const lines = world.institutions.map(
    (i) =>
      `${i.code},${csvText(i.zh)},${csvText(i.en)},${i.type},${i.district.zh},${i.tier ?? ""},${i.type === "supervisory_office" ? "" : fen(Math.round(i.totalAssets) * 100)},${i.parentCode ?? ""},${i.groupCode ?? ""},${i.status}\n`,
  );
  return writeTopLevel(out, "institutions", lines);
}

const prefixes: Record<Institution["type"], string> = {
  bank: "B",
  securities_firm: "SC",
  futures_firm: "FT",
  public_fund_manager: "PF",
  private_fund_manager: "P10",
  trust: "K",
  life_insurer: "LI",
  pc_insurer: "PC",
  small_loan: "XD",
  online_small_loan: "WXD",
  financing_guarantee: "RD",
  financial_leasing: "ZL",
  pawn: "DD",
  commercial_factoring: "BL",
  trading_venue: "JY",
  local_amc: "AM",
  investment_consulting: "ZX",
  internet_lending_platform: "WJ",
  watched_company: "",
  supervisory_office: "",
};

/** Local licences run for a fixed term; national licences have none. */
const termYears: Partial<Record<Institution["type"], number>> = {
  small_loan: 5,
  online_small_loan: 5,
  financing_guarantee: 5,
  financial_leasing: 5,
  pawn: 6,
  commercial_factoring: 5,
  trading_venue: 5,
  local_amc: 5,
  investment_consulting: 3,
  internet_lending_platform: 3,
};

export interface LicenceEvents {
  expiringSoon: string[];
  expired: string[];
}

/**
 * The licences of every licensed institution (computed the same way for the file and the truth). A failed
 * bank's licence is revoked from its failure date; licences past their term are expired from their expiry.
 */
export function licences(
  world: World,
  failures: readonly BankFailurePlan[],
): { lines: string[]; events: LicenceEvents } {
  const revokedOn = new Map(
    failures.filter((f) => f.event === "failed").map((f) => [f.inst.idx, f.eventDay]),
  );
  const lines: string[] = [];
  const events: LicenceEvents = { expiringSoon: [], expired: [] };
  const rng = new Rng();
  const key = streamKey(world, "licences");
  const end = world.endDay;
  for (const inst of world.institutions) {
    if (inst.type === "watched_company" || inst.type === "supervisory_office") continue;
    rng.reseed(world.s0, key, inst.idx, 0);
    const prefix = prefixes[inst.type];
    const no = (k: number) =>
      inst.type === "bank"
        ? `${prefix}${padInt(1000 + inst.idx, 4)}H${inst.district.code}${padInt(k, 4)}`
        : `${prefix}${inst.district.code}${padInt(inst.idx, 5)}${padInt(k, 2)}`;
    const status = inst.status === "revoked" ? "revoked" : "active";
    const term = termYears[inst.type];
    let issued = dayOf(2006 + rng.int(17), 1 + rng.int(12), 1 + rng.int(28));
    const since = status === "revoked" ? isoDate(revokedOn.get(inst.idx) ?? world.endDay) : "";
    if (term === undefined) {
      lines.push(`${no(1)},${inst.code},${inst.type},${isoDate(issued)},,${status},${since}\n`);
      continue;
    }
    // Renew until the licence in force covers the end date; a few come up for renewal soon after it. Those start
    // one term earlier, so an expired licence covers the periods before the one in force (none is left uncovered).
    const soon = rng.chance(0.06);
    if (soon) issued = end + 10 + rng.int(80) - 2 * term * 365;
    let k = 1;
    for (;;) {
      const expires = issued + term * 365;
      if (expires <= end) {
        lines.push(
          `${no(k)},${inst.code},${inst.type},${isoDate(issued)},${isoDate(expires)},expired,${isoDate(expires)}\n`,
        );
        events.expired.push(no(k));
        issued = expires;
        k++;
        continue;
      }
      lines.push(
        `${no(k)},${inst.code},${inst.type},${isoDate(issued)},${isoDate(expires)},${status},${since}\n`,
      );
      if (expires - end <= 90 && status === "active") events.expiringSoon.push(no(k));
      break;
    }
  }
  return { lines, events };
}

/** Writes licences.csv. */
export function writeLicences(world: World, failures: readonly BankFailurePlan[], out: string): WrittenFile {
  return writeTopLevel(out, "licences", licences(world, failures).lines);
}

/** Writes outcomes: a high-risk rating before each planted failure, then the failure or takeover. */
export function writeOutcomes(
  world: World,
  failures: readonly BankFailurePlan[],
  out: string,
): WrittenFile[] {
  const w = new DatasetWriter(out, "outcomes");
  const reporter = office(world, "cbrc_cq");
  for (const f of failures) {
    const ratingMonth = Math.max(f.slideStart + 6, f.failMonth - 6);
    const ratingDay = dayOf(Math.floor(ratingMonth / 12), (ratingMonth % 12) + 1, 15);
    w.add(
      monthLabel(ratingMonth),
      `${reporter.code},${monthLabel(ratingMonth)},${f.inst.code},high_risk_rating,${isoDate(ratingDay)}\n`,
    );
    w.add(
      monthLabel(f.failMonth),
      `${reporter.code},${monthLabel(f.failMonth)},${f.inst.code},${f.event},${isoDate(f.eventDay)}\n`,
    );
  }
  return w.close();
}
