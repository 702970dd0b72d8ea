/**
 * Times `beacon generate --scale medium` (or --scale=...) into a temporary folder, then deletes it.
 *
 * Run: npx node bench/generate.ts [--scale=medium] [--seed=1] [--threads=2] [--format=csv]
 * Prints one JSON object on stdout (seconds, rows, rows/s, bytes, peak RSS); progress on stderr.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generate } from "../packages/core/src/generate/generate.ts";
import type { ScaleName } from "../packages/core/src/generate/scales.ts";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "medium" },
    seed: { type: "string", default: "1" },
    threads: { type: "string", default: String(Math.min(2, availableParallelism())) },
    format: { type: "string", default: "csv" },
  },
});

function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const s = statSync(p);
    total += s.isDirectory() ? bytesUnder(p) : s.size;
  }
  return total;
}

const out = mkdtempSync(join(tmpdir(), "beacon-bench-generate-"));
const cpu0 = process.cpuUsage();
try {
  const summary = await generate({
    scale: values.scale as ScaleName,
    seed: Number(values.seed),
    out,
    threads: Number(values.threads),
    format: values.format as "csv" | "parquet",
    log: (line) => process.stderr.write(`[bench/generate] ${line}\n`),
  });
  const cpu = process.cpuUsage(cpu0);
  const bytes = bytesUnder(out);
  process.stdout.write(
    `${JSON.stringify({
      bench: "generate",
      scale: summary.scale,
      seed: summary.seed,
      format: summary.format,
      threads: Number(values.threads),
      seconds: summary.seconds,
      rows: summary.rows,
      rowsPerSecond: Math.round(summary.rows / summary.seconds),
      files: summary.files,
      megabytes: Math.round(bytes / 1e6),
      cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      rowsByDataset: summary.rowsByDataset,
    })}\n`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
