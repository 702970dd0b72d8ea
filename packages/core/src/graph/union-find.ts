import { type Components, componentSizes } from "./components.ts";
import type { Csr } from "./csr.ts";

/** Disjoint sets over 0..size-1 with union by size and path compression, all in typed arrays. */
export class UnionFind {
  readonly #parent: Int32Array;
  readonly #size: Int32Array;

  constructor(size: number) {
    this.#parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.#parent[i] = i;
    this.#size = new Int32Array(size).fill(1);
  }

  /** The representative of x's set. */
  find(x: number): number {
    const parent = this.#parent;
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    // Second pass points every node on the path straight at the root.
    while (parent[x] !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  }

  /** Merges the sets of a and b; returns false when they were already one set. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.#size[ra]! < this.#size[rb]!) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    this.#parent[rb] = ra;
    this.#size[ra]! += this.#size[rb]!;
    return true;
  }

  /** Size of x's set. */
  sizeOf(x: number): number {
    return this.#size[this.find(x)]!;
  }

  /** Dense labels 0..count-1, numbered in order of each set's smallest element. */
  components(): Components {
    const n = this.#parent.length;
    const label = new Int32Array(n).fill(-1);
    const componentOf = new Int32Array(n);
    let count = 0;
    for (let v = 0; v < n; v++) {
      const r = this.find(v);
      if (label[r] === -1) label[r] = count++;
      componentOf[v] = label[r]!;
    }
    return { count, componentOf, sizes: componentSizes(componentOf, count) };
  }
}

/** Weakly connected components (edge direction ignored), labelled in order of their smallest node. */
export function weaklyConnectedComponents(csr: Csr): Components {
  const uf = new UnionFind(csr.nodeCount);
  const { offsets, targets } = csr;
  for (let v = 0; v < csr.nodeCount; v++) {
    const end = offsets[v + 1]!;
    for (let e = offsets[v]!; e < end; e++) uf.union(v, targets[e]!);
  }
  return uf.components();
}
