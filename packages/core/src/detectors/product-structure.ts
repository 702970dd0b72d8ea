/**
 * Look-through of asset-management products investing in products: the nesting depth of each product (layers of
 * products below it, a public securities fund not counting as a layer, as the 2018 rules allow), its deepest chain,
 * and its look-through leverage: total assets with every product held replaced by its share of that product's own
 * look-through total assets, over net assets. Products held in a circle have unbounded depth.
 */
import { type Csr, stronglyConnectedComponents } from "../graph/index.ts";
import type { Duck } from "../lake/duckdb.ts";
import { type LakeGraph, loadLakeGraph } from "./lake-graph.ts";
import { rows } from "./support.ts";

export interface ProductRow {
  product_id: string;
  manager_code: string;
  name: string;
  product_type: string;
  offering: string;
  open_ended: boolean;
  tiered: boolean;
  asset_class: string;
  total_assets: number;
  net_assets: number;
  repo_financing: number;
  priority_amount: number | null;
  subordinated_amount: number | null;
  /** Node index in the holdings graph, or null for a product that holds no product and is held by none. */
  idx: number | null;
}

export interface NodeInfo {
  /** A held product that counts as a layer (anything but a public securities fund, or an unreported product). */
  layer: boolean;
  totalAssets: number;
  netAssets: number;
  /** False for a held product missing from the products dataset. */
  reported: boolean;
}

export interface Structure {
  /** Layers of products below each node (Infinity inside a holding circle). */
  depth: Float64Array;
  /** The child on each node's deepest chain, or -1. */
  next: Int32Array;
  /** Look-through total assets over net assets (NaN when net assets are not positive). */
  leverage: Float64Array;
  /** True for nodes on a holding circle. */
  cyclic: Uint8Array;
  /** Holders of each node (in-degree). */
  holders: Int32Array;
}

/**
 * Depth, deepest chain and look-through leverage of every node of the holder -> held graph (CSR weights: market
 * value held). Components of the SCC come sinks first, so every held product is done before its holders.
 */
export function analyseStructure(csr: Csr, info: readonly NodeInfo[]): Structure {
  const n = csr.nodeCount;
  const scc = stronglyConnectedComponents(csr);
  const order = new Int32Array(n).map((_, i) => i).sort((a, b) => scc.componentOf[a]! - scc.componentOf[b]!);
  const depth = new Float64Array(n);
  const next = new Int32Array(n).fill(-1);
  const leverage = new Float64Array(n);
  const cyclic = new Uint8Array(n);
  const holders = new Int32Array(n);
  const weights = csr.weights ?? new Float64Array(csr.edgeCount);
  for (let e = 0; e < csr.edgeCount; e++) holders[csr.targets[e]!]!++;
  for (let v = 0; v < n; v++) if (scc.sizes[scc.componentOf[v]!]! > 1) cyclic[v] = 1;
  for (const v of order) {
    const me = info[v]!;
    let best = 0;
    let bestChild = -1;
    let held = 0;
    let lookThrough = 0;
    for (let e = csr.offsets[v]!; e < csr.offsets[v + 1]!; e++) {
      const w = csr.targets[e]!;
      const value = weights[e]!;
      const child = info[w]!;
      // A child inside the same circle is not finished: the circle itself is the finding.
      const d =
        cyclic[w] && scc.componentOf[w] === scc.componentOf[v]
          ? Number.POSITIVE_INFINITY
          : depth[w]! + (child.layer ? 1 : 0);
      if (d > best || bestChild === -1) {
        best = Math.max(best, d);
        bestChild = w;
      }
      held += value;
      const lw = leverage[w]!;
      lookThrough += value * (Number.isFinite(lw) && lw > 0 && !cyclic[w] ? lw : 1);
    }
    depth[v] = cyclic[v] ? Number.POSITIVE_INFINITY : best;
    next[v] = bestChild;
    leverage[v] = me.netAssets > 0 ? (me.totalAssets - held + lookThrough) / me.netAssets : Number.NaN;
  }
  return { depth, next, leverage, cyclic, holders };
}

export interface ProductStructure {
  products: ProductRow[];
  graph: LakeGraph;
  structure: Structure;
  infoOf: NodeInfo[];
}

/** Reads products and product-to-product holdings from the lake and analyses their structure. */
export async function loadProductStructure(duck: Duck, name: string): Promise<ProductStructure> {
  const graph = await loadLakeGraph(
    duck,
    name,
    `SELECT product_id AS src, asset_product_id AS dst, CAST(market_value AS DOUBLE) AS w
     FROM product_holdings WHERE asset_kind = 'product'`,
    true,
  );
  const products = await rows<ProductRow>(
    duck,
    `SELECT p.product_id, p.manager_code, p.name, p.product_type, p.offering, p.open_ended, p.tiered, p.asset_class,
       CAST(p.total_assets AS DOUBLE) AS total_assets, CAST(p.net_assets AS DOUBLE) AS net_assets,
       CAST(p.repo_financing AS DOUBLE) AS repo_financing, CAST(p.priority_amount AS DOUBLE) AS priority_amount,
       CAST(p.subordinated_amount AS DOUBLE) AS subordinated_amount, n.idx
     FROM products p LEFT JOIN ${graph.nodeTable} n ON n.id = p.product_id
     ORDER BY p.product_id`,
  );
  const infoOf: NodeInfo[] = graph.ids.map(() => ({
    layer: true,
    totalAssets: 0,
    netAssets: 0,
    reported: false,
  }));
  for (const p of products) {
    if (p.idx === null) continue;
    infoOf[p.idx] = {
      layer: p.product_type !== "public_fund",
      totalAssets: p.total_assets,
      netAssets: p.net_assets,
      reported: true,
    };
  }
  return { products, graph, structure: analyseStructure(graph.csr, infoOf), infoOf };
}

/** Nodes reachable from `root` (itself first), breadth first, at most `limit`. */
export function reachableFrom(csr: Csr, root: number, limit = 200): number[] {
  const seen = new Set<number>([root]);
  const queue = [root];
  for (let i = 0; i < queue.length && queue.length < limit; i++) {
    const v = queue[i]!;
    for (let e = csr.offsets[v]!; e < csr.offsets[v + 1]!; e++) {
      const w = csr.targets[e]!;
      if (!seen.has(w)) {
        seen.add(w);
        queue.push(w);
      }
    }
  }
  return queue.slice(0, limit);
}
