import { closeSync, createWriteStream, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { AppError } from "../errors.ts";
import { type Duck, ident, literal } from "../lake/duckdb.ts";
import type { Problem } from "./report.ts";
import { decodesAs, readCsvHeader, type SourceFile, sniffEncoding, transcodeToUtf8 } from "./sources.ts";

export interface Staged {
  table: string;
  rows: number;
  encoding?: string;
  /** File-level problems (header, structure, encoding); when present, row checks are skipped for the file. */
  problems: Problem[];
}

/** Offset from a record's zero-based position to the row number shown in reports. */
export function rowOffset(format: SourceFile["format"]): number {
  return format === "csv" || format === "xlsx" ? 2 : 1;
}

/**
 * A source file as a DuckDB relation: `sql` selects every contract column as VARCHAR in contract order (NULL for
 * optional columns the file leaves out), in file order. Header problems come back as problems (then `sql` is empty).
 */
export interface Source {
  sql: string;
  encoding?: string;
  problems: Problem[];
  /** For CSV: the options the file is read with, to list malformed rows when a read fails. */
  csv?: { path: string; options: string };
}

/** Opens a file as a Source: sniffs and transcodes text, converts XLSX to CSV, checks the header. */
export async function openSource(
  duck: Duck,
  file: SourceFile,
  workDir: string,
  key: string,
): Promise<Source> {
  switch (file.format) {
    case "csv":
      return csvSource(file, file.path, workDir, key, sniffEncoding(file.path));
    case "xlsx":
      return csvSource(file, await xlsxToCsv(file, join(workDir, `${key}.csv`)), workDir, key, "utf-8");
    case "json":
      return selfSource(duck, file, `read_json(${literal(file.path)}, format = 'auto', maximum_depth = 1)`);
    case "parquet":
      return selfSource(duck, file, `read_parquet(${literal(file.path)})`);
  }
}

/**
 * Runs `use` over the source's relation. A UTF-8-looking CSV with a non-UTF-8 byte further in is read again as GBK
 * when all of it is GBK; a CSV with structural problems (a row with too many or too few fields, an unclosed quote)
 * gives those rows as problems instead.
 */
export async function readSource(
  duck: Duck,
  file: SourceFile,
  source: Source,
  workDir: string,
  key: string,
  use: (sql: string) => Promise<void>,
): Promise<Source> {
  try {
    await use(source.sql);
    return source;
  } catch (e) {
    const message = (e as Error).message;
    if (!source.csv) throw e;
    if (/unicode|utf-?8/i.test(message) && source.encoding === "utf-8" && file.format === "csv") {
      // The sample looked like UTF-8 but a later byte is not: accept the file only if all of it is GBK.
      if (!(await decodesAs(file.path, "gbk"))) {
        throw new AppError(
          "INVALID_INPUT",
          `${file.name}: the file is neither UTF-8 nor GBK text; save it as UTF-8`,
        );
      }
      const again = await csvSource(file, file.path, workDir, key, "gbk");
      await use(again.sql);
      return again;
    }
    const problems = await malformedRows(duck, file, source.csv.path, source.csv.options, key);
    if (problems.length === 0) throw csvError(file, message);
    return { ...source, sql: "", problems };
  }
}

/**
 * Loads a file into a DuckDB table `table` with every contract column as VARCHAR, in file order (so a row's
 * rowid gives its position). Header problems, malformed lines and encoding problems come back as problems.
 */
export async function stageFile(
  duck: Duck,
  file: SourceFile,
  table: string,
  workDir: string,
): Promise<Staged> {
  const opened = await openSource(duck, file, workDir, table);
  if (opened.problems.length > 0) return { table, rows: 0, ...encodingOf(opened), problems: opened.problems };
  const source = await readSource(duck, file, opened, workDir, table, (sql) =>
    duck.run(`CREATE OR REPLACE TABLE ${table} AS ${sql}`),
  );
  if (source.problems.length > 0) return { table, rows: 0, ...encodingOf(source), problems: source.problems };
  return { table, rows: await countRows(duck, table), ...encodingOf(source), problems: [] };
}

function encodingOf(source: Source): { encoding?: string } {
  return source.encoding ? { encoding: source.encoding } : {};
}

function headerProblems(file: SourceFile, header: string[]): Problem[] {
  const known = new Set(file.dataset.columns.map((c) => c.name));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const h of header) {
    if (!known.has(h)) {
      problems.push({
        file: file.name,
        row: 1,
        column: h,
        value: h,
        rule: "unknown_column",
        message: `is not a column of the ${file.dataset.name} dataset`,
      });
    }
    if (seen.has(h))
      problems.push({
        file: file.name,
        row: 1,
        column: h,
        value: h,
        rule: "duplicate_column",
        message: "appears twice in the header",
      });
    seen.add(h);
  }
  for (const c of file.dataset.columns) {
    if (c.required && !seen.has(c.name)) {
      problems.push({
        file: file.name,
        row: 1,
        column: c.name,
        value: null,
        rule: "missing_column",
        message: "is a required column missing from the header",
      });
    }
  }
  return problems;
}

/**
 * Selects the contract's columns in contract order, NULL for optional columns the file leaves out. Values are
 * kept exactly as given (an empty field is already NULL): checks read plain columns, which keeps them fast.
 */
function contractSelect(file: SourceFile, present: Set<string>): string {
  return file.dataset.columns
    .map(
      (c) =>
        (present.has(c.name) ? `CAST(${ident(c.name)} AS VARCHAR)` : "CAST(NULL AS VARCHAR)") +
        ` AS ${ident(c.name)}`,
    )
    .join(", ");
}

async function csvSource(
  file: SourceFile,
  path: string,
  workDir: string,
  key: string,
  encoding: "utf-8" | "gbk",
): Promise<Source> {
  let readPath = path;
  if (encoding === "gbk") {
    readPath = join(workDir, `${key}.utf8.csv`);
    if (!existsSync(readPath)) await transcodeToUtf8(path, readPath);
  }
  const header = readCsvHeader(readPath, "utf-8");
  const problems = headerProblems(file, header);
  if (problems.length > 0) return { sql: "", encoding, problems };
  const columns = `{${header.map((h) => `${literal(h)}: 'VARCHAR'`).join(", ")}}`;
  const options = `header = true, auto_detect = false, columns = ${columns}, delim = ',', quote = '"', escape = '"', strict_mode = true`;
  return {
    sql: `SELECT ${contractSelect(file, new Set(header))} FROM read_csv(${literal(readPath)}, ${options})`,
    encoding,
    problems: [],
    csv: { path: readPath, options },
  };
}

async function malformedRows(
  duck: Duck,
  file: SourceFile,
  path: string,
  options: string,
  table: string,
): Promise<Problem[]> {
  await duck.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${literal(path)}, ${options}, store_rejects = true, rejects_table = '${table}_rejects', rejects_scan = '${table}_scan')`,
  );
  const rejects = await duck.all<{
    line: bigint;
    column_name: string | null;
    error_message: string;
    csv_line: string | null;
  }>(`SELECT line, column_name, error_message, csv_line FROM ${table}_rejects ORDER BY line LIMIT 1000`);
  await duck.run(
    `DROP TABLE IF EXISTS ${table}_rejects; DROP TABLE IF EXISTS ${table}_scan; DROP TABLE IF EXISTS ${table}`,
  );
  return rejects.map((r) => ({
    file: file.name,
    row: Number(r.line),
    column: r.column_name,
    value: r.csv_line,
    rule: "malformed_row",
    message: r.error_message.split("\n")[0] ?? "malformed row",
  }));
}

function csvError(file: SourceFile, message: string): AppError {
  return new AppError("INVALID_INPUT", `${file.name}: cannot be read as CSV: ${message.split("\n")[0]}`);
}

async function selfSource(duck: Duck, file: SourceFile, source: string): Promise<Source> {
  let header: string[];
  try {
    header = (await duck.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`)).map(
      (r) => r.column_name,
    );
  } catch (e) {
    throw new AppError(
      "INVALID_INPUT",
      `${file.name}: cannot be read as ${file.format}: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  const problems = headerProblems(file, header);
  if (problems.length > 0) return { sql: "", problems };
  return { sql: `SELECT ${contractSelect(file, new Set(header))} FROM ${source}`, problems: [] };
}

async function countRows(duck: Duck, table: string): Promise<number> {
  const [r] = await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(r?.n ?? 0);
}

/** Most an XLSX file may expand to (its parts, and the CSV made from it): larger deliveries come as CSV. */
export const maxXlsxExpandedBytes = 1 << 30;
/** Most an XLSX part may expand relative to its compressed size; spreadsheets compress about 5-30 to 1. */
const maxXlsxRatio = 200;

/**
 * Refuses a zip bomb before inflating anything: reads the sizes the ZIP central directory declares. Declared sizes
 * can lie, so the conversion also stops once its output passes the same limit.
 */
export function checkXlsxSizes(file: SourceFile): void {
  const refuse = (why: string) =>
    new AppError("PAYLOAD_TOO_LARGE", `${file.name}: ${why}; send large deliveries as CSV`);
  const fd = openSync(file.path, "r");
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 65_557));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0)
      throw new AppError("INVALID_INPUT", `${file.name}: cannot be read as XLSX: not a ZIP archive`);
    const entries = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (dirOffset === 0xffffffff || dirOffset + dirSize > size)
      throw refuse("the archive is too large or damaged");
    const dir = Buffer.alloc(dirSize);
    readSync(fd, dir, 0, dirSize, dirOffset);
    let total = 0;
    for (let at = 0, i = 0; i < entries; i++) {
      if (at + 46 > dir.length || dir.readUInt32LE(at) !== 0x02014b50) {
        throw new AppError("INVALID_INPUT", `${file.name}: cannot be read as XLSX: damaged ZIP directory`);
      }
      const compressed = dir.readUInt32LE(at + 20);
      const expanded = dir.readUInt32LE(at + 24);
      if (compressed === 0xffffffff || expanded === 0xffffffff) throw refuse("a part is larger than 4 GB");
      total += expanded;
      if (expanded > 1 << 20 && expanded > compressed * maxXlsxRatio) {
        throw refuse(`a part expands ${Math.round(expanded / Math.max(compressed, 1))} times (a zip bomb?)`);
      }
      at += 46 + dir.readUInt16LE(at + 28) + dir.readUInt16LE(at + 30) + dir.readUInt16LE(at + 32);
    }
    if (total > maxXlsxExpandedBytes) throw refuse(`it expands to ${total} bytes`);
  } finally {
    closeSync(fd);
  }
}

/** Converts the first worksheet to UTF-8 CSV as text, streaming; formulas contribute their cached result only. */
async function xlsxToCsv(file: SourceFile, out: string): Promise<string> {
  if (existsSync(out)) return out; // converted already in this intake
  checkXlsxSizes(file);
  const stream = createWriteStream(out);
  let written = 0;
  const write = (cells: string[]) => {
    const line = `${cells.map(csvCell).join(",")}\n`;
    written += line.length;
    if (written > maxXlsxExpandedBytes) {
      throw new AppError(
        "PAYLOAD_TOO_LARGE",
        `${file.name}: the worksheet is larger than XLSX deliveries may be; send it as CSV`,
      );
    }
    stream.write(line);
  };
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file.path, {
      sharedStrings: "cache",
      hyperlinks: "ignore",
      styles: "ignore",
      worksheets: "emit",
    });
    let width = 0;
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1);
        if (width === 0) width = values.length;
        const cells: string[] = [];
        for (let i = 0; i < width; i++) cells.push(cellText(values[i]));
        write(cells);
      }
      break;
    }
  } catch (e) {
    stream.destroy();
    if (e instanceof AppError) throw e;
    throw new AppError("INVALID_INPUT", `${file.name}: cannot be read as XLSX: ${(e as Error).message}`);
  }
  await new Promise<void>((resolve, reject) =>
    stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return out;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[] };
    if ("result" in o) return cellText(o.result);
    if (o.richText) return o.richText.map((t) => t.text).join("");
    if (typeof o.text === "string") return o.text;
    return "";
  }
  return String(v);
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
