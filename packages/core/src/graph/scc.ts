import { type Components, componentSizes } from "./components.ts";
import type { Csr } from "./csr.ts";

/**
 * Strongly connected components by an iterative form of Pearce's single-array variant of Tarjan's algorithm.
 * Component ids come out in reverse topological order of the condensation: component 0 has no edge to
 * any other component (a sink), and every edge between components goes from a higher id to a lower one.
 */
export function stronglyConnectedComponents(csr: Csr): Components {
  const n = csr.nodeCount;
  const { offsets, targets } = csr;
  // rindex[v]: 0 = unvisited; 1..n = DFS index, lowered to the lowlink while v is live;
  // base + c once v is assigned to component c. base exceeds every live value, so assigned
  // nodes never lower anyone's lowlink without an extra "on stack" test.
  const base = n + 1;
  const rindex = new Int32Array(n);
  // DFS call stack: node, next edge slot to scan, and the node's own DFS index (root test on exit).
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const callIndex = new Int32Array(n);
  // Finished nodes not yet assigned (Tarjan's stack; roots are never pushed, as in Pearce).
  const pending = new Int32Array(n);
  let pendingTop = -1;
  let nextIndex = 1;
  let count = 0;

  for (let start = 0; start < n; start++) {
    if (rindex[start] !== 0) continue;
    let sp = 0;
    callNode[0] = start;
    callEdge[0] = offsets[start]!;
    callIndex[0] = nextIndex;
    rindex[start] = nextIndex++;

    frames: while (sp >= 0) {
      const v = callNode[sp]!;
      let low = rindex[v]!;
      const end = offsets[v + 1]!;
      for (let e = callEdge[sp]!; e < end; e++) {
        const w = targets[e]!;
        const rw = rindex[w]!;
        if (rw === 0) {
          // Descend into w; v resumes after edge e, and w's lowlink is folded into v when w returns.
          rindex[v] = low;
          callEdge[sp] = e + 1;
          sp++;
          callNode[sp] = w;
          callEdge[sp] = offsets[w]!;
          callIndex[sp] = nextIndex;
          rindex[w] = nextIndex++;
          continue frames;
        }
        if (rw < low) low = rw;
      }

      // All edges of v scanned.
      let finished: number;
      if (low === callIndex[sp]) {
        // v is a root: it and every pending node with lowlink >= its index form one component.
        finished = base + count;
        while (pendingTop >= 0) {
          const u = pending[pendingTop]!;
          if (rindex[u]! < low) break;
          rindex[u] = finished;
          pendingTop--;
        }
        count++;
      } else {
        finished = low;
        pending[++pendingTop] = v;
      }
      rindex[v] = finished;
      sp--;
      if (sp >= 0) {
        const parent = callNode[sp]!;
        if (finished < rindex[parent]!) rindex[parent] = finished;
      }
    }
  }

  // Every node is assigned by now; turn rindex into component ids in place.
  for (let v = 0; v < n; v++) rindex[v]! -= base;
  return { count, componentOf: rindex, sizes: componentSizes(rindex, count) };
}
