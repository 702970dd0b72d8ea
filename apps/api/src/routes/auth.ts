import { changePassword } from "@beacon/core/identity/change-password";
import { createApiToken, createApiTokenInput } from "@beacon/core/identity/create-api-token";
import { createUser, createUserInput } from "@beacon/core/identity/create-user";
import { disableUser } from "@beacon/core/identity/disable-user";
import { listApiTokens } from "@beacon/core/identity/list-api-tokens";
import { listUsers } from "@beacon/core/identity/list-users";
import { login, SignInThrottled } from "@beacon/core/identity/login";
import { logout } from "@beacon/core/identity/logout";
import { revokeApiToken } from "@beacon/core/identity/revoke-api-token";
import { visibleSectors } from "@beacon/core/identity/roles";
import { authSettings } from "@beacon/core/identity/settings";
import type { Beacon } from "@beacon/core/runtime";
import type { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import {
  clientAddress,
  csrfCookie,
  csrfHeader,
  idParam,
  jsonBody,
  principalOf,
  sessionCookie,
} from "../auth.ts";
import { get, post } from "../route.ts";

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
const passwordBody = z.strictObject({ current: z.string().max(1024), next: z.string().max(1024) });

export function registerAuthRoutes(app: Hono, beacon: Beacon): void {
  const secure = beacon.config.mode === "production";
  const cookieOptions = {
    path: "/api",
    sameSite: "Strict",
    secure,
    maxAge: authSettings.absoluteHours * 3600,
  } as const;
  post(
    app,
    {
      path: "/api/auth/login",
      tag: "auth",
      summary:
        "Sign in with a username and password; opens a session (httpOnly cookie) and returns the CSRF token",
      body: 'JSON {"username", "password"}',
      responses: {
        "200":
          "Signed in: the user, the CSRF token to send as X-CSRF-Token on writes, and when the session ends",
        "401": "Wrong username or password, or the account is locked",
        "429": "Too many failed sign-ins from this address",
      },
      bodySchema: loginBody,
    },
    async (c) => {
      const body = await jsonBody(c, loginBody);
      try {
        const r = await login(beacon.db, {
          username: body.username,
          password: body.password,
          client: clientAddress(c),
          presentedSession: getCookie(c, sessionCookie),
        });
        setCookie(c, sessionCookie, r.sessionToken, { ...cookieOptions, httpOnly: true });
        setCookie(c, csrfCookie, r.csrfToken, { ...cookieOptions, httpOnly: false });
        const p = r.principal;
        return c.json({
          user: {
            username: p.username,
            role: p.role,
            unit: p.unit,
            institution: p.institution,
            districts: p.districts,
          },
          csrfToken: r.csrfToken,
          csrfHeader,
          expiresAt: r.expiresAt,
          idleMinutes: authSettings.idleMinutes,
        });
      } catch (e) {
        if (e instanceof SignInThrottled) {
          c.header("Retry-After", String(e.retryAfterSeconds));
          return c.json({ error: { code: e.code, message: e.message, details: e.details } }, 429);
        }
        throw e;
      }
    },
  );
  post(
    app,
    { path: "/api/auth/logout", tag: "auth", summary: "Sign out: the session ends at once" },
    async (c) => {
      await logout(beacon.db, principalOf(c));
      deleteCookie(c, sessionCookie, { path: "/api" });
      deleteCookie(c, csrfCookie, { path: "/api" });
      return c.json({ signedOut: true });
    },
  );
  get(
    app,
    {
      path: "/api/auth/me",
      tag: "auth",
      summary: "Who is signed in, with role, unit or institution, and the sectors seen",
    },
    (c) => {
      const p = principalOf(c);
      if (p.kind !== "user") return c.json({ kind: p.kind });
      return c.json({
        username: p.username,
        role: p.role,
        unit: p.unit,
        institution: p.institution,
        districts: p.districts,
        sectors: p.unit ? visibleSectors(p.unit) : [],
        via: p.via,
        ...(p.tokenScopes ? { tokenScopes: p.tokenScopes } : {}),
      });
    },
  );
  post(
    app,
    {
      path: "/api/auth/password",
      tag: "auth",
      summary: "Change one's own password; other sessions end",
      body: 'JSON {"current", "next"}',
      bodySchema: passwordBody,
    },
    async (c) => {
      await changePassword(beacon.db, principalOf(c), await jsonBody(c, passwordBody));
      return c.json({ changed: true });
    },
  );
  get(
    app,
    {
      path: "/api/users",
      tag: "users",
      summary: "Users with role, scope and status (administrators, auditors)",
    },
    async (c) => c.json({ items: await listUsers(beacon.db, principalOf(c)) }),
  );
  post(
    app,
    {
      path: "/api/users",
      tag: "users",
      summary: "Create a user (administrators)",
      body: "JSON: username, password, role, unit, institution, districts",
      bodySchema: createUserInput,
    },
    async (c) => c.json(await createUser(beacon.db, principalOf(c), await jsonBody(c, createUserInput)), 201),
  );
  post(
    app,
    {
      path: "/api/users/{id}/disable",
      tag: "users",
      summary: "Disable a user: sessions end, tokens are revoked",
    },
    async (c) => c.json(await disableUser(beacon.db, principalOf(c), idParam(c))),
  );
  get(
    app,
    {
      path: "/api/tokens",
      tag: "tokens",
      summary: "API tokens: one's own, or all for administrators and auditors",
    },
    async (c) => c.json({ items: await listApiTokens(beacon.db, principalOf(c)) }),
  );
  post(
    app,
    {
      path: "/api/tokens",
      tag: "tokens",
      summary: "Issue a scoped API token (shown once) for an institution's systems",
      body: 'JSON {"name", "scopes": ["uploads" | "filings" | "events" | "read"], "days"}',
      bodySchema: createApiTokenInput,
    },
    async (c) =>
      c.json(await createApiToken(beacon.db, principalOf(c), await jsonBody(c, createApiTokenInput)), 201),
  );
  post(
    app,
    { path: "/api/tokens/{id}/revoke", tag: "tokens", summary: "Revoke an API token at once" },
    async (c) => c.json(await revokeApiToken(beacon.db, principalOf(c), idParam(c))),
  );
}
