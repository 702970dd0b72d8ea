import { createWriteStream } from "node:fs";
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
 * Loads a file into a DuckDB table `table` with every contract column as VARCHAR, in file order (so a row's
 * rowid gives its position). Header problems, malformed lines and encoding problems come back as problems.
 */
export async function stageFile(
  duck: Duck,
  file: SourceFile,
  table: string,
  workDir: string,
): Promise<Staged> {
  switch (file.format) {
    case "csv":
      return stageCsv(duck, file, file.path, table, workDir);
    case "xlsx":
      return stageCsv(
        duck,
        file,
        await xlsxToCsv(file, join(workDir, `${table}.csv`)),
        table,
        workDir,
        "xlsx",
      );
    case "json":
      return stageSelf(
        duck,
        file,
        table,
        `read_json(${literal(file.path)}, format = 'auto', maximum_depth = 1)`,
      );
    case "parquet":
      return stageSelf(duck, file, table, `read_parquet(${literal(file.path)})`);
  }
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

async function stageCsv(
  duck: Duck,
  file: SourceFile,
  path: string,
  table: string,
  workDir: string,
  shownFormat = "csv",
): Promise<Staged> {
  let encoding = shownFormat === "xlsx" ? "utf-8" : sniffEncoding(path);
  let readPath = path;
  if (encoding === "gbk") {
    readPath = join(workDir, `${table}.utf8.csv`);
    await transcodeToUtf8(path, readPath);
  }
  const header = readCsvHeader(readPath, "utf-8");
  const problems = headerProblems(file, header);
  if (problems.length > 0) return { table, rows: 0, encoding, problems };
  const columns = `{${header.map((h) => `${literal(h)}: 'VARCHAR'`).join(", ")}}`;
  const options = `header = true, auto_detect = false, columns = ${columns}, delim = ',', quote = '"', escape = '"', strict_mode = true`;
  const load = async (p: string) => {
    await duck.run(
      `CREATE OR REPLACE TABLE ${table} AS SELECT ${contractSelect(file, new Set(header))} FROM read_csv(${literal(p)}, ${options})`,
    );
  };
  try {
    await load(readPath);
  } catch (e) {
    const message = (e as Error).message;
    if (/unicode|utf-?8/i.test(message) && encoding === "utf-8") {
      // The sample looked like UTF-8 but a later byte is not: accept the file only if all of it is GBK.
      if (!(await decodesAs(path, "gbk"))) {
        throw new AppError(
          "INVALID_INPUT",
          `${file.name}: the file is neither UTF-8 nor GBK text; save it as UTF-8`,
        );
      }
      encoding = "gbk";
      readPath = join(workDir, `${table}.utf8.csv`);
      await transcodeToUtf8(path, readPath);
      await load(readPath);
    } else {
      // Structural problems (a row with too many or too few fields, an unclosed quote): read again, collecting them all.
      problems.push(...(await malformedRows(duck, file, readPath, options, table)));
      if (problems.length === 0) throw csvError(file, message);
      return { table, rows: 0, encoding, problems };
    }
  }
  const rows = await countRows(duck, table);
  return { table, rows, encoding, problems };
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

async function stageSelf(duck: Duck, file: SourceFile, table: string, source: string): Promise<Staged> {
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
  if (problems.length > 0) return { table, rows: 0, problems };
  await duck.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT ${contractSelect(file, new Set(header))} FROM ${source}`,
  );
  return { table, rows: await countRows(duck, table), problems };
}

async function countRows(duck: Duck, table: string): Promise<number> {
  const [r] = await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(r?.n ?? 0);
}

/** Converts the first worksheet to UTF-8 CSV as text, streaming; formulas contribute their cached result only. */
async function xlsxToCsv(file: SourceFile, out: string): Promise<string> {
  const stream = createWriteStream(out);
  const write = (cells: string[]) => stream.write(`${cells.map(csvCell).join(",")}\n`);
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
