import { describe, expect, test } from "vitest";
import { testLake } from "../detectors/test-lake.ts";
import { monthIndex, monthRange } from "../scoring/months.ts";
import { buildPanel } from "../scoring/panel.ts";
import { rng } from "../scoring/test-support.ts";
import { testCreditCode } from "../testing/fixtures.ts";
import { detectAnomalies } from "./detect-anomalies.ts";
import { defaultBaseline, judgeSeries, madScale, median, type SeriesPoint } from "./robust.ts";
import { lakeSeries } from "./series.ts";

const start = monthIndex("2023-01");

/** A positive series around `level` with ±10% seeded noise, optionally shaped month by month. */
function series(
  n: number,
  seed: number,
  level: number,
  shape: (t: number) => number = () => 1,
): SeriesPoint[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, t) => ({
    month: start + t,
    value: level * shape(t) * (1 + 0.2 * (r() - 0.5)),
  }));
}

describe("robust statistics", () => {
  test("median and MAD ignore a wild value", () => {
    expect(median([1, 2, 3, 4, 1000])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(madScale([1, 2, 3, 4, 1000])).toBeCloseTo(1.4826, 4);
  });
});

describe("judging a series", () => {
  test("a fivefold month is a spike, with the expected value and band from the months before", () => {
    const s = series(30, 1, 100, (t) => (t === 24 ? 5 : 1));
    const judged = judgeSeries(s, "up", "log");
    const alarms = judged.filter((j) => j.alarm);
    expect(alarms.map((j) => [j.month - start, j.alarm])).toEqual([[24, "spike"]]);
    const a = alarms[0]!;
    expect(a.expected).toBeGreaterThan(85);
    expect(a.expected).toBeLessThan(115);
    expect(a.low).toBeLessThan(a.expected);
    expect(a.high).toBeGreaterThan(a.expected);
    expect(a.value).toBeGreaterThan(a.high);
    expect(a.z).toBeGreaterThan(defaultBaseline.spikeZ);
  });

  test("nothing is judged before the minimum history, and noise alone raises nothing", () => {
    const judged = judgeSeries(series(36, 2, 100), "up", "log");
    expect(judged[0]!.month - start).toBe(defaultBaseline.minHistory);
    expect(judged.filter((j) => j.alarm)).toEqual([]);
  });

  test("a December peak every year is expected once two earlier Decembers show it", () => {
    const december = (t: number) => ((start + t) % 12 === 11 ? 2.5 : 1);
    const judged = judgeSeries(series(36, 3, 100, december), "up", "log");
    const third = judged.find((j) => j.month === monthIndex("2025-12"))!;
    expect(third.seasonal).toBe(true);
    expect(third.alarm).toBeNull();
    expect(third.expected).toBeGreaterThan(180);
    // The same peak appearing for the first time in the third year is an anomaly.
    const once = judgeSeries(
      series(36, 3, 100, (t) => (start + t === monthIndex("2025-12") ? 2.5 : 1)),
      "up",
      "log",
    );
    expect(once.find((j) => j.month === monthIndex("2025-12"))!.alarm).toBe("spike");
  });

  test("a sustained moderate rise is a shift (CUSUM), not a spike", () => {
    const judged = judgeSeries(
      series(30, 4, 100, (t) => (t >= 18 ? 1.25 : 1)),
      "up",
      "log",
    );
    const alarms = judged.filter((j) => j.alarm);
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms[0]!.alarm).toBe("shift");
    expect(alarms[0]!.month - start).toBeGreaterThanOrEqual(18);
    expect(alarms[0]!.month - start).toBeLessThanOrEqual(22);
  });

  test("a fall is judged only where falling is adverse", () => {
    const drop = series(30, 5, 100, (t) => (t === 24 ? 0.2 : 1));
    expect(judgeSeries(drop, "up", "log").filter((j) => j.alarm)).toEqual([]);
    expect(judgeSeries(drop, "down", "log").find((j) => j.alarm)?.month).toBe(start + 24);
    expect(judgeSeries(drop, "both", "log").find((j) => j.alarm)?.month).toBe(start + 24);
  });

  test("small counts: a jump from about 3 to 30 alarms, to 6 does not", () => {
    const counts = (peak: number) =>
      Array.from({ length: 24 }, (_, t) => ({ month: start + t, value: t === 20 ? peak : 2 + (t % 3) }));
    const opts = { ...defaultBaseline, count: true };
    expect(judgeSeries(counts(30), "up", "log", opts).find((j) => j.alarm)?.month).toBe(start + 20);
    expect(judgeSeries(counts(6), "up", "log", opts).filter((j) => j.alarm)).toEqual([]);
  });
});

describe("monitored series from returns", () => {
  test("year-to-date surrenders become quarterly amounts, and a run on the insurer is an alert naming its band", () => {
    const code = testCreditCode(500);
    const months = monthRange("2023-01", "2025-12");
    const facts = [];
    const r = rng(9);
    for (const m of months) {
      const mm = Number(m.slice(5, 7));
      if (mm % 3 !== 0) continue;
      const q = `${m.slice(0, 4)}-Q${mm / 3}`;
      // 10m of surrenders a quarter, 60m in 2025-Q3, reported year to date.
      let ytd = 0;
      for (let k = 3; k <= mm; k += 3) {
        const label = `${m.slice(0, 4)}-${String(k).padStart(2, "0")}`;
        ytd += (label === "2025-09" ? 60e6 : 10e6) * (1 + 0.1 * (r() - 0.5));
      }
      for (const [item, value] of [
        ["INS_SURRENDERS", ytd],
        ["INS_MATURITY_BENEFITS", 2e6 * (mm / 3)],
        ["INS_LIQUID_ASSETS", 500e6],
        ["INS_PREMIUMS", 100e6 * (mm / 3)],
      ] as const) {
        facts.push({ institution: code, period: q, item, value: value.toFixed(2) });
      }
    }
    const panel = buildPanel(
      [
        {
          code,
          type: "life_insurer",
          sector: "insurance",
          district: "渝中区",
          nameZh: "测试人寿",
          nameEn: "Test Life",
          status: "active",
        },
      ],
      facts,
      months,
    );
    const alerts = detectAnomalies(panel, new Map());
    const surrenders = alerts.filter((a) => a.series === "surrenders_quarter");
    expect(surrenders.map((a) => [a.period, a.kind])).toEqual([["2025-09", "spike"]]);
    expect(surrenders[0]!.value).toBeGreaterThan(50e6);
    expect(surrenders[0]!.high).toBeLessThan(20e6);
    expect(surrenders[0]!.en).toMatch(
      /^Surrenders in the quarter RMB [\d,]+ in 2025-09, expected RMB [\d,]+ \(band RMB [\d,]+–RMB [\d,]+\); robust z \d+\.\d: a spike\.$/,
    );
    expect(alerts.filter((a) => a.series === "payouts_to_liquid").map((a) => a.period)).toEqual(["2025-09"]);
  });
});

describe("monitored series from the lake", () => {
  test("a discounted bill outstanding in several monthly snapshots counts once, in its month of discounting", async () => {
    const bank = testCreditCode(1);
    const bill = (id: string, period: string, discounted: string, face: number) => ({
      bill_id: id,
      bank_code: bank,
      period,
      role: "discounter",
      discount_date: discounted,
      face_amount: face,
    });
    const duck = await testLake({
      bills: [
        bill("B1", "2026-07", "2026-07-05", 1_000_000),
        bill("B1", "2026-08", "2026-07-05", 1_000_000),
        bill("B1", "2026-09", "2026-07-05", 1_000_000),
        bill("B2", "2026-08", "2026-08-20", 500_000),
        bill("B2", "2026-09", "2026-08-20", 500_000),
      ],
    });
    const def = lakeSeries.find((s) => s.code === "bill_discounting")!;
    const rows = await duck.all<{ institution: string; period: string; value: number }>(
      `${def.sql} ORDER BY period`,
    );
    expect(rows).toEqual([
      { institution: bank, period: "2026-07", value: 1_000_000 },
      { institution: bank, period: "2026-08", value: 500_000 },
    ]);
    duck.close();
  });
});
