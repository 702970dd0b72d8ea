import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@beacon/core/config";
import { createUser } from "@beacon/core/identity/create-user";
import { system } from "@beacon/core/identity/roles";
import { ingest } from "@beacon/core/intake/ingest";
import type { Beacon } from "@beacon/core/runtime";
import { testDb } from "@beacon/core/testing/db";
import { bankA, writeTinyProvince } from "@beacon/core/testing/fixtures";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "./app.ts";
import { routeDocs } from "./route.ts";

let beacon: Beacon;
let app: ReturnType<typeof createApp>;
let province: string;
let session: { cookie: string; csrf: string };

beforeAll(async () => {
  const db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "api-data-"));
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  beacon = { db, config, close: () => db.close() };
  province = mkdtempSync(join(tmpdir(), "api-province-"));
  writeTinyProvince(province);
  await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, join(province, "institutions.csv"));
  await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, join(province, "licences.csv"));
  app = createApp(beacon);
  // Every route but health, login and the OpenAPI document needs a signed-in user: these tests act as an operator.
  await createUser(db, system("test"), {
    username: "operator",
    password: "a long test passphrase",
    role: "admin",
  });
  const res = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "operator", password: "a long test passphrase" }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  session = { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
});
afterAll(async () => beacon.close());

const json = async (path: string, init?: RequestInit) => {
  const res = await app.request(path, {
    ...init,
    headers: {
      ...(init?.headers as Record<string, string>),
      cookie: session.cookie,
      "x-csrf-token": session.csrf,
    },
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies of every route's shape, read field by field in assertions
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe("API", () => {
  test("health answers ok with the store kind", async () => {
    expect(await json("/api/health")).toEqual({
      status: 200,
      body: expect.objectContaining({ status: "ok", store: beacon.db.kind }),
    });
  });

  test("institutions are paged, filtered and sorted", async () => {
    const all = await json("/api/institutions?pageSize=2&sort=name_en&order=desc");
    expect(all.body.total).toBe(3);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.items[0].nameEn).toBe("Chongqing Test Small Loan Co.");
    const banks = await json("/api/institutions?type=bank");
    expect(banks.body.items.map((i: { type: string }) => i.type)).toEqual(["bank", "bank"]);
    const q = await json(`/api/institutions?q=${encodeURIComponent("第二")}`);
    expect(q.body.items.map((i: { nameEn: string }) => i.nameEn)).toEqual([
      "Chongqing Second Test Rural Commercial Bank",
    ]);
  });

  test.each([
    ["/api/institutions?pageSize=0", "pageSize"],
    ["/api/institutions?sort=code;drop table institutions", "sort"],
    ["/api/institutions?type=casino", "type"],
    ["/api/institutions?color=red", "color"],
    ["/api/submissions?period=2026-13", "period"],
  ])("%s is a 400 naming the parameter", async (path, parameter) => {
    const r = await json(path);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("INVALID_INPUT");
    expect(r.body.error.message).toContain(parameter);
  });

  test("one institution, with its licences; an unknown one is a 404", async () => {
    const r = await json(`/api/institutions/${bankA}`);
    expect(r.body).toMatchObject({
      code: bankA,
      type: "bank",
      licences: [expect.objectContaining({ licenceNo: "B0001" })],
    });
    expect((await json("/api/institutions/91500103MA000099X1")).status).toBe(404);
  });

  test("an upload with a bad cell is rejected with its report and stores nothing", async () => {
    const form = new FormData();
    const text = readFileSync(join(province, "loans", "2026-09.csv"), "utf8").replace(
      "equal_instalment",
      "balloon",
    );
    form.append("file", new File([text], "2026-09.csv"));
    form.append("dataset", "loans");
    const r = await json("/api/uploads", { method: "POST", body: form });
    expect(r.status).toBe(422);
    expect(r.body.problems[0]).toMatchObject({
      file: "loans/2026-09.csv",
      row: 2,
      column: "repayment_method",
      rule: "enum",
    });
    expect((await json("/api/status")).body.datasets).toEqual([]);
  });

  test("a good upload is stored and its submissions carry the validation report", async () => {
    const form = new FormData();
    form.append("file", new File([readFileSync(join(province, "loans", "2026-09.csv"))], "2026-09.csv"));
    form.append("dataset", "loans");
    const r = await json("/api/uploads", { method: "POST", body: form });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("accepted");
    const subs = await json("/api/submissions?dataset=loans");
    expect(subs.body.total).toBe(3);
    const one = await json(`/api/submissions/${subs.body.items[0].id}`);
    expect(one.body.report.status).toBe("accepted");
    const reports = await json("/api/intake-reports?status=rejected");
    expect(reports.body.items[0].report.problems[0].rule).toBe("enum");
  });

  test("uploads with unusable names or no file are refused", async () => {
    const form = new FormData();
    form.append("file", new File(["x"], "../../etc/passwd"));
    const r = await json("/api/uploads", { method: "POST", body: form });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/unsupported type/);
    const empty = await json("/api/uploads", { method: "POST", body: new FormData() });
    expect(empty.status).toBe(400);
  });

  test("the OpenAPI document lists every route with its parameters", async () => {
    const doc = (await json("/api/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/institutions",
        "/api/institutions/{code}",
        "/api/submissions",
        "/api/uploads",
        "/api/status",
      ]),
    );
    const params = doc.paths["/api/institutions"].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(["type", "sector", "q", "page", "pageSize", "sort"]));
  });

  test("the OpenAPI document gives every JSON body its schema, and uploads as multipart", async () => {
    const doc = (await json("/api/openapi.json")).body;
    type Op = { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };
    const bodies = Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ route: `${method} ${path}`, content: op.requestBody!.content })),
    );
    const multipart = bodies.filter((b) => b.content["multipart/form-data"]).map((b) => b.route);
    expect(multipart.sort()).toEqual(["post /api/cases/{id}/attachments", "post /api/uploads"]);
    // Every other body is JSON; those the route validates with a zod schema publish that schema.
    const withSchema = new Set(routeDocs.filter((d) => d.bodySchema).map((d) => `${d.method} ${d.path}`));
    expect(withSchema.size).toBeGreaterThan(35);
    for (const b of bodies.filter((x) => !multipart.includes(x.route))) {
      const schema = b.content["application/json"]?.schema;
      expect(schema, b.route).toBeDefined();
      if (withSchema.has(b.route)) expect(schema!.properties ?? schema!.anyOf, b.route).toBeDefined();
    }
    const login = doc.paths["/api/auth/login"].post.requestBody.content["application/json"].schema;
    expect(login.required).toEqual(expect.arrayContaining(["username", "password"]));
    expect(login.additionalProperties).toBe(false);
  });
});
