import { useEffect, useMemo, useRef, useState } from "react";
import { forceLayout, initialPositions, type LayoutNode } from "../lib/force-layout.ts";

export interface FGNode {
  id: string;
  label: string;
  color: string;
  /** Radius; defaults to 7. */
  size?: number;
  title?: string;
}

export interface FGEdge {
  source: string;
  target: string;
  color?: string;
  width?: number;
}

interface Props {
  nodes: readonly FGNode[];
  edges: readonly FGEdge[];
  width?: number;
  height?: number;
  label: string;
  directed?: boolean;
  selected?: string | null;
  onSelect?: (id: string) => void;
  showLabels?: boolean;
}

/**
 * A small interactive graph: laid out once by force, nodes can be dragged (mouse or touch), focused with Tab and
 * chosen with Enter; arrows show direction (who guarantees whom, who lends to whom).
 */
export function ForceGraph({
  nodes,
  edges,
  width = 640,
  height = 420,
  label,
  directed,
  selected,
  onSelect,
  showLabels = true,
}: Props) {
  const ids = nodes.map((n) => n.id).join("|");
  const edgeKey = edges.map((e) => `${e.source}>${e.target}`).join("|");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the layout depends on the graph's shape, keyed by ids.
  const initial = useMemo(() => {
    const pos = initialPositions(
      nodes.map((n) => n.id),
      width,
      height,
    );
    return forceLayout(pos, edges, width, height, nodes.length > 150 ? 150 : 300);
  }, [ids, edgeKey, width, height]);
  const [pos, setPos] = useState<LayoutNode[]>(initial);
  useEffect(() => setPos(initial), [initial]);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<string | null>(null);
  const at = new Map(pos.map((p) => [p.id, p]));
  const toLocal = (e: { clientX: number; clientY: number }) => {
    const r = svg.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * width, y: ((e.clientY - r.top) / r.height) * height };
  };
  const move = (id: string, x: number, y: number) =>
    setPos((ps) =>
      ps.map((p) =>
        p.id === id
          ? {
              ...p,
              x: Math.min(width - 8, Math.max(8, x)),
              y: Math.min(height - 8, Math.max(8, y)),
              fixed: true,
            }
          : p,
      ),
    );
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG cannot be a fieldset; its focusable nodes form the group.
    <svg
      ref={svg}
      className="graph"
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ maxWidth: width, touchAction: "none" }}
      role="group"
      aria-label={label}
      onPointerMove={(e) => {
        if (drag.current) {
          const p = toLocal(e);
          move(drag.current, p.x, p.y);
        }
      }}
      onPointerUp={() => {
        drag.current = null;
      }}
      onPointerLeave={() => {
        drag.current = null;
      }}
    >
      <title>{label}</title>
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="16"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0L10,5L0,10z" fill="#7b8794" />
        </marker>
      </defs>
      {edges.map((e, i) => {
        const a = at.get(e.source);
        const b = at.get(e.target);
        if (!a || !b) return null;
        return (
          <line
            // biome-ignore lint/suspicious/noArrayIndexKey: parallel edges share endpoints; their order is stable.
            key={`${e.source}>${e.target}:${i}`}
            x1={a.x}
            y1={a.y}
            x2={b.x}
            y2={b.y}
            stroke={e.color ?? "#9aa5b1"}
            strokeWidth={e.width ?? 1.2}
            markerEnd={directed ? "url(#arrow)" : undefined}
          />
        );
      })}
      {nodes.map((n) => {
        const p = at.get(n.id);
        if (!p) return null;
        const r = n.size ?? 7;
        const isSel = selected === n.id;
        return (
          // biome-ignore lint/a11y/useSemanticElements: an SVG node cannot be a <button>; it has the role and keys of one.
          <g
            key={n.id}
            transform={`translate(${p.x},${p.y})`}
            className="graph-node"
            tabIndex={0}
            role="button"
            aria-label={n.title ?? n.label}
            aria-pressed={isSel}
            onPointerDown={(e) => {
              drag.current = n.id;
              (e.target as Element).setPointerCapture?.(e.pointerId);
            }}
            onClick={() => onSelect?.(n.id)}
            onKeyDown={(e) => {
              const step = 10;
              if (e.key === "Enter" || e.key === " ") {
                e.preventDefault();
                onSelect?.(n.id);
              } else if (e.key.startsWith("Arrow")) {
                e.preventDefault();
                const d = {
                  ArrowLeft: [-step, 0],
                  ArrowRight: [step, 0],
                  ArrowUp: [0, -step],
                  ArrowDown: [0, step],
                }[e.key] ?? [0, 0];
                move(n.id, p.x + d[0]!, p.y + d[1]!);
              }
            }}
          >
            <title>{n.title ?? n.label}</title>
            <circle
              r={r}
              fill={n.color}
              stroke={isSel ? "#111827" : "#ffffff"}
              strokeWidth={isSel ? 3 : 1.5}
            />
            {showLabels ? (
              <text
                x={r + 3}
                y={0}
                dominantBaseline="central"
                fontSize={10}
                fill="#1f2933"
                pointerEvents="none"
              >
                {n.label.length > 18 ? `${n.label.slice(0, 17)}…` : n.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
