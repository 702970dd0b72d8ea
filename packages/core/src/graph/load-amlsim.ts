import { readFileSync } from "node:fs";
import { join } from "node:path";
import { invalidInput } from "../errors.ts";
import { IdIndex } from "./id-index.ts";

/** An IBM AMLSim sample (accounts and transactions) as typed columns over dense account numbers. */
export interface AmlsimSample {
  readonly nodeCount: number;
  /** Account id as written in the files <-> dense number. */
  readonly accounts: IdIndex;
  readonly isFraud: Uint8Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly amount: Float64Array;
  readonly time: Int32Array;
}

/** Reads a plain comma-separated file (no quoted fields) into its header and the requested columns. */
function readColumns(path: string, wanted: readonly string[]): string[][] {
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  const positions = wanted.map((name) => {
    const at = header.indexOf(name);
    if (at < 0) throw invalidInput(`${path}: no column ${name} in header ${header.join(",")}`);
    return at;
  });
  const columns: string[][] = wanted.map(() => []);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const fields = line.split(",");
    for (let c = 0; c < positions.length; c++) {
      const field = fields[positions[c]!];
      if (field === undefined) throw invalidInput(`${path}:${i + 1}: missing column ${wanted[c]}`);
      columns[c]!.push(field);
    }
  }
  return columns;
}

/** Loads nodes.csv and transactions.csv of an AMLSim sample folder. */
export function loadAmlsim(folder: string): AmlsimSample {
  const [nodeIds = [], fraud = []] = readColumns(join(folder, "nodes.csv"), ["nodeid", "isFraud"]);
  const accounts = new IdIndex();
  const isFraud = new Uint8Array(nodeIds.length);
  for (let i = 0; i < nodeIds.length; i++) {
    const before = accounts.size;
    const v = accounts.intern(nodeIds[i]!);
    if (accounts.size === before) throw invalidInput(`nodes.csv:${i + 2}: duplicate account ${nodeIds[i]}`);
    isFraud[v] = fraud[i] === "1" ? 1 : 0;
  }
  const [from = [], to = [], value = [], step = []] = readColumns(join(folder, "transactions.csv"), [
    "sourceNodeId",
    "targetNodeId",
    "value",
    "time",
  ]);
  const m = from.length;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const amount = new Float64Array(m);
  const time = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const s = accounts.indexOf(from[i]!);
    const d = accounts.indexOf(to[i]!);
    if (s < 0 || d < 0) throw invalidInput(`transactions.csv:${i + 2}: unknown account`);
    src[i] = s;
    dst[i] = d;
    amount[i] = Number(value[i]);
    time[i] = Number(step[i]);
  }
  return { nodeCount: accounts.size, accounts, isFraud, src, dst, amount, time };
}
