import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@beacon/core/config";
import { isAppError } from "@beacon/core/errors";
import { type Principal, system } from "@beacon/core/identity/roles";
import { ingest } from "@beacon/core/intake/ingest";
import type { Beacon } from "@beacon/core/runtime";
import { testDb } from "@beacon/core/testing/db";
import {
  bankA,
  bankB,
  csv,
  smallLoanC,
  testCreditCode,
  testResidentId,
  writeTinyProvince,
} from "@beacon/core/testing/fixtures";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerFindingRoutes } from "./findings.ts";

// The routes alone, in process, with the app's error mapping; authorisation is the auth middleware's (tested there).
// A stand-in for it sets the principal: an institution's user when the test names one, else a trusted operator.
let beacon: Beacon;
let app: Hono;

beforeAll(async () => {
  const db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "findings-api-"));
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  beacon = { db, config, close: () => db.close() };
  const province = mkdtempSync(join(tmpdir(), "findings-province-"));
  writeTinyProvince(province);
  // One borrower with a loan at each of the three lenders.
  const who = testResidentId(4242);
  appendFileSync(
    join(province, "loans", "2026-09.csv"),
    csv(
      [bankA, bankB, smallLoanC].map((lender, i) => [
        `M${i}`,
        lender,
        "2026-09",
        "individual",
        who,
        null,
        "90000.00",
        "100000.00",
        "90000.00",
        "2026-03-15",
        "2028-03-15",
        "0.0435",
        "0.00",
        "0.00",
        "0.00",
        "equal_instalment",
        24,
        null,
        null,
        "normal",
        "K",
        "false",
        "false",
        "false",
      ]),
    ),
  );
  const report = await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, province);
  expect(report.status).toBe("accepted");
  app = new Hono();
  app.use("/api/*", async (c, next) => {
    const institution = c.req.header("x-test-institution");
    const p: Principal = institution
      ? {
          kind: "user",
          userId: 1,
          username: "inst",
          role: "institution",
          unit: null,
          institution,
          districts: null,
          via: "session",
        }
      : system("test");
    c.set("principal" as never, p as never);
    await next();
  });
  registerFindingRoutes(app, beacon);
  app.onError((err, c) =>
    isAppError(err)
      ? c.json({ error: { code: err.code, message: err.message } }, err.httpStatus as 400)
      : c.json({ error: String(err) }, 500),
  );
});
afterAll(async () => beacon.close());

const post = (path: string, body: unknown) =>
  app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("findings API", () => {
  test("POST /api/detect runs detectors with a what-if parameter; GET /api/findings lists what they found", async () => {
    const res = await post("/api/detect", {
      detectors: ["multiple_loans"],
      period: "2026-09",
      params: { multiple_loans: { min_lenders_individual: 3 } },
    });
    expect(res.status).toBe(201);
    const run = (await res.json()) as {
      runId: number;
      detectors: { detector: string; status: string; findings: number }[];
    };
    expect(run.detectors).toEqual([
      expect.objectContaining({ detector: "multiple_loans", status: "ok", findings: 1 }),
    ]);

    const list = await app.request("/api/findings?detector=multiple_loans&period=2026-09");
    expect(list.status).toBe(200);
    const page = (await list.json()) as {
      total: number;
      items: { explanation: { en: string }; params: Record<string, unknown>; institutions: string[] }[];
    };
    expect(page.total).toBe(1);
    expect(page.items[0]!.explanation.en).toMatch(
      /^Borrower [0-9a-f]{12}… has loans at 3 distinct lenders \(threshold 3 for individuals\)/,
    );
    expect(page.items[0]!.params.min_lenders_individual).toBe(3);
    expect([...page.items[0]!.institutions].sort()).toEqual([bankA, bankB, smallLoanC].sort());

    const byBank = (await (await app.request(`/api/findings?institution=${bankA}`)).json()) as {
      total: number;
    };
    expect(byBank.total).toBe(1);

    // One finding by id; an institution it concerns reads it, another gets a 403 and an empty list.
    const id = ((await (await app.request("/api/findings")).json()) as { items: { id: number }[] }).items[0]!
      .id;
    const one = await app.request(`/api/findings/${id}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { detector: string }).detector).toBe("multiple_loans");
    const as = (code: string) => ({ headers: { "x-test-institution": code } });
    expect((await app.request(`/api/findings/${id}`, as(bankB))).status).toBe(200);
    const stranger = testCreditCode(77);
    expect((await app.request(`/api/findings/${id}`, as(stranger))).status).toBe(403);
    expect(
      ((await (await app.request("/api/findings", as(stranger))).json()) as { total: number }).total,
    ).toBe(0);
    expect(((await (await app.request("/api/findings", as(bankB))).json()) as { total: number }).total).toBe(
      1,
    );
    expect((await app.request("/api/findings/999999")).status).toBe(404);
  });

  test("bad input is a 400 that names the parameter", async () => {
    const q = await app.request("/api/findings?severity=urgent");
    expect(q.status).toBe(400);
    expect(((await q.json()) as { error: { message: string } }).error.message).toMatch(/severity/);
    const b = await post("/api/detect", { detectors: ["multiple_loans"], period: "2026-13" });
    expect(b.status).toBe(400);
    expect(((await b.json()) as { error: { message: string } }).error.message).toMatch(
      /period: must be a month/,
    );
    const p = await post("/api/detect", {
      detectors: ["multiple_loans"],
      period: "2026-09",
      params: { multiple_loans: { k: 1 } },
    });
    expect(p.status).toBe(400);
    expect(((await p.json()) as { error: { message: string } }).error.message).toMatch(
      /multiple_loans\.k: unknown parameter/,
    );
  });

  test("GET /api/detectors lists every detector with its parameters", async () => {
    const res = await app.request("/api/detectors");
    const body = (await res.json()) as {
      detectors: { id: string; params: { name: string; default: unknown }[] }[];
    };
    const ml = body.detectors.find((d) => d.id === "multiple_loans")!;
    expect(ml.params).toContainEqual(expect.objectContaining({ name: "min_lenders_individual", default: 5 }));
    expect(body.detectors.map((d) => d.id)).toContain("guarantee_circle");
  });
});
