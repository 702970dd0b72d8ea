/** A partition of the nodes: componentOf[v] in 0..count-1, sizes[c] = number of nodes in component c. */
export interface Components {
  readonly count: number;
  readonly componentOf: Int32Array;
  readonly sizes: Int32Array;
}

/** Counts the nodes of each component. */
export function componentSizes(componentOf: Int32Array, count: number): Int32Array {
  const sizes = new Int32Array(count);
  for (let v = 0; v < componentOf.length; v++) sizes[componentOf[v]!]!++;
  return sizes;
}

/** Lists the members of each component, ascending, as one flat array with offsets (CSR-style). */
export function componentMembers(components: Components): { offsets: Int32Array; members: Int32Array } {
  const { count, componentOf, sizes } = components;
  const offsets = new Int32Array(count + 1);
  for (let c = 0; c < count; c++) offsets[c + 1] = offsets[c]! + sizes[c]!;
  const cursor = offsets.slice(0, count);
  const members = new Int32Array(componentOf.length);
  for (let v = 0; v < componentOf.length; v++) members[cursor[componentOf[v]!]!++] = v;
  return { offsets, members };
}

/** Index of the largest component (lowest index on ties), or -1 when there are none. */
export function largestComponent(components: Components): number {
  let best = -1;
  let bestSize = -1;
  for (let c = 0; c < components.count; c++) {
    if (components.sizes[c]! > bestSize) {
      best = c;
      bestSize = components.sizes[c]!;
    }
  }
  return best;
}
