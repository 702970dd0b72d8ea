// Load benchmark: mixed authenticated reads against the real server in a child process, at a fixed arrival rate.
// `npm run bench -- api-load [--rate 200] [--duration 60] [--baseline 10] [--province DIR | --data DIR] [--cold-report]`;
// set DATABASE_URL to run on PostgreSQL. The store is prepared as `beacon ingest` leaves it (the monthly report's
// rule outcomes stored), then users, cases, events, filings, list entries and feed items are added:
//   --province DIR  a folder from `beacon generate`, ingested here (minutes for a medium province);
//   --data DIR      a data folder `beacon ingest` already filled, copied (the bench writes to it); with DATABASE_URL,
//                   the database must hold the same ingest, and is written to (use a copy: `createdb -T`);
//   neither         the tiny test province plus synthetic institutions.
// --cold-report deletes the stored report outcomes, so the server computes them at start, under the load; --keep
// keeps the data folder the run used (to EXPLAIN its queries).
// The server runs with bench/api-load-probe.ts, which reports its event-loop delay and CPU every second; the result
// shows them per second of the run beside the server's own log lines (background jobs) and each route's latency alone.
// Loopback only. Prints one JSON document on stdout; progress on stderr.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { recordFiling } from "../packages/core/src/audit/record-filing.ts";
import { sealAudit } from "../packages/core/src/audit/seal-audit.ts";
import { createCase } from "../packages/core/src/cases/create-case.ts";
import { loadConfig } from "../packages/core/src/config.ts";
import { institutionTypes } from "../packages/core/src/contract/institution-types.ts";
import { fileRiskEvent } from "../packages/core/src/events/file-risk-event.ts";
import { createApiToken } from "../packages/core/src/identity/create-api-token.ts";
import { createUser } from "../packages/core/src/identity/create-user.ts";
import { system, type UserPrincipal } from "../packages/core/src/identity/roles.ts";
import { ingest } from "../packages/core/src/intake/ingest.ts";
import { precomputeMonthlyReport } from "../packages/core/src/reports/build-monthly-report.ts";
import { openBeacon } from "../packages/core/src/runtime.ts";
import { addListEntry } from "../packages/core/src/sharing/add-list-entry.ts";
import { postFeedItem } from "../packages/core/src/sharing/post-feed-item.ts";
import {
  bankA,
  csv,
  testCreditCode,
  testResidentId,
  writeTinyProvince,
} from "../packages/core/src/testing/fixtures.ts";
import { chinaPack } from "../packages/packs/src/china/index.ts";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "200" },
    duration: { type: "string", default: "60" },
    warmup: { type: "string", default: "5" },
    baseline: { type: "string", default: "10" },
    institutions: { type: "string", default: "400" },
    cases: { type: "string", default: "1000" },
    province: { type: "string" },
    data: { type: "string" },
    "cold-report": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
if (values.province && values.data) throw new Error("give --province or --data, not both");
const rate = Number(values.rate);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const baselineSeconds = Number(values.baseline);
const log = (line: string) => process.stderr.write(`${line}\n`);
const password = "benchmark passphrase 2026";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Fills a store: the tiny province plus extra institutions, users, cases, events, filings, list entries, feed items. */
async function populate(
  dataDir: string,
): Promise<{ caseIds: number[]; eventIds: number[]; bankToken: string; bankCode: string }> {
  const generated = values.province;
  const prepared = values.data;
  const province = generated ?? join(dataDir, "..", "province");
  if (prepared) {
    cpSync(prepared, dataDir, { recursive: true });
    rmSync(join(dataDir, "beacon.lock"), { force: true });
  } else if (!generated) writeTinyProvince(province, 200);
  const types = Object.keys(institutionTypes).filter((t) => t !== "supervisory_office");
  const districts = ["渝中区", "江北区", "渝北区", "沙坪坝区", "九龙坡区", "南岸区"];
  const extra = Number(values.institutions);
  const rows: (string | number | null)[][] = [["code", "name_zh", "name_en", "type", "district", "status"]];
  for (let i = 0; i < extra; i++) {
    rows.push([
      testCreditCode(1000 + i),
      `机构${i}`,
      `Institution ${i}`,
      types[i % types.length]!,
      districts[i % districts.length]!,
      "active",
    ]);
  }
  const more = join(dataDir, "..", "more-institutions.csv");
  if (!generated && !prepared) writeFileSync(more, csv(rows));
  const config = loadConfig({ ...process.env, BEACON_DATA_DIR: dataDir, BEACON_MODE: "demo" });
  const beacon = await openBeacon(config);
  const db = beacon.db;
  try {
    const ctx = { db, dataDir, pseudonymKey: config.pseudonymKey };
    if (generated) {
      const report = await ingest(ctx, province, { log });
      if (report.status === "rejected")
        throw new Error(`the province was rejected: ${JSON.stringify(report.problems.slice(0, 3))}`);
    } else if (!prepared) {
      await ingest(ctx, join(province, "institutions.csv"));
      await ingest(ctx, more, { dataset: "institutions" });
      await ingest(ctx, join(province, "licences.csv"));
      await ingest(ctx, join(province, "loans"), { dataset: "loans" });
    }
    // What `beacon ingest` does after an accepted ingest (a data folder it filled has them already).
    if (!prepared) await precomputeMonthlyReport(db, chinaPack);
    if (values["cold-report"]) {
      await db.query("delete from report_outcomes");
      await db.query("delete from report_snapshots");
    }
    const cli = system("bench");
    const mk = async (username: string, role: string, scope: object = {}): Promise<UserPrincipal> => {
      const u = await createUser(db, cli, { username, password, role: role as never, ...scope });
      return {
        kind: "user",
        userId: u.id,
        username,
        role: role as never,
        unit: (u.unit as never) ?? null,
        institution: u.institution,
        districts: null,
        via: "session",
      };
    };
    await mk("auditor", "auditor");
    const cbrc = await mk("cbrc", "lead_supervisor", { unit: "cbrc_cq" });
    const finance = await mk("finance", "finance_office", { unit: "finance_office" });
    const [firstBank] = await db.query<{ code: string }>(
      "select trim(code) as code from institutions where type = 'bank' order by code limit 1",
    );
    const bankCode = firstBank?.code ?? bankA;
    const bank = await mk("bank", "institution", { institution: bankCode });
    const bankToken = (
      await createApiToken(db, bank, { name: "bench", scopes: ["read", "events", "filings"] })
    ).token;
    const institutions = await db.query<{ code: string; sector: string }>(
      "select trim(code) as code, sector from institutions",
    );
    const banks = institutions.filter((i) => i.sector === "banking" || i.sector === "trust");
    const local = institutions.filter((i) => i.sector === "local_finance");
    const caseIds: number[] = [];
    const eventIds: number[] = [];
    const total = Number(values.cases);
    log(
      `populating: ${institutions.length} institutions, ${total} cases, ${total / 5} events, ${total / 2} filings ...`,
    );
    for (let i = 0; i < total; i++) {
      const owner = i % 2 === 0 ? cbrc : finance;
      const pool = i % 2 === 0 ? banks : local;
      const inst = pool[i % pool.length]!;
      const c = await createCase(db, owner, {
        title: `Case ${i}: ${["concentration", "liquidity", "related-party lending", "mis-selling"][i % 4]}`,
        description: "Opened by the benchmark",
        source: { kind: i % 3 === 0 ? "manual" : "warning", ref: `bench:${i}` },
        institution: inst.code,
        priority: (["low", "normal", "high", "urgent"] as const)[i % 4],
      });
      caseIds.push(c.id);
    }
    for (let i = 0; i < total / 5; i++) {
      const e = await fileRiskEvent(db, i % 2 === 0 ? bank : finance, {
        type: (["liquidity_run", "fraud_case", "public_opinion", "product_default"] as const)[i % 4]!,
        title: `Event ${i}`,
        description: "Filed by the benchmark",
        ...(i % 2 === 0 ? {} : { institution: local[i % local.length]!.code }),
        amount: String(1_000_000 * (i + 1)),
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      });
      eventIds.push(e.id);
    }
    for (let i = 0; i < total / 2; i++) {
      await recordFiling(db, bank, {
        productCode: `WM-${i}`,
        productName: `Wealth product ${i}`,
        productKind: "wealth_management",
      });
    }
    for (let i = 0; i < 100; i++) {
      await addListEntry(
        db,
        cbrc,
        {
          kind: i % 2 ? "black" : "grey",
          subjectType: "person",
          subject: testResidentId(5000 + i),
          reason: "bench",
          source: "bench",
        },
        { pseudonymKey: config.pseudonymKey },
      );
      await postFeedItem(db, finance, {
        title: `Note ${i}`,
        body: "bench",
        ...(i % 3 ? { sector: "local_finance" } : {}),
      });
    }
    await sealAudit(db);
    return { caseIds, eventIds, bankToken, bankCode };
  } finally {
    await beacon.close();
  }
}

/** What the server wrote to stderr after it started, each line with the time it arrived. */
const serverLog: { at: number; line: string }[] = [];

function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const probe = new URL("./api-load-probe.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, [new URL("../apps/api/src/main.ts", import.meta.url).pathname], {
    env: {
      ...process.env,
      BEACON_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      BEACON_MODE: "demo",
      NODE_OPTIONS: `--import ${probe} ${process.env.BENCH_SERVER_NODE_OPTIONS ?? ""}`,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let partial = "";
  child.stderr!.on("data", (d: Buffer) => {
    const lines = (partial + d.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) if (line) serverLog.push({ at: Date.now(), line });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${serverLog.map((l) => l.line).join("\n")}`)),
      120_000,
    );
    const started = setInterval(() => {
      if (serverLog.some((l) => l.line.includes("Beacon serving on"))) {
        clearTimeout(timer);
        clearInterval(started);
        resolve(child);
      }
    }, 50);
    child.on("exit", (code) => {
      clearInterval(started);
      reject(new Error(`server exited with ${code}:\n${serverLog.map((l) => l.line).join("\n")}`));
    });
  });
}

interface ProbeSample {
  at: number;
  loopP99Ms: number;
  loopMaxMs: number;
  cpuMs: number;
  pgMs: number;
  pgCalls: number;
}

/**
 * What the server's probe saw: per second of the run, its event-loop delay, CPU and time inside PGlite; the
 * statements that held its thread 20 ms or more since it started, grouped (times in seconds from the run's start);
 * and every other line it logged (background jobs).
 */
function serverDuring(from: number, to: number) {
  const seconds = (at: number) => Math.round((at - from) / 100) / 10;
  const probe = (prefix: string) =>
    serverLog
      .filter((l) => l.line.startsWith(`${prefix} `))
      .map((l) => JSON.parse(l.line.slice(prefix.length + 1)) as { at: number } & Record<string, unknown>);
  const samples = (probe("api-load-probe") as unknown as ProbeSample[]).filter(
    (s) => s.at > from && s.at <= to + 1000,
  );
  const slow = new Map<
    string,
    { sql: string; n: number; totalMs: number; maxMs: number; first: number; last: number }
  >();
  for (const s of probe("api-load-probe-slow") as unknown as { at: number; ms: number; sql: string }[]) {
    const g = slow.get(s.sql) ?? { sql: s.sql, n: 0, totalMs: 0, maxMs: 0, first: seconds(s.at), last: 0 };
    g.n++;
    g.totalMs += s.ms;
    g.maxMs = Math.max(g.maxMs, s.ms);
    g.last = seconds(s.at);
    slow.set(s.sql, g);
  }
  // Where PGlite's time went during the run, per statement (the probe reports every 5 s).
  const byStatement = new Map<
    string,
    { sql: string; n: number; ms: number; steps: Record<string, number> }
  >();
  for (const r of probe("api-load-probe-top") as unknown as {
    at: number;
    statements: { sql: string; n: number; ms: number; steps: Record<string, number> }[];
  }[]) {
    if (r.at <= from || r.at > to + 5000) continue;
    for (const st of r.statements) {
      const g = byStatement.get(st.sql) ?? { sql: st.sql, n: 0, ms: 0, steps: {} };
      g.n += st.n;
      g.ms = Math.round(g.ms + st.ms);
      for (const [k, v] of Object.entries(st.steps)) g.steps[k] = Math.round((g.steps[k] ?? 0) + v);
      byStatement.set(st.sql, g);
    }
  }
  return {
    pgMsPerSecond: Math.round(samples.reduce((a, s) => a + s.pgMs, 0) / Math.max(1, samples.length)),
    topStatements: [...byStatement.values()].sort((a, b) => b.ms - a.ms).slice(0, 15),
    loopMaxMs: Math.max(0, ...samples.map((s) => s.loopMaxMs)),
    secondsWithLoopOver50Ms: samples.filter((s) => s.loopMaxMs > 50).length,
    perSecond: samples.map(({ at, ...s }) => ({ t: seconds(at), ...s })),
    slowStatements: [...slow.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, 20),
    log: serverLog
      .filter((l) => !l.line.startsWith("api-load-probe"))
      .map((l) => ({ t: seconds(l.at), line: l.line.slice(0, 300) })),
  };
}

interface Target {
  name: string;
  path: string;
  headers: Record<string, string>;
}

async function signIn(base: string, username: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie };
}

/** Nanoseconds a thread has run and waited for a CPU so far (Linux /proc schedstat); null elsewhere. */
function schedstat(pid: number | undefined): { run: number; wait: number } | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ").map(Number);
    return { run: run!, wait: wait! };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) the server process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface PhaseResult {
  sent: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  achievedRps: number;
  /** From the scheduled send time, so a server that falls behind is charged for the queue (no coordinated omission). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  byTarget: Record<string, { n: number; p50: number; p99: number }>;
  /** Per second of the run: requests answered and their p99, to show when a queue builds. */
  perSecond: { ok: number; p99: number }[];
}

// A fixed pool of keep-alive connections, as a reverse proxy in front of the API would hold: requests beyond it
// wait for a free connection, and that wait counts in their latency.
// FIFO keeps every pooled connection in use, and an idle one is dropped by the client before the server's 5 s
// keep-alive timeout could close it under a request (a client-side race, not a server error).
const agent = new Agent({ keepAlive: true, maxSockets: 64, scheduling: "fifo", timeout: 4000 });

function get(base: string, target: Target): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${target.path}`,
      { agent, headers: target.headers, timeout: 30_000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", reject);
    req.end();
  });
}

/** Sends `rate` requests per second for `seconds`, open-loop: each at its scheduled instant, whatever came back. */
async function phase(
  base: string,
  targets: Target[],
  seconds: number,
  maxInFlight = 2000,
): Promise<PhaseResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const bySecond: number[][] = Array.from({ length: Math.ceil(seconds) }, () => []);
  const perTarget = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const target = targets[i % targets.length]!;
    if (inFlight >= maxInFlight) {
      errors++;
      statuses.overload = (statuses.overload ?? 0) + 1;
      continue;
    }
    inFlight++;
    pending.push(
      get(base, target)
        .then((status) => {
          const ms = performance.now() - due;
          latencies.push(ms);
          bySecond[Math.min(bySecond.length - 1, Math.floor((due - t0) / 1000))]!.push(ms);
          (perTarget.get(target.name) ?? perTarget.set(target.name, []).get(target.name)!).push(ms);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 200) ok++;
          else errors++;
        })
        .catch((e: Error & { code?: string }) => {
          errors++;
          const why = e.code ?? e.name;
          statuses[why] = (statuses[why] ?? 0) + 1;
        })
        .finally(() => {
          inFlight--;
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  const byTarget: PhaseResult["byTarget"] = {};
  for (const [name, l] of perTarget) {
    l.sort((a, b) => a - b);
    byTarget[name] = { n: l.length, p50: round(percentile(l, 50)), p99: round(percentile(l, 99)) };
  }
  return {
    sent: total,
    ok,
    errors,
    statuses,
    seconds: round(elapsed),
    achievedRps: round(ok / elapsed),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
      mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    },
    byTarget,
    perSecond: bySecond.map((l) => {
      l.sort((a, b) => a - b);
      return { ok: l.length, p99: round(percentile(l, 99)) };
    }),
  };
}

const root = mkdtempSync(join(tmpdir(), "beacon-api-load-"));
const dataDir = join(root, "data");
let server: ChildProcess | undefined;
try {
  const started = performance.now();
  const { caseIds, eventIds, bankToken, bankCode } = await populate(dataDir);
  log(`populated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const port = await freePort();
  server = await startServer(dataDir, port);
  const base = `http://127.0.0.1:${port}`;
  const auditor = await signIn(base, "auditor");
  const cbrc = await signIn(base, "cbrc");
  const finance = await signIn(base, "finance");
  const token = { authorization: `Bearer ${bankToken}` };
  const pick = <T>(xs: T[], i: number) => xs[(i * 7919) % xs.length]!;
  const targets: Target[] = [];
  for (let i = 0; i < 20; i++) {
    targets.push(
      { name: "auditor cases page", path: `/api/cases?pageSize=50&page=${1 + (i % 5)}`, headers: auditor },
      {
        name: "auditor institutions page",
        path: "/api/institutions?pageSize=50&sort=name_en",
        headers: auditor,
      },
      { name: "auditor audit entries", path: "/api/audit/entries?pageSize=20", headers: auditor },
      {
        name: "supervisor open cases",
        path: "/api/cases?status=open&sort=priority&order=desc",
        headers: cbrc,
      },
      {
        name: "supervisor one case",
        path: `/api/cases/${pick(
          caseIds.filter((_, k) => k % 2 === 0),
          i,
        )}`,
        headers: cbrc,
      },
      { name: "supervisor banking institutions", path: "/api/institutions?sector=banking", headers: cbrc },
      { name: "supervisor feed", path: "/api/feed", headers: cbrc },
      { name: "supervisor notifications", path: "/api/notifications?pageSize=20", headers: cbrc },
      { name: "finance events", path: "/api/events?status=open", headers: finance },
      { name: "finance one event", path: `/api/events/${pick(eventIds, i)}`, headers: finance },
      { name: "finance rectifications", path: "/api/rectifications", headers: finance },
      { name: "finance lists", path: "/api/lists?kind=black", headers: finance },
      { name: "token own institution", path: `/api/institutions/${bankCode}`, headers: token },
      { name: "token own filings", path: "/api/filings?pageSize=20", headers: token },
      { name: "token own submissions", path: `/api/submissions?institution=${bankCode}`, headers: token },
      { name: "who am I", path: "/api/auth/me", headers: cbrc },
    );
  }
  for (const t of targets.slice(0, 16)) {
    const res = await fetch(`${base}${t.path}`, { headers: t.headers });
    if (res.status !== 200) throw new Error(`${t.name}: ${res.status} ${await res.text()}`);
  }
  // Each route alone, a few times in a row: its own latency on this data, before any load.
  const solo: Record<string, number> = {};
  for (const t of targets.slice(0, 16)) {
    const ms: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      await get(base, t);
      ms.push(performance.now() - t0);
    }
    solo[t.name] = Math.round(ms.sort((a, b) => a - b)[2]! * 10) / 10;
  }
  log(`warming up for ${warmup} s at ${rate}/s ...`);
  await phase(base, targets, warmup);
  log(`measuring ${duration} s at ${rate}/s of mixed authenticated reads ...`);
  const cpuBefore = cpuSeconds(server.pid);
  const schedBefore = schedstat(server.pid);
  const measuredFrom = Date.now();
  const mixed = await phase(base, targets, duration);
  const measuredTo = Date.now();
  const cpuAfter = cpuSeconds(server.pid);
  const schedAfter = schedstat(server.pid);
  // Server CPU per answered request: what bounds a single-threaded server's capacity on a core of its own.
  const serverCpuMsPerRequest =
    cpuBefore !== null && cpuAfter !== null
      ? Math.round(((cpuAfter - cpuBefore) * 1000 * 100) / Math.max(1, mixed.ok)) / 100
      : null;
  // How much of the run the server's main thread spent ready but waiting for a CPU (other load on the machine).
  const serverRunQueueWaitShare =
    schedBefore && schedAfter
      ? Math.round(
          ((schedAfter.wait - schedBefore.wait) /
            (schedAfter.wait - schedBefore.wait + schedAfter.run - schedBefore.run)) *
            100,
        ) / 100
      : null;
  let baseline: PhaseResult | undefined;
  if (baselineSeconds > 0) {
    log(
      `baseline: ${baselineSeconds} s of GET /api/health (no authentication, no query) at the same rate ...`,
    );
    baseline = await phase(base, [{ name: "health", path: "/api/health", headers: {} }], baselineSeconds);
  }
  const result = {
    benchmark: "api-load",
    store: process.env.DATABASE_URL ? "postgres" : "pglite",
    node: process.version,
    rate,
    durationSeconds: duration,
    mixed,
    soloMedianMs: solo,
    server: serverDuring(measuredFrom, measuredTo),
    serverCpuMsPerRequest,
    serverRunQueueWaitShare,
    capacityRpsOnOneCore: serverCpuMsPerRequest ? Math.round(1000 / serverCpuMsPerRequest) : null,
    loadAverage: (await import("node:os")).loadavg().map((x) => Math.round(x * 10) / 10),
    baselineHealth: baseline
      ? { latencyMs: baseline.latencyMs, errors: baseline.errors, achievedRps: baseline.achievedRps }
      : null,
    target: { p99Ms: 200, errors: 0 },
    pass: mixed.errors === 0 && mixed.latencyMs.p99 < 200 && mixed.achievedRps >= rate * 0.98,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  log(
    `${result.pass ? "PASS" : "FAIL"}: ${mixed.ok}/${mixed.sent} ok at ${mixed.achievedRps}/s, p50 ${mixed.latencyMs.p50} ms, p99 ${mixed.latencyMs.p99} ms, max ${mixed.latencyMs.max} ms, ${mixed.errors} errors`,
  );
  process.exitCode = result.pass ? 0 : 1;
} finally {
  agent.destroy();
  server?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  if (values.keep) log(`kept the data folder ${dataDir}`);
  else rmSync(root, { recursive: true, force: true });
}
