import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@beacon/core/config";
import { createApiToken } from "@beacon/core/identity/create-api-token";
import { sha256 } from "@beacon/core/identity/secrets";
import { authSettings } from "@beacon/core/identity/settings";
import { inst, seedInstitutions, seedUser, testPassword } from "@beacon/core/identity/test-support";
import type { Beacon } from "@beacon/core/runtime";
import { testDb } from "@beacon/core/testing/db";
import type { Context } from "hono";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "./app.ts";
import { csrfHeader, maxJsonBytes, securityHeaders } from "./auth.ts";
import { routeDocs } from "./route.ts";

interface ErrorBody {
  error: { code: string; message: string };
}
type LoginBody = ErrorBody & { csrfToken: string; user: unknown };

let beacon: Beacon;
let app: ReturnType<typeof createApp>;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function signIn(username: string, password = testPassword, headers: Record<string, string> = {}) {
  const res = await post("/api/auth/login", { username, password }, headers);
  const cookies = res.headers.getSetCookie();
  const body = (await res.json()) as LoginBody;
  const session = /beacon_session=([^;]*)/.exec(cookies.join("\n"))?.[1];
  return { res, cookies, body, session, cookie: `beacon_session=${session}`, csrf: body.csrfToken as string };
}

beforeAll(async () => {
  const db = await testDb();
  const config = loadConfig({
    BEACON_DATA_DIR: mkdtempSync(join(tmpdir(), "auth-api-")),
    BEACON_MODE: "test",
  });
  beacon = { db, config, close: () => db.close() };
  await seedInstitutions(db);
  app = createApp(beacon);
  await seedUser(db, "cbrc", "lead_supervisor", { unit: "cbrc_cq" });
  await seedUser(db, "auditor", "auditor");
});
afterAll(async () => beacon.close());

describe("sign-in", () => {
  test("sets an httpOnly SameSite=Strict session cookie and a readable CSRF cookie; the body never holds the session id", async () => {
    const r = await signIn("cbrc");
    expect(r.res.status).toBe(200);
    const session = r.cookies.find((c) => c.startsWith("beacon_session="))!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Path=\/api/);
    expect(session).toMatch(/; Max-Age=43200/);
    const csrf = r.cookies.find((c) => c.startsWith("beacon_csrf="))!;
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/SameSite=Strict/);
    expect(r.body).toMatchObject({
      user: { username: "cbrc", role: "lead_supervisor", unit: "cbrc_cq" },
      csrfHeader,
    });
    expect(JSON.stringify(r.body)).not.toContain(r.session!);
    const me = await app.request("/api/auth/me", { headers: { cookie: r.cookie } });
    expect(await me.json()).toMatchObject({
      username: "cbrc",
      sectors: ["banking", "trust", "internet_finance"],
      via: "session",
    });
  });

  test("a wrong password is a 401 with a message that does not say which part was wrong", async () => {
    const r = await signIn("cbrc", "not the password at all");
    expect(r.res.status).toBe(401);
    expect(r.body.error.message).toMatch(/invalid username or password/);
    expect(r.cookies).toEqual([]);
    expect((await post("/api/auth/login", { username: "cbrc" })).status).toBe(400);
    const text = await app.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "cbrc:x",
    });
    expect(text.status).toBe(400);
  });

  test("signing in mints a new session id whatever cookie the client brings (no fixation)", async () => {
    const victim = await signIn("cbrc");
    const planted = "attacker-chosen-session-id-0123456789";
    const r = await signIn("cbrc", testPassword, { cookie: `beacon_session=${planted}` });
    expect(r.session).not.toBe(planted);
    const again = await signIn("cbrc", testPassword, { cookie: victim.cookie });
    expect(again.session).not.toBe(victim.session);
    expect((await app.request("/api/auth/me", { headers: { cookie: victim.cookie } })).status).toBe(401);
    expect(
      (await app.request("/api/auth/me", { headers: { cookie: `beacon_session=${planted}` } })).status,
    ).toBe(401);
    expect((await app.request("/api/auth/me", { headers: { cookie: again.cookie } })).status).toBe(200);
  });

  test("sign-out ends the session at once; an idle or expired session is refused", async () => {
    const s = await signIn("cbrc");
    const out = await app.request("/api/auth/logout", {
      method: "POST",
      headers: { cookie: s.cookie, [csrfHeader]: s.csrf },
    });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/beacon_session=;/);
    expect((await app.request("/api/auth/me", { headers: { cookie: s.cookie } })).status).toBe(401);
    const idle = await signIn("cbrc");
    await beacon.db.query(
      "update sessions set last_seen_at = now() - make_interval(mins => $2) where token_hash = $1",
      [sha256(idle.session!), authSettings.idleMinutes + 1],
    );
    expect((await app.request("/api/cases", { headers: { cookie: idle.cookie } })).status).toBe(401);
  });
});

describe("CSRF", () => {
  test("cookie-authenticated writes need the session's token in the header; reads and Bearer writes do not", async () => {
    const s = await signIn("cbrc");
    const other = await signIn("auditor");
    const body = JSON.stringify({
      title: "csrf",
      source: { kind: "manual", ref: "csrf" },
      sector: "banking",
    });
    const send = (headers: Record<string, string>) =>
      app.request("/api/cases", {
        method: "POST",
        headers: { "content-type": "application/json", cookie: s.cookie, ...headers },
        body,
      });
    const attempts: Record<string, string>[] = [{}, { [csrfHeader]: "forged" }, { [csrfHeader]: other.csrf }];
    for (const headers of attempts) {
      const r = await send(headers);
      expect(r.status).toBe(403);
      expect(((await r.json()) as ErrorBody).error.message).toMatch(/x-csrf-token/);
    }
    expect(await beacon.db.query("select 1 from cases where title = 'csrf'")).toEqual([]);
    expect((await send({ [csrfHeader]: s.csrf })).status).toBe(201);
    expect((await app.request("/api/cases", { headers: { cookie: s.cookie } })).status).toBe(200);
    const bank = await seedUser(beacon.db, "bank-token-user", "institution", { institution: inst.bankA });
    const t = await createApiToken(beacon.db, bank, { name: "x", scopes: ["filings"] });
    const filed = await app.request("/api/filings", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${t.token}` },
      body: JSON.stringify({ productCode: "T-1", productName: "via token", productKind: "other" }),
    });
    expect(filed.status).toBe(201);
  });
});

describe("API tokens over HTTP", () => {
  test("an institution issues a token from its session; the token works only within its scopes until revoked", async () => {
    await seedUser(beacon.db, "bank-b", "institution", { institution: inst.bankB });
    const s = await signIn("bank-b");
    const created = await post(
      "/api/tokens",
      { name: "ERP", scopes: ["read"] },
      { cookie: s.cookie, [csrfHeader]: s.csrf },
    );
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: number };
    const bearer = { authorization: `Bearer ${token}` };
    expect(await (await app.request("/api/auth/me", { headers: bearer })).json()).toMatchObject({
      via: "token",
      tokenScopes: ["read"],
    });
    expect((await app.request(`/api/institutions/${inst.bankB}`, { headers: bearer })).status).toBe(200);
    expect((await app.request(`/api/institutions/${inst.bankA}`, { headers: bearer })).status).toBe(403);
    expect((await post("/api/tokens", { name: "x", scopes: ["read"] }, bearer)).status).toBe(403);
    const listed = (await (await app.request("/api/tokens", { headers: { cookie: s.cookie } })).json()) as {
      items: object[];
    };
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(
      (await post(`/api/tokens/${id}/revoke`, {}, { cookie: s.cookie, [csrfHeader]: s.csrf })).status,
    ).toBe(200);
    const after = await app.request("/api/auth/me", { headers: bearer });
    expect(after.status).toBe(401);
    expect(
      (await app.request("/api/auth/me", { headers: { authorization: "Bearer nonsense" } })).status,
    ).toBe(401);
    expect((await app.request("/api/auth/me", { headers: { authorization: "Basic YTpi" } })).status).toBe(
      401,
    );
  });
});

describe("routes and responses", () => {
  test("every response carries JSON and the restrictive headers, errors included", async () => {
    const s = await signIn("auditor");
    for (const [path, status] of [
      ["/api/health", 200],
      ["/api/cases", 200],
      ["/api/cases?sort=nope", 400],
      ["/api/cases/999999", 404],
      ["/api/nothing-here", 404],
      ["/api/users/1/disable", 404],
    ] as const) {
      const res = await app.request(path, { headers: { cookie: s.cookie } });
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
      for (const [k, v] of Object.entries(securityHeaders))
        expect(res.headers.get(k), `${path} ${k}`).toBe(v);
    }
    expect((await app.request("/api/cases")).headers.get("content-security-policy")).toMatch(
      /default-src 'none'/,
    );
  });

  test("a route not documented, or documented without a policy, is refused before its handler runs", async () => {
    let ran = false;
    const extended = createApp(beacon);
    extended.get("/api/backdoor", (c: Context) => {
      ran = true;
      return c.json({ secret: true });
    });
    routeDocs.push({ method: "get", path: "/api/unpoliced", tag: "x", summary: "x" });
    extended.get("/api/unpoliced", (c: Context) => {
      ran = true;
      return c.json({ secret: true });
    });
    const s = await signIn("auditor");
    const hidden = await extended.request("/api/backdoor", { headers: { cookie: s.cookie } });
    expect(hidden.status).toBe(404);
    const unpoliced = await extended.request("/api/unpoliced", { headers: { cookie: s.cookie } });
    expect(unpoliced.status).toBe(403);
    expect(((await unpoliced.json()) as ErrorBody).error.message).toMatch(
      /not registered with the access policy/,
    );
    expect(ran).toBe(false);
    routeDocs.pop();
  });

  test("every handler the app registers under /api is a documented route", () => {
    const fresh = createApp(beacon);
    const documented = new Set(routeDocs.map((d) => `${d.method} ${d.path.replace(/\{(\w+)\}/g, ":$1")}`));
    const handlers = fresh.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api"));
    expect(handlers.length).toBeGreaterThan(50);
    for (const r of handlers)
      expect(documented, `${r.method} ${r.path}`).toContain(`${r.method.toLowerCase()} ${r.path}`);
  });

  test("JSON bodies are limited in size", async () => {
    const s = await signIn("cbrc");
    const big = JSON.stringify({ body: "x".repeat(maxJsonBytes) });
    const res = await app.request("/api/feed", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: s.cookie, [csrfHeader]: s.csrf },
      body: big,
    });
    expect(res.status).toBe(413);
  });
});

describe("sign-in throttling", () => {
  test(`after ${authSettings.clientFailures} failures from one address, sign-in answers 429 with Retry-After`, async () => {
    await beacon.db.query("delete from login_attempts");
    for (let i = 0; i < authSettings.clientFailures; i++)
      expect((await signIn(`nobody-${i}`, "wrong password here")).res.status).toBe(401);
    const r = await signIn("cbrc");
    expect(r.res.status).toBe(429);
    expect(Number(r.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(r.body.error.code).toBe("RATE_LIMITED");
    await beacon.db.query("delete from login_attempts");
    expect((await signIn("cbrc")).res.status).toBe(200);
  });
});
