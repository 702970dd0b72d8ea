// Rules benchmark, printed as one JSON object:
// 1. the whole China pack over a medium province's returns (about 1,000 institutions × 36 months, synthesised from the
//    item dictionary: every item each type reports, plausible values), validation included;
// 2. the true rate of 10M loans generated in DuckDB SQL, alone and as the full record-level cap rule;
// 3. entity-rule throughput against json-rules-engine running the same threshold rules in the same run.
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { Engine, type RuleProperties } from "json-rules-engine";
import type { BankTier } from "../packages/core/src/contract/institution-types.ts";
import { type EntityType, itemDictionary } from "../packages/core/src/contract/items.ts";
import { scales } from "../packages/core/src/generate/scales.ts";
import { openDuck } from "../packages/core/src/lake/duckdb.ts";
import { dec, toNumber } from "../packages/core/src/metrics/decimal.ts";
import { findMetric } from "../packages/core/src/metrics/index.ts";
import { provisionalParams } from "../packages/core/src/rules/catalog.ts";
import type { EntityInput } from "../packages/core/src/rules/context.ts";
import { evaluatePack } from "../packages/core/src/rules/engine.ts";
import { resolveParams } from "../packages/core/src/rules/params.ts";
import { runRecordRules } from "../packages/core/src/rules/record/run-record-rules.ts";
import { trueRateSql } from "../packages/core/src/rules/record/true-rate.ts";
import type { AnyRule, Outcome } from "../packages/core/src/rules/types.ts";
import { chinaPack } from "../packages/packs/src/china/index.ts";
import { trueRateCap } from "../packages/packs/src/china/record/true-rate-cap.ts";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const loanRows = arg("loans", 10_000_000);
const peerEntities = arg("peer-entities", 20_000);
const log = (s: string) => process.stderr.write(`${s}\n`);
const loadAtStart = loadavg()[0]!;

let seed = 20_240_917;
const random = () => {
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
};

/** One entity-period with every item its type reports, values in plausible ranges (some breach, most pass). */
function entityOf(code: string, type: EntityType, period: string, extra: Partial<EntityInput>): EntityInput {
  const facts: Record<string, string> = {};
  const quarterEnd = Number(period.slice(5, 7)) % 3 === 0;
  for (const item of itemDictionary) {
    if (!item.appliesTo.includes(type)) continue;
    if (item.frequency === "quarterly" && !quarterEnd) continue;
    if (item.unit === "grade") continue;
    if (item.unit === "flag") facts[item.code] = random() < 0.02 ? "1" : "0";
    else if (/DEDUCTIONS|ZERO_RW/.test(item.code)) facts[item.code] = (random() * 1e7).toFixed(2);
    else if (item.unit === "count" || item.unit === "days")
      facts[item.code] = String(Math.floor(random() * 60));
    else if (item.unit === "ratio") facts[item.code] = (random() * 0.4).toFixed(6);
    else facts[item.code] = (1e8 + random() * 1e10).toFixed(2);
  }
  return { institution: code, type, period, facts, ...extra };
}

function mediumProvince(): EntityInput[] {
  const mix = scales.medium.institutions;
  const months: string[] = [];
  for (let k = 0; k < scales.medium.months; k++) {
    const m = 2023 * 12 + 9 + k;
    months.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`);
  }
  const entities: EntityInput[] = [];
  let n = 0;
  for (const [type, count] of Object.entries(mix) as [EntityType, number][]) {
    for (let i = 0; i < count; i++) {
      const code = `91500000${String(++n).padStart(10, "0")}`;
      const extra: Partial<EntityInput> =
        type === "bank"
          ? { bankTier: ((n % 5) + 1) as BankTier, totalAssets: String(5e9 + (n % 40) * 1e10) }
          : {};
      for (const period of months) entities.push(entityOf(code, type, period, extra));
    }
  }
  return entities;
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Wall and CPU time of a call (CPU time shows the work when other processes share the cores). */
function timed<T>(fn: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const t = performance.now();
  const c = cpuSeconds();
  const value = fn();
  return { value, seconds: (performance.now() - t) / 1000, cpuSeconds: cpuSeconds() - c };
}

// 1. The whole pack over the medium province.
log("synthesising the medium province's returns...");
const province = mediumProvince();
const facts = province.reduce((s, e) => s + Object.keys(e.facts ?? {}).length, 0);
log(`evaluating ${chinaPack.length} rules over ${province.length} entity-periods (${facts} facts)...`);
evaluatePack(chinaPack, province.slice(0, 2000)); // warm-up
// The faster of two runs: on a shared machine one run can lose the cores.
const pack = [
  timed(() => evaluatePack(chinaPack, province)),
  timed(() => evaluatePack(chinaPack, province)),
].sort((a, b) => a.seconds - b.seconds)[0]!;
const kinds: Record<string, number> = {};
for (const o of pack.value) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;

// 3. The peer: the threshold rules of banks with one metric and fixed lines, as json-rules-engine rules whose facts
// are the metric values (json-rules-engine cannot compute a metric from return items; Beacon does, exactly).
const simple = chinaPack.filter(
  (r): r is AnyRule =>
    r.appliesTo.types.length === 1 &&
    r.appliesTo.types[0] === "bank" &&
    !r.appliesTo.totalAssets &&
    !r.appliesTo.bankTiers &&
    r.reads.length === 1 &&
    findMetric(r.reads[0]!) !== undefined &&
    ["minimum", "maximum"].includes(Object.keys(r.params.defaults as object).join(",")),
);
const banks = Array.from({ length: peerEntities }, (_, i) =>
  entityOf(`91500099${String(i).padStart(10, "0")}`, "bank", "2026-09", {
    bankTier: 3,
    totalAssets: "100000000000",
  }),
);
const comparators = new Map<string, { metric: string; op: "lessThan" | "greaterThan"; line: number }>();
for (const r of simple) {
  const p = r.params.defaults as { minimum?: string; maximum?: string };
  comparators.set(r.id, {
    metric: r.reads[0]!,
    op: p.minimum !== undefined ? "lessThan" : "greaterThan",
    line: toNumber(dec(p.minimum ?? p.maximum!)),
  });
}
const peerRules: RuleProperties[] = simple.map((r) => {
  const c = comparators.get(r.id)!;
  return {
    name: r.id,
    conditions: { all: [{ fact: c.metric, operator: c.op, value: c.line }] },
    event: { type: "breach", params: { rule: r.id } },
  };
});
log(`peer: ${simple.length} bank threshold rules × ${banks.length} banks, Beacon vs json-rules-engine...`);
// Beacon computes each metric exactly from the return items; the peer is given the metric values. Beacon is also
// timed on those same values (reported metrics), for the like-for-like ratio.
const metricFacts: Record<string, number>[] = [];
const metricInputs: EntityInput[] = [];
for (const b of banks) {
  const floats: Record<string, number> = {};
  const texts: Record<string, string> = {};
  for (const o of evaluatePack(simple, [b]) as Outcome[]) {
    const v = o.value;
    if (!v || !("number" in v)) continue;
    const metric = comparators.get(o.ruleId)!.metric;
    floats[metric] = v.number;
    texts[metric] = v.number.toFixed(12);
  }
  metricFacts.push(floats);
  metricInputs.push({ institution: b.institution, type: "bank", period: b.period, metrics: texts });
}
evaluatePack(simple, banks.slice(0, 500)); // warm-up
const engine = new Engine(peerRules, { allowUndefinedFacts: true });
for (const f of metricFacts.slice(0, 200)) await engine.run(f); // warm-up
// Three interleaved rounds, the fastest of each side kept: on a shared machine a round can lose the cores.
const rounds = 3;
type Timed<T> = { value: T; seconds: number; cpuSeconds: number };
const best = <T>(a: Timed<T> | undefined, b: Timed<T>) => (!a || b.seconds < a.seconds ? b : a);
let ours: Timed<Outcome[]> | undefined;
let oursOnMetrics: Timed<Outcome[]> | undefined;
let peer: Timed<number> | undefined;
for (let k = 0; k < rounds; k++) {
  ours = best(
    ours,
    timed(() => evaluatePack(simple, banks)),
  );
  oursOnMetrics = best(
    oursOnMetrics,
    timed(() => evaluatePack(simple, metricInputs)),
  );
  let peerBreaches = 0;
  const tPeer = performance.now();
  const cPeer = cpuSeconds();
  for (const f of metricFacts) peerBreaches += (await engine.run(f)).events.length;
  peer = best(peer, {
    value: peerBreaches,
    seconds: (performance.now() - tPeer) / 1000,
    cpuSeconds: cpuSeconds() - cPeer,
  });
}
if (!ours || !oursOnMetrics || !peer) throw new Error("no rounds");
const peerSeconds = peer.seconds;
const peerCpu = peer.cpuSeconds;
const peerBreaches = peer.value;
const breachesOf = (os: Outcome[]) =>
  os.filter((o) => o.kind === "breach_regulatory" || o.kind === "breach_warning").length;

// 2. The true rate of 10M loans.
log(`generating ${loanRows} loans in DuckDB...`);
const duck = await openDuck({ memoryLimit: "6GB" });
const lenderTypes = [
  "bank",
  "trust",
  "small_loan",
  "online_small_loan",
  "pawn",
  "financial_leasing",
  "commercial_factoring",
  "internet_lending_platform",
];
const lenders = Array.from({ length: 64 }, (_, i) => [
  `9150009${String(i).padStart(11, "0")}`,
  lenderTypes[i % lenderTypes.length]!,
]);
await duck.run(
  `CREATE TABLE registry AS SELECT * FROM (VALUES ${lenders.map(([c, t]) => `('${c}', '${t}')`).join(", ")}) t(code, type)`,
);
const lprRows = readFileSync(new URL("../packages/core/src/rates/lpr-history.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1);
await duck.run(
  `CREATE TABLE lpr AS SELECT * FROM (VALUES ${lprRows.map((l) => `(DATE '${l.split(",")[0]}-20', ${Number(l.split(",")[1]) / 100})`).join(", ")}) t(from_date, one_year)`,
);
let t = performance.now();
let c = cpuSeconds();
await duck.run(`CREATE TABLE loans AS SELECT 'L' || i AS loan_id,
    ([${lenders.map(([code]) => `'${code}'`).join(", ")}])[1 + CAST(i % ${lenders.length} AS INTEGER)] AS lender_code, '2026-09' AS period,
    CAST(DATE '2020-09-01' + CAST(i % 2190 AS INTEGER) AS DATE) AS origination_date,
    (['equal_instalment', 'interest_only', 'bullet', 'equal_principal'])[1 + CAST(i % 4 AS INTEGER)] AS repayment_method,
    CAST(3 + i % 58 AS INTEGER) AS term_months,
    CAST(10000 + (i * 7919) % 490000 AS DECIMAL(18, 2)) AS principal,
    CAST(0.03 + ((i * 31) % 1000) / 6666.0 AS DECIMAL(9, 6)) AS nominal_rate,
    CAST(CASE WHEN i % 5 = 0 THEN (10000 + (i * 7919) % 490000) * 0.04 ELSE 0 END AS DECIMAL(18, 2)) AS upfront_fee,
    CAST(CASE WHEN i % 7 = 0 THEN (10000 + (i * 7919) % 490000) * 0.005 ELSE 0 END AS DECIMAL(18, 2)) AS periodic_fee,
    CAST(CASE WHEN i % 11 = 0 THEN 200 ELSE 0 END AS DECIMAL(18, 2)) AS other_fees
  FROM range(${loanRows}) r(i)`);
const generateSeconds = (performance.now() - t) / 1000;
const generateCpu = cpuSeconds() - c;
log("true rate of every loan...");
t = performance.now();
c = cpuSeconds();
const [rates] = await duck.all<{ n: bigint; converged: bigint; mean: number }>(
  `SELECT count(*) AS n, count(*) FILTER (WHERE converged) AS converged, avg(true_rate) AS mean FROM (${trueRateSql("loans")})`,
);
const trueRateSeconds = (performance.now() - t) / 1000;
const trueRateCpu = cpuSeconds() - c;
log("the true-rate cap rule (rates, lender types, LPR at signing, breaches aggregated)...");
const params = resolveParams(trueRateCap) as Record<string, unknown>;
t = performance.now();
c = cpuSeconds();
const capRun = await runRecordRules(duck, {
  period: "2026-09",
  periodEnd: "2026-09-30",
  rules: [trueRateCap],
  params: new Map([[trueRateCap.id, params]]),
  provisional: new Map([[trueRateCap.id, provisionalParams({ level: "record", rule: trueRateCap })]]),
});
const capSeconds = (performance.now() - t) / 1000;
const capCpu = cpuSeconds() - c;
duck.close();

const cores = availableParallelism();
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const evaluations = banks.length * simple.length;
const rate = (seconds: number) => Math.round(evaluations / seconds);
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: "rules",
      machine: {
        cores: availableParallelism(),
        loadAverage1m: { start: round(loadAtStart, 2), end: round(loadavg()[0]!, 2) },
        note: "cpuSeconds is the whole process's CPU time (process.cpuUsage: JavaScript and DuckDB's threads); wall well above CPU / threads means waiting or other processes on the cores",
      },
      pack: {
        source:
          "medium province synthesised from the item dictionary (all items of each type, plausible values)",
        institutions: Object.values(scales.medium.institutions).reduce((a, b) => a + b, 0),
        months: scales.medium.months,
        entityPeriods: province.length,
        facts,
        rules: chinaPack.length,
        outcomes: pack.value.length,
        outcomesByKind: kinds,
        seconds: round(pack.seconds),
        cpuSeconds: round(pack.cpuSeconds),
        targetSeconds: 5,
      },
      trueRate: {
        loans: loanRows,
        generateSeconds: round(generateSeconds),
        generateCpuSeconds: round(generateCpu),
        converged: Number(rates!.converged),
        meanTrueRate: round(rates!.mean, 6),
        seconds: round(trueRateSeconds),
        cpuSeconds: round(trueRateCpu),
        threads: cores,
        capRule: {
          seconds: round(capSeconds),
          cpuSeconds: round(capCpu),
          institutionsInBreach: capRun.outcomes.length,
          loansInBreach: capRun.outcomes.reduce((s, o) => s + o.count, 0),
        },
        targetSeconds: 10,
      },
      entityThroughput: {
        rules: simple.map((r) => r.id),
        entities: banks.length,
        evaluations,
        beaconFromItems: {
          evaluationsPerSecond: rate(ours.seconds),
          seconds: round(ours.seconds),
          cpuSeconds: round(ours.cpuSeconds),
          breaches: breachesOf(ours.value),
          note: "metrics computed exactly (rationals) from the return items, inputs validated; explanations rendered on first read",
        },
        beaconFromMetrics: {
          evaluationsPerSecond: rate(oursOnMetrics.seconds),
          seconds: round(oursOnMetrics.seconds),
          cpuSeconds: round(oursOnMetrics.cpuSeconds),
          breaches: breachesOf(oursOnMetrics.value),
          note: "the same metric values the peer gets, as decimal text compared exactly",
        },
        jsonRulesEngine: {
          evaluationsPerSecond: rate(peerSeconds),
          seconds: round(peerSeconds),
          cpuSeconds: round(peerCpu),
          breaches: peerBreaches,
          note: "facts are the metric values as floats; one engine.run per entity",
        },
        rounds,
        ratioFromItems: round(peerSeconds / ours.seconds, 2),
        ratioLikeForLike: round(peerSeconds / oursOnMetrics.seconds, 2),
        cpuRatioFromItems: round(peerCpu / ours.cpuSeconds, 2),
        cpuRatioLikeForLike: round(peerCpu / oursOnMetrics.cpuSeconds, 2),
      },
    },
    null,
    2,
  )}\n`,
);
