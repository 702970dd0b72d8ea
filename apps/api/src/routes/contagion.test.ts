import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@beacon/core/config";
import { isAppError } from "@beacon/core/errors";
import { ingest } from "@beacon/core/intake/ingest";
import { computeSystemicImportance, storeSystemicImportance } from "@beacon/core/network/systemic";
import type { Beacon } from "@beacon/core/runtime";
import { testDb } from "@beacon/core/testing/db";
import { bankA, bankB, csv, smallLoanC, writeTinyProvince } from "@beacon/core/testing/fixtures";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerContagionRoutes } from "./contagion.ts";

// The routes alone, in process, with the app's error mapping; authorisation is the auth middleware's (policy matrix).
let beacon: Beacon;
let app: Hono;

beforeAll(async () => {
  const db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "contagion-api-"));
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  beacon = { db, config, close: () => db.close() };
  const province = mkdtempSync(join(tmpdir(), "contagion-province-"));
  writeTinyProvince(province);
  mkdirSync(join(province, "exposures"));
  mkdirSync(join(province, "returns"));
  writeFileSync(
    join(province, "exposures", "2026-09.csv"),
    csv([
      ["exposure_id", "lender_code", "period", "borrower_code", "exposure_type", "amount", "maturity_date"],
      ["E1", bankA, "2026-09", bankB, "interbank_lending", "1000.00", null],
      ["E2", bankB, "2026-09", bankA, "deposit", "300.00", null],
      ["E3", bankA, "2026-09", smallLoanC, "interbank_lending", "100.00", null],
    ]),
  );
  const r = (inst: string, item: string, value: string) => [inst, "2026-09", item, value, "CNY"];
  writeFileSync(
    join(province, "returns", "2026-09.csv"),
    csv([
      ["institution_code", "period", "item", "value", "unit"],
      r(bankA, "BANK_TOTAL_ASSETS", "5000"),
      r(bankA, "BANK_TOTAL_LIABILITIES", "4600"),
      r(bankA, "BANK_RE_LOANS", "800"),
      r(bankB, "BANK_TOTAL_ASSETS", "2000"),
      r(bankB, "BANK_TOTAL_LIABILITIES", "1900"),
      r(smallLoanC, "SLC_NET_ASSETS", "40"),
    ]),
  );
  const report = await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, province);
  expect(report.status).toBe("accepted");
  app = new Hono();
  registerContagionRoutes(app, beacon);
  app.onError((err, c) =>
    isAppError(err)
      ? c.json({ error: { code: err.code, message: err.message } }, err.httpStatus as 400)
      : c.json({ error: String(err) }, 500),
  );
});
afterAll(async () => beacon.close());

const post = (body: unknown) =>
  app.request("/api/contagion", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("contagion API", () => {
  test("POST /api/contagion runs a combined scenario on a stored period, with results by sector", async () => {
    const res = await post({
      period: "2026-09",
      method: "debtrank",
      shock: ["asset:real_estate=0.5", `default:${bankB}`],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      scenarios: {
        scenario: string;
        sectors: { sector: string }[];
        nodes: { id: string; defaulted: boolean }[];
      }[];
      provenance: { period: string; exposureSubmissions: number[] };
    };
    const [s] = body.scenarios;
    expect(s!.scenario).toBe(`asset:real_estate=0.5 + default:${bankB}`);
    expect(s!.sectors.map((x) => x.sector)).toEqual(["banking", "local_finance"]);
    expect(s!.nodes.find((n) => n.id === bankA)!.defaulted).toBe(true);
    expect(body.provenance.period).toBe("2026-09");
  });

  test("POST /api/contagion runs on an uploaded network, estimating links from totals", async () => {
    const res = await post({
      network: {
        nodes: [
          { id: "a", capital: 1, externalAssets: 10, interbankAssetsTotal: 4 },
          { id: "b", capital: 1, externalAssets: 10, interbankLiabilitiesTotal: 4 },
        ],
        exposures: [],
      },
      method: "eisenberg-noe",
      shock: "default:b",
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { estimated: { links: unknown[] }; exposures: number };
    expect(body.estimated.links).toEqual([{ lender: "a", borrower: "b", amount: 4 }]);
    expect(body.exposures).toBe(1);
  });

  test("bad input is a 400 that says where and why", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ period: "2026-09", method: "debtrank", shock: "sector:banking" }, /write sector:NAME=FRACTION/],
      [{ period: "2026-09", method: "debtrank", shock: "asset:real_estate=2" }, /between 0 and 1/],
      [{ period: "2026-09", method: "debtrank", shock: "default:NOPE" }, /unknown institution id "NOPE"/],
      [{ period: "2026-09", method: "debtrank", shock: "sector:trust=0.1" }, /sectors present: banking/],
      [{ method: "debtrank", shock: "each" }, /exactly one of period, network or csv/],
      [{ period: "2026-9", method: "debtrank", shock: "each" }, /period/],
      [{ period: "2026-09", method: "domino", shock: "each" }, /method/],
      [{ csv: { nodes: "id,capital\na,x\n" }, method: "debtrank", shock: "each" }, /missing column/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
  });

  test("GET /api/contagion/systemic computes the ranking, then serves the stored run", async () => {
    const live = await app.request("/api/contagion/systemic?period=2026-09");
    expect(live.status).toBe(200);
    const computed = (await live.json()) as { stored: boolean; ranking: { id: string }[]; method: string };
    expect(computed.stored).toBe(false);
    expect(computed.method).toBe("debtrank");
    expect(computed.ranking).toHaveLength(3);
    const runId = await storeSystemicImportance(
      beacon.db,
      await computeSystemicImportance(beacon.db, beacon.config.dataDir, { period: "2026-09" }),
      "test",
    );
    const stored = (await (await app.request("/api/contagion/systemic?period=2026-09")).json()) as {
      stored: boolean;
      runId: number;
      ranking: { id: string }[];
      version: number;
    };
    expect(stored).toMatchObject({ stored: true, runId, version: 2 });
    expect(stored.ranking.map((x) => x.id)).toEqual(computed.ranking.map((x) => x.id));
    expect((await app.request("/api/contagion/systemic?period=2026-13")).status).toBe(400);
    expect((await app.request("/api/contagion/systemic?period=2026-08")).status).toBe(404);
  });

  test("GET /api/contagion/position gives an institution's rank, impact and largest counterparties", async () => {
    const res = await app.request(`/api/contagion/position?institution=${bankA}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      period: string;
      systemic: {
        rank: number;
        of: number;
        impact: number;
        method: string;
        version: number;
        stored: boolean;
      };
      lenders: { code: string; amount: number; estimated: boolean }[];
      borrowers: { code: string; amount: number; nameEn: string | null }[];
      totals: { borrowed: number; lent: number; lenders: number; borrowers: number };
    };
    // The latest period with exposures, and the stored run of the test above.
    expect(body.period).toBe("2026-09");
    const systemic = (await (await app.request("/api/contagion/systemic?period=2026-09")).json()) as {
      ranking: { id: string; rank: number; additionalStress: number }[];
    };
    const mine = systemic.ranking.find((r) => r.id === bankA)!;
    expect(body.systemic).toMatchObject({
      stored: true,
      method: "debtrank",
      rank: mine.rank,
      of: 3,
      impact: mine.additionalStress,
    });
    expect(body.borrowers.map((b) => [b.code, b.amount])).toEqual([
      [bankB, 1000],
      [smallLoanC, 100],
    ]);
    expect(body.borrowers[0]!.nameEn).toEqual(expect.any(String));
    expect(body.lenders).toEqual([expect.objectContaining({ code: bankB, amount: 300, estimated: false })]);
    expect(body.totals).toEqual({ borrowed: 300, lent: 1100, lenders: 1, borrowers: 2 });

    // A period without exposures is an empty position, not an error.
    const none = (await (
      await app.request(`/api/contagion/position?institution=${bankA}&period=2026-08`)
    ).json()) as { period: string; systemic: unknown; lenders: unknown[]; borrowers: unknown[] };
    expect(none).toMatchObject({ period: "2026-08", systemic: null, lenders: [], borrowers: [] });
    expect((await app.request("/api/contagion/position?institution=short")).status).toBe(400);
    expect((await app.request(`/api/contagion/position?institution=${bankA}&period=2026-9`)).status).toBe(
      400,
    );
  });
});
