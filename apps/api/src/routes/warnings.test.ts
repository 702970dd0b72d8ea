import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@beacon/core/config";
import { isAppError } from "@beacon/core/errors";
import { type Principal, system, type UserPrincipal } from "@beacon/core/identity/roles";
import { seedUser } from "@beacon/core/identity/test-support";
import type { Beacon } from "@beacon/core/runtime";
import { insertReturns, syntheticBanks, testCatalog } from "@beacon/core/scoring/test-support";
import { testDb } from "@beacon/core/testing/db";
import { runEarlyWarning } from "@beacon/core/warnings/run-early-warning";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openApiDocument } from "../route.ts";
import { registerWarningRoutes } from "./warnings.ts";

// The routes under test alone, behind a stand-in for the access gate that sets the principal of the request.
let beacon: Beacon;
let app: Hono;
let as: Principal = system("test");
let cbrc: UserPrincipal;
const province = syntheticBanks({
  banks: 8,
  from: "2024-01",
  to: "2025-12",
  seed: 4,
  failing: [{ bank: 1, start: "2025-01", end: "2025-10" }],
});

beforeAll(async () => {
  const db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "warn-api-"));
  beacon = {
    db,
    config: loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" }),
    close: () => db.close(),
  };
  await insertReturns(db, province.registry, province.facts);
  await runEarlyWarning(db, system("test"), {
    from: "2025-01",
    period: "2025-12",
    catalog: testCatalog,
    dataDir,
  });
  cbrc = await seedUser(db, "cbrc-lead", "lead_supervisor", { unit: "cbrc_cq" });
  app = new Hono();
  app.use("*", async (c, next) => {
    c.set("principal" as never, as as never);
    await next();
  });
  registerWarningRoutes(app, beacon);
  app.onError((err, c) =>
    isAppError(err)
      ? c.json({ error: { code: err.code, message: err.message } }, err.httpStatus as 400)
      : c.json({ error: String(err) }, 500),
  );
});
afterAll(async () => beacon.close());

const call = async (path: string, init?: RequestInit) => {
  const res = await app.request(path, init);
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in assertions.
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const post = (path: string, body: unknown) =>
  call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("warnings API", () => {
  test("GET /api/warnings lists, filters and pages; bad parameters are a 400 naming them", async () => {
    const list = await call("/api/warnings?minLevel=orange&sort=score&order=desc&pageSize=5");
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].institution.code).toBe(province.registry[1]!.code);
    expect(list.body.items[0].contributions.length).toBeGreaterThan(0);
    const bad = await call("/api/warnings?level=purple&pageSize=0");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/level: .*; pageSize: /);
  });

  test("GET /api/warnings/{id} has the history and the scores with their contributions", async () => {
    const [w] = (await call("/api/warnings")).body.items;
    const detail = await call(`/api/warnings/${w.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.history[0].event).toBe("opened");
    expect(detail.body.scores.at(-1).period).toBe("2025-12");
    expect(detail.body.scores.at(-1).contributions[0].points).toBeGreaterThan(0);
    expect((await call("/api/warnings/999999")).status).toBe(404);
    expect((await call("/api/warnings/abc")).status).toBe(400);
  });

  test("POST /api/warnings/{id}/transition moves it along the lifecycle, and refuses what is not allowed", async () => {
    const [w] = (await call("/api/warnings")).body.items;
    as = cbrc;
    const ack = await post(`/api/warnings/${w.id}/transition`, { to: "acknowledged", note: "seen" });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe("acknowledged");
    expect((await post(`/api/warnings/${w.id}/transition`, { to: "acknowledged" })).status).toBe(409);
    expect((await post(`/api/warnings/${w.id}/transition`, { to: "new" })).status).toBe(400);
    const c = await post(`/api/warnings/${w.id}/case`, {});
    expect(c.status).toBe(201);
    expect(c.body.source).toEqual({ kind: "warning", ref: String(w.id) });
    as = system("test");
  });

  test("GET /api/scores rolls up by sector, district or province", async () => {
    const byDistrict = await call("/api/scores?period=2025-12&groupBy=district");
    expect(byDistrict.status).toBe(200);
    expect(
      byDistrict.body.groups
        .map((g: { institutions: number }) => g.institutions)
        .reduce((a: number, b: number) => a + b, 0),
    ).toBe(8);
    expect((await call("/api/scores?groupBy=city")).status).toBe(400);
  });

  test("the routes are in the OpenAPI document with their query parameters", () => {
    const doc = openApiDocument() as {
      paths: Record<string, Record<string, { parameters: { name: string }[] }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/warnings",
        "/api/warnings/{id}",
        "/api/warnings/{id}/transition",
        "/api/warnings/{id}/case",
        "/api/scores",
      ]),
    );
    expect(doc.paths["/api/warnings"]!.get!.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(["status", "minLevel", "sector", "q", "sort", "page"]),
    );
  });
});
