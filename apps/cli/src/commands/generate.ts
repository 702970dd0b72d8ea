import { AppError } from "@beacon/core/errors";
import { type GenerateSummary, generate } from "@beacon/core/generate/generate";
import type { ScaleName } from "@beacon/core/generate/scales";
import { defineCommand } from "../command.ts";

const scales = ["small", "medium", "large"];

export const command = defineCommand<GenerateSummary>({
  name: "generate",
  summary: "Generate a synthetic province: registry, returns, granular data, planted problems and truth.json",
  usage: `Usage: beacon generate --scale small|medium|large --seed N --out DIR [--format csv|parquet] [--threads N] [--force] [--json]

Writes institutions.csv, licences.csv, one folder per dataset with one file per period (parts of at most 5M
rows for very large periods), and truth.json listing every planted problem and the institutions kept clean.
The same seed and scale give byte-identical files.

  --scale    small (~300 institutions, 1M loans), medium (~1,000, 10M loans), large (~3,000, 100M loans)
  --seed     non-negative integer
  --out      output folder; must be empty unless --force (which deletes its contents first)
  --format   csv (default) or parquet (written through DuckDB, all columns VARCHAR)
  --threads  worker threads (default: 2, or 1 on a single core)`,
  options: {
    scale: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    format: { type: "string" },
    threads: { type: "string" },
    force: { type: "boolean" },
  },
  async run({ values }, ctx) {
    const scale = values.scale as string | undefined;
    // "tiny" is accepted but not advertised: it exists for tests.
    if (!scale) throw new AppError("INVALID_INPUT", "--scale is required (small, medium or large)");
    if (!scales.includes(scale) && scale !== "tiny")
      throw new AppError("INVALID_INPUT", `--scale must be small, medium or large (got "${scale}")`);
    const seedText = values.seed as string | undefined;
    if (seedText === undefined)
      throw new AppError("INVALID_INPUT", "--seed is required (a non-negative integer)");
    if (!/^[0-9]{1,15}$/.test(seedText))
      throw new AppError("INVALID_INPUT", `--seed must be a non-negative integer (got "${seedText}")`);
    const out = values.out as string | undefined;
    if (!out) throw new AppError("INVALID_INPUT", "--out is required: the folder to write the data set to");
    const format = (values.format as string | undefined) ?? "csv";
    if (format !== "csv" && format !== "parquet")
      throw new AppError("INVALID_INPUT", `--format must be csv or parquet (got "${format}")`);
    const threadsText = values.threads as string | undefined;
    if (threadsText !== undefined && !/^[1-9][0-9]?$/.test(threadsText))
      throw new AppError("INVALID_INPUT", `--threads must be an integer from 1 to 64 (got "${threadsText}")`);
    return generate({
      scale: scale as ScaleName,
      seed: Number(seedText),
      out,
      format,
      ...(threadsText ? { threads: Number(threadsText) } : {}),
      force: values.force === true,
      log: ctx.log,
    });
  },
  render(s) {
    const lines = [
      `generated ${s.scale} (seed ${s.seed}) in ${s.seconds}s: ${s.institutions} institutions, ${s.rows.toLocaleString("en-US")} rows in ${s.files} ${s.format} files`,
      `into ${s.out}`,
      "",
      "rows by dataset:",
    ];
    for (const [d, n] of Object.entries(s.rowsByDataset))
      lines.push(`  ${d.padEnd(22)} ${n.toLocaleString("en-US").padStart(12)}`);
    lines.push("", "planted problems (truth.json):");
    for (const [k, n] of Object.entries(s.plantsByKind))
      lines.push(`  ${k.padEnd(22)} ${String(n).padStart(5)}`);
    lines.push(`  clean institutions     ${String(s.clean).padStart(5)}`);
    return lines.join("\n");
  },
});
