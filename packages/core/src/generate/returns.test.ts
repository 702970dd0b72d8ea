import { describe, expect, test } from "vitest";
import { monthLabel, quarterLabel } from "./calendar.ts";
import { buildPlan } from "./plan.ts";
import { crossings, reportsIn, valuesFor } from "./returns.ts";
import { buildWorld } from "./world.ts";

describe("returns model", () => {
  const world = buildWorld(5, "small");
  const plan = buildPlan(world);

  test("every threshold crossed in the returns belongs to a planted problem listed for that period", () => {
    const planted = new Map<string, Set<string>>();
    for (const p of plan.plants)
      for (const s of p.subjects) {
        const set = planted.get(s) ?? new Set<string>();
        for (const period of p.periods) set.add(period);
        planted.set(s, set);
      }
    const unexplained: string[] = [];
    let crossed = 0;
    for (const inst of world.institutions) {
      for (const mi of world.months) {
        if (!reportsIn(plan.returns, inst, mi)) continue;
        const found = crossings(inst, valuesFor(world, plan.returns, inst, mi));
        if (found.length === 0) continue;
        crossed++;
        const periods = planted.get(inst.code);
        if (!periods || (!periods.has(monthLabel(mi)) && !periods.has(quarterLabel(mi))))
          unexplained.push(
            `${inst.type} ${inst.code} ${monthLabel(mi)}: ${found.map((c) => `${c.metric}=${c.value.toFixed(4)}`).join(", ")}`,
          );
      }
    }
    expect(unexplained.slice(0, 10)).toEqual([]);
    expect(crossed).toBeGreaterThan(20);
  });

  test("each planted breach crosses the named threshold, and bank failures slide below the capital minimum", () => {
    const breaches = plan.plants.filter((p) => p.kind === "return_breach");
    expect(breaches.length).toBe(world.scale.plants.return_breach);
    for (const b of breaches)
      expect(b.flaggedBy, String(b.details.metric)).toContain(`rule:${b.details.metric}`);
    const failures = plan.plants.filter((p) => p.kind === "bank_failure");
    expect(failures.length).toBe(world.scale.plants.bank_failure);
    for (const f of failures) {
      expect(f.flaggedBy).toContain("rule:BANK_CAR");
      expect(f.flaggedBy).toContain("rule:BANK_NPL_RATIO");
      expect(f.flaggedBy).toContain("rule:BANK_LIQUIDITY_RATIO");
    }
  });

  test("registry total assets equal the December return, and the five categories sum to total loans", () => {
    const bank = world.byType.bank.find((b) => b.status === "active")!;
    const dec = Math.floor(world.endMonth / 12) * 12 - 1;
    const v = valuesFor(world, plan.returns, bank, dec);
    expect(v.get("BANK_TOTAL_ASSETS")).toBeCloseTo(bank.totalAssets, 0);
    const parts = [
      "BANK_LOANS_NORMAL",
      "BANK_LOANS_SPECIAL_MENTION",
      "BANK_LOANS_SUBSTANDARD",
      "BANK_LOANS_DOUBTFUL",
      "BANK_LOANS_LOSS",
    ];
    const sum = parts.reduce((s, k) => s + Math.round((v.get(k) as number) * 100), 0);
    expect(sum).toBe(Math.round((v.get("BANK_LOANS_TOTAL") as number) * 100));
  });
});
