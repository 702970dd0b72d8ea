/**
 * Snapshot datasets (the book at period end) carry the same keys in every period; event datasets do not. Intake
 * scopes a snapshot's key to its period, and the lake and detectors read one snapshot per period.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findDataset } from "../contract/datasets.ts";
import type { Db } from "../db/client.ts";
import { detectorContext, openDetectionLake } from "../detectors/lake.ts";
import { bankConcentrations } from "../detectors/lending-concentration.ts";
import { multipleLoans } from "../detectors/multiple-loans.ts";
import { realEstateConcentration } from "../detectors/real-estate-concentration.ts";
import { getStatus } from "../submissions/get-status.ts";
import { testDb } from "../testing/db.ts";
import { bankA, bankB, csv, testCreditCode, testResidentId, writeTinyProvince } from "../testing/fixtures.ts";
import { type IngestContext, ingest } from "./ingest.ts";
import { pseudonymise } from "./pseudonymise.ts";
import { assertCheckedStillCurrent, checkedSubmissions } from "./stored-keys.ts";

let db: Db;
let ctx: IngestContext;
const key = Buffer.from("snapshot-test-key-snapshot-test-key!");

beforeAll(async () => {
  db = await testDb();
  ctx = { db, dataDir: mkdtempSync(join(tmpdir(), "beacon-data-")), pseudonymKey: key };
});
afterAll(async () => {
  await db.close();
  rmSync(ctx.dataDir, { recursive: true, force: true });
});

/**
 * The tiny province with its loan book in August and September 2026: the same loans (same keys) in both, August's
 * outstanding 90,000 where September's is 80,000. Borrower 1 also borrows L6 from bank B, so one person has loans
 * at two lenders in each snapshot.
 */
function twoSnapshots(): { dir: string; august: string; september: string } {
  const dir = mkdtempSync(join(tmpdir(), "snapshots-"));
  writeTinyProvince(dir);
  const september = join(dir, "loans", "2026-09.csv");
  const lines = readFileSync(september, "utf8").trimEnd().split("\n");
  const l6 = lines.findIndex((l) => l.startsWith("L6,"));
  lines[l6] = lines[l6]!.replace(testResidentId(6), testResidentId(1));
  const text = `${lines.join("\n")}\n`;
  writeFileSync(september, text);
  const august = join(dir, "loans", "2026-08.csv");
  writeFileSync(
    august,
    text.replaceAll(",2026-09,", ",2026-08,").replaceAll("100000.00,80000.00", "100000.00,90000.00"),
  );
  return { dir, august, september };
}

/** A folder with the tiny province's registry and the given dataset files (relative path -> rows), no loans. */
function withRegistry(files: Record<string, (string | number | null)[][]>): string {
  const dir = mkdtempSync(join(tmpdir(), "intake-"));
  writeTinyProvince(dir);
  rmSync(join(dir, "loans"), { recursive: true });
  for (const [path, rows] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), csv(rows));
  }
  return dir;
}

describe("snapshot datasets in one intake", () => {
  test("a repeated key within one period is rejected, naming the file, the row and the first occurrence", async () => {
    const { dir, september } = twoSnapshots();
    writeFileSync(september, readFileSync(september, "utf8").replace("L2,", "L1,"));
    // The same period split over two files (the part is read first): a key in both is a duplicate too.
    const part = join(dir, "loans", "2026-09-part-2.csv");
    const lines = readFileSync(september, "utf8").split("\n");
    writeFileSync(part, `${lines[0]}\n${lines.find((l) => l.startsWith("L3,"))}\n`);
    const before = await getStatus(db);
    const report = await ingest(ctx, dir);
    expect(report.status).toBe("rejected");
    expect(report.problems).toEqual([
      {
        file: september,
        row: 3,
        column: "lender_code+period+loan_id",
        value: `lender_code=${bankA}, period=2026-09, loan_id=L1`,
        rule: "duplicate",
        message: `duplicates the key already given at ${september} row 2`,
      },
      expect.objectContaining({
        file: september,
        row: 4,
        value: `lender_code=${bankA}, period=2026-09, loan_id=L3`,
        message: `duplicates the key already given at ${part} row 2`,
      }),
    ]);
    expect(await getStatus(db)).toEqual(before);
  });

  test("two periods with the same keys are accepted, one submission per lender and period", async () => {
    const { dir } = twoSnapshots();
    const report = await ingest(ctx, dir);
    expect(report.problems).toEqual([]);
    expect(report.status).toBe("accepted");
    expect(report.submissions.map((s) => `${s.period}:${s.status}`).sort()).toEqual([
      "2026-08:new",
      "2026-08:new",
      "2026-08:new",
      "2026-09:new",
      "2026-09:new",
      "2026-09:new",
    ]);
    const status = await getStatus(db);
    expect(status.datasets).toEqual([
      expect.objectContaining({ dataset: "loans", submissions: 6, rows: 32, periods: 2 }),
    ]);
  });

  test("detectors over one period see that period's snapshot once; history sees each period once", async () => {
    const asOf = new Date().toISOString();
    const borrower = pseudonymise(key, testResidentId(1));
    const p = { ...multipleLoans.params.defaults, min_lenders_individual: 2 };
    for (const [period, outstanding] of [
      ["2026-08", 90_000],
      ["2026-09", 80_000],
    ] as const) {
      const lake = await openDetectionLake(ctx.db, ctx.dataDir, period, multipleLoans.datasets, { asOf });
      try {
        expect(await lake.duck.all("SELECT DISTINCT period FROM loans")).toEqual([{ period }]);
        expect(await lake.duck.all("SELECT count(*)::INTEGER AS n FROM loans")).toEqual([{ n: 16 }]);
        const findings = await multipleLoans.run(detectorContext(lake.duck, period), p);
        expect(findings.map((f) => f.subjectId)).toEqual([borrower]);
        expect(findings[0]!.evidence).toMatchObject({
          distinctLenders: 2,
          debtOutstanding: 2 * outstanding,
          lenders: [
            { loans: 1, outstanding },
            { loans: 1, outstanding },
          ],
        });
      } finally {
        lake.close();
      }
    }
    const lake = await openDetectionLake(ctx.db, ctx.dataDir, "2026-09", realEstateConcentration.datasets, {
      asOf,
    });
    try {
      const series = (await bankConcentrations(lake.duck, "2026-09")).filter((r) => r.lender_code === bankA);
      // Bank A: five individual loans and one enterprise loan of 5,000,000 in each snapshot.
      expect(series.map((r) => [r.period, r.total])).toEqual([
        ["2026-08", 5 * 90_000 + 5_000_000],
        ["2026-09", 5 * 80_000 + 5_000_000],
      ]);
    } finally {
      lake.close();
    }
  });
});

const complaintHeader = [
  "complaint_id",
  "receiver_code",
  "period",
  "target_code",
  "received_on",
  "channel",
  "category",
  "text",
];
function complaint(period: string, id: string, text = "Charged a fee that was never disclosed."): string[] {
  return [id, bankA, period, testCreditCode(900), `${period}-03`, "hotline", "fees", text];
}

describe("event datasets", () => {
  test("an event id repeated in another period of the same intake is a duplicate", async () => {
    const dir = withRegistry({
      "complaints/2026-08.csv": [complaintHeader, complaint("2026-08", "C1"), complaint("2026-08", "C2")],
      "complaints/2026-09.csv": [complaintHeader, complaint("2026-09", "C3"), complaint("2026-09", "C1")],
    });
    const before = await getStatus(db);
    const report = await ingest(ctx, dir);
    expect(report.status).toBe("rejected");
    expect(report.problems).toEqual([
      {
        file: join(dir, "complaints", "2026-09.csv"),
        row: 3,
        column: "receiver_code+complaint_id",
        value: `receiver_code=${bankA}, complaint_id=C1`,
        rule: "duplicate",
        message: `duplicates the key already given at ${join(dir, "complaints", "2026-08.csv")} row 2`,
      },
    ]);
    expect(await getStatus(db)).toEqual(before);
  });
});

describe("event ids across submissions", () => {
  const periodsOf = (report: { submissions: { dataset: string; period: string; status: string }[] }) =>
    report.submissions
      .filter((s) => s.dataset === "complaints")
      .map((s) => `${s.period}:${s.status}`)
      .sort();

  test("an event id stored for another period is rejected, naming the stored submission; nothing is stored", async () => {
    const august = await ingest(
      ctx,
      withRegistry({
        "complaints/2026-08.csv": [complaintHeader, complaint("2026-08", "X1"), complaint("2026-08", "X2")],
      }),
    );
    expect(august.status).toBe("accepted");
    expect(periodsOf(august)).toEqual(["2026-08:new"]);
    const dir = withRegistry({
      "complaints/2026-09.csv": [complaintHeader, complaint("2026-09", "X3"), complaint("2026-09", "X1")],
    });
    const before = await getStatus(db);
    const report = await ingest(ctx, dir);
    expect(report.status).toBe("rejected");
    expect(report.problems).toEqual([
      {
        file: join(dir, "complaints", "2026-09.csv"),
        row: 3,
        column: "receiver_code+complaint_id",
        value: `receiver_code=${bankA}, complaint_id=X1`,
        rule: "duplicate",
        message: `duplicates the key already stored in the 2026-08 submission (batch ${august.batchId}); an event is reported in one period only`,
      },
    ]);
    expect(await getStatus(db)).toEqual(before);
  });

  test("a resubmission of the stored period is checked against the other periods only", async () => {
    const changed = await ingest(
      ctx,
      withRegistry({
        "complaints/2026-08.csv": [
          complaintHeader,
          complaint("2026-08", "X1", "Charged twice."),
          complaint("2026-08", "X2"),
        ],
      }),
    );
    expect(changed.problems).toEqual([]);
    expect(periodsOf(changed)).toEqual(["2026-08:superseding"]);
    const identical = await ingest(
      ctx,
      withRegistry({
        "complaints/2026-08.csv": [
          complaintHeader,
          complaint("2026-08", "X1", "Charged twice."),
          complaint("2026-08", "X2"),
        ],
      }),
    );
    expect(identical.status).toBe("unchanged");
    expect(periodsOf(identical)).toEqual(["2026-08:unchanged"]);
    // An event moved from August to September: both periods resubmitted together replace both stored ones.
    const september = await ingest(
      ctx,
      withRegistry({ "complaints/2026-09.csv": [complaintHeader, complaint("2026-09", "X3")] }),
    );
    expect(periodsOf(september)).toEqual(["2026-09:new"]);
    const moved = await ingest(
      ctx,
      withRegistry({
        "complaints/2026-08.csv": [complaintHeader, complaint("2026-08", "X1", "Charged twice.")],
        "complaints/2026-09.csv": [complaintHeader, complaint("2026-09", "X3"), complaint("2026-09", "X2")],
      }),
    );
    expect(moved.problems).toEqual([]);
    expect(periodsOf(moved)).toEqual(["2026-08:superseding", "2026-09:superseding"]);
  });

  test("of two intakes running at once with one event id for two periods, one is stored and the other refused", async () => {
    const intake = (period: string) =>
      ingest(ctx, withRegistry({ [`complaints/${period}.csv`]: [complaintHeader, complaint(period, "Z1")] }));
    const results = await Promise.allSettled([intake("2026-03"), intake("2026-04")]);
    const outcomes = results.map((r) =>
      r.status === "fulfilled" ? r.value.status : (r.reason as { code?: string }).code,
    );
    // However the two interleave: the later one's check sees the stored event (rejected), or its store sees that
    // the submissions it checked against changed (CONFLICT). PGlite often runs the two one after the other; the
    // store's re-check itself is tested deterministically below.
    expect(outcomes.filter((o) => o === "accepted")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "rejected" || o === "CONFLICT")).toHaveLength(1);
    const stored = await db.query<{ period: string }>(
      "select period from submissions where dataset = 'complaints' and period in ('2026-03', '2026-04') and superseded_at is null",
    );
    expect(stored).toHaveLength(1);
  });

  test("a store refuses when the submissions its check compared with changed meanwhile", async () => {
    const complaints = findDataset("complaints")!;
    const seen = (await checkedSubmissions(db, complaints, [{ institution: bankA }]))!;
    await db.transaction((tx) => assertCheckedStillCurrent(tx, [seen]));
    const other = await ingest(
      ctx,
      withRegistry({ "complaints/2026-05.csv": [complaintHeader, complaint("2026-05", "Z5")] }),
    );
    expect(other.status).toBe("accepted");
    await expect(db.transaction((tx) => assertCheckedStillCurrent(tx, [seen]))).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // A snapshot dataset's keys include the period: nothing stored can clash, so there is nothing to re-check.
    expect(await checkedSubmissions(db, findDataset("loans")!, [{ institution: bankA }])).toBeNull();
  });

  test("a snapshot's key in two intakes for two periods is accepted", async () => {
    const endorsements = (period: string) => ({
      [`bill_endorsements/${period}.csv`]: [
        ["bank_code", "period", "bill_id", "sequence", "endorser_code", "endorsee_code", "endorsed_on"],
        [bankA, period, "BILL9", "1", testCreditCode(900), testCreditCode(901), "2026-07-01"],
      ],
    });
    for (const period of ["2026-08", "2026-09"]) {
      const report = await ingest(ctx, withRegistry(endorsements(period)));
      expect(report.problems).toEqual([]);
      expect(report.submissions).toEqual([
        expect.objectContaining({ dataset: "bill_endorsements", period, status: "new" }),
      ]);
    }
  });

  test("an outcome is an event: re-sent in another period it is a duplicate, a later rating is new", async () => {
    const office = testCreditCode(800);
    const outcome = (period: string, date: string) => [office, period, bankB, "high_risk_rating", date];
    const header = ["reporter_code", "period", "institution_code", "event", "event_date"];
    const withOffice = (rows: string[][], period: string) => {
      const dir = withRegistry({ [`outcomes/${period}.csv`]: [header, ...rows] });
      const institutions = join(dir, "institutions.csv");
      writeFileSync(
        institutions,
        `${readFileSync(institutions, "utf8")}${csv([[office, "测试监管局", "Test Office", "supervisory_office", "渝中区", null, null, null, null, "active"]])}`,
      );
      return dir;
    };
    const march = await ingest(ctx, withOffice([outcome("2026-03", "2026-03-15")], "2026-03"));
    expect(march.problems).toEqual([]);
    const dir = withOffice([outcome("2026-10", "2026-10-15"), outcome("2026-10", "2026-03-15")], "2026-10");
    const report = await ingest(ctx, dir);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: join(dir, "outcomes", "2026-10.csv"),
        row: 3,
        column: "reporter_code+institution_code+event+event_date",
        rule: "duplicate",
        message: expect.stringContaining(`already stored in the 2026-03 submission (batch ${march.batchId})`),
      }),
    ]);
    const later = await ingest(ctx, withOffice([outcome("2026-10", "2026-10-15")], "2026-10"));
    expect(later.problems).toEqual([]);
    expect(later.status).toBe("accepted");
  });

  test("a dataset's duplicates are listed even when another dataset of the intake has problems", async () => {
    const dir = withRegistry({
      "bill_endorsements/2026-10.csv": [
        ["bank_code", "period", "bill_id", "sequence", "endorser_code", "endorsee_code", "endorsed_on"],
        [bankA, "2026-10", "BILL9", "not a number", testCreditCode(900), testCreditCode(901), "2026-07-01"],
      ],
      "complaints/2026-10.csv": [complaintHeader, complaint("2026-10", "X3"), complaint("2026-10", "X4")],
    });
    const report = await ingest(ctx, dir);
    expect(report.status).toBe("rejected");
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: join(dir, "bill_endorsements", "2026-10.csv"), column: "sequence" }),
        expect.objectContaining({
          file: join(dir, "complaints", "2026-10.csv"),
          row: 2,
          rule: "duplicate",
          message: expect.stringContaining("already stored in the 2026-09 submission"),
        }),
      ]),
    );
    expect(report.problemCount).toBe(2);
  });
});

describe("keys compare as stored", () => {
  test("keys that differ only in how they are written are duplicates", async () => {
    const endorsement = (sequence: string) => [
      bankA,
      "2026-09",
      "BILL1",
      sequence,
      testCreditCode(900),
      testCreditCode(901),
      "2026-09-01",
    ];
    const dir = withRegistry({
      "bill_endorsements/2026-09.csv": [
        ["bank_code", "period", "bill_id", "sequence", "endorser_code", "endorsee_code", "endorsed_on"],
        endorsement("1"),
        endorsement("01"),
      ],
    });
    const file = join(dir, "bill_endorsements", "2026-09.csv");
    const report = await ingest(ctx, dir);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file,
        row: 3,
        value: `bank_code=${bankA}, period=2026-09, bill_id=BILL1, sequence=1`,
        rule: "duplicate",
        message: `duplicates the key already given at ${file} row 2`,
      }),
    ]);
  });

  test("a personal identifier in a duplicated key is masked in the report", async () => {
    const customer = testResidentId(7);
    const assessment = [bankA, "2026-09", customer, "2026-03-01", "C3", "false", "false"];
    const dir = withRegistry({
      "risk_assessments/2026-09.csv": [
        [
          "institution_code",
          "period",
          "customer_id",
          "assessed_on",
          "risk_class",
          "lowest_category",
          "professional",
        ],
        assessment,
        assessment,
      ],
    });
    const report = await ingest(ctx, dir);
    expect(report.problems).toEqual([
      expect.objectContaining({
        row: 3,
        value: `institution_code=${bankA}, period=2026-09, customer_id=${customer.slice(0, 2)}${"*".repeat(14)}${customer.slice(-2)}, assessed_on=2026-03-01`,
        rule: "duplicate",
      }),
    ]);
  });
});
