import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
} from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Dataset, findDataset } from "../contract/datasets.ts";
import { AppError } from "../errors.ts";

export type FileFormat = "csv" | "xlsx" | "json" | "parquet";

/** A file found for intake, with the dataset and period its name declares. */
export interface SourceFile {
  path: string;
  name: string;
  format: FileFormat;
  dataset: Dataset;
  /** The period in the file name (loans/2026-09.csv), which every row must then carry. */
  period?: string;
}

const formats: Record<string, FileFormat> = {
  ".csv": "csv",
  ".xlsx": "xlsx",
  ".json": "json",
  ".ndjson": "json",
  ".jsonl": "json",
  ".parquet": "parquet",
};
const periodPrefix = /^([0-9]{4}-(?:0[1-9]|1[0-2]|Q[1-4]))(?:$|[-_.])/;

/** Registry first (it decides what later rows may reference), then returns, then granular data. */
const kindOrder = { registry: 0, returns: 1, granular: 2 } as const;

/**
 * Lists the files to ingest under a file or folder path. A folder's files name their dataset by their own name
 * (`loans.csv`) or by their folder (`loans/2026-09.csv`). Files in a folder that name no dataset (truth.json) are
 * skipped and reported; a single file given explicitly must name one.
 */
export function discoverSources(
  path: string,
  datasetOverride?: string,
): { files: SourceFile[]; skipped: string[] } {
  if (!existsSync(path)) throw new AppError("INVALID_INPUT", `${path}: no such file or folder`);
  const explicit = statSync(path).isFile();
  const paths = explicit ? [path] : walk(path);
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  for (const p of paths) {
    const format = formats[extname(p).toLowerCase()];
    const resolved = format ? resolveDataset(p, datasetOverride) : undefined;
    if (!format || !resolved) {
      if (explicit) {
        throw new AppError(
          "INVALID_INPUT",
          format
            ? `${p}: cannot tell which dataset this file holds; name it <dataset>${extname(p)}, put it in a folder named after the dataset, or pass --dataset`
            : `${p}: unsupported file type "${extname(p)}"; use CSV, XLSX, JSON or Parquet`,
        );
      }
      skipped.push(p);
      continue;
    }
    files.push({ path: p, name: p, format, ...resolved });
  }
  files.sort((a, b) => kindOrder[a.dataset.kind] - kindOrder[b.dataset.kind] || a.path.localeCompare(b.path));
  if (files.length === 0)
    throw new AppError("INVALID_INPUT", `${path}: no dataset files found (CSV, XLSX, JSON or Parquet)`);
  return { files, skipped };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function resolveDataset(path: string, override?: string): { dataset: Dataset; period?: string } | undefined {
  const stem = basename(path).split(".")[0] ?? "";
  const folder = basename(dirname(path));
  const period = periodPrefix.exec(stem)?.[1];
  if (override) {
    const dataset = findDataset(override);
    if (!dataset) throw new AppError("INVALID_INPUT", `--dataset: unknown dataset "${override}"`);
    return period ? { dataset, period } : { dataset };
  }
  const byFolder = findDataset(folder);
  if (byFolder) return period ? { dataset: byFolder, period } : { dataset: byFolder };
  const byName = findDataset(stem);
  return byName ? { dataset: byName } : undefined;
}

export type TextEncoding = "utf-8" | "gbk";

/**
 * Decides a text file's encoding from its first megabyte: UTF-8 when it decodes as UTF-8, else GBK (GB18030) when
 * it decodes as that; anything else (UTF-16, binary, text that is neither) is rejected. The lake engine checks the
 * rest of a UTF-8 file as it reads; `decodesAs` checks a whole file when that check fails.
 */
export function sniffEncoding(path: string): TextEncoding {
  const head = Buffer.alloc(1 << 20);
  const fd = openSync(path, "r");
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const sample = head.subarray(0, n);
  if (n >= 2 && ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))) {
    throw new AppError(
      "INVALID_INPUT",
      `${path}: UTF-16 text is not accepted; save the file as UTF-8 (or GBK)`,
    );
  }
  if (sample.includes(0))
    throw new AppError(
      "INVALID_INPUT",
      `${path}: binary content where text was expected; save the file as UTF-8 CSV`,
    );
  for (const encoding of ["utf-8", "gbk"] as const) {
    try {
      // stream: true tolerates a character cut at the sample's end.
      new TextDecoder(encoding, { fatal: true }).decode(sample, { stream: true });
      return encoding;
    } catch {}
  }
  throw new AppError("INVALID_INPUT", `${path}: the file is neither UTF-8 nor GBK text; save it as UTF-8`);
}

/** True when the whole file decodes in the given encoding. */
export async function decodesAs(path: string, encoding: TextEncoding): Promise<boolean> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const text = decoder.decode(chunk as Buffer, { stream: true });
      if (text.includes("\u0000")) return false;
    }
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** Rewrites a GBK file as UTF-8 so the lake engine reads it natively. */
export async function transcodeToUtf8(path: string, out: string): Promise<void> {
  const decoder = new TextDecoder("gbk", { fatal: true });
  await pipeline(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        done(null, Buffer.from(decoder.decode(chunk, { stream: true }), "utf8"));
      },
      flush(done) {
        done(null, Buffer.from(decoder.decode(), "utf8"));
      },
    }),
    createWriteStream(out),
  );
}

/** Reads a CSV file's header line (handles quotes and a UTF-8 byte-order mark). */
export function readCsvHeader(path: string, encoding: TextEncoding): string[] {
  const buf = Buffer.alloc(65536);
  const fd = openSync(path, "r");
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  let text = new TextDecoder(encoding).decode(buf.subarray(0, n));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const end = text.search(/\r?\n/);
  const line = end < 0 ? text : text.slice(0, end);
  const fields: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  fields.push(cur.trim());
  return line.length === 0 ? [] : fields;
}
