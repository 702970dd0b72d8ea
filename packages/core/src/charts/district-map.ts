/**
 * The province's districts as a schematic tile map: one square per district at a rough geographic position (west
 * to east, north to south), since government networks carry no boundary data. A scene like the other charts, so
 * the console and the PDF report draw the same map.
 */
import type { Scene, SceneItem } from "./scene.ts";
import { textWidth } from "./scene.ts";

export interface DistrictTile {
  /** Administrative division code. */
  code: string;
  zh: string;
  en: string;
  /** Short name for the tile itself (the full name goes in its title). */
  shortZh: string;
  col: number;
  row: number;
}

/** Chongqing's 38 districts and counties on an 11 × 9 grid, placed from their seats' longitude and latitude. */
export const provinceTiles: readonly DistrictTile[] = [
  { code: "500229", zh: "城口县", en: "Chengkou", shortZh: "城口", col: 8, row: 0 },
  { code: "500238", zh: "巫溪县", en: "Wuxi", shortZh: "巫溪", col: 9, row: 0 },
  { code: "500154", zh: "开州区", en: "Kaizhou", shortZh: "开州", col: 7, row: 1 },
  { code: "500235", zh: "云阳县", en: "Yunyang", shortZh: "云阳", col: 8, row: 1 },
  { code: "500236", zh: "奉节县", en: "Fengjie", shortZh: "奉节", col: 9, row: 1 },
  { code: "500237", zh: "巫山县", en: "Wushan", shortZh: "巫山", col: 10, row: 1 },
  { code: "500155", zh: "梁平区", en: "Liangping", shortZh: "梁平", col: 6, row: 2 },
  { code: "500101", zh: "万州区", en: "Wanzhou", shortZh: "万州", col: 7, row: 2 },
  { code: "500152", zh: "潼南区", en: "Tongnan", shortZh: "潼南", col: 1, row: 3 },
  { code: "500117", zh: "合川区", en: "Hechuan", shortZh: "合川", col: 2, row: 3 },
  { code: "500231", zh: "垫江县", en: "Dianjiang", shortZh: "垫江", col: 5, row: 3 },
  { code: "500233", zh: "忠县", en: "Zhongxian", shortZh: "忠县", col: 6, row: 3 },
  { code: "500151", zh: "铜梁区", en: "Tongliang", shortZh: "铜梁", col: 1, row: 4 },
  { code: "500109", zh: "北碚区", en: "Beibei", shortZh: "北碚", col: 2, row: 4 },
  { code: "500112", zh: "渝北区", en: "Yubei", shortZh: "渝北", col: 3, row: 4 },
  { code: "500115", zh: "长寿区", en: "Changshou", shortZh: "长寿", col: 4, row: 4 },
  { code: "500230", zh: "丰都县", en: "Fengdu", shortZh: "丰都", col: 5, row: 4 },
  { code: "500240", zh: "石柱土家族自治县", en: "Shizhu", shortZh: "石柱", col: 6, row: 4 },
  { code: "500111", zh: "大足区", en: "Dazu", shortZh: "大足", col: 0, row: 5 },
  { code: "500120", zh: "璧山区", en: "Bishan", shortZh: "璧山", col: 1, row: 5 },
  { code: "500106", zh: "沙坪坝区", en: "Shapingba", shortZh: "沙坪坝", col: 2, row: 5 },
  { code: "500105", zh: "江北区", en: "Jiangbei", shortZh: "江北", col: 3, row: 5 },
  { code: "500102", zh: "涪陵区", en: "Fuling", shortZh: "涪陵", col: 4, row: 5 },
  { code: "500114", zh: "黔江区", en: "Qianjiang", shortZh: "黔江", col: 7, row: 5 },
  { code: "500153", zh: "荣昌区", en: "Rongchang", shortZh: "荣昌", col: 0, row: 6 },
  { code: "500118", zh: "永川区", en: "Yongchuan", shortZh: "永川", col: 1, row: 6 },
  { code: "500107", zh: "九龙坡区", en: "Jiulongpo", shortZh: "九龙坡", col: 2, row: 6 },
  { code: "500103", zh: "渝中区", en: "Yuzhong", shortZh: "渝中", col: 3, row: 6 },
  { code: "500108", zh: "南岸区", en: "Nan'an", shortZh: "南岸", col: 4, row: 6 },
  { code: "500156", zh: "武隆区", en: "Wulong", shortZh: "武隆", col: 5, row: 6 },
  { code: "500243", zh: "彭水苗族土家族自治县", en: "Pengshui", shortZh: "彭水", col: 6, row: 6 },
  { code: "500116", zh: "江津区", en: "Jiangjin", shortZh: "江津", col: 1, row: 7 },
  { code: "500104", zh: "大渡口区", en: "Dadukou", shortZh: "大渡口", col: 2, row: 7 },
  { code: "500113", zh: "巴南区", en: "Banan", shortZh: "巴南", col: 3, row: 7 },
  { code: "500119", zh: "南川区", en: "Nanchuan", shortZh: "南川", col: 4, row: 7 },
  { code: "500242", zh: "酉阳土家族苗族自治县", en: "Youyang", shortZh: "酉阳", col: 7, row: 7 },
  { code: "500110", zh: "綦江区", en: "Qijiang", shortZh: "綦江", col: 3, row: 8 },
  { code: "500241", zh: "秀山土家族苗族自治县", en: "Xiushan", shortZh: "秀山", col: 8, row: 8 },
];

/** The tile of a district as stored in the registry (its Chinese name, English name or division code). */
export function tileOf(district: string): DistrictTile | undefined {
  const d = district.trim();
  return provinceTiles.find(
    (t) => t.zh === d || t.code === d || t.shortZh === d || t.en.toLowerCase() === d.toLowerCase(),
  );
}

export interface DistrictMapSpec {
  lang: "zh" | "en";
  /** One entry per district with data, keyed by the district as stored. */
  districts: readonly {
    district: string;
    fill: string;
    /** Whether the fill is dark enough for white text. */
    dark: boolean;
    /** Full description (name, counts) for the tooltip and the link's accessible name. */
    title: string;
    /** Makes the tile a link. */
    id?: string;
  }[];
  legend: readonly { label: string; color: string }[];
  /** Title of the tiles for districts outside the layout (another province's, or unknown). */
  otherTitle: string;
  /** Fill of layout districts without data. */
  emptyTitle: string;
  tile?: number;
}

const gap = 4;
const cols = 11;

/** The tile map: laid-out districts first, then any district not in the layout in rows below it, then the legend. */
export function districtMap(spec: DistrictMapSpec): Scene {
  const size = spec.tile ?? 46;
  const step = size + gap;
  const items: SceneItem[] = [];
  const byTile = new Map<string, DistrictMapSpec["districts"][number]>();
  const others: DistrictMapSpec["districts"][number][] = [];
  for (const d of spec.districts) {
    const t = tileOf(d.district);
    if (t) byTile.set(t.code, d);
    else others.push(d);
  }
  const name = (t: DistrictTile) => (spec.lang === "zh" ? t.shortZh : t.en);
  const draw = (x: number, y: number, label: string, d: DistrictMapSpec["districts"][number] | undefined) => {
    items.push({
      kind: "rect",
      x,
      y,
      w: size,
      h: size,
      fill: d?.fill ?? "#f4f6f8",
      stroke: "#ffffff",
      title: d?.title ?? `${label}: ${spec.emptyTitle}`,
      ...(d?.id ? { id: d.id } : {}),
    });
    // Long names shrink to fit the tile.
    const fontSize = Math.min(11, (11 * (size - 8)) / Math.max(1, textWidth(label, 11)));
    items.push({
      kind: "text",
      x: x + size / 2,
      y: y + size / 2,
      text: label,
      size: Math.max(6, fontSize),
      anchor: "middle",
      color: d?.dark ? "#ffffff" : "#1f2933",
    });
  };
  let rows = 0;
  for (const t of provinceTiles) {
    draw(t.col * step, t.row * step, name(t), byTile.get(t.code));
    rows = Math.max(rows, t.row + 1);
  }
  let y = rows * step;
  if (others.length > 0) {
    items.push({ kind: "text", x: 0, y: y + 8, text: spec.otherTitle, size: 10, color: "#5f6b7a" });
    y += 18;
    others.forEach((d, i) => {
      const label = d.district.length > 6 ? `${d.district.slice(0, 5)}…` : d.district;
      draw((i % cols) * step, y + Math.floor(i / cols) * step, label, d);
    });
    y += Math.ceil(others.length / cols) * step;
  }
  // Legend: swatch and label per class, wrapping to the width.
  const width = cols * step - gap;
  let lx = 0;
  y += 10;
  for (const l of spec.legend) {
    const w = 16 + textWidth(l.label, 10) + 14;
    if (lx > 0 && lx + w > width) {
      lx = 0;
      y += 18;
    }
    items.push({ kind: "rect", x: lx, y, w: 12, h: 12, fill: l.color, stroke: "#5f6b7a" });
    items.push({ kind: "text", x: lx + 16, y: y + 6, text: l.label, size: 10, color: "#1f2933" });
    lx += w;
  }
  return { width, height: y + 16, items };
}
