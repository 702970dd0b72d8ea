/**
 * Charts as scenes: a list of drawing primitives in a fixed coordinate box. The console renders a scene as
 * SVG and the PDF report draws the same scene with pdfkit's vector operations, so a chart looks the same in
 * both. Builders take their labels already translated: a scene holds no language of its own.
 */

export type SceneItem =
  | {
      kind: "path";
      d: string;
      stroke?: string;
      fill?: string;
      width?: number;
      dash?: readonly number[];
      title?: string;
    }
  | {
      kind: "rect";
      x: number;
      y: number;
      w: number;
      h: number;
      fill: string;
      stroke?: string;
      title?: string;
      id?: string;
    }
  | {
      kind: "circle";
      cx: number;
      cy: number;
      r: number;
      fill: string;
      stroke?: string;
      title?: string;
      id?: string;
    }
  | {
      kind: "text";
      x: number;
      /** Vertical centre of the text. */
      y: number;
      text: string;
      size?: number;
      color?: string;
      anchor?: "start" | "middle" | "end";
      bold?: boolean;
    };

export interface Scene {
  width: number;
  height: number;
  items: SceneItem[];
}

/** Risk-level colours, dark enough to read against white and told apart by position and label too. */
export const levelColors: Record<string, string> = {
  red: "#c62828",
  orange: "#d84315",
  yellow: "#b58900",
  blue: "#1565c0",
  green: "#2e7d32",
};

export const palette = [
  "#1565c0",
  "#c62828",
  "#2e7d32",
  "#6a1b9a",
  "#d84315",
  "#00838f",
  "#5d4037",
  "#455a64",
];

const axisColor = "#5f6b7a";
const gridColor = "#dde3ea";
const textColor = "#1f2933";

/** Rough width of a label at a font size: CJK characters are about square, Latin ones a bit over half. */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? size : size * 0.58;
  return w;
}

/** Round tick values covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((start + ticks.length * step).toFixed(12)));
  return ticks;
}

export interface LineSeries {
  name: string;
  values: readonly (number | null)[];
  color?: string;
}

export interface ReferenceLine {
  value: number;
  label: string;
  color: string;
  dash?: readonly number[];
}

export interface LineChartSpec {
  width: number;
  height: number;
  categories: readonly string[];
  series: readonly LineSeries[];
  lines?: readonly ReferenceLine[];
  format: (n: number) => string;
  /** Show every n-th category label (long time axes). */
  labelEvery?: number;
}

const pad = { left: 56, right: 16, top: 14, bottom: 40 };

/** A line chart over categories (periods), with horizontal reference lines (warning and regulatory lines). */
export function lineChart(spec: LineChartSpec): Scene {
  const { width, height, categories } = spec;
  const items: SceneItem[] = [];
  const legendRows = spec.series.length > 1 || (spec.lines?.length ?? 0) > 0 ? 1 : 0;
  const bottom = pad.bottom + legendRows * 16;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - bottom;
  const values: number[] = [];
  for (const s of spec.series) for (const v of s.values) if (v !== null && Number.isFinite(v)) values.push(v);
  for (const l of spec.lines ?? []) values.push(l.value);
  const ticks = niceTicks(
    values.length ? Math.min(...values) : 0,
    values.length ? Math.max(...values) : 1,
    4,
  );
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const y = (v: number) => pad.top + plotH - ((v - lo) / (hi - lo || 1)) * plotH;
  const n = categories.length;
  const x = (i: number) => pad.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  for (const t of ticks) {
    items.push({ kind: "path", d: `M${pad.left},${y(t)}H${pad.left + plotW}`, stroke: gridColor, width: 1 });
    items.push({
      kind: "text",
      x: pad.left - 6,
      y: y(t),
      text: spec.format(t),
      size: 9,
      color: axisColor,
      anchor: "end",
    });
  }
  items.push({
    kind: "path",
    d: `M${pad.left},${pad.top + plotH}H${pad.left + plotW}`,
    stroke: axisColor,
    width: 1,
  });
  const every = spec.labelEvery ?? Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / 56))));
  categories.forEach((c, i) => {
    if (i % every === 0 || i === n - 1) {
      items.push({
        kind: "text",
        x: x(i),
        y: pad.top + plotH + 12,
        text: c,
        size: 9,
        color: axisColor,
        anchor: "middle",
      });
    }
  });
  for (const l of spec.lines ?? []) {
    items.push({
      kind: "path",
      d: `M${pad.left},${y(l.value)}H${pad.left + plotW}`,
      stroke: l.color,
      width: 1.5,
      dash: l.dash ?? [6, 4],
      title: `${l.label}: ${spec.format(l.value)}`,
    });
  }
  spec.series.forEach((s, si) => {
    const color = s.color ?? palette[si % palette.length]!;
    let d = "";
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    if (d) items.push({ kind: "path", d, stroke: color, width: 2 });
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      items.push({
        kind: "circle",
        cx: x(i),
        cy: y(v),
        r: 2.5,
        fill: color,
        title: `${s.name} ${categories[i]}: ${spec.format(v)}`,
      });
    });
  });
  if (legendRows) {
    let lx = pad.left;
    const ly = height - 10;
    const entries = [
      ...spec.series.map((s, i) => ({
        label: s.name,
        color: s.color ?? palette[i % palette.length]!,
        dash: undefined,
      })),
      ...(spec.lines ?? []).map((l) => ({ label: l.label, color: l.color, dash: l.dash ?? [6, 4] })),
    ];
    for (const e of entries) {
      items.push({
        kind: "path",
        d: `M${lx},${ly}h16`,
        stroke: e.color,
        width: 2,
        ...(e.dash ? { dash: e.dash } : {}),
      });
      items.push({ kind: "text", x: lx + 20, y: ly, text: e.label, size: 9, color: textColor });
      lx += 30 + textWidth(e.label, 9);
    }
  }
  return { width, height, items };
}

export interface BarChartSpec {
  width: number;
  height: number;
  categories: readonly string[];
  /** Stacked segments: one series per segment kind. */
  series: readonly { name: string; values: readonly number[]; color: string }[];
  format: (n: number) => string;
  /** Ids per category, for click-through. */
  ids?: readonly string[];
}

/** Horizontal stacked bars, one row per category, with a legend. */
export function barChart(spec: BarChartSpec): Scene {
  const { width, categories } = spec;
  const rowH = 20;
  const labelW = Math.min(180, Math.max(60, ...categories.map((c) => textWidth(c, 10) + 4)));
  const left = labelW + 10;
  const top = 8;
  const legendH = spec.series.length > 1 ? 20 : 0;
  const height = spec.height > 0 ? spec.height : top + categories.length * rowH + 26 + legendH;
  const plotW = width - left - 50;
  const totals = categories.map((_, i) => spec.series.reduce((s, se) => s + (se.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const ticks = niceTicks(0, max, 4);
  const hi = ticks[ticks.length - 1]!;
  const sx = (v: number) => (v / hi) * plotW;
  const items: SceneItem[] = [];
  const plotBottom = top + categories.length * rowH;
  for (const t of ticks) {
    items.push({ kind: "path", d: `M${left + sx(t)},${top}V${plotBottom}`, stroke: gridColor, width: 1 });
    items.push({
      kind: "text",
      x: left + sx(t),
      y: plotBottom + 10,
      text: spec.format(t),
      size: 9,
      color: axisColor,
      anchor: "middle",
    });
  }
  categories.forEach((c, i) => {
    const cy = top + i * rowH + rowH / 2;
    items.push({ kind: "text", x: left - 6, y: cy, text: c, size: 10, color: textColor, anchor: "end" });
    let acc = 0;
    for (const s of spec.series) {
      const v = s.values[i] ?? 0;
      if (v > 0) {
        items.push({
          kind: "rect",
          x: left + sx(acc),
          y: cy - 7,
          w: Math.max(1, sx(v)),
          h: 14,
          fill: s.color,
          title: `${c} · ${s.name}: ${spec.format(v)}`,
          ...(spec.ids?.[i] ? { id: spec.ids[i] } : {}),
        });
      }
      acc += v;
    }
    items.push({
      kind: "text",
      x: left + sx(acc) + 4,
      y: cy,
      text: spec.format(totals[i]!),
      size: 9,
      color: axisColor,
    });
  });
  if (legendH) {
    let lx = left;
    const ly = height - 8;
    for (const s of spec.series) {
      items.push({ kind: "rect", x: lx, y: ly - 5, w: 10, h: 10, fill: s.color });
      items.push({ kind: "text", x: lx + 14, y: ly, text: s.name, size: 9, color: textColor });
      lx += 26 + textWidth(s.name, 9);
    }
  }
  return { width, height, items };
}

export interface HeatmapSpec {
  width: number;
  rows: readonly string[];
  cols: readonly string[];
  values: readonly (readonly number[])[];
  /** Colour of each column at full strength (a risk level's colour). */
  colColors: readonly string[];
  format: (n: number) => string;
  /** Id of each cell, row then column, for click-through. */
  ids?: readonly (readonly string[])[];
}

/** A grid of counts (sectors by level): cell shade grows with the count, the count is written in the cell. */
export function heatmap(spec: HeatmapSpec): Scene {
  const labelW = Math.min(170, Math.max(60, ...spec.rows.map((r) => textWidth(r, 10) + 4)));
  const cellW = Math.max(40, (spec.width - labelW - 10) / Math.max(1, spec.cols.length));
  const cellH = 26;
  const top = 22;
  const items: SceneItem[] = [];
  spec.cols.forEach((c, j) => {
    items.push({
      kind: "text",
      x: labelW + 10 + j * cellW + cellW / 2,
      y: 10,
      text: c,
      size: 10,
      color: textColor,
      anchor: "middle",
      bold: true,
    });
  });
  spec.rows.forEach((r, i) => {
    const y = top + i * cellH;
    items.push({
      kind: "text",
      x: labelW + 4,
      y: y + cellH / 2,
      text: r,
      size: 10,
      color: textColor,
      anchor: "end",
    });
    spec.cols.forEach((c, j) => {
      const v = spec.values[i]?.[j] ?? 0;
      const colMax = Math.max(1, ...spec.values.map((row) => row[j] ?? 0));
      const strength = v === 0 ? 0 : 0.25 + 0.75 * (v / colMax);
      const x = labelW + 10 + j * cellW;
      const id = spec.ids?.[i]?.[j];
      items.push({
        kind: "rect",
        x: x + 1,
        y: y + 1,
        w: cellW - 2,
        h: cellH - 2,
        fill: v === 0 ? "#f4f6f8" : mix(spec.colColors[j] ?? "#1565c0", strength),
        stroke: "#ffffff",
        title: `${r} · ${c}: ${spec.format(v)}`,
        ...(id ? { id } : {}),
      });
      items.push({
        kind: "text",
        x: x + cellW / 2,
        y: y + cellH / 2,
        text: spec.format(v),
        size: 10,
        color: strength > 0.55 ? "#ffffff" : textColor,
        anchor: "middle",
        bold: v > 0,
      });
    });
  });
  return { width: spec.width, height: top + spec.rows.length * cellH + 4, items };
}

/** The colour blended toward white: strength 1 is the colour itself. */
export function mix(hex: string, strength: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const ch = (shift: number) => {
    const c = (n >> shift) & 255;
    return Math.round(255 - (255 - c) * Math.min(1, Math.max(0, strength)));
  };
  return `#${[16, 8, 0].map((s) => ch(s).toString(16).padStart(2, "0")).join("")}`;
}
