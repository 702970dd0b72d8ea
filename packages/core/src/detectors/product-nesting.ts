/**
 * Multi-layer nesting (多层嵌套): asset-management products investing through more layers of products than the one
 * the 2018 asset-management rules allow (a public securities fund held does not count as a layer), or holding each
 * other in a circle. One finding per top-most product of each offending structure, listing the whole structure.
 */
import { defineParams } from "../rules/params.ts";
import { intParam } from "./params.ts";
import { loadProductStructure, type ProductStructure, reachableFrom } from "./product-structure.ts";
import { distinct, score, severityOf } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface ProductNestingParams {
  allowed_layers: number;
}

const params = defineParams({
  allowed_layers: intParam(1, 0, 10, {
    status: "confirmed",
    en: "Layers of products a product may invest through (public securities funds not counted)",
    zh: "资管产品可投资的产品层数（公募证券投资基金不计入）",
    note: "银发〔2018〕106号 art. 22: one more layer at most.",
  }),
});

/** Findings for the top-most products whose structure is deeper than allowed or circular. */
export function nestingFindings(ps: ProductStructure, p: ProductNestingParams): FindingDraft[] {
  const { graph, structure, products } = ps;
  const byIdx = new Map(products.filter((r) => r.idx !== null).map((r) => [r.idx!, r]));
  const n = graph.csr.nodeCount;
  // A node has a holder that is itself in breach: it is not top-most.
  const heldByBreach = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    if (!(structure.depth[v]! > p.allowed_layers)) continue;
    for (let e = graph.csr.offsets[v]!; e < graph.csr.offsets[v + 1]!; e++) {
      const w = graph.csr.targets[e]!;
      // Inside a circle only the smallest node stands for it.
      if (!(structure.cyclic[w] && structure.cyclic[v] && w < v)) heldByBreach[w] = 1;
    }
  }
  const out: FindingDraft[] = [];
  for (let v = 0; v < n; v++) {
    const depth = structure.depth[v]!;
    if (!(depth > p.allowed_layers) || heldByBreach[v]) continue;
    const chain: number[] = [];
    for (let x = v; x !== -1 && chain.length < 50 && !chain.includes(x); x = structure.next[x]!)
      chain.push(x);
    const tree = reachableFrom(graph.csr, v);
    const members = tree.map((x) => graph.ids[x]!);
    const circular = !Number.isFinite(depth);
    const top = byIdx.get(v);
    const s = score(45 + (circular ? 40 : 15 * (depth - p.allowed_layers)) + 2 * Math.min(10, tree.length));
    const chainText = chain.map((x) => graph.ids[x]!).join(" -> ");
    const depthText = circular ? "circular" : String(depth);
    out.push({
      subjectKind: "product",
      subjectId: graph.ids[v]!,
      memberKind: "product",
      members,
      institutions: distinct(
        tree.map((x) => byIdx.get(x)?.manager_code).filter((c): c is string => c !== undefined),
      ),
      severity: severityOf(s),
      score: s,
      explanation: {
        en: circular
          ? `Product ${graph.ids[v]} is part of products holding each other in a circle (${chainText}).`
          : `Product ${graph.ids[v]}${top ? ` (${top.manager_code})` : ""} invests through ${depth} layers of products, more than the ${p.allowed_layers} allowed: ${chainText}.`,
        zh: circular
          ? `产品 ${graph.ids[v]} 与其他产品循环嵌套（${chainText}）。`
          : `产品 ${graph.ids[v]}${top ? `（${top.manager_code}）` : ""} 通过 ${depth} 层产品进行投资，超过允许的 ${p.allowed_layers} 层：${chainText}。`,
      },
      evidence: {
        depth: depthText,
        allowedLayers: p.allowed_layers,
        chain: chain.map((x) => {
          const r = byIdx.get(x);
          return {
            product: graph.ids[x],
            type: r?.product_type ?? null,
            manager: r?.manager_code ?? null,
            reported: ps.infoOf[x]!.reported,
          };
        }),
        structureSize: tree.length,
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const productNesting = defineDetector<ProductNestingParams>({
  id: "product_nesting",
  version: "1.0.0",
  en: "Multi-layer nesting of asset-management products",
  zh: "资管产品多层嵌套",
  description: {
    en: "Products investing through more than one layer of other products (public securities funds not counted), or in circles.",
    zh: "投资超过一层其他资管产品（公募证券投资基金除外）或循环嵌套的产品。",
  },
  leadUnit: "pbc_cq",
  datasets: [
    { name: "products", window: "period" },
    { name: "product_holdings", window: "period" },
  ],
  params,
  async run(ctx, p) {
    return nestingFindings(await loadProductStructure(ctx.duck, "nest"), p);
  },
});
