import type { Scene } from "@beacon/core/charts/scene";

/** Draws a chart scene with pdfkit's vector operations at (x, y), scaled to `width` points. Returns the height used. */
export function drawScene(
  doc: PDFKit.PDFDocument,
  scene: Scene,
  x: number,
  y: number,
  width: number,
  font: string,
): number {
  const k = width / scene.width;
  doc.save();
  doc.translate(x, y).scale(k);
  for (const item of scene.items) {
    switch (item.kind) {
      case "path": {
        doc.path(item.d);
        if (item.dash?.length) doc.dash(item.dash[0]!, { space: item.dash[1] ?? item.dash[0]! });
        else doc.undash();
        doc.lineWidth(item.width ?? 1);
        if (item.fill && item.stroke) doc.fillAndStroke(item.fill, item.stroke);
        else if (item.fill) doc.fill(item.fill);
        else doc.stroke(item.stroke ?? "#000000");
        doc.undash();
        break;
      }
      case "rect":
        doc.rect(item.x, item.y, item.w, item.h);
        if (item.stroke) doc.lineWidth(1).fillAndStroke(item.fill, item.stroke);
        else doc.fill(item.fill);
        break;
      case "circle":
        doc.circle(item.cx, item.cy, item.r).fill(item.fill);
        break;
      case "text": {
        const size = item.size ?? 10;
        doc
          .font(font)
          .fontSize(size)
          .fillColor(item.color ?? "#1f2933");
        const w = doc.widthOfString(item.text);
        const left = item.anchor === "middle" ? item.x - w / 2 : item.anchor === "end" ? item.x - w : item.x;
        // pdfkit places text by the top of its line box; the scene gives the vertical centre.
        doc.text(item.text, left, item.y - size * 0.62, { lineBreak: false });
        break;
      }
    }
  }
  doc.restore();
  return scene.height * k;
}
