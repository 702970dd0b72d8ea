// Loaded into the API server by the api-load bench (`node --import`): once a second, one stderr line with the
// event loop's delay over that second, the process's CPU and, on PGlite, the time the thread spent inside the
// database; and one line for each PGlite statement that held the thread 20 ms or more. So the bench can tell a
// blocked thread (background work, a slow statement in the in-process database) from a busy machine.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";

const slowMs = 20;
let pgMs = 0;
let pgCalls = 0;
let lastSql = "";

// PGlite runs each protocol exchange synchronously on this thread: the time inside is time no request can run.
// A statement's text is in its Parse ('P') or simple Query ('Q') message; the Bind and Execute that follow run it
// (a prepared one's Bind names it). A step is the exchange's first message: a prepared call's Bind carries its
// Execute and Sync too.
const proto = PGlite.prototype as unknown as { execProtocolRawSync(message: Uint8Array): Uint8Array };
const execSync = proto.execProtocolRawSync;
const cstring = (m: Uint8Array, from: number) => {
  const end = m.indexOf(0, from);
  return { text: Buffer.from(m.subarray(from, end < 0 ? m.length : end)).toString(), next: end + 1 };
};
/** Prepared statements' texts by name: a Bind names its statement, not its text. */
const named = new Map<string, string>();
/** PGlite time per statement since the last report, by protocol step: parse, describe, bind, execute, sync. */
const byStatement = new Map<string, { n: number; ms: number; steps: Record<string, number> }>();
const stepNames: Record<number, string> = {
  80: "parse",
  68: "describe",
  66: "bind",
  69: "execute",
  83: "sync",
  81: "query",
};
proto.execProtocolRawSync = function (this: unknown, message: Uint8Array) {
  if (message[0] === 0x50) {
    const name = cstring(message, 5);
    lastSql = cstring(message, name.next).text;
    if (name.text) named.set(name.text, lastSql);
  } else if (message[0] === 0x51) lastSql = cstring(message, 5).text;
  else if (message[0] === 0x42) {
    const statement = cstring(message, cstring(message, 5).next).text;
    if (statement) lastSql = named.get(statement) ?? statement;
  }
  const t0 = performance.now();
  try {
    return execSync.call(this, message);
  } finally {
    const ms = performance.now() - t0;
    pgMs += ms;
    pgCalls++;
    const sql = lastSql.replace(/\s+/g, " ").slice(0, 200);
    const s = byStatement.get(sql) ?? { n: 0, ms: 0, steps: {} };
    byStatement.set(sql, s);
    const step = stepNames[message[0]!] ?? "other";
    if (step === "bind" || step === "query") s.n++;
    s.ms += ms;
    s.steps[step] = (s.steps[step] ?? 0) + ms;
    if (ms >= slowMs) {
      process.stderr.write(
        `api-load-probe-slow ${JSON.stringify({ at: Date.now(), ms: Math.round(ms), sql })}\n`,
      );
    }
  }
};
// Every 5 s, the statements that took most of PGlite's time.
const top = setInterval(() => {
  const round = (x: number) => Math.round(x * 10) / 10;
  const list = [...byStatement]
    .sort((x, y) => y[1].ms - x[1].ms)
    .slice(0, 15)
    .map(([sql, s]) => ({
      sql,
      n: s.n,
      ms: round(s.ms),
      steps: Object.fromEntries(Object.entries(s.steps).map(([k, v]) => [k, round(v)])),
    }));
  byStatement.clear();
  process.stderr.write(`api-load-probe-top ${JSON.stringify({ at: Date.now(), statements: list })}\n`);
}, 5000);
top.unref();

// A transaction holds PGlite for every statement until it ends: requests wait for it even while the thread is free.
type Transaction = (fn: (tx: unknown) => Promise<unknown>) => Promise<unknown>;
const txProto = PGlite.prototype as unknown as { transaction: Transaction };
const transaction = txProto.transaction;
txProto.transaction = async function (this: unknown, fn) {
  const t0 = performance.now();
  const calls0 = pgCalls;
  try {
    return await transaction.call(this, fn);
  } finally {
    const ms = Math.round(performance.now() - t0);
    if (ms >= slowMs) {
      const sql = `transaction of ${pgCalls - calls0} calls, the last: ${lastSql.replace(/\s+/g, " ").slice(0, 120)}`;
      process.stderr.write(`api-load-probe-slow ${JSON.stringify({ at: Date.now(), ms, sql })}\n`);
    }
  }
};

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let cpu = process.cpuUsage();
const timer = setInterval(() => {
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  const sample = {
    at: Date.now(),
    loopP99Ms: ms(delay.percentile(99)),
    loopMaxMs: ms(delay.max),
    cpuMs: Math.round((used.user + used.system) / 1000),
    pgMs: Math.round(pgMs),
    pgCalls,
  };
  delay.reset();
  pgMs = 0;
  pgCalls = 0;
  process.stderr.write(`api-load-probe ${JSON.stringify(sample)}\n`);
}, 1000);
timer.unref();
