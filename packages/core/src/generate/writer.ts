/**
 * Streaming CSV output: rows are appended to a string buffer and flushed to the file in large synchronous
 * writes, so memory stays bounded whatever the number of rows. A period with more rows than a file may hold is
 * split into numbered parts.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { datasetsByName } from "../contract/datasets.ts";
import { isoDate } from "./format.ts";
import { residentIdBytes } from "./ids.ts";
import { MAX_ROWS_PER_FILE } from "./scales.ts";

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

/** Day numbers from 1900-01-01 as "YYYY-MM-DD" bytes, ten per day, for the byte writer. */
let dateBytes: Uint8Array | undefined;
const DATE_BASE = Math.round(Date.UTC(1900, 0, 1) / 86_400_000);

function dateTable(): Uint8Array {
  if (!dateBytes) {
    const days = Math.round(Date.UTC(2101, 0, 1) / 86_400_000) - DATE_BASE;
    dateBytes = new Uint8Array(days * 10);
    for (let d = 0; d < days; d++) {
      const s = isoDate(DATE_BASE + d);
      for (let k = 0; k < 10; k++) dateBytes[d * 10 + k] = s.charCodeAt(k);
    }
  }
  return dateBytes;
}

/**
 * Row bytes written straight into a large buffer: for the biggest datasets, where building millions of
 * strings (and collecting them) would cost more than the data itself. Callers write ASCII fields only.
 */
export class ByteSink {
  buf: Buffer = Buffer.allocUnsafe(1 << 22);
  pos = 0;
  private readonly dates = dateTable();
  private readonly id = new Uint8Array(18);
  private readonly fd: number;

  constructor(fd: number) {
    this.fd = fd;
  }

  /** Makes room for a row of up to `n` bytes. */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  flush(): void {
    if (this.pos > 0) writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }

  /** Any text, as UTF-8 (room for three bytes a character must have been made). */
  utf8(s: string): void {
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /** The resident id of person `i` (see residentIdBytes). */
  residentId(i: number): void {
    residentIdBytes(i, this.id);
    const b = this.buf;
    const p = this.pos;
    for (let k = 0; k < 18; k++) b[p + k] = this.id[k]!;
    this.pos = p + 18;
  }

  /** An ASCII string. */
  str(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  comma(): void {
    this.buf[this.pos++] = 44;
  }

  /** A non-negative integer. */
  int(n: number): void {
    const b = this.buf;
    if (n < 10) {
      b[this.pos++] = 48 + n;
      return;
    }
    if (n < 2_147_483_648) {
      // Small integers: 32-bit division is much cheaper than Math.floor on doubles.
      let x = n | 0;
      let len = 0;
      for (let t = x; t > 0; t = (t / 10) | 0) len++;
      let p = this.pos + len;
      this.pos = p;
      while (x > 0) {
        const q = (x / 10) | 0;
        b[--p] = 48 + x - q * 10;
        x = q;
      }
      return;
    }
    let len = 0;
    for (let x = n; x > 0; x = Math.floor(x / 10)) len++;
    let p = this.pos + len;
    this.pos = p;
    for (let x = n; x > 0; ) {
      const q = Math.floor(x / 10);
      b[--p] = 48 + (x - q * 10);
      x = q;
    }
  }

  /** A non-negative integer zero-padded to `width` digits (below 2^31). */
  padded(n: number, width: number): void {
    const b = this.buf;
    let p = this.pos + width;
    this.pos = p;
    let x = n | 0;
    for (let k = 0; k < width; k++) {
      const q = (x / 10) | 0;
      b[--p] = 48 + x - q * 10;
      x = q;
    }
  }

  /** Money from integer fen: "1234.50". */
  fen(f: number): void {
    const y = Math.floor(f / 100);
    this.int(y);
    const c = (f - y * 100) | 0;
    const b = this.buf;
    b[this.pos++] = 46;
    b[this.pos++] = 48 + ((c / 10) | 0);
    b[this.pos++] = 48 + (c % 10);
  }

  /** A date ("YYYY-MM-DD") from its day number. */
  date(day: number): void {
    const o = (day - DATE_BASE) * 10;
    const b = this.buf;
    const t = this.dates;
    const p = this.pos;
    for (let k = 0; k < 10; k++) b[p + k] = t[o + k]!;
    this.pos = p + 10;
  }
}

/** One CSV file with its header, written through a byte buffer. */
export class CsvFile {
  readonly path: string;
  rows = 0;
  private fd: number;
  private readonly out: ByteSink;

  constructor(path: string, header: string) {
    this.path = path;
    this.fd = openSync(path, "w");
    this.out = new ByteSink(this.fd);
    this.add(`${header}\n`);
    this.rows = 0;
  }

  /** Appends one row; `line` must end with a newline (any text: it is written as UTF-8). */
  add(line: string): void {
    this.out.room(line.length * 3);
    this.out.utf8(line);
    this.rows++;
  }

  /** Starts a row of at most `maxBytes` bytes and returns the sink to write it to (ending with a newline). */
  row(maxBytes: number): ByteSink {
    this.out.room(maxBytes);
    this.rows++;
    return this.out;
  }

  /** The byte writer for rows counted with `countRows` (the loan book writes borrower by borrower). */
  sink(): ByteSink {
    return this.out;
  }

  countRows(n: number): void {
    this.rows += n;
  }

  close(): void {
    this.out.flush();
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

  /** Starts a row of at most `maxBytes` bytes (see CsvFile.row). */
  row(maxBytes: number): ByteSink {
    if (this.current.rows >= this.maxRows) {
      this.current.close();
      this.current = this.openPart();
    }
    return this.current.row(maxBytes);
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
      const name = single
        ? `${this.period}.csv`
        : `${this.period}-part-${String(i + 1).padStart(4, "0")}.csv`;
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

  row(period: string, maxBytes: number): ByteSink {
    return this.open(period).row(maxBytes);
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
