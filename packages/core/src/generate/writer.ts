/**
 * Streaming CSV output: rows are appended to a string buffer and flushed to the file in large synchronous
 * writes, so memory stays bounded whatever the number of rows. A period with more rows than a file may hold is
 * split into numbered parts.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { datasetsByName } from "../contract/datasets.ts";
import { MAX_ROWS_PER_FILE } from "./scales.ts";

const FLUSH_AT = 1 << 20;

export interface WrittenFile {
  dataset: string;
  period: string | null;
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  rows: number;
}

/** The header line of a dataset: its contract columns in contract order. */
export function headerOf(dataset: string): string {
  const d = datasetsByName.get(dataset);
  if (!d) throw new RangeError(`unknown dataset ${dataset}`);
  return d.columns.map((c) => c.name).join(",");
}

/** One CSV file with its header, written through a buffer. */
export class CsvFile {
  readonly path: string;
  rows = 0;
  private fd: number;
  private buf = "";

  constructor(path: string, header: string) {
    this.path = path;
    this.fd = openSync(path, "w");
    this.buf = `${header}\n`;
  }

  /** Appends one row; `line` must end with a newline. */
  add(line: string): void {
    this.buf += line;
    this.rows++;
    if (this.buf.length > FLUSH_AT) this.flush();
  }

  /** Appends `count` rows already joined (each ending with a newline). */
  addMany(lines: string, count: number): void {
    this.buf += lines;
    this.rows += count;
    if (this.buf.length > FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buf.length > 0) {
      writeSync(this.fd, this.buf);
      this.buf = "";
    }
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * The rows of one dataset for one period. Parts are written under temporary names and renamed on close:
 * `<period>.csv` when one file sufficed, `<period>-part-0001.csv`, ... otherwise.
 */
export class PeriodWriter {
  private readonly dir: string;
  private readonly dataset: string;
  private readonly period: string;
  private readonly header: string;
  private readonly maxRows: number;
  private parts: CsvFile[] = [];
  private current: CsvFile;

  constructor(out: string, dataset: string, period: string, maxRows = MAX_ROWS_PER_FILE) {
    this.dir = join(out, dataset);
    mkdirSync(this.dir, { recursive: true });
    this.dataset = dataset;
    this.period = period;
    this.header = headerOf(dataset);
    this.maxRows = maxRows;
    this.current = this.openPart();
  }

  private openPart(): CsvFile {
    const f = new CsvFile(join(this.dir, `${this.period}.part-${this.parts.length + 1}.tmp`), this.header);
    this.parts.push(f);
    return f;
  }

  add(line: string): void {
    if (this.current.rows >= this.maxRows) {
      this.current.close();
      this.current = this.openPart();
    }
    this.current.add(line);
  }

  get rows(): number {
    let n = 0;
    for (const p of this.parts) n += p.rows;
    return n;
  }

  close(): WrittenFile[] {
    this.current.close();
    const single = this.parts.length === 1;
    return this.parts.map((p, i) => {
      const name = single ? `${this.period}.csv` : `${this.period}-part-${String(i + 1).padStart(4, "0")}.csv`;
      renameSync(p.path, join(this.dir, name));
      return { dataset: this.dataset, period: this.period, path: `${this.dataset}/${name}`, rows: p.rows };
    });
  }
}

/** A dataset written to several periods at once (e.g. claims dated across twelve months). */
export class DatasetWriter {
  private readonly out: string;
  readonly dataset: string;
  private readonly writers = new Map<string, PeriodWriter>();

  constructor(out: string, dataset: string) {
    this.out = out;
    this.dataset = dataset;
  }

  /** Opens the period's file now, so that a period without rows still gets a header-only file. */
  open(period: string): PeriodWriter {
    let w = this.writers.get(period);
    if (!w) {
      w = new PeriodWriter(this.out, this.dataset, period);
      this.writers.set(period, w);
    }
    return w;
  }

  add(period: string, line: string): void {
    this.open(period).add(line);
  }

  close(): WrittenFile[] {
    const periods = [...this.writers.keys()].sort();
    return periods.flatMap((p) => this.writers.get(p)!.close());
  }
}

/** A registry file (institutions, licences) at the top of the output folder. */
export function writeTopLevel(out: string, dataset: string, lines: readonly string[]): WrittenFile {
  const f = new CsvFile(join(out, `${dataset}.csv`), headerOf(dataset));
  for (const l of lines) f.add(l);
  f.close();
  return { dataset, period: null, path: `${dataset}.csv`, rows: f.rows };
}
