import type { Scene, SceneItem } from "@beacon/core/charts/scene";

interface Props {
  scene: Scene;
  /** Accessible name of the chart. */
  label: string;
  /** Called with an item's id when a clickable item (one with an id) is chosen by mouse or keyboard. */
  onSelect?: (id: string) => void;
}

/** A chart scene drawn as SVG; items with an id are focusable and open what they stand for. */
export function SceneSvg({ scene, label, onSelect }: Props) {
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${scene.width} ${scene.height}`}
      width="100%"
      style={{ maxWidth: scene.width }}
      role="img"
      aria-label={label}
    >
      <title>{label}</title>
      {scene.items.map((item, i) => (
        // Items have no identity beyond their place in the scene, which is stable for a given scene.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        <Item key={i} item={item} onSelect={onSelect} />
      ))}
    </svg>
  );
}

function Item({ item, onSelect }: { item: SceneItem; onSelect?: ((id: string) => void) | undefined }) {
  switch (item.kind) {
    case "path":
      return (
        <path
          d={item.d}
          stroke={item.stroke ?? "none"}
          fill={item.fill ?? "none"}
          strokeWidth={item.width ?? 1}
          strokeDasharray={item.dash?.join(" ")}
        >
          {item.title ? <title>{item.title}</title> : null}
        </path>
      );
    case "rect": {
      const rect = (
        <rect x={item.x} y={item.y} width={item.w} height={item.h} fill={item.fill} stroke={item.stroke}>
          {item.title ? <title>{item.title}</title> : null}
        </rect>
      );
      const id = item.id;
      if (!id || !onSelect) return rect;
      // A link in the chart: focusable, opened by Enter like any link.
      return (
        <a
          href={`#${id}`}
          className="chart-link"
          aria-label={item.title}
          onClick={(e) => {
            e.preventDefault();
            onSelect(id);
          }}
        >
          {rect}
        </a>
      );
    }
    case "circle":
      return (
        <circle cx={item.cx} cy={item.cy} r={item.r} fill={item.fill} stroke={item.stroke}>
          {item.title ? <title>{item.title}</title> : null}
        </circle>
      );
    case "text":
      return (
        <text
          x={item.x}
          y={item.y}
          fontSize={item.size ?? 10}
          fill={item.color ?? "#1f2933"}
          textAnchor={item.anchor ?? "start"}
          dominantBaseline="central"
          fontWeight={item.bold ? 600 : 400}
          pointerEvents="none"
        >
          {item.text}
        </text>
      );
  }
}
