import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { openDuck } from "../lake/duckdb.ts";
import { getStatus } from "../submissions/get-status.ts";
import { listSubmissions, listSubmissionsQuery } from "../submissions/list-submissions.ts";
import { testDb } from "../testing/db.ts";
import { bankA, testResidentId, writeTinyProvince } from "../testing/fixtures.ts";
import { type IngestContext, ingest } from "./ingest.ts";
import { pseudonymise } from "./pseudonymise.ts";

let db: Db;
let ctx: IngestContext;
let province: string;
const key = Buffer.from("test-key-test-key-test-key-test-key!");

beforeAll(async () => {
  db = await testDb();
  ctx = { db, dataDir: mkdtempSync(join(tmpdir(), "beacon-data-")), pseudonymKey: key };
  province = mkdtempSync(join(tmpdir(), "province-"));
  writeTinyProvince(province);
});
afterAll(async () => db.close());

function corruptCopy(transform: (loans: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "bad-"));
  writeTinyProvince(dir);
  const file = join(dir, "loans", "2026-09.csv");
  writeFileSync(file, transform(readFileSync(file, "utf8")));
  return dir;
}

describe("intake", () => {
  test("a valid province is accepted and stored atomically", async () => {
    const report = await ingest(ctx, province);
    expect(report.status).toBe("accepted");
    expect(report.submissions.map((s) => s.status)).toEqual(["new", "new", "new"]);
    const status = await getStatus(db);
    expect(status.institutions).toBe(3);
    expect(status.datasets).toEqual([
      expect.objectContaining({ dataset: "loans", submissions: 3, rows: 16, periods: 1 }),
    ]);
  });

  test("ingesting the identical folder again changes nothing", async () => {
    const before = await getStatus(db);
    const report = await ingest(ctx, province);
    expect(report.status).toBe("unchanged");
    expect(report.batchId).toBeNull();
    expect(await getStatus(db)).toEqual(before);
  });

  test("personal identifiers are stored only as keyed hashes", async () => {
    const [file] = await db.query<{ path: string }>("select path from lake_files limit 1");
    const duck = await openDuck();
    const rows = await duck.all<{ borrower_id: string }>(
      `select borrower_id from read_parquet('${join(ctx.dataDir, "lake", file!.path)}') order by loan_id`,
    );
    duck.close();
    const raw = testResidentId(1);
    expect(rows.map((r) => r.borrower_id)).toContain(pseudonymise(key, raw));
    const bytes = readFileSync(join(ctx.dataDir, "lake", file!.path)).toString("latin1");
    expect(bytes).not.toContain(raw);
  });

  test("one corrupted cell rejects the whole submission, naming file, row and column", async () => {
    const before = await getStatus(db);
    const dir = corruptCopy((text) => text.replace("100000.00,80000.00", "100000.00,8O000.00"));
    const report = await ingest(ctx, dir);
    expect(report.status).toBe("rejected");
    expect(report.problemCount).toBe(1);
    expect(report.problems[0]).toMatchObject({
      file: join(dir, "loans", "2026-09.csv"),
      row: 2,
      column: "outstanding",
      value: "8O000.00",
      rule: "decimal",
    });
    expect(await getStatus(db)).toEqual(before);
  });

  test("check characters, enumerations, references and cross-field rules are enforced", async () => {
    const dir = corruptCopy((text) => {
      const lines = text.trimEnd().split("\n");
      const cells = lines[3]!.split(",");
      cells[4] = `${cells[4]!.slice(0, 17)}${cells[4]![17] === "1" ? "2" : "1"}`; // resident id check digit
      cells[19] = "sound"; // classification
      lines[3] = cells.join(",");
      lines[4] = lines[4]!.replace("80000.00", "180000.00"); // outstanding above principal
      lines[5] = lines[5]!.replace(bankA, "91500103MA000099X1"); // not a valid credit code
      return `${lines.join("\n")}\n`;
    });
    const report = await ingest(ctx, dir);
    expect(report.status).toBe("rejected");
    const found = report.problems.map((p) => [p.row, p.column, p.rule]);
    expect(found).toEqual(
      expect.arrayContaining([
        [4, "borrower_id", "resident_id_check"],
        [4, "classification", "enum"],
        [5, "outstanding", "cross_field"],
        [6, "lender_code", "credit_code_check"],
      ]),
    );
    // The rejected resident id is masked in the stored report.
    const rid = report.problems.find((p) => p.column === "borrower_id");
    expect(rid?.value).toMatch(/^\d{2}\*+\w{2}$/);
  });

  test("dates are real and written YYYY-MM-DD, booleans one of the listed spellings, the period the file's", async () => {
    const dir = corruptCopy((text) => {
      const lines = text.trimEnd().split("\n");
      const set = (line: number, column: number, value: string) => {
        const cells = lines[line]!.split(",");
        cells[column] = value;
        lines[line] = cells.join(",");
      };
      set(1, 9, "2025-1-15"); // origination_date without zero padding
      set(2, 10, "2027-02-30"); // no such maturity date
      set(3, 9, "2025/10/15");
      set(4, 10, "12027-10-15");
      set(5, 21, "TRUE"); // real_estate: accepted spellings, any case
      set(6, 22, "是");
      set(7, 23, "No");
      set(8, 21, "maybe");
      set(9, 2, "2026-10"); // period other than the file's
      set(10, 2, "2026-13");
      set(11, 9, "2024-02-29"); // a leap day is a real date
      return `${lines.join("\n")}\n`;
    });
    const report = await ingest(ctx, dir);
    expect(report.status).toBe("rejected");
    const found = report.problems
      .map((p) => [p.row, p.column, p.rule])
      .sort((a, b) => `${a}`.localeCompare(`${b}`));
    expect(found).toEqual([
      [10, "period", "period_consistency"],
      [11, "lender_code", "licence"], // no licence covers a period that does not exist
      [11, "period", "period"],
      [11, "period", "period_consistency"],
      [2, "origination_date", "date"],
      [3, "maturity_date", "date"],
      [4, "origination_date", "date"],
      [5, "maturity_date", "date"],
      [9, "real_estate", "boolean"],
    ]);
  });

  test("duplicate keys within a file are reported with the first occurrence", async () => {
    const dir = corruptCopy((text) => text.replace("L2,", "L1,"));
    const report = await ingest(ctx, dir);
    expect(report.problems).toEqual([
      expect.objectContaining({ row: 3, rule: "duplicate", message: expect.stringContaining("row 2") }),
    ]);
  });

  test("a missing required column and an unknown column are header problems", async () => {
    const dir = corruptCopy((text) => text.replace("classification", "klass"));
    const report = await ingest(ctx, dir);
    expect(report.problems.map((p) => [p.row, p.column, p.rule])).toEqual([
      [1, "klass", "unknown_column"],
      [1, "classification", "missing_column"],
    ]);
  });

  test("a resubmission supersedes the earlier one and both stay queryable as of their dates", async () => {
    const first = await listSubmissions(db, listSubmissionsQuery.parse({ institution: bankA }));
    const before = first.items[0]!;
    const dir = corruptCopy((text) =>
      text.replace("2025-10-15,2027-10-15,0.0435", "2025-10-15,2027-10-15,0.0440"),
    );
    const report = await ingest(ctx, dir);
    expect(report.status).toBe("accepted");
    expect(report.submissions.find((s) => s.institution === bankA)?.status).toBe("superseding");
    const now = await listSubmissions(db, listSubmissionsQuery.parse({ institution: bankA }));
    expect(now.items).toHaveLength(1);
    expect(now.items[0]!.id).not.toBe(before.id);
    const then = await listSubmissions(
      db,
      listSubmissionsQuery.parse({ institution: bankA, asOf: before.receivedAt }),
    );
    expect(then.items.map((s) => s.id)).toEqual([before.id]);
    const all = await listSubmissions(
      db,
      listSubmissionsQuery.parse({ institution: bankA, includeSuperseded: "true" }),
    );
    expect(all.items.map((s) => s.supersededBy)).toEqual([null, now.items[0]!.id]);
  });

  test("GBK files are read correctly; text in other encodings is rejected", async () => {
    const gbk = mkdtempSync(join(tmpdir(), "gbk-"));
    const encoder = (s: string) => Buffer.from(new Uint8Array([...gbkBytes(s)]));
    writeFileSync(
      join(gbk, "institutions.csv"),
      encoder(readFileSync(join(province, "institutions.csv"), "utf8")),
    );
    const report = await ingest(ctx, gbk);
    expect(report.status).toBe("unchanged"); // same names, decoded correctly, so nothing differs
    const utf16 = mkdtempSync(join(tmpdir(), "u16-"));
    writeFileSync(
      join(utf16, "institutions.csv"),
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(readFileSync(join(province, "institutions.csv"), "utf8"), "utf16le"),
      ]),
    );
    await expect(ingest(ctx, utf16)).rejects.toThrow(/UTF-16/);
    const latin = mkdtempSync(join(tmpdir(), "latin-"));
    writeFileSync(
      join(latin, "institutions.csv"),
      Buffer.from([...Buffer.from("code,name_zh\n"), 0xff, 0xfe, 0xfd, 0x0a]),
    );
    await expect(ingest(ctx, latin)).rejects.toThrow(/neither UTF-8 nor GBK/);
  });

  test("nothing is left in the lake or the work folder after a rejection", async () => {
    const files = readdirSync(join(ctx.dataDir, "lake", "loans"), { recursive: true }).filter((f) =>
      String(f).endsWith(".parquet"),
    );
    const [n] = await db.query<{ n: string }>("select count(*)::text as n from lake_files");
    expect(files.length).toBe(Number(n!.n));
    expect(readdirSync(join(ctx.dataDir, "tmp"))).toEqual([]);
  });
});

/** GBK encoding of a string through the platform's own decoder table (Node has no GBK encoder). */
function* gbkBytes(text: string): Generator<number> {
  const decoder = new TextDecoder("gbk");
  const table = new Map<string, [number, number]>();
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (!table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) yield code;
    else {
      const pair = table.get(ch);
      if (!pair) throw new Error(`no GBK code for ${ch}`);
      yield pair[0];
      yield pair[1];
    }
  }
}

describe("lake views", () => {
  test("a dataset view shows exactly the current submissions, or those current at an instant", async () => {
    const { registerDatasetView } = await import("../lake/views.ts");
    const duck = await openDuck();
    await registerDatasetView(duck, db, ctx.dataDir, "loans");
    const now = await duck.all<{ n: bigint; rate: string }>(
      `select count(*) as n, max(nominal_rate)::VARCHAR as rate from loans where lender_code = '${bankA}'`,
    );
    expect(now).toEqual([{ n: 6n, rate: "0.04400000" }]);
    const [first] = await db.query<{ at: string }>("select min(received_at)::text as at from submissions");
    await registerDatasetView(duck, db, ctx.dataDir, "loans", { asOf: new Date(first!.at).toISOString() });
    const then = await duck.all<{ rate: string }>(
      `select max(nominal_rate)::VARCHAR as rate from loans where lender_code = '${bankA}'`,
    );
    expect(then).toEqual([{ rate: "0.04350000" }]);
    const total = await duck.all<{ n: bigint }>("select count(*) as n from loans");
    expect(total).toEqual([{ n: 16n }]);
    duck.close();
  });
});

describe("licences over time", () => {
  test("a licence covers the periods before its revocation and none after", async () => {
    const dir = mkdtempSync(join(tmpdir(), "revoked-"));
    writeTinyProvince(dir);
    const lic = join(dir, "licences.csv");
    const lines = readFileSync(lic, "utf8").trimEnd().split("\n");
    const withDates = lines.map((l, i) =>
      i === 0
        ? `${l},status_since`
        : l.startsWith("B0002,")
          ? l.replace(/active$/, "revoked,2026-08-01")
          : `${l},`,
    );
    writeFileSync(lic, `${withDates.join("\n")}\n`);
    expect((await ingest(ctx, lic)).status).toBe("accepted");
    const loans = join(dir, "loans", "2026-09.csv");
    writeFileSync(loans, readFileSync(loans, "utf8").replaceAll("0.0435", "0.0436"));
    const after = await ingest(ctx, loans);
    expect(after.status).toBe("rejected");
    expect(new Set(after.problems.map((p) => p.rule))).toEqual(new Set(["licence"]));
    const before = join(dir, "loans", "2026-07.csv");
    writeFileSync(before, readFileSync(loans, "utf8").replaceAll("2026-09", "2026-07"));
    expect((await ingest(ctx, before)).status).toBe("accepted");
  });
});

describe("XLSX size guard", () => {
  test("a spreadsheet that inflates far beyond its size is refused before it is read, and nothing is stored", async () => {
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("institutions").addRow(["A".repeat(3_000_000)]);
    const dir = mkdtempSync(join(tmpdir(), "bomb-"));
    const path = join(dir, "institutions.xlsx");
    writeFileSync(path, new Uint8Array(await wb.xlsx.writeBuffer()));
    const before = await getStatus(db);
    await expect(ingest(ctx, path)).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: expect.stringMatching(/institutions\.xlsx: a part expands \d+ times/),
    });
    expect(await getStatus(db)).toEqual(before);
  });
});

describe("audit", () => {
  // Runs after the suites above: accepted, unchanged and rejected intakes have all happened by now.
  test("every accepted intake, and only those, is in the tamper-evident log with what it changed", async () => {
    const batches = await db.query<{ id: string }>("select id::text from batches order by id");
    const entries = await db.query<{ subject_id: string; detail: string }>(
      "select subject_id, detail from audit_log where action = 'intake.accepted' order by seq",
    );
    expect(batches.length).toBeGreaterThan(1);
    expect(entries.map((e) => e.subject_id)).toEqual(batches.map((b) => b.id));
    const first = JSON.parse(entries[0]!.detail) as { submissions: string[]; rows: number };
    expect(first.submissions).toContain(`loans/${bankA}/2026-09:new`);
    expect(first.rows).toBeGreaterThan(0);
  });
});
