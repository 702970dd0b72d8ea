import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { testDb } from "../testing/db.ts";
import { bankA, csv, testCreditCode, writeTinyProvince } from "../testing/fixtures.ts";
import { type IngestContext, ingest } from "./ingest.ts";

/** A life insurer, whose integrated risk rating (INS_IRR_GRADE) is a grade, not a number. */
const insurer = testCreditCode(7);
let db: Db;
let ctx: IngestContext;

beforeAll(async () => {
  db = await testDb();
  ctx = {
    db,
    dataDir: mkdtempSync(join(tmpdir(), "beacon-data-")),
    pseudonymKey: Buffer.from("k".repeat(32)),
  };
  const dir = mkdtempSync(join(tmpdir(), "province-"));
  writeTinyProvince(dir);
  appendFileSync(
    join(dir, "institutions.csv"),
    `${insurer},重庆测试人寿保险股份有限公司,Chongqing Test Life Insurance,life_insurer,渝中区,,,,,active\n`,
  );
  appendFileSync(join(dir, "licences.csv"), `L-0007,${insurer},life_insurer,2012-01-01,,active\n`);
  const report = await ingest(ctx, dir);
  expect(report.status, JSON.stringify(report).slice(0, 1500)).toBe("accepted");
});
afterAll(async () => db.close());

const header = ["institution_code", "period", "item", "value", "unit"];

/** A folder with one returns file for 2026-Q3; returns its file path. */
function returnsFile(rows: (string | null)[][]): string {
  const dir = mkdtempSync(join(tmpdir(), "returns-"));
  mkdirSync(join(dir, "returns"));
  const file = join(dir, "returns", "2026-Q3.csv");
  writeFileSync(file, csv([header, ...rows]));
  return file;
}

const rating = (grade: string) => [insurer, "2026-Q3", "INS_IRR_GRADE", grade, "grade"];
const capital = [insurer, "2026-Q3", "INS_CORE_CAPITAL", "1200000.50", "CNY"];

async function storedFacts() {
  return db.query<{ item: string; value: string | null; grade: string | null; current: boolean }>(
    `select f.item, f.value::text as value, f.grade, s.superseded_at is null as current
     from facts f join submissions s on s.id = f.submission_id
     where f.institution_code = $1 order by s.id, f.item`,
    [insurer],
  );
}

describe("grades in returns", () => {
  test("a grade item's grade is accepted and stored as its letters beside the numeric facts", async () => {
    const report = await ingest(ctx, returnsFile([rating("AA"), capital]));
    expect(report.status, JSON.stringify(report.problems)).toBe("accepted");
    expect(await storedFacts()).toEqual([
      { item: "INS_CORE_CAPITAL", value: "1200000.500000", grade: null, current: true },
      { item: "INS_IRR_GRADE", value: null, grade: "AA", current: true },
    ]);
  });

  test("the same grade again changes nothing; a different grade supersedes", async () => {
    expect((await ingest(ctx, returnsFile([rating("AA"), capital]))).status).toBe("unchanged");
    const report = await ingest(ctx, returnsFile([rating("C"), capital]));
    expect(report.submissions.map((s) => s.status)).toEqual(["superseding"]);
    const current = (await storedFacts()).filter((f) => f.current);
    expect(current.find((f) => f.item === "INS_IRR_GRADE")?.grade).toBe("C");
  });

  test("a value that is neither a decimal nor a grade is rejected, naming file, row and column", async () => {
    const before = await storedFacts();
    const file = returnsFile([capital, rating("ZZ")]);
    const report = await ingest(ctx, file);
    expect(report.status).toBe("rejected");
    expect(report.problems).toEqual([
      expect.objectContaining({ file, row: 3, column: "value", value: "ZZ", rule: "decimal" }),
    ]);
    expect(report.problems[0]!.message).toContain("or a grade (AAA, AA, A, BBB, BB, B, C, D)");
    expect(await storedFacts()).toEqual(before);
  });

  test("a grade for a money item, or a number for the grade item, is rejected naming the item", async () => {
    const before = await storedFacts();
    const file = returnsFile([
      [insurer, "2026-Q3", "INS_CORE_CAPITAL", "AA", "CNY"],
      rating("2"),
      [bankA, "2026-Q3", "BANK_TOTAL_ASSETS", "B", "CNY"],
    ]);
    const report = await ingest(ctx, file);
    expect(report.status).toBe("rejected");
    expect(report.problems).toEqual([
      expect.objectContaining({
        file,
        row: 2,
        column: "value",
        value: "AA",
        rule: "item_value",
        message: expect.stringContaining(
          "must be a decimal number for item INS_CORE_CAPITAL, whose unit is CNY",
        ),
      }),
      expect.objectContaining({
        file,
        row: 3,
        column: "value",
        value: "2",
        rule: "item_value",
        message: expect.stringContaining(
          "must be a grade (AAA, AA, A, BBB, BB, B, C, D) for item INS_IRR_GRADE",
        ),
      }),
      expect.objectContaining({ file, row: 4, column: "value", value: "B", rule: "item_value" }),
    ]);
    expect(await storedFacts()).toEqual(before);
  });

  test("the store itself refuses a fact with both or neither of a value and a grade", async () => {
    const [{ id }] = (await db.query<{ id: string }>(
      "select id from submissions where institution_code = $1 limit 1",
      [insurer],
    )) as [{ id: string }];
    for (const [value, grade] of [
      ["1", "AA"],
      [null, null],
    ])
      await expect(
        db.query(
          "insert into facts (submission_id, institution_code, period, item, value, grade, unit) values ($1, $2, '2026-Q3', 'X_TEST', $3, $4, 'grade')",
          [id, insurer, value, grade],
        ),
      ).rejects.toThrow(/facts_value_or_grade/);
  });
});

describe("cross-item consistency", () => {
  const loans = (normal: string) => [
    [bankA, "2026-Q3", "BANK_LOANS_NORMAL", normal, "CNY"],
    [bankA, "2026-Q3", "BANK_LOANS_SPECIAL_MENTION", "50000.00", "CNY"],
    [bankA, "2026-Q3", "BANK_LOANS_SUBSTANDARD", "20000.00", "CNY"],
    [bankA, "2026-Q3", "BANK_LOANS_DOUBTFUL", "10000.00", "CNY"],
    [bankA, "2026-Q3", "BANK_LOANS_LOSS", "5000.00", "CNY"],
    [bankA, "2026-Q3", "BANK_LOANS_TOTAL", "1000000.00", "CNY"],
  ];

  test("the five loan categories must sum to total loans within the tolerance", async () => {
    const within = await ingest(ctx, returnsFile(loans("915000.00")));
    expect(within.problems).toEqual([]);
    const off = returnsFile(loans("900000.00"));
    const report = await ingest(ctx, off);
    expect(report.status).toBe("rejected");
    expect(report.problems).toEqual([
      expect.objectContaining({ file: off, row: 7, column: "value", rule: "consistency" }),
    ]);
    expect(report.problems[0]!.message).toContain(
      "= 985000.000000 differs from BANK_LOANS_TOTAL = 1000000.000000",
    );
  });

  test("is checked even when another dataset of the intake has problems", async () => {
    const off = returnsFile(loans("900000.00"));
    // A loans file in the same intake with a bad principal.
    const province = mkdtempSync(join(tmpdir(), "province-"));
    writeTinyProvince(province);
    const loansText = readFileSync(join(province, "loans", "2026-09.csv"), "utf8");
    mkdirSync(join(dirname(dirname(off)), "loans"));
    writeFileSync(
      join(dirname(dirname(off)), "loans", "2026-09.csv"),
      loansText.replace("100000.00", "lots"),
    );
    const report = await ingest(ctx, dirname(dirname(off)));
    expect(report.problems.map((p) => p.rule).sort()).toEqual(["consistency", "decimal"]);
  });
});
