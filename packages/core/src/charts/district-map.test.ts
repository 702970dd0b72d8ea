import { describe, expect, test } from "vitest";
import { districts } from "../generate/ids.ts";
import { districtMap, provinceTiles, tileOf } from "./district-map.ts";

describe("district tile map", () => {
  test("every district of the province has its own cell, found by Chinese name, code or English name", () => {
    expect(provinceTiles).toHaveLength(districts.length);
    for (const d of districts) {
      expect(tileOf(d.zh)?.code).toBe(d.code);
      expect(tileOf(d.code)?.en).toBe(d.en);
      expect(tileOf(d.en.toUpperCase())?.zh).toBe(d.zh);
    }
    const cells = new Set(provinceTiles.map((t) => `${t.col},${t.row}`));
    expect(cells.size).toBe(provinceTiles.length);
  });

  test("districts with data are coloured links; others are pale; unknown ones go below the map", () => {
    const scene = districtMap({
      lang: "en",
      districts: [
        { district: "渝中区", fill: "#c62828", dark: true, title: "Yuzhong: red", id: "渝中区" },
        { district: "Elsewhere", fill: "#2e7d32", dark: true, title: "Elsewhere: green", id: "Elsewhere" },
      ],
      legend: [{ label: "Red", color: "#c62828" }],
      otherTitle: "Outside the map",
      emptyTitle: "no institutions",
    });
    const rects = scene.items.filter((i) => i.kind === "rect");
    const links = rects.filter((r) => r.kind === "rect" && r.id);
    expect(links.map((r) => r.kind === "rect" && r.title)).toEqual(["Yuzhong: red", "Elsewhere: green"]);
    const wanzhou = rects.find((r) => r.kind === "rect" && r.title?.startsWith("Wanzhou"));
    expect(wanzhou).toMatchObject({ fill: "#f4f6f8", title: "Wanzhou: no institutions" });
    const texts = scene.items.flatMap((i) => (i.kind === "text" ? [i.text] : []));
    expect(texts).toContain("Outside the map");
    expect(texts).toContain("Red");
    // The unknown district sits below every laid-out row.
    const y = (r: (typeof rects)[number]) => (r.kind === "rect" ? r.y : 0);
    const other = rects.find((r) => r.kind === "rect" && r.id === "Elsewhere")!;
    const laidOut = rects.filter((r) => r.kind === "rect" && r.id !== "Elsewhere" && r.w > 12);
    expect(y(other)).toBeGreaterThan(Math.max(...laidOut.map(y)));
  });
});
