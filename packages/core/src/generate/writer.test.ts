import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { CsvFile, PeriodWriter } from "./writer.ts";

const dir = mkdtempSync(join(tmpdir(), "beacon-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writers", () => {
  test("a period above the row limit is split into numbered parts, each with the header", () => {
    const w = new PeriodWriter(dir, "outcomes", "2026-09", 3);
    for (let i = 0; i < 7; i++)
      w.add(`9150010350000000X${i},2026-09,91500103500000000${i},failed,2026-09-0${i + 1}\n`);
    const files = w.close();
    expect(files.map((f) => [f.path, f.rows])).toEqual([
      ["outcomes/2026-09-part-0001.csv", 3],
      ["outcomes/2026-09-part-0002.csv", 3],
      ["outcomes/2026-09-part-0003.csv", 1],
    ]);
    expect(readdirSync(join(dir, "outcomes")).sort()).toEqual(files.map((f) => f.path.split("/")[1]).sort());
    for (const f of files)
      expect(readFileSync(join(dir, f.path), "utf8").split("\n")[0]).toBe(
        "reporter_code,period,institution_code,event,event_date",
      );
  });

  test("a period within the limit is one file named after the period", () => {
    const w = new PeriodWriter(dir, "surrenders", "2026-08", 3);
    w.add("SR1,915001035000000000,2026-08,PL1,2026-08-01,1.00\n");
    expect(w.close().map((f) => f.path)).toEqual(["surrenders/2026-08.csv"]);
  });

  test("the byte sink writes numbers, money, dates and text exactly", () => {
    const f = new CsvFile(join(dir, "bytes.csv"), "a,b,c,d,e,f");
    const o = f.row(200);
    o.int(0);
    o.comma();
    o.int(9_007_199_254);
    o.comma();
    o.fen(1_234_505);
    o.comma();
    o.padded(42, 6);
    o.comma();
    o.date(Math.round(Date.UTC(2024, 1, 29) / 86_400_000));
    o.comma();
    o.utf8("重庆市渝中区");
    o.byte(10);
    f.close();
    expect(readFileSync(join(dir, "bytes.csv"), "utf8")).toBe(
      "a,b,c,d,e,f\n0,9007199254,12345.05,000042,2024-02-29,重庆市渝中区\n",
    );
    expect(f.rows).toBe(1);
  });
});
