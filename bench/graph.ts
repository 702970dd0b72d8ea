/**
 * Strongly connected components on a seeded random directed graph (default 1M nodes, 10M edges):
 * Beacon's CSR + iterative Pearce/Tarjan against python-igraph (C core) and networkx, measured in the same
 * run on the same edge file. Only the SCC call is timed on each side; graph construction is reported apart.
 *
 * Run: npx node bench/graph.ts [--nodes=1000000] [--edges=10000000] [--seed=20240601] [--runs=5]
 *      [--peers=igraph,networkx] [--igraph-runs=3] [--networkx-runs=1]
 * Prints one JSON object on stdout; progress on stderr. Peers run with Debian's /usr/bin/python3
 * (apt-get install python3-igraph python3-networkx).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCsr } from "../packages/core/src/graph/csr.ts";
import { stronglyConnectedComponents } from "../packages/core/src/graph/scc.ts";

const PYTHON = "/usr/bin/python3";
const PEER_SCRIPT = new URL("./peers/scc.py", import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "1000000" },
    edges: { type: "string", default: "10000000" },
    seed: { type: "string", default: "20240601" },
    runs: { type: "string", default: "5" },
    peers: { type: "string", default: "igraph,networkx" },
    "igraph-runs": { type: "string", default: "3" },
    "networkx-runs": { type: "string", default: "1" },
  },
});
const nodeCount = Number(values.nodes);
const edgeCount = Number(values.edges);
const seed = Number(values.seed);
const runs = Number(values.runs);
const peers = values.peers
  .split(",")
  .map((p) => p.trim())
  .filter((p) => p !== "");

function log(message: string): void {
  process.stderr.write(`[bench/graph] ${message}\n`);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (x: number): number => Math.round(x * 10) / 10;

/** Uniform random directed edges from a mulberry32 stream: the same graph for the same seed. */
function generateEdges(n: number, m: number, seedValue: number): { src: Int32Array; dst: Int32Array } {
  let state = seedValue >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    src[i] = next() % n;
    dst[i] = next() % n;
  }
  return { src, dst };
}

/** Edge file shared with the Python peers: little-endian int32 n, m, then m sources, then m targets. */
function writeEdgeFile(path: string, n: number, src: Int32Array, dst: Int32Array): void {
  const bytes = new Uint8Array(8 + 8 * src.length);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, n, true);
  view.setInt32(4, src.length, true);
  // Typed arrays are little-endian on every platform Node ships for, so the columns copy as they are.
  bytes.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), 8);
  bytes.set(new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength), 8 + src.byteLength);
  writeFileSync(path, bytes);
}

function readEdgeFile(path: string): { n: number; src: Int32Array; dst: Int32Array } {
  const file = readFileSync(path);
  // Copy into a fresh, aligned buffer so the columns can be viewed as Int32Array.
  const bytes = new Uint8Array(file.byteLength);
  bytes.set(file);
  const view = new DataView(bytes.buffer);
  const n = view.getInt32(0, true);
  const m = view.getInt32(4, true);
  return { n, src: new Int32Array(bytes.buffer, 8, m), dst: new Int32Array(bytes.buffer, 8 + 4 * m, m) };
}

interface PeerResult {
  library: string;
  version?: string;
  buildMs?: number;
  sccMs?: number[];
  sccMedianMs?: number;
  components?: number;
  largest?: number;
  error?: string;
}

function runPeer(library: string, file: string, peerRuns: number): PeerResult {
  log(`running ${library} (${PYTHON} ${PEER_SCRIPT})`);
  const child = spawnSync(PYTHON, [PEER_SCRIPT, "--lib", library, "--runs", String(peerRuns), file], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) {
    return {
      library,
      error: `exit ${child.status ?? child.signal}: ${child.error?.message ?? "see stderr"}`,
    };
  }
  return JSON.parse(child.stdout) as PeerResult;
}

const file = join(tmpdir(), `beacon-graph-bench-${process.pid}.bin`);
try {
  log(`generating ${nodeCount} nodes, ${edgeCount} edges (seed ${seed})`);
  const generated = generateEdges(nodeCount, edgeCount, seed);
  writeEdgeFile(file, nodeCount, generated.src, generated.dst);
  log(`edge file ${file}`);

  let started = performance.now();
  const edges = readEdgeFile(file);
  const readMs = performance.now() - started;

  started = performance.now();
  const csr = buildCsr(edges.n, edges.src, edges.dst);
  const buildMs = performance.now() - started;
  log(`CSR built in ${buildMs.toFixed(0)} ms`);

  const sccMs: number[] = [];
  let components = 0;
  let largest = 0;
  for (let run = 0; run < runs; run++) {
    started = performance.now();
    const scc = stronglyConnectedComponents(csr);
    sccMs.push(performance.now() - started);
    components = scc.count;
    largest = scc.sizes.reduce((a, b) => Math.max(a, b), 0);
    log(`beacon run ${run + 1}/${runs}: ${sccMs.at(-1)!.toFixed(0)} ms, ${components} components`);
  }
  const beaconMedian = median(sccMs);

  const peerResults: Record<string, PeerResult> = {};
  for (const library of peers) {
    const peerRuns = Number(library === "networkx" ? values["networkx-runs"] : values["igraph-runs"]);
    peerResults[library] = runPeer(library, file, peerRuns);
  }

  const ratios: Record<string, number> = {};
  const targets: Record<string, { required: number; met: boolean }> = {};
  const required: Record<string, number> = { networkx: 30, igraph: 2 };
  let componentsAgree = true;
  for (const [library, result] of Object.entries(peerResults)) {
    if (result.sccMedianMs === undefined) continue;
    const ratio = result.sccMedianMs / beaconMedian;
    ratios[`${library}OverBeacon`] = round(ratio);
    const need = required[library];
    if (need !== undefined) targets[library] = { required: need, met: ratio >= need };
    if (result.components !== components || result.largest !== largest) componentsAgree = false;
  }

  const report = {
    benchmark: "graph-scc",
    graph: { nodes: nodeCount, edges: edgeCount, seed, generator: "uniform random src/dst, mulberry32" },
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown", node: process.version },
    beacon: {
      readMs: round(readMs),
      buildCsrMs: round(buildMs),
      sccMs: sccMs.map(round),
      sccFirstMs: round(sccMs[0] ?? Number.NaN),
      sccMedianMs: round(beaconMedian),
      components,
      largest,
    },
    peers: peerResults,
    ratios,
    targets,
    componentsAgree,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (!componentsAgree) {
    log("component counts disagree between Beacon and a peer");
    process.exitCode = 1;
  }
} finally {
  rmSync(file, { force: true });
}
