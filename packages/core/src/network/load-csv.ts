import { AppError } from "../errors.ts";
import type { ExposureInput, NetworkInput, NodeInput } from "./network.ts";

/** A CSV document and the name to cite in error messages (usually its path). */
export interface CsvSource {
  name: string;
  text: string;
}

interface CsvRow {
  /** Physical line where the record starts (header is line 1 when there are no blank lines before it). */
  line: number;
  fields: string[];
}

function invalid(message: string): AppError {
  return new AppError("INVALID_INPUT", message);
}

/**
 * Comma-separated records with optional double quotes ("" escapes a quote); blank lines are skipped. Fields are
 * cut out with slices rather than built character by character, so a network of millions of exposures parses in
 * about a second.
 */
export function parseCsv(source: CsvSource): CsvRow[] {
  const text = source.text.charCodeAt(0) === 0xfeff ? source.text.slice(1) : source.text;
  const len = text.length;
  const rows: CsvRow[] = [];
  let pos = 0;
  let line = 1;
  const newlines = (from: number, to: number) => {
    let count = 0;
    for (let k = text.indexOf("\n", from); k >= 0 && k < to; k = text.indexOf("\n", k + 1)) count++;
    return count;
  };
  /** Index of the next comma or line break at or after `from` (len when none). */
  const delimiter = (from: number) => {
    let e = from;
    while (e < len) {
      const c = text.charCodeAt(e);
      if (c === 44 || c === 10 || c === 13) break;
      e++;
    }
    return e;
  };
  while (pos <= len) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    for (;;) {
      let p = pos;
      while (p < len && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
      if (p < len && text.charCodeAt(p) === 34) {
        // A quoted field (after blanks only); text after the closing quote, up to the delimiter, is kept.
        quotedAny = true;
        let value = "";
        p++;
        for (;;) {
          const q = text.indexOf('"', p);
          if (q < 0) throw invalid(`${source.name} line ${start}: a quoted field is not closed`);
          value += text.slice(p, q);
          line += newlines(p, q);
          if (text.charCodeAt(q + 1) === 34) {
            value += '"';
            p = q + 2;
            continue;
          }
          p = q + 1;
          break;
        }
        const e = delimiter(p);
        fields.push(value + text.slice(p, e));
        pos = e;
      } else {
        const e = delimiter(p);
        fields.push(text.slice(pos, e));
        pos = e;
      }
      if (pos >= len) {
        pos = len + 1;
        break;
      }
      const c = text.charCodeAt(pos);
      pos++;
      if (c === 44) continue;
      if (c === 13 && text.charCodeAt(pos) === 10) pos++;
      line++;
      break;
    }
    if (!(fields.length === 1 && fields[0]!.trim() === "" && !quotedAny)) rows.push({ line: start, fields });
  }
  return rows;
}

function normalise(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

interface Table {
  source: CsvSource;
  columns: Map<string, number>;
  rows: CsvRow[];
}

function readTable(source: CsvSource): Table {
  const rows = parseCsv(source);
  const header = rows.shift();
  if (!header) throw invalid(`${source.name}: the file is empty; expected a header row`);
  const columns = new Map<string, number>();
  header.fields.forEach((name, k) => {
    const key = normalise(name);
    if (key === "") return;
    if (columns.has(key))
      throw invalid(`${source.name}: column "${name.trim()}" appears twice in the header`);
    columns.set(key, k);
  });
  for (const row of rows) {
    if (row.fields.length !== header.fields.length) {
      throw invalid(
        `${source.name} line ${row.line}: ${row.fields.length} fields, but the header has ${header.fields.length}`,
      );
    }
  }
  return { source, columns, rows };
}

/** Finds the one column among `aliases`; `required` makes its absence an error. */
function column(
  table: Table,
  what: string,
  aliases: readonly string[],
  required: boolean,
): number | undefined {
  const found = aliases.filter((a) => table.columns.has(a));
  if (found.length > 1) {
    throw invalid(
      `${table.source.name}: columns ${found.map((f) => `"${f}"`).join(" and ")} both give the ${what}; keep one`,
    );
  }
  if (found.length === 0) {
    if (!required) return undefined;
    const have = [...table.columns.keys()].join(", ");
    const expected = aliases.map((a) => `"${a}"`).join(" or ");
    throw invalid(`${table.source.name}: missing column ${expected} (${what}); the header has: ${have}`);
  }
  return table.columns.get(found[0]!)!;
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function cell(row: CsvRow, index: number): string {
  return row.fields[index]!.trim();
}

function where(table: Table, row: CsvRow, rowNumber: number, name: string): string {
  return `${table.source.name} row ${rowNumber} (line ${row.line}), column "${name}"`;
}

function readNumber(
  table: Table,
  row: CsvRow,
  rowNumber: number,
  index: number,
  name: string,
  rule: "any" | "non-negative",
): number | undefined {
  const text = cell(row, index);
  if (text === "") return undefined;
  if (!numberPattern.test(text))
    throw invalid(`${where(table, row, rowNumber, name)}: "${text}" is not a number`);
  const value = Number(text);
  if (!Number.isFinite(value))
    throw invalid(`${where(table, row, rowNumber, name)}: "${text}" is out of range`);
  if (rule === "non-negative" && value < 0) {
    throw invalid(`${where(table, row, rowNumber, name)}: ${text} is negative; amounts must be zero or more`);
  }
  return value;
}

function requireValue<T>(
  value: T | undefined,
  table: Table,
  row: CsvRow,
  rowNumber: number,
  name: string,
): T {
  if (value === undefined) throw invalid(`${where(table, row, rowNumber, name)}: the value is empty`);
  return value;
}

/**
 * Reads a network from two CSV documents.
 * nodes: id, capital (or equity, or buffer), external_assets, external_liabilities, and optionally weight, sector
 * holdings by asset class (columns asset_CLASS, e.g. asset_real_estate), and the reported totals interbank_assets
 * and interbank_liabilities from which missing bilateral amounts are estimated.
 * exposures: lender, borrower, amount (the borrower owes the lender). Every problem names file, row and column.
 */
export function parseNetworkCsv(nodesSource: CsvSource, exposuresSource: CsvSource | null): NetworkInput {
  const nodesTable = readTable(nodesSource);
  const idCol = column(nodesTable, "institution id", ["id"], true)!;
  const capitalCol = column(nodesTable, "capital buffer", ["capital", "equity", "buffer"], true)!;
  const eaCol = column(nodesTable, "external assets", ["external_assets"], true)!;
  const elCol = column(nodesTable, "external liabilities", ["external_liabilities"], true)!;
  const weightCol = column(nodesTable, "weight", ["weight"], false);
  const sectorCol = column(nodesTable, "sector", ["sector"], false);
  const iaCol = column(nodesTable, "interbank assets total", ["interbank_assets"], false);
  const ilCol = column(nodesTable, "interbank liabilities total", ["interbank_liabilities"], false);
  // Holdings by asset class, for asset:CLASS=FRACTION shocks: one column asset_CLASS per class.
  const assetCols = [...nodesTable.columns.entries()]
    .filter(([name]) => name.startsWith("asset_") && name.length > "asset_".length)
    .map(([name, k]) => ({ name, cls: name.slice("asset_".length), k }));
  const capitalName = [...nodesTable.columns.entries()].find(([, k]) => k === capitalCol)![0];
  const nodes: NodeInput[] = [];
  const seen = new Map<string, number>();
  nodesTable.rows.forEach((row, k) => {
    const n = k + 1;
    const id = cell(row, idCol);
    if (id === "") throw invalid(`${where(nodesTable, row, n, "id")}: the id is empty`);
    const previous = seen.get(id);
    if (previous !== undefined)
      throw invalid(`${where(nodesTable, row, n, "id")}: id "${id}" already appears in row ${previous}`);
    seen.set(id, n);
    const node: NodeInput = {
      id,
      capital: requireValue(
        readNumber(nodesTable, row, n, capitalCol, capitalName, "any"),
        nodesTable,
        row,
        n,
        capitalName,
      ),
      externalAssets: requireValue(
        readNumber(nodesTable, row, n, eaCol, "external_assets", "non-negative"),
        nodesTable,
        row,
        n,
        "external_assets",
      ),
      externalLiabilities: requireValue(
        readNumber(nodesTable, row, n, elCol, "external_liabilities", "non-negative"),
        nodesTable,
        row,
        n,
        "external_liabilities",
      ),
    };
    if (weightCol !== undefined) {
      const w = readNumber(nodesTable, row, n, weightCol, "weight", "non-negative");
      if (w !== undefined) node.weight = w;
    }
    if (sectorCol !== undefined && cell(row, sectorCol) !== "")
      node.sector = cell(row, sectorCol).toLowerCase();
    if (iaCol !== undefined) {
      const v = readNumber(nodesTable, row, n, iaCol, "interbank_assets", "non-negative");
      if (v !== undefined) node.interbankAssetsTotal = v;
    }
    if (ilCol !== undefined) {
      const v = readNumber(nodesTable, row, n, ilCol, "interbank_liabilities", "non-negative");
      if (v !== undefined) node.interbankLiabilitiesTotal = v;
    }
    if (assetCols.length > 0) {
      const holdings: Record<string, number> = {};
      for (const a of assetCols) {
        const v = readNumber(nodesTable, row, n, a.k, a.name, "non-negative");
        if (v !== undefined) holdings[a.cls] = v;
      }
      node.holdings = holdings;
    }
    nodes.push(node);
  });
  if (nodes.length === 0) throw invalid(`${nodesSource.name}: no institutions after the header`);

  // Without an exposures file, every link is estimated from the totals (see complete-network.ts).
  if (exposuresSource === null) return { nodes, exposures: [] };
  const expTable = readTable(exposuresSource);
  const lenderCol = column(expTable, "lender id", ["lender"], true)!;
  const borrowerCol = column(expTable, "borrower id", ["borrower"], true)!;
  const amountCol = column(expTable, "amount", ["amount"], true)!;
  const exposures: ExposureInput[] = [];
  expTable.rows.forEach((row, k) => {
    const n = k + 1;
    const lender = cell(row, lenderCol);
    const borrower = cell(row, borrowerCol);
    if (!seen.has(lender)) {
      throw invalid(
        `${where(expTable, row, n, "lender")}: unknown institution "${lender}" (not in ${nodesSource.name})`,
      );
    }
    if (!seen.has(borrower)) {
      throw invalid(
        `${where(expTable, row, n, "borrower")}: unknown institution "${borrower}" (not in ${nodesSource.name})`,
      );
    }
    if (lender === borrower)
      throw invalid(`${where(expTable, row, n, "borrower")}: "${lender}" cannot lend to itself`);
    const amount = requireValue(
      readNumber(expTable, row, n, amountCol, "amount", "non-negative"),
      expTable,
      row,
      n,
      "amount",
    );
    exposures.push({ lender, borrower, amount });
  });
  return { nodes, exposures };
}
