/**
 * `generate`: writes a complete synthetic data set (registry, returns, every granular dataset) with planted
 * problems and their answer key, truth.json. The same seed and scale give byte-identical files, whatever the
 * number of threads.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { AppError } from "../errors.ts";
import { literal, openDuck } from "../lake/duckdb.ts";
import { buildTruth } from "./plan.ts";
import { type PlantKind, plantKinds, type ScaleName, scaleNames } from "./scales.ts";
import { buildContext, expectedRows, type GenContext, runTask, taskNames } from "./tasks.ts";
import type { WrittenFile } from "./writer.ts";

export interface GenerateOptions {
  scale: ScaleName;
  seed: number;
  out: string;
  format?: "csv" | "parquet";
  /** Worker threads; 1 runs everything in this thread. Defaults to min(2, cores). */
  threads?: number;
  /** Empty a non-empty output folder first. */
  force?: boolean;
  /** Last monthly period (tests); defaults to the scale's fixed end period. */
  endPeriod?: string;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface GenerateSummary {
  out: string;
  scale: ScaleName;
  seed: number;
  format: "csv" | "parquet";
  institutions: number;
  files: number;
  rows: number;
  rowsByDataset: Record<string, number>;
  plantsByKind: Record<PlantKind, number>;
  clean: number;
  seconds: number;
}

/** Checks options and prepares the output folder; throws INVALID_INPUT naming the problem. */
export function checkOptions(opts: GenerateOptions): void {
  if (!scaleNames.includes(opts.scale))
    throw new AppError("INVALID_INPUT", `--scale must be one of small, medium, large (got "${opts.scale}")`);
  if (!Number.isSafeInteger(opts.seed) || opts.seed < 0)
    throw new AppError("INVALID_INPUT", `--seed must be a non-negative integer (got "${opts.seed}")`);
  if (!opts.out)
    throw new AppError("INVALID_INPUT", "--out is required: the folder to write the data set to");
  if (opts.format && opts.format !== "csv" && opts.format !== "parquet")
    throw new AppError("INVALID_INPUT", `--format must be csv or parquet (got "${opts.format}")`);
  if (
    opts.threads !== undefined &&
    (!Number.isInteger(opts.threads) || opts.threads < 1 || opts.threads > 64)
  )
    throw new AppError("INVALID_INPUT", `threads must be an integer from 1 to 64 (got "${opts.threads}")`);
  const out = resolve(opts.out);
  if (existsSync(out)) {
    if (!statSync(out).isDirectory())
      throw new AppError("INVALID_INPUT", `--out ${out} exists and is not a folder`);
    if (readdirSync(out).length > 0 && !opts.force)
      throw new AppError(
        "INVALID_INPUT",
        `--out ${out} is not empty; choose an empty folder or pass --force to replace its contents`,
      );
  }
}

/** Generates the data set described by the options. */
export async function generate(opts: GenerateOptions): Promise<GenerateSummary> {
  checkOptions(opts);
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const out = resolve(opts.out);
  if (existsSync(out))
    for (const entry of readdirSync(out)) rmSync(join(out, entry), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const format = opts.format ?? "csv";
  const threads = opts.threads ?? Math.min(2, availableParallelism());
  log(`generate: scale ${opts.scale}, seed ${opts.seed}, ${threads} thread(s), into ${out}`);
  const ctx = buildContext(opts.seed, opts.scale, opts.endPeriod);
  const tasks = taskNames(ctx);
  const progress = progressBar(expectedRows(ctx), log);
  const files =
    threads <= 1
      ? runInline(ctx, tasks, out, progress, log)
      : await runWorkers(opts, tasks, out, threads, progress, log);
  progress.finish();
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const truth = buildTruth(ctx.world, ctx.plan);
  writeFileSync(join(out, "truth.json"), `${JSON.stringify(truth, null, 2)}\n`);
  if (format === "parquet") await toParquet(out, files, log);
  const rowsByDataset: Record<string, number> = {};
  for (const f of files) rowsByDataset[f.dataset] = (rowsByDataset[f.dataset] ?? 0) + f.rows;
  const plantsByKind = Object.fromEntries(plantKinds.map((k) => [k, 0])) as Record<PlantKind, number>;
  for (const p of truth.plants) plantsByKind[p.kind]++;
  return {
    out,
    scale: opts.scale,
    seed: opts.seed,
    format,
    institutions: ctx.world.institutions.length,
    files: files.length,
    rows: files.reduce((s, f) => s + f.rows, 0),
    rowsByDataset,
    plantsByKind,
    clean: truth.clean.length,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}

function runInline(
  ctx: GenContext,
  tasks: string[],
  out: string,
  progress: Progress,
  log: (line: string) => void,
): WrittenFile[] {
  const files: WrittenFile[] = [];
  for (const t of tasks) {
    const t0 = performance.now();
    const written = runTask(ctx, t, out, progress.add);
    files.push(...written);
    log(taskLine(t, written, t0));
  }
  return files;
}

function taskLine(task: string, files: WrittenFile[], t0: number): string {
  const rows = files.reduce((s, f) => s + f.rows, 0);
  return `  ${task}: ${rows.toLocaleString("en-US")} rows in ${((performance.now() - t0) / 1000).toFixed(1)}s`;
}

type WorkerMessage =
  | { type: "ready" }
  | { type: "progress"; rows: number }
  | { type: "done"; task: string; files: WrittenFile[] }
  | { type: "error"; task: string; message: string };

/** Runs tasks on a pool of worker threads; each worker rebuilds the context and takes the next task when free. */
function runWorkers(
  opts: GenerateOptions,
  tasks: string[],
  out: string,
  threads: number,
  progress: Progress,
  log: (line: string) => void,
): Promise<WrittenFile[]> {
  const queue = [...tasks];
  const started = new Map<string, number>();
  const files: WrittenFile[] = [];
  const workers: Worker[] = [];
  return new Promise((resolvePromise, reject) => {
    let running = 0;
    let failed = false;
    const finish = (err?: Error) => {
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolvePromise(files);
    };
    const next = (w: Worker) => {
      const task = queue.shift();
      if (task === undefined) {
        if (running === 0 && !failed) finish();
        return;
      }
      running++;
      started.set(task, performance.now());
      w.postMessage({ task, out });
    };
    for (let i = 0; i < Math.min(threads, tasks.length); i++) {
      const w = new Worker(new URL("./worker.ts", import.meta.url), {
        workerData: { seed: opts.seed, scale: opts.scale, endPeriod: opts.endPeriod },
      });
      workers.push(w);
      w.on("message", (m: WorkerMessage) => {
        if (failed) return;
        if (m.type === "progress") progress.add(m.rows);
        else if (m.type === "ready") next(w);
        else if (m.type === "done") {
          running--;
          files.push(...m.files);
          log(taskLine(m.task, m.files, started.get(m.task) ?? 0));
          next(w);
          if (queue.length === 0 && running === 0) finish();
        } else {
          failed = true;
          finish(new Error(`task ${m.task} failed: ${m.message}`));
        }
      });
      w.on("error", (e) => {
        if (!failed) {
          failed = true;
          finish(e);
        }
      });
    }
  });
}

interface Progress {
  add: (rows: number) => void;
  finish: () => void;
}

/** A percentage bar on the log, one line per 5% (logs are line-based, so no carriage returns). */
function progressBar(expected: number, log: (line: string) => void): Progress {
  let done = 0;
  let shown = -1;
  const t0 = performance.now();
  const show = (pct: number) => {
    const filled = Math.round(pct / 5);
    log(
      `[${"#".repeat(filled)}${".".repeat(20 - filled)}] ${String(pct).padStart(3)}%  ${done.toLocaleString("en-US")} rows  ${((performance.now() - t0) / 1000).toFixed(1)}s`,
    );
  };
  return {
    add(rows: number) {
      done += rows;
      const pct = Math.min(99, Math.floor((done / expected) * 100));
      const step = Math.floor(pct / 5) * 5;
      if (step > shown) {
        shown = step;
        show(step);
      }
    },
    finish() {
      show(100);
    },
  };
}

/** Rewrites every CSV file as Parquet through DuckDB (one thread, so files come out the same every time). */
async function toParquet(out: string, files: WrittenFile[], log: (line: string) => void): Promise<void> {
  const duck = await openDuck({ threads: 1, memoryLimit: "2GB" });
  try {
    let k = 0;
    for (const f of files) {
      const csv = join(out, f.path);
      const parquet = csv.replace(/\.csv$/, ".parquet");
      await duck.run(
        `COPY (SELECT * FROM read_csv(${literal(csv)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = ${columnsLiteral(csv)})) TO ${literal(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      unlinkSync(csv);
      f.path = f.path.replace(/\.csv$/, ".parquet");
      if (++k % 50 === 0) log(`parquet: ${k}/${files.length} files`);
    }
    log(`parquet: ${files.length} files written`);
  } finally {
    duck.close();
  }
}

/** The header of a CSV file as a DuckDB struct of VARCHAR columns. */
function columnsLiteral(csv: string): string {
  const fd = openSync(csv, "r");
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const header = buf.subarray(0, n).toString("utf8").split("\n")[0]!;
  return `{${header
    .split(",")
    .map((c) => `${literal(c)}: 'VARCHAR'`)
    .join(", ")}}`;
}
