import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Duck, literal, openDuck } from "../../lake/duckdb.ts";
import { computeFlowFigures, type FlowFigures } from "./flow-figures.ts";
import { resolveFundraisingParams } from "./index-params.ts";
import { fanInSignal } from "./score-company.ts";

// The shared reference data sits beside the checkout (see shared/data/README.md).
const folder = fileURLToPath(new URL("../../../../../../shared/data/amlsim-sample", import.meta.url));

/**
 * The fan-in signal on IBM's AMLSim sample (20,000 accounts, 200 fan-in and 200 cycle typologies). The sample labels
 * accounts (isFraud) but not the typology of each; the typologies are written as bursts (one sender paying one
 * receiver several times in the same step), so the truth is read from the labels and the bursts: a fan-in main
 * account receives bursts from labelled accounts and never sends one (a cycle member does both). The signal itself
 * sees neither labels nor bursts: only amounts, counterparties and dates.
 */
describe.skipIf(!existsSync(folder))("fan-in signal on the AMLSim sample", () => {
  let duck: Duck;
  let figures: Map<string, FlowFigures>;
  let mains: Set<string>;
  let cycles: Set<string>;
  let fraud: Set<string>;
  let small: number;

  beforeAll(async () => {
    duck = await openDuck();
    await duck.run(
      `CREATE TABLE tx AS SELECT CAST(sourceNodeId AS VARCHAR) AS s, CAST(targetNodeId AS VARCHAR) AS d, CAST(value AS DOUBLE) AS amount,
         CAST(time AS INTEGER) AS step FROM read_csv(${literal(`${folder}/transactions.csv`)}, header = true)`,
    );
    await duck.run(
      `CREATE TABLE nodes AS SELECT CAST(nodeid AS VARCHAR) AS id, isFraud = 1 AS fraud FROM read_csv(${literal(`${folder}/nodes.csv`)}, header = true)`,
    );
    // Steps are days; every transfer is seen from both ends, as a bank's statement would show it.
    await duck.run(
      `CREATE VIEW flows AS
         SELECT d AS account, s AS counterparty, 'in' AS direction, true AS individual, DATE '2017-01-01' + step AS day, amount FROM tx
         UNION ALL
         SELECT s, d, 'out', true, DATE '2017-01-01' + step, amount FROM tx`,
    );
    // "Small" without labels: the sample's own 5th percentile of amounts (it has no currency).
    const [q] = await duck.all<{ p5: number }>(
      "SELECT CAST(quantile_cont(amount, 0.05) AS DOUBLE) AS p5 FROM tx",
    );
    small = q!.p5;
    figures = await computeFlowFigures(duck, "flows", { smallTransferMax: small, passThroughDays: 3 });
    const truth = await duck.all<{ id: string }>(
      `WITH bursts AS (SELECT s, d FROM tx WHERE s IN (SELECT id FROM nodes WHERE fraud) AND d IN (SELECT id FROM nodes WHERE fraud)
                       GROUP BY s, d, step HAVING count(*) > 1)
       SELECT DISTINCT d AS id FROM bursts WHERE d NOT IN (SELECT s FROM bursts)`,
    );
    mains = new Set(truth.map((r) => r.id));
    const cycle = await duck.all<{ id: string }>(
      `WITH bursts AS (SELECT s, d FROM tx WHERE s IN (SELECT id FROM nodes WHERE fraud) AND d IN (SELECT id FROM nodes WHERE fraud)
                       GROUP BY s, d, step HAVING count(*) > 1)
       SELECT DISTINCT d AS id FROM bursts WHERE d IN (SELECT s FROM bursts)`,
    );
    cycles = new Set(cycle.map((r) => r.id));
    fraud = new Set((await duck.all<{ id: string }>("SELECT id FROM nodes WHERE fraud")).map((r) => r.id));
  });
  afterAll(() => duck?.close());

  test("pass-through is reported for cycle members (money passed on along the cycle) against everyone else", () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const pt = (set: (id: string) => boolean) =>
      mean(
        [...figures].filter(([id, f]) => set(id) && f.passThrough !== null).map(([, f]) => f.passThrough!),
      );
    const cycleMean = pt((id) => cycles.has(id));
    const otherMean = pt((id) => !fraud.has(id));
    console.info(
      JSON.stringify({
        cycleMembers: cycles.size,
        meanPassThroughCycle: Number(cycleMean.toFixed(3)),
        meanPassThroughUnlabelled: Number(otherMean.toFixed(3)),
      }),
    );
    expect(cycles.size).toBeGreaterThan(100);
  });

  test("accounts that are fan-in mains score high on the fan-in signal; precision and recall are reported", () => {
    // Anchors for a sample without currency or business types: more than two small transfers in a month is
    // unusual, twenty is full; chosen before looking at the labels, as the company defaults were.
    const params = resolveFundraisingParams({ fanInNormal: 2, fanInFull: 20 });
    let flagged = 0;
    let flaggedMains = 0;
    let flaggedFraud = 0;
    const scores: { id: string; signal: number }[] = [];
    for (const [id, f] of figures) {
      const signal = fanInSignal(f.monthly, params).signal;
      scores.push({ id, signal });
      if (signal <= 0) continue;
      flagged++;
      if (mains.has(id)) flaggedMains++;
      if (fraud.has(id)) flaggedFraud++;
    }
    const precisionMains = flaggedMains / flagged;
    const recallMains = flaggedMains / mains.size;
    const precisionFraud = flaggedFraud / flagged;
    // Mean signal of mains against everyone else: the ranking, not just the cut.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const mainMean = mean(scores.filter((s) => mains.has(s.id)).map((s) => s.signal));
    const otherMean = mean(scores.filter((s) => !fraud.has(s.id)).map((s) => s.signal));
    console.info(
      JSON.stringify({
        sample: "AMLSim 20K fan-in 200 / cycle 200",
        smallTransferMax: small,
        fanMains: mains.size,
        flagged,
        precisionMains: Number(precisionMains.toFixed(3)),
        recallMains: Number(recallMains.toFixed(3)),
        precisionIsFraud: Number(precisionFraud.toFixed(3)),
        meanSignalMains: Number(mainMean.toFixed(3)),
        meanSignalUnlabelled: Number(otherMean.toFixed(4)),
      }),
    );
    expect(mains.size).toBeGreaterThan(100);
    // The signal must find most fan-in mains, and most of what it flags must be labelled laundering accounts.
    expect(recallMains).toBeGreaterThan(0.8);
    expect(precisionFraud).toBeGreaterThan(0.8);
    expect(mainMean).toBeGreaterThan(10 * otherMean);
  });
});
