export { type Components, componentMembers, componentSizes, largestComponent } from "./components.ts";
export {
  type BuildCsrOptions,
  buildCsr,
  type Csr,
  csrEdges,
  inducedSubgraph,
  reverseCsr,
  type SimplifyOptions,
  type Subgraph,
  simplifyCsr,
} from "./csr.ts";
export { MAX_CYCLE_LENGTH, type ShortCycleOptions, type ShortCycles, shortCycles } from "./cycles.ts";
export { type FlowEdges, type FlowWindow, fanNodes, type NodeFlows, nodeFlows } from "./flows.ts";
export { IdIndex, indexEdges } from "./id-index.ts";
export { stronglyConnectedComponents } from "./scc.ts";
export {
  type AttributeRows,
  type SharedAttributeComponents,
  type SharedAttributeOptions,
  type SharedComponent,
  type SharedValue,
  type SkippedValue,
  sharedAttributeComponents,
} from "./shared-attributes.ts";
export { UnionFind, weaklyConnectedComponents } from "./union-find.ts";
