import ExcelJS from "exceljs";
import { describe, expect, test } from "vitest";
import { crc32, toCsv, toXlsx } from "./export.ts";

describe("table export", () => {
  test("CSV starts with a byte-order mark, quotes what needs it and defuses formulas", () => {
    const csv = toCsv(
      ["名称", "value"],
      [
        ["重庆, 银行", 1.5],
        ['say "hi"', null],
        ["=HYPERLINK(1)", -2],
        ["-12.5", "@x"],
      ],
    );
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split("\r\n")).toEqual([
      "名称,value",
      '"重庆, 银行",1.5',
      '"say ""hi""",',
      "'=HYPERLINK(1),-2",
      "-12.5,'@x",
      "",
    ]);
  });

  test("CRC-32 matches the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  test("XLSX opens in exceljs with text, numbers, Chinese and a bold header", async () => {
    const bytes = toXlsx(
      "机构/列表",
      ["代码", "名称", "资产"],
      [
        ["A1", "重庆测试银行", 1500.25],
        ["B2", '<&>"', null],
        ["C3", "+cmd", 0],
      ],
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes.buffer as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe("机构 列表");
    expect(ws.getRow(1).values).toEqual([undefined, "代码", "名称", "资产"]);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getRow(2).getCell(2).value).toBe("重庆测试银行");
    expect(ws.getRow(2).getCell(3).value).toBe(1500.25);
    expect(ws.getRow(3).getCell(2).value).toBe('<&>"');
    expect(ws.getRow(4).getCell(2).value).toBe("'+cmd");
    expect(ws.rowCount).toBe(4);
  });
});
