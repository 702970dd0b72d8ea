/**
 * A small force-directed layout for subgraphs of up to a few hundred nodes: charges repel, edges pull like
 * springs, a weak pull keeps the picture centred. Deterministic (nodes start on a circle), so the same graph
 * always looks the same.
 */

export interface LayoutNode {
  id: string;
  x: number;
  y: number;
  /** Pinned nodes (dragged by the user) keep their place. */
  fixed?: boolean;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export function initialPositions(ids: readonly string[], width: number, height: number): LayoutNode[] {
  const r = Math.min(width, height) * 0.35;
  return ids.map((id, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, ids.length);
    return { id, x: width / 2 + r * Math.cos(a), y: height / 2 + r * Math.sin(a) };
  });
}

/** Runs `iterations` steps of the simulation on the nodes in place and returns them. */
export function forceLayout(
  nodes: LayoutNode[],
  edges: readonly LayoutEdge[],
  width: number,
  height: number,
  iterations = 300,
): LayoutNode[] {
  const n = nodes.length;
  if (n === 0) return nodes;
  const index = new Map(nodes.map((nd, i) => [nd.id, i]));
  const pairs = edges
    .map((e) => [index.get(e.source), index.get(e.target)] as const)
    .filter((p): p is readonly [number, number] => p[0] !== undefined && p[1] !== undefined && p[0] !== p[1]);
  const area = width * height;
  const k = Math.sqrt(area / n) * 0.75;
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  let temperature = Math.min(width, height) / 8;
  const cool = temperature / (iterations + 1);
  for (let it = 0; it < iterations; it++) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      const a = nodes[i]!;
      for (let j = i + 1; j < n; j++) {
        const b = nodes[j]!;
        let x = a.x - b.x;
        let y = a.y - b.y;
        let d2 = x * x + y * y;
        if (d2 < 0.01) {
          // Coincident nodes: push apart along a fixed direction so the result stays deterministic.
          x = 0.1 * ((i % 7) - 3) || 0.1;
          y = 0.1 * ((j % 5) - 2) || 0.1;
          d2 = x * x + y * y;
        }
        const f = (k * k) / d2;
        dx[i]! += x * f;
        dy[i]! += y * f;
        dx[j]! -= x * f;
        dy[j]! -= y * f;
      }
    }
    for (const [i, j] of pairs) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      const x = a.x - b.x;
      const y = a.y - b.y;
      const d = Math.sqrt(x * x + y * y) || 0.01;
      const f = d / k;
      dx[i]! -= x * f;
      dy[i]! -= y * f;
      dx[j]! += x * f;
      dy[j]! += y * f;
    }
    for (let i = 0; i < n; i++) {
      const a = nodes[i]!;
      if (a.fixed) continue;
      dx[i]! += (width / 2 - a.x) * 0.02 * k;
      dy[i]! += (height / 2 - a.y) * 0.02 * k;
      const len = Math.sqrt(dx[i]! * dx[i]! + dy[i]! * dy[i]!) || 1;
      const step = Math.min(len, temperature);
      a.x = Math.min(width - 16, Math.max(16, a.x + (dx[i]! / len) * step));
      a.y = Math.min(height - 16, Math.max(16, a.y + (dy[i]! / len) * step));
    }
    temperature = Math.max(0.5, temperature - cool);
  }
  return nodes;
}
