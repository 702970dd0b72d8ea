/**
 * Circles in a directed graph (guarantees, endorsements): its non-trivial strongly connected components, each with
 * the short elementary cycles inside it (mutual pairs, triangles, ... up to length 8), counted and listed within a
 * budget so that one dense component cannot stall a run.
 */
import { componentMembers, shortCycles, stronglyConnectedComponents } from "../graph/index.ts";
import type { LakeGraph } from "./lake-graph.ts";

export interface CyclicGroup {
  /** Member ids, ascending. */
  members: string[];
  /** Cycles inside the group as id sequences, each starting at its smallest node (at most `maxCyclesListed`). */
  cycles: string[][];
  /** Cycles found by length (2 = mutual pairs, 3 = triangles, ...). */
  cyclesByLength: Record<number, number>;
  /** False when the cycle search stopped on its work budget (counts are then lower bounds). */
  exhaustive: boolean;
}

export interface CyclicGroupOptions {
  maxLength: number;
  /** Cycles listed per group (all are counted, within the work budget). */
  maxCyclesListed?: number;
  /** Work budget of the cycle search, in examined edges. */
  maxSteps?: number;
}

/** The graph's non-trivial strongly connected components with their short cycles, largest first. */
export function cyclicGroups(graph: LakeGraph, options: CyclicGroupOptions): CyclicGroup[] {
  const scc = stronglyConnectedComponents(graph.csr);
  const found = shortCycles(graph.csr, {
    maxLength: options.maxLength,
    minLength: 2,
    maxCycles: 200_000,
    maxSteps: options.maxSteps ?? 20_000_000,
    components: scc,
  });
  const { offsets, members } = componentMembers(scc);
  const listed = options.maxCyclesListed ?? 20;
  const groups = new Map<number, CyclicGroup>();
  for (let c = 0; c < scc.count; c++) {
    if (scc.sizes[c]! < 2) continue;
    const ids: string[] = [];
    for (let k = offsets[c]!; k < offsets[c + 1]!; k++) ids.push(graph.ids[members[k]!]!);
    groups.set(c, { members: ids.sort(), cycles: [], cyclesByLength: {}, exhaustive: found.exhaustive });
  }
  for (const cycle of found.cycles) {
    const g = groups.get(scc.componentOf[cycle[0]!]!);
    if (!g) continue;
    g.cyclesByLength[cycle.length] = (g.cyclesByLength[cycle.length] ?? 0) + 1;
    if (g.cycles.length < listed) g.cycles.push(cycle.map((v) => graph.ids[v]!));
  }
  return [...groups.values()].sort(
    (a, b) => b.members.length - a.members.length || a.members[0]!.localeCompare(b.members[0]!),
  );
}
