import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { openDuck } from "../lake/duckdb.ts";
import { intakeExtension } from "../lake/intake-extension.ts";
import { testDb } from "../testing/db.ts";
import { testResidentId, writeTinyProvince } from "../testing/fixtures.ts";
import { type IngestContext, ingest } from "./ingest.ts";

/**
 * Intake with the beacon_intake extension and intake with its SQL forms (a machine without a C compiler) must store
 * the same values and reject the same files with the same report: nothing stored may depend on which one ran.
 */
const key = Buffer.from("test-key-test-key-test-key-test-key!");
const modes = ["extension", "sql"] as const;
type Mode = (typeof modes)[number];
const stores = {} as Record<Mode, IngestContext>;

/** Intake in one mode; `log` collects its progress lines, which say when the SQL forms are used. */
async function ingestWith(mode: Mode, path: string, log: string[] = []) {
  const saved = process.env.BEACON_INTAKE_EXTENSION;
  if (mode === "sql") process.env.BEACON_INTAKE_EXTENSION = "0";
  try {
    return await ingest(stores[mode], path, { log: (line) => log.push(line) });
  } finally {
    if (saved === undefined) delete process.env.BEACON_INTAKE_EXTENSION;
    else process.env.BEACON_INTAKE_EXTENSION = saved;
  }
}

/** Every stored loan row, as the lake holds it, without the intake-specific lake key. */
async function storedLoans(ctx: IngestContext): Promise<unknown[]> {
  const files = await ctx.db.query<{ path: string }>("select path from lake_files where dataset = 'loans'");
  const duck = await openDuck();
  try {
    const paths = files.map((f) => `'${join(ctx.dataDir, "lake", f.path)}'`).join(", ");
    return await duck.all(
      `SELECT * EXCLUDE (_lake_key, _invalid) FROM read_parquet([${paths}]) ORDER BY lender_code, loan_id`,
    );
  } finally {
    duck.close();
  }
}

/** A copy of the tiny province with one cell of the loans file replaced. */
function withCell(from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), "province-"));
  writeTinyProvince(dir);
  const file = join(dir, "loans", "2026-09.csv");
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`the tiny province has no "${from}"`);
  writeFileSync(file, text.replace(from, to));
  return dir;
}

describe.runIf("path" in intakeExtension())("intake with and without the beacon_intake extension", () => {
  const dbs: Db[] = [];
  beforeAll(async () => {
    for (const mode of modes) {
      const db = await testDb();
      dbs.push(db);
      stores[mode] = { db, dataDir: mkdtempSync(join(tmpdir(), `beacon-${mode}-`)), pseudonymKey: key };
    }
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  test("a valid province: the same rows, pseudonyms, row hashes and content hashes are stored", async () => {
    const province = mkdtempSync(join(tmpdir(), "province-"));
    writeTinyProvince(province);
    for (const mode of modes) {
      const log: string[] = [];
      expect((await ingestWith(mode, province, log)).status).toBe("accepted");
      expect(log.some((l) => l.includes("checking and hashing in SQL"))).toBe(mode === "sql");
    }
    const [extension, sql] = [await storedLoans(stores.extension), await storedLoans(stores.sql)];
    expect(extension.length).toBeGreaterThan(10);
    expect(extension).toEqual(sql);
    const hashes = async (ctx: IngestContext) =>
      ctx.db.query(
        "select institution_code, dataset, period, row_count, content_hash from submissions order by 1, 2, 3",
      );
    expect(await hashes(stores.extension)).toEqual(await hashes(stores.sql));
  });

  const resident = testResidentId(1);
  const badCells: [string, string, string][] = [
    ["a decimal with a leading space", "100000.00,80000.00", "100000.00, 80000.00"],
    ["a decimal with a plus sign", "100000.00,80000.00", "100000.00,+80000.00"],
    ["a decimal with three decimals", "100000.00,80000.00", "100000.00,80000.001"],
    ["a date with slashes", "2025-10-15", "2025/10/15"],
    ["an impossible date", "2025-10-15", "2025-02-29"],
    ["an integer in exponent form", ",24,", ",2e1,"],
    [
      "a resident id with a wrong check digit",
      resident,
      `${resident.slice(0, 17)}${resident[17] === "0" ? "1" : "0"}`,
    ],
    ["a resident id with a lower-case x", resident, `${resident.slice(0, 17)}x`],
    ["a loan id with a space", "L1,", "L 1,"],
  ];
  test.each(badCells)("%s: both reject it with the same report", async (_, from, to) => {
    const dir = withCell(from, to);
    const [extension, sql] = [await ingestWith("extension", dir), await ingestWith("sql", dir)];
    expect(extension.status).toBe("rejected");
    expect(extension.problems).toEqual(sql.problems);
    expect(extension.countsByRule).toEqual(sql.countsByRule);
  });
});
