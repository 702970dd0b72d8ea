import { invalidInput } from "../errors.ts";

/**
 * A directed graph in compressed sparse row form: the out-edges of node v occupy slots
 * offsets[v] .. offsets[v + 1] - 1 of targets (and of weights and edgeIds).
 */
export interface Csr {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Length nodeCount + 1; offsets[nodeCount] === edgeCount. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** Edge weights in slot order, when the graph was built with weights. */
  readonly weights: Float64Array | undefined;
  /** For each slot, the index of the input edge it came from, so callers can look up amounts, dates, ids. */
  readonly edgeIds: Int32Array;
}

export interface BuildCsrOptions {
  /** Order each node's targets ascending (ties keep input order). Costs one extra counting pass. */
  readonly sortTargets?: boolean;
}

function checkEdges(nodeCount: number, src: Int32Array, dst: Int32Array, weight?: Float64Array): void {
  if (!Number.isInteger(nodeCount) || nodeCount < 0 || nodeCount >= 0x7fffffff) {
    throw invalidInput(`nodeCount must be a non-negative 32-bit integer, got ${nodeCount}`);
  }
  if (src.length !== dst.length) {
    throw invalidInput(`src has ${src.length} edges but dst has ${dst.length}`);
  }
  if (weight !== undefined && weight.length !== src.length) {
    throw invalidInput(`weight has ${weight.length} entries but there are ${src.length} edges`);
  }
  for (let i = 0; i < src.length; i++) {
    const s = src[i]!;
    const d = dst[i]!;
    // Unsigned comparison rejects negatives and values >= nodeCount in one test.
    if (s >>> 0 >= nodeCount || d >>> 0 >= nodeCount) {
      throw invalidInput(`edge ${i} (${s} -> ${d}) has an endpoint outside 0..${nodeCount - 1}`);
    }
  }
}

/** Stable counting sort of edge indices by key (keys in 0..nodeCount-1), visiting edges in `order`. */
function bucketBy(nodeCount: number, key: Int32Array, order: Int32Array | undefined, offsets: Int32Array) {
  const m = key.length;
  offsets.fill(0);
  for (let i = 0; i < m; i++) offsets[key[i]! + 1]!++;
  for (let v = 0; v < nodeCount; v++) offsets[v + 1]! += offsets[v]!;
  const cursor = offsets.slice(0, nodeCount);
  const perm = new Int32Array(m);
  if (order === undefined) {
    for (let i = 0; i < m; i++) perm[cursor[key[i]!]!++] = i;
  } else {
    for (let k = 0; k < m; k++) {
      const i = order[k]!;
      perm[cursor[key[i]!]!++] = i;
    }
  }
  return perm;
}

/** Builds the CSR of a directed graph from parallel edge arrays (edge i goes src[i] -> dst[i]). */
export function buildCsr(
  nodeCount: number,
  src: Int32Array,
  dst: Int32Array,
  weight?: Float64Array,
  options: BuildCsrOptions = {},
): Csr {
  checkEdges(nodeCount, src, dst, weight);
  const m = src.length;
  const offsets = new Int32Array(nodeCount + 1);
  // Sorting by target first, then stably by source, leaves each node's targets ascending.
  const byTarget = options.sortTargets ? bucketBy(nodeCount, dst, undefined, offsets) : undefined;
  const edgeIds = bucketBy(nodeCount, src, byTarget, offsets);
  const targets = new Int32Array(m);
  for (let k = 0; k < m; k++) targets[k] = dst[edgeIds[k]!]!;
  let weights: Float64Array | undefined;
  if (weight !== undefined) {
    weights = new Float64Array(m);
    for (let k = 0; k < m; k++) weights[k] = weight[edgeIds[k]!]!;
  }
  return { nodeCount, edgeCount: m, offsets, targets, weights, edgeIds };
}

/** Expands a CSR back into parallel source and target arrays in slot order. */
export function csrEdges(csr: Csr): { src: Int32Array; dst: Int32Array } {
  const src = new Int32Array(csr.edgeCount);
  const { offsets } = csr;
  for (let v = 0; v < csr.nodeCount; v++) src.fill(v, offsets[v]!, offsets[v + 1]!);
  return { src, dst: csr.targets.slice() };
}

/** Re-points the edgeIds of a CSR built from an intermediate edge list (intermediate index -> input edge id). */
function composeEdgeIds(result: Csr, slotEdgeIds: Int32Array): Csr {
  const edgeIds = new Int32Array(result.edgeCount);
  for (let k = 0; k < result.edgeCount; k++) edgeIds[k] = slotEdgeIds[result.edgeIds[k]!]!;
  return { ...result, edgeIds };
}

/** Builds the reverse (transposed) graph: an edge u -> v becomes v -> u; edge ids and weights follow. */
export function reverseCsr(csr: Csr): Csr {
  const { src, dst } = csrEdges(csr);
  return composeEdgeIds(buildCsr(csr.nodeCount, dst, src, csr.weights), csr.edgeIds);
}

export interface SimplifyOptions {
  /** Drop edges v -> v (default false). */
  readonly dropSelfLoops?: boolean;
}

/**
 * Merges parallel edges: one slot per distinct (source, target), targets ascending per node, weights summed,
 * edgeIds pointing at the first input edge of each group.
 */
export function simplifyCsr(csr: Csr, options: SimplifyOptions = {}): Csr {
  const { src, dst } = csrEdges(csr);
  const sorted = composeEdgeIds(
    buildCsr(csr.nodeCount, src, dst, csr.weights, { sortTargets: true }),
    csr.edgeIds,
  );
  const n = csr.nodeCount;
  const offsets = new Int32Array(n + 1);
  const targets = new Int32Array(sorted.edgeCount);
  const edgeIds = new Int32Array(sorted.edgeCount);
  const inW = sorted.weights;
  const weights = inW === undefined ? undefined : new Float64Array(sorted.edgeCount);
  const dropSelf = options.dropSelfLoops === true;
  let out = 0;
  for (let v = 0; v < n; v++) {
    const start = out;
    const end = sorted.offsets[v + 1]!;
    for (let k = sorted.offsets[v]!; k < end; k++) {
      const w = sorted.targets[k]!;
      if (dropSelf && w === v) continue;
      if (out > start && targets[out - 1] === w) {
        // Same target as the previous slot: merge. Edge ids stay those of the first (lowest) input edge.
        if (weights !== undefined) weights[out - 1]! += inW![k]!;
        if (sorted.edgeIds[k]! < edgeIds[out - 1]!) edgeIds[out - 1] = sorted.edgeIds[k]!;
        continue;
      }
      targets[out] = w;
      edgeIds[out] = sorted.edgeIds[k]!;
      if (weights !== undefined) weights[out] = inW![k]!;
      out++;
    }
    offsets[v + 1] = out;
  }
  return {
    nodeCount: n,
    edgeCount: out,
    offsets,
    targets: targets.slice(0, out),
    weights: weights?.slice(0, out),
    edgeIds: edgeIds.slice(0, out),
  };
}

/** A subgraph with its nodes renumbered densely; nodeIds maps a new node number to the original one. */
export interface Subgraph {
  readonly csr: Csr;
  readonly nodeIds: Int32Array;
}

/** The subgraph induced by the nodes with keep[v] !== 0 (edges whose both ends are kept). */
export function inducedSubgraph(csr: Csr, keep: Uint8Array): Subgraph {
  const n = csr.nodeCount;
  if (keep.length !== n) throw invalidInput(`keep has ${keep.length} entries for ${n} nodes`);
  const newId = new Int32Array(n).fill(-1);
  let kept = 0;
  for (let v = 0; v < n; v++) if (keep[v] !== 0) newId[v] = kept++;
  const nodeIds = new Int32Array(kept);
  for (let v = 0; v < n; v++) if (newId[v]! >= 0) nodeIds[newId[v]!] = v;
  let m = 0;
  for (let v = 0; v < n; v++) {
    if (newId[v]! < 0) continue;
    for (let k = csr.offsets[v]!; k < csr.offsets[v + 1]!; k++) if (newId[csr.targets[k]!]! >= 0) m++;
  }
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const slot = new Int32Array(m);
  const weight = csr.weights === undefined ? undefined : new Float64Array(m);
  let e = 0;
  for (let v = 0; v < n; v++) {
    const nv = newId[v]!;
    if (nv < 0) continue;
    for (let k = csr.offsets[v]!; k < csr.offsets[v + 1]!; k++) {
      const nw = newId[csr.targets[k]!]!;
      if (nw < 0) continue;
      src[e] = nv;
      dst[e] = nw;
      slot[e] = csr.edgeIds[k]!;
      if (weight !== undefined) weight[e] = csr.weights![k]!;
      e++;
    }
  }
  return { csr: composeEdgeIds(buildCsr(kept, src, dst, weight), slot), nodeIds };
}
