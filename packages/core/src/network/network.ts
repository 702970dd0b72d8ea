import { AppError } from "../errors.ts";

/** One institution as it enters the engine. Amounts are in one currency unit, as floats. */
export interface NodeInput {
  id: string;
  /** Capital buffer (equity). Omitted: the book equity implied by the balance sheet. */
  capital?: number;
  externalAssets?: number;
  externalLiabilities?: number;
  /** Economic weight for system-wide stress; omitted: 1 (equal weights, as NetworkRiskMeasures). */
  weight?: number;
  /** Sector (banking, trust, ...): what `sector:NAME=F` shocks select and results are grouped by. */
  sector?: string;
  /** Holdings of external assets by asset class (real_estate, equity, ...): what `asset:CLASS=F` shocks hit. */
  holdings?: Readonly<Record<string, number>>;
  /** Reported totals of interbank assets and liabilities, used only to estimate missing bilateral amounts. */
  interbankAssetsTotal?: number;
  interbankLiabilitiesTotal?: number;
}

/** `borrower` owes `amount` to `lender` (an interbank asset of the lender). */
export interface ExposureInput {
  lender: string;
  borrower: string;
  amount: number;
}

export interface NetworkInput {
  nodes: readonly NodeInput[];
  exposures: readonly ExposureInput[];
}

/**
 * An interbank network in compressed sparse rows, built once and read by every algorithm.
 * The same exposures are stored twice: by lender (what i is owed) and by borrower (what i owes),
 * so that both pull (clearing) and push (stress propagation) loops stay sequential.
 */
export interface Network {
  readonly size: number;
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly capital: Float64Array;
  readonly externalAssets: Float64Array;
  readonly externalLiabilities: Float64Array;
  readonly weight: Float64Array;
  /** Sector of each node, or null when not given. */
  readonly sector: readonly (string | null)[];
  /** Asset class -> holdings of every node (0 when not reported). */
  readonly holdings: ReadonlyMap<string, Float64Array>;
  /** Row i = lender i: borrowers assetBorrower[assetStart[i]..assetStart[i+1]) with amounts assetAmount. */
  readonly assetStart: Int32Array;
  readonly assetBorrower: Int32Array;
  readonly assetAmount: Float64Array;
  /** Row i = borrower i: lenders debtLender[debtStart[i]..debtStart[i+1]) with amounts debtAmount. */
  readonly debtStart: Int32Array;
  readonly debtLender: Int32Array;
  readonly debtAmount: Float64Array;
  /** Row sums of the two views: what each node is owed and owes inside the network. */
  readonly interbankAssets: Float64Array;
  readonly interbankLiabilities: Float64Array;
  /** Distinct (lender, borrower) pairs with a positive amount. */
  readonly exposureCount: number;
}

function invalid(message: string): AppError {
  return new AppError("INVALID_INPUT", message);
}

function finiteOr(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(`${what} must be a finite number`);
  return value;
}

/** Validates nodes and exposures and builds the CSR network; duplicate pairs are summed. */
export function buildNetwork(input: NetworkInput): Network {
  const n = input.nodes.length;
  const ids: string[] = [];
  const indexOf = new Map<string, number>();
  const capitalGiven = new Uint8Array(n);
  const capital = new Float64Array(n);
  const externalAssets = new Float64Array(n);
  const externalLiabilities = new Float64Array(n);
  const weight = new Float64Array(n);
  const sector: (string | null)[] = new Array(n).fill(null);
  const holdings = new Map<string, Float64Array>();
  for (let i = 0; i < n; i++) {
    const node = input.nodes[i]!;
    const id = typeof node.id === "string" ? node.id.trim() : "";
    if (id === "") throw invalid(`node #${i + 1} has an empty id`);
    if (indexOf.has(id))
      throw invalid(`node id "${id}" appears twice (nodes #${indexOf.get(id)! + 1} and #${i + 1})`);
    indexOf.set(id, i);
    ids.push(id);
    const ea = finiteOr(node.externalAssets, 0, `node "${id}": external assets`);
    const el = finiteOr(node.externalLiabilities, 0, `node "${id}": external liabilities`);
    const w = finiteOr(node.weight, 1, `node "${id}": weight`);
    if (ea < 0) throw invalid(`node "${id}": external assets must not be negative (got ${ea})`);
    if (el < 0) throw invalid(`node "${id}": external liabilities must not be negative (got ${el})`);
    if (w < 0) throw invalid(`node "${id}": weight must not be negative (got ${w})`);
    externalAssets[i] = ea;
    externalLiabilities[i] = el;
    weight[i] = w;
    if (node.capital !== undefined) {
      capital[i] = finiteOr(node.capital, 0, `node "${id}": capital`);
      capitalGiven[i] = 1;
    }
    if (node.sector !== undefined) {
      const name = typeof node.sector === "string" ? node.sector.trim() : "";
      if (name !== "") sector[i] = name;
    }
    for (const [name, value] of Object.entries(node.holdings ?? {})) {
      const held = finiteOr(value, 0, `node "${id}": holdings of ${name}`);
      if (held < 0) throw invalid(`node "${id}": holdings of ${name} must not be negative (got ${held})`);
      let column = holdings.get(name);
      if (!column) {
        column = new Float64Array(n);
        holdings.set(name, column);
      }
      column[i] = held;
    }
  }

  const m = input.exposures.length;
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const amount = new Float64Array(m);
  let kept = 0;
  for (let k = 0; k < m; k++) {
    const e = input.exposures[k]!;
    const where = `exposure #${k + 1}`;
    const lender = indexOf.get(typeof e.lender === "string" ? e.lender.trim() : "");
    const borrower = indexOf.get(typeof e.borrower === "string" ? e.borrower.trim() : "");
    if (lender === undefined) throw invalid(`${where}: unknown lender "${e.lender}"`);
    if (borrower === undefined) throw invalid(`${where}: unknown borrower "${e.borrower}"`);
    if (typeof e.amount !== "number" || !Number.isFinite(e.amount)) {
      throw invalid(`${where}: amount must be a finite number`);
    }
    if (e.amount < 0) throw invalid(`${where}: amount must not be negative (got ${e.amount})`);
    if (lender === borrower) throw invalid(`${where}: "${e.lender}" cannot lend to itself`);
    if (e.amount === 0) continue;
    from[kept] = lender;
    to[kept] = borrower;
    amount[kept] = e.amount;
    kept++;
  }
  return assemble(
    ids,
    indexOf,
    { capital, capitalGiven, externalAssets, externalLiabilities, weight, sector, holdings },
    from,
    to,
    amount,
    kept,
  );
}

interface NodeArrays {
  capital: Float64Array;
  capitalGiven: Uint8Array;
  externalAssets: Float64Array;
  externalLiabilities: Float64Array;
  weight: Float64Array;
  sector: (string | null)[];
  holdings: Map<string, Float64Array>;
}

/** Counting sort by lender, then by borrower within each row, merging duplicate pairs. */
function assemble(
  ids: string[],
  indexOf: Map<string, number>,
  nodes: NodeArrays,
  from: Int32Array,
  to: Int32Array,
  amount: Float64Array,
  m: number,
): Network {
  const n = ids.length;
  // Sort edges by (lender, borrower) with two stable counting passes (radix sort on two keys).
  const byBorrower = countingOrder(to, m, n, null);
  const order = countingOrder(from, m, n, byBorrower);
  const assetStart = new Int32Array(n + 1);
  const assetBorrowerTmp = new Int32Array(m);
  const assetAmountTmp = new Float64Array(m);
  let count = 0;
  let lastFrom = -1;
  let lastTo = -1;
  for (let k = 0; k < m; k++) {
    const e = order[k]!;
    const f = from[e]!;
    const t = to[e]!;
    if (f === lastFrom && t === lastTo) {
      assetAmountTmp[count - 1]! += amount[e]!;
      continue;
    }
    assetBorrowerTmp[count] = t;
    assetAmountTmp[count] = amount[e]!;
    assetStart[f + 1]!++;
    count++;
    lastFrom = f;
    lastTo = t;
  }
  for (let i = 0; i < n; i++) assetStart[i + 1]! += assetStart[i]!;
  const assetBorrower = assetBorrowerTmp.slice(0, count);
  const assetAmount = assetAmountTmp.slice(0, count);

  // Transpose: rows by borrower. Walking lenders in order keeps each row sorted by lender.
  const debtStart = new Int32Array(n + 1);
  for (let k = 0; k < count; k++) debtStart[assetBorrower[k]! + 1]!++;
  for (let i = 0; i < n; i++) debtStart[i + 1]! += debtStart[i]!;
  const cursor = debtStart.slice(0, n);
  const debtLender = new Int32Array(count);
  const debtAmount = new Float64Array(count);
  const interbankAssets = new Float64Array(n);
  const interbankLiabilities = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = assetStart[i]!; k < assetStart[i + 1]!; k++) {
      const j = assetBorrower[k]!;
      const slot = cursor[j]!++;
      debtLender[slot] = i;
      debtAmount[slot] = assetAmount[k]!;
      interbankAssets[i]! += assetAmount[k]!;
      interbankLiabilities[j]! += assetAmount[k]!;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!nodes.capitalGiven[i]) {
      nodes.capital[i] =
        nodes.externalAssets[i]! +
        interbankAssets[i]! -
        nodes.externalLiabilities[i]! -
        interbankLiabilities[i]!;
    }
  }
  return {
    size: n,
    ids,
    indexOf,
    capital: nodes.capital,
    externalAssets: nodes.externalAssets,
    externalLiabilities: nodes.externalLiabilities,
    weight: nodes.weight,
    sector: nodes.sector,
    holdings: nodes.holdings,
    assetStart,
    assetBorrower,
    assetAmount,
    debtStart,
    debtLender,
    debtAmount,
    interbankAssets,
    interbankLiabilities,
    exposureCount: count,
  };
}

/** Stable counting sort of edge indices by key; `within` is a previous order to refine. */
function countingOrder(key: Int32Array, m: number, n: number, within: Int32Array | null): Int32Array {
  const start = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) start[key[k]! + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const out = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const e = within ? within[k]! : k;
    out[start[key[e]!]!++] = e;
  }
  return out;
}

/** Book equity of every node: external assets + interbank assets - external liabilities - interbank liabilities. */
export function bookEquity(net: Network, externalAssets: Float64Array = net.externalAssets): Float64Array {
  const out = new Float64Array(net.size);
  for (let i = 0; i < net.size; i++) {
    out[i] =
      externalAssets[i]! +
      net.interbankAssets[i]! -
      net.externalLiabilities[i]! -
      net.interbankLiabilities[i]!;
  }
  return out;
}

/** Ids of nodes whose stated capital differs from their book equity (beyond rounding), e.g. to warn a user. */
export function capitalMismatches(net: Network): string[] {
  const book = bookEquity(net);
  const out: string[] = [];
  for (let i = 0; i < net.size; i++) {
    const scale = Math.max(
      1,
      Math.abs(book[i]!),
      Math.abs(net.capital[i]!),
      net.externalAssets[i]!,
      net.interbankAssets[i]!,
    );
    if (Math.abs(book[i]! - net.capital[i]!) > 1e-9 * scale) out.push(net.ids[i]!);
  }
  return out;
}

/** Options for building a network from a dense square matrix (small examples, estimated matrices). */
export interface MatrixNetworkInput {
  /** Square matrix; see `orientation`. */
  matrix: readonly (readonly number[])[];
  /** "liabilities": matrix[i][j] is what i owes j. "assets": matrix[i][j] is what i lent to j. */
  orientation: "liabilities" | "assets";
  ids?: readonly string[];
  capital?: readonly number[];
  externalAssets?: readonly number[];
  externalLiabilities?: readonly number[];
  weight?: readonly number[];
}

/** Builds a network from a dense matrix plus per-node vectors; ids default to "0", "1", ... */
export function networkFromMatrix(input: MatrixNetworkInput): Network {
  const n = input.matrix.length;
  const ids = input.ids ?? Array.from({ length: n }, (_, i) => String(i));
  if (ids.length !== n) throw invalid(`matrix has ${n} rows but ${ids.length} ids were given`);
  const vectors = {
    capital: input.capital,
    externalAssets: input.externalAssets,
    externalLiabilities: input.externalLiabilities,
    weight: input.weight,
  };
  for (const [name, v] of Object.entries(vectors)) {
    if (v !== undefined && v.length !== n) throw invalid(`${name} has ${v.length} entries, expected ${n}`);
  }
  const nodes: NodeInput[] = ids.map((id, i) => {
    const node: NodeInput = { id };
    if (input.capital) node.capital = input.capital[i]!;
    if (input.externalAssets) node.externalAssets = input.externalAssets[i]!;
    if (input.externalLiabilities) node.externalLiabilities = input.externalLiabilities[i]!;
    if (input.weight) node.weight = input.weight[i]!;
    return node;
  });
  const exposures: ExposureInput[] = [];
  for (let i = 0; i < n; i++) {
    const row = input.matrix[i]!;
    if (row.length !== n) throw invalid(`matrix row ${i + 1} has ${row.length} entries, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const x = row[j]!;
      if (i === j) {
        if (x !== 0) throw invalid(`matrix diagonal entry ${i + 1} must be zero (got ${x})`);
        continue;
      }
      if (x === 0) continue;
      exposures.push(
        input.orientation === "assets"
          ? { lender: ids[i]!, borrower: ids[j]!, amount: x }
          : { lender: ids[j]!, borrower: ids[i]!, amount: x },
      );
    }
  }
  return buildNetwork({ nodes, exposures });
}
