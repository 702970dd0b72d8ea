/**
 * The generation split into independent tasks, each writing its own files. A task depends only on the context
 * (world, plan, loan book), which every thread rebuilds from the seed, so tasks can run in any order and on any
 * thread and still produce the same bytes.
 */
import { writeBills } from "./bills.ts";
import { writeBonds } from "./bonds.ts";
import { writeExposures, writeGuarantees } from "./guarantees.ts";
import { writePoliciesAndClaims, writeSurrenders } from "./insurance.ts";
import { type LoanBook, type LoanPart, loanBook, loanParts, writeLoanPart } from "./loans.ts";
import { buildPlan, type Plan } from "./plan.ts";
import { writeProducts } from "./products.ts";
import { writeInstitutions, writeLicences, writeOutcomes } from "./registry.ts";
import { writeReturns } from "./returns.ts";
import { writeSales } from "./sales.ts";
import type { ScaleName } from "./scales.ts";
import { writeVenues } from "./venues.ts";
import { writeWatch } from "./watch.ts";
import { buildWorld, type World } from "./world.ts";
import type { WrittenFile } from "./writer.ts";

export interface GenContext {
  world: World;
  plan: Plan;
  book: LoanBook;
  parts: LoanPart[];
}

/** Rebuilds everything a task needs from (seed, scale). */
export function buildContext(seed: number, scale: ScaleName, endPeriod?: string): GenContext {
  const world = buildWorld(seed, scale, endPeriod);
  const plan = buildPlan(world);
  const book = loanBook(world, plan.returns, plan.loans.rows.length);
  return { world, plan, book, parts: loanParts(book, plan.loans.rows.length) };
}

/** Task names, largest first so that two threads finish close together. */
export function taskNames(ctx: GenContext): string[] {
  return [
    ...ctx.parts.map((p) => `loans:${p.index}`),
    "insurance",
    "sales",
    "guarantees",
    "returns",
    "watch",
    "bills",
    "products",
    "surrenders",
    "venues",
    "bonds",
    "registry",
  ];
}

/** Rows a task is expected to write, for the progress bar. */
export function expectedRows(ctx: GenContext): number {
  const s = ctx.world.scale;
  return (
    s.loans +
    s.policies +
    s.claims +
    s.sales * 1.4 +
    ctx.world.institutions.length * ctx.world.months.length * 30
  );
}

/** Runs one task and returns the files it wrote. */
export function runTask(
  ctx: GenContext,
  name: string,
  out: string,
  progress: (rows: number) => void,
): WrittenFile[] {
  const { world, plan, book } = ctx;
  const counted = (files: WrittenFile[]) => {
    progress(files.reduce((s, f) => s + f.rows, 0));
    return files;
  };
  if (name.startsWith("loans:")) {
    const part = ctx.parts[Number(name.slice(6)) - 1];
    if (!part) throw new Error(`no loan part ${name}`);
    return [writeLoanPart(book, plan.loans, part, out, progress)];
  }
  switch (name) {
    case "registry":
      return counted([
        writeInstitutions(world, out),
        writeLicences(world, plan.returns.failures, out),
        ...writeOutcomes(world, plan.returns.failures, out),
      ]);
    case "returns":
      return counted(writeReturns(world, plan.returns, out));
    case "guarantees":
      return counted([
        ...writeGuarantees(book, plan.guarantees, out),
        ...writeExposures(
          world,
          plan.returns.failures.map((f) => f.inst),
          out,
        ),
      ]);
    case "products":
      return counted(writeProducts(world, plan.catalogue, out));
    case "sales":
      return writeSales(world, plan.catalogue, plan.sales, out, progress);
    case "insurance":
      return writePoliciesAndClaims(world, plan.insurance, out, progress);
    case "surrenders":
      return counted(writeSurrenders(world, plan.returns, out));
    case "bills":
      return counted(writeBills(world, plan.bills, out));
    case "venues":
      return counted(writeVenues(world, plan.venues, out));
    case "bonds":
      return counted(writeBonds(world, plan.bonds, out));
    case "watch":
      return counted(writeWatch(world, plan.watch, plan.returns.failures, out));
    default:
      throw new Error(`unknown task ${name}`);
  }
}
