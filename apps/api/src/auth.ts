import { institutionTypes, sectors } from "@beacon/core/contract/institution-types";
import { AppError } from "@beacon/core/errors";
import { authenticateSession } from "@beacon/core/identity/authenticate-session";
import { authenticateToken } from "@beacon/core/identity/authenticate-token";
import { type Action, authorize, type Resource } from "@beacon/core/identity/policy";
import { anonymous, type Principal } from "@beacon/core/identity/roles";
import { sameSecret, sha256 } from "@beacon/core/identity/secrets";
import { institutionResource } from "@beacon/core/identity/values";
import type { Beacon } from "@beacon/core/runtime";
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { z } from "zod";
import { type RouteDoc, routeDocs } from "./route.ts";

export const sessionCookie = "beacon_session";
export const csrfCookie = "beacon_csrf";
/**
 * CSRF defence: a session-bound synchronizer token. Sign-in returns it (body and a readable SameSite=Strict
 * cookie); every cookie-authenticated write must echo it in this header, and it must match the session's. A
 * cross-site page can neither read the cookie nor set a custom header without a CORS preflight, which this API
 * never grants. Bearer-token requests carry no ambient credential and need no CSRF token.
 */
export const csrfHeader = "x-csrf-token";

/** Largest JSON body any route reads. */
export const maxJsonBytes = 1024 * 1024;

/** The request as a resolver sees it: path parameters come from the matched route (the middleware runs before routing). */
interface RequestParts {
  c: Context;
  params: Record<string, string>;
  beacon: Beacon;
}

type Resolver = (r: RequestParts) => Promise<Resource | null>;

interface RoutePolicy {
  action: Action;
  /**
   * The resource the route touches, resolved from its path and query. Absent: a collection, which the use case
   * filters to the caller's scope, or an item the use case loads and checks with `authorize` itself.
   */
  resource?: Resolver;
}

const none: Resolver = async () => ({ kind: "none" });

/** A list narrowed to one institution (?institution=) is that institution's data; otherwise the route filters. */
const institutionFilter: Resolver = async ({ c, beacon }) => {
  const code = c.req.query("institution");
  return code ? ((await institutionOrNull(beacon, code)) ?? { kind: "data" }) : { kind: "collection" };
};

/** Local-finance data: the finance office's sector (supervisors who see it read; the leading unit acts). */
const localFinance = async (): Promise<Resource> => ({ kind: "data", sector: "local_finance" });

/** The district filter of a list request: a district-restricted user must name one of theirs. */
const districtOf = (c: Context) => c.req.query("district") ?? "*";

/**
 * Every registered route and the action it performs; a route missing here is refused (403), a path no route
 * documents is refused (404). The authorisation test walks `routeDocs` against this table for every role.
 */
export const routePolicies: Record<string, RoutePolicy> = {
  "get /api/health": { action: "system.health", resource: none },
  "get /api/openapi.json": { action: "system.openapi", resource: none },
  // Registry and intake (their use cases know no principal, so the scope is decided here from the request).
  "get /api/institutions": {
    action: "institutions.list",
    resource: async ({ c }) => {
      const sector =
        c.req.query("sector") ??
        institutionTypes[c.req.query("type") as keyof typeof institutionTypes]?.sector;
      return sector && (sectors as readonly string[]).includes(sector)
        ? { kind: "data", sector: sector as never, district: districtOf(c) }
        : { kind: "everything" };
    },
  },
  "get /api/institutions/{code}": {
    action: "institutions.read",
    resource: async ({ params, beacon }) => institutionOrNull(beacon, params.code),
  },
  "get /api/status": { action: "intake.status", resource: none },
  // Reports: the monthly report covers what the caller may list (the use case filters to its scope); an
  // institution's profile is readable by whoever may read the institution.
  "get /api/reports/monthly": {
    action: "institutions.list",
    resource: async ({ c }) => {
      const sector = c.req.query("sector");
      return sector && (sectors as readonly string[]).includes(sector)
        ? { kind: "data", sector: sector as never }
        : { kind: "collection" };
    },
  },
  "get /api/reports/institutions/{code}": {
    action: "institutions.read",
    resource: async ({ params, beacon }) => institutionOrNull(beacon, params.code),
  },

  "get /api/submissions": {
    action: "submissions.list",
    resource: async ({ c, beacon }) => {
      const code = c.req.query("institution");
      return code ? ((await institutionOrNull(beacon, code)) ?? { kind: "data" }) : { kind: "everything" };
    },
  },
  "get /api/submissions/{id}": {
    action: "submissions.read",
    resource: async ({ params, beacon }) => {
      const id = params.id ?? "";
      if (!/^[0-9]{1,18}$/.test(id)) return null;
      const [s] = await beacon.db.query<{ code: string }>(
        "select trim(institution_code) as code from submissions where id = $1",
        [id],
      );
      return s ? institutionOrNull(beacon, s.code) : null;
    },
  },
  "get /api/intake-reports": { action: "intake.reports", resource: none },
  "post /api/uploads": { action: "uploads.create", resource: none },
  // Identity
  "post /api/auth/login": { action: "auth.login", resource: none },
  "post /api/auth/logout": { action: "auth.logout", resource: none },
  "get /api/auth/me": { action: "auth.me", resource: none },
  "post /api/auth/password": { action: "auth.password", resource: none },
  "get /api/users": { action: "users.list", resource: none },
  "post /api/users": { action: "users.create", resource: none },
  "post /api/users/{id}/disable": { action: "users.disable", resource: none },
  "get /api/tokens": { action: "tokens.list" },
  "post /api/tokens": { action: "tokens.create", resource: none },
  "post /api/tokens/{id}/revoke": { action: "tokens.revoke" },
  // Cases and rectification
  "get /api/cases": { action: "cases.list" },
  "post /api/cases": { action: "cases.create" },
  "get /api/cases/{id}": { action: "cases.read" },
  "post /api/cases/{id}/transitions": { action: "cases.transition" },
  "post /api/cases/{id}/comments": { action: "cases.comment" },
  "post /api/cases/{id}/attachments": { action: "cases.attach" },
  "get /api/cases/{id}/attachments/{attachmentId}": { action: "cases.read" },
  "post /api/cases/{id}/rectifications": { action: "cases.rectify" },
  "get /api/rectifications": { action: "rectifications.list" },
  "post /api/rectifications/{id}/responses": { action: "rectifications.respond" },
  "post /api/rectifications/{id}/review": { action: "rectifications.review" },
  "post /api/workflow/overdue-scan": { action: "workflow.scan", resource: none },
  "get /api/notifications": { action: "notifications.list", resource: none },
  "post /api/notifications/read": { action: "notifications.update", resource: none },
  // Major-risk events
  "get /api/event-types": { action: "events.types", resource: none },
  "get /api/events": { action: "events.list" },
  "post /api/events": { action: "events.file" },
  "get /api/events/{id}": { action: "events.read" },
  "post /api/events/{id}/follow-ups": { action: "events.follow_up" },
  "post /api/events/{id}/acknowledge": { action: "events.acknowledge" },
  "post /api/events/{id}/escalate": { action: "events.manage" },
  "post /api/events/{id}/checklist": { action: "events.manage" },
  "post /api/events/{id}/close": { action: "events.manage" },
  // Information sharing
  "get /api/lists": { action: "lists.read", resource: none },
  "post /api/lists": { action: "lists.add", resource: none },
  "post /api/lists/{id}/revoke": { action: "lists.revoke" },
  "get /api/feed": { action: "feed.read" },
  "post /api/feed": { action: "feed.post" },
  "get /api/subscriptions": { action: "subscriptions.list" },
  "post /api/subscriptions": { action: "subscriptions.create" },
  "post /api/subscriptions/{id}/delete": { action: "subscriptions.delete" },
  // Audit log and filing ledger
  "get /api/audit/entries": { action: "audit.read", resource: none },
  "get /api/audit/verify": { action: "audit.verify", resource: none },
  "get /api/audit/entries/{seq}/proof": { action: "audit.read", resource: none },
  "post /api/audit/seal": { action: "audit.seal", resource: none },
  "get /api/filings": { action: "filings.list" },
  "post /api/filings": { action: "filings.create" },
  "get /api/filings/{id}": { action: "filings.read" },
  "get /api/filings/{id}/proof": { action: "filings.read" },
  // Rules, parameters (maker-checker) and checks
  "get /api/rules": { action: "rules.read", resource: none },
  "get /api/rules/{id}": { action: "rules.read", resource: none },
  "get /api/params/diff": { action: "rules.read", resource: none },
  "get /api/params/proposals": { action: "rules.read", resource: none },
  "post /api/params/proposals": { action: "params.propose", resource: none },
  "post /api/params/proposals/{id}/approve": { action: "params.decide", resource: none },
  "post /api/params/proposals/{id}/reject": { action: "params.decide", resource: none },
  // Check results span institutions: each caller gets those it sees (the route filters); one institution's are
  // readable by whoever may read that institution.
  "get /api/checks": { action: "checks.read", resource: institutionFilter },
  "post /api/checks": { action: "checks.run", resource: none },
  "post /api/checks/what-if": { action: "checks.read" },
  // Warnings and scores: their use cases check the caller against each warning (as they do for cases).
  "get /api/warnings": { action: "cases.list" },
  "get /api/warnings/{id}": { action: "cases.read" },
  "post /api/warnings/{id}/transition": { action: "cases.create" },
  "post /api/warnings/{id}/case": { action: "cases.create" },
  "get /api/scores": { action: "cases.list" },
  // Contagion: the province's network, its scenarios and systemic importance are read like the risk scores.
  "post /api/contagion": { action: "cases.list" },
  "get /api/contagion/systemic": { action: "cases.list" },
  "get /api/contagion/position": { action: "cases.list" },
  // Detectors and findings (the findings routes filter to the caller's scope).
  "get /api/detectors": { action: "detectors.read", resource: none },
  "get /api/findings": { action: "findings.read", resource: institutionFilter },
  "get /api/findings/{id}": { action: "findings.read" },
  "post /api/detect": { action: "detect.run", resource: none },
  // Local finance: the finance office's sector. Campaign targets carry their district.
  "get /api/local-finance/fundraising/scores": { action: "localfinance.read", resource: localFinance },
  "post /api/local-finance/fundraising/runs": { action: "localfinance.manage", resource: localFinance },
  "get /api/local-finance/fundraising/cards/{code}": { action: "localfinance.read", resource: localFinance },
  "get /api/local-finance/phrase-lists": { action: "localfinance.read", resource: localFinance },
  "post /api/local-finance/phrase-lists": { action: "localfinance.manage", resource: localFinance },
  "post /api/local-finance/phrase-lists/{version}/decision": {
    action: "localfinance.manage",
    resource: localFinance,
  },
  "get /api/local-finance/campaigns": { action: "campaigns.read", resource: localFinance },
  "post /api/local-finance/campaigns": { action: "campaigns.manage", resource: localFinance },
  "get /api/local-finance/campaigns/{id}": { action: "campaigns.read", resource: localFinance },
  "get /api/local-finance/campaigns/{id}/stats": { action: "campaigns.read", resource: localFinance },
  "post /api/local-finance/campaigns/{id}/targets": { action: "campaigns.manage", resource: localFinance },
  "post /api/local-finance/campaign-targets/{id}/advance": {
    action: "campaigns.manage",
    resource: async ({ params, beacon }) => {
      const id = params.id ?? "";
      if (!/^[1-9][0-9]{0,15}$/.test(id)) return localFinance();
      const [t] = await beacon.db.query<{ district: string }>(
        "select district from lf_campaign_targets where id = $1",
        [id],
      );
      return { kind: "data", sector: "local_finance", district: t?.district ?? null };
    },
  },
  "post /api/local-finance/campaigns/overdue-scan": { action: "workflow.scan", resource: none },
  // A venue check reads a month's trades and stores nothing.
  "post /api/local-finance/venue-checks": { action: "localfinance.read", resource: localFinance },
  "get /api/local-finance/licences/expiring": { action: "localfinance.read", resource: localFinance },
  "post /api/local-finance/licences/{licenceNo}/decision": {
    action: "localfinance.manage",
    resource: localFinance,
  },
  "get /api/local-finance/offsite": { action: "localfinance.read", resource: localFinance },
  "get /api/local-finance/online-lending": { action: "localfinance.read", resource: localFinance },
  "get /api/local-finance/consulting": { action: "localfinance.read", resource: localFinance },
  "get /api/local-finance/inspections": { action: "localfinance.read", resource: localFinance },
  "post /api/local-finance/inspections": { action: "localfinance.manage", resource: localFinance },
  "post /api/local-finance/inspections/{id}/status": {
    action: "localfinance.manage",
    resource: localFinance,
  },
  "post /api/local-finance/inspections/{id}/findings": {
    action: "localfinance.manage",
    resource: localFinance,
  },
};

async function institutionOrNull(beacon: Beacon, code: string | undefined): Promise<Resource | null> {
  if (!code || !/^[0-9A-Za-z]{18}$/.test(code)) return null;
  try {
    return await institutionResource(beacon.db, code);
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") return null;
    throw e;
  }
}

interface CompiledRoute {
  doc: RouteDoc;
  pattern: RegExp;
  names: string[];
}

let compiled: { count: number; routes: CompiledRoute[] } | undefined;

/**
 * The documented route a request is for, with its path parameters (decoded), or undefined. Routes are compiled
 * again whenever more have been registered.
 */
export function matchRoute(
  method: string,
  path: string,
): { doc: RouteDoc; params: Record<string, string> } | undefined {
  if (!compiled || compiled.count !== routeDocs.length) {
    compiled = {
      count: routeDocs.length,
      routes: routeDocs.map((doc) => ({
        doc,
        names: [...doc.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        pattern: new RegExp(`^${doc.path.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "([^/]+)")}/?$`),
      })),
    };
  }
  const m = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
  for (const r of compiled.routes) {
    if (r.doc.method !== m) continue;
    const hit = r.pattern.exec(path);
    if (!hit) continue;
    const params: Record<string, string> = {};
    try {
      r.names.forEach((n, i) => {
        params[n] = decodeURIComponent(hit[i + 1]!);
      });
    } catch {
      return undefined;
    }
    return { doc: r.doc, params };
  }
  return undefined;
}

/** Headers on every API response: JSON is never rendered as a page, framed, sniffed or cached. */
export const securityHeaders: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Cross-Origin-Opener-Policy": "same-origin",
};

const errorBody = (code: string, message: string) => ({ error: { code, message } });

/** The client's address as the socket reports it (no proxy headers are trusted). */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}

/**
 * Authenticates every /api request (Bearer token or session cookie), checks CSRF on cookie writes, maps the
 * request to its registered route and action, and asks `authorize` before the handler runs.
 */
export function installAuth(app: Hono, beacon: Beacon): void {
  app.use("/api/*", async (c, next) => {
    const denied = await gate(c, beacon);
    if (denied) {
      c.res = denied;
    } else {
      await next();
    }
    for (const [k, v] of Object.entries(securityHeaders)) c.res.headers.set(k, v);
  });
}

async function gate(c: Context, beacon: Beacon): Promise<Response | null> {
  // PostgreSQL text cannot hold NUL: refuse it at the edge rather than fail deep inside a query.
  if (/%00/i.test(c.req.url) || c.req.url.includes("\u0000"))
    return c.json(errorBody("INVALID_INPUT", "the URL must not contain NUL characters"), 400);
  const match = matchRoute(c.req.method, c.req.path);
  if (!match) return c.json(errorBody("NOT_FOUND", `no route ${c.req.method} ${c.req.path}`), 404);
  const doc = match.doc;
  const policy = routePolicies[`${doc.method} ${doc.path}`];
  if (!policy)
    return c.json(errorBody("FORBIDDEN", "this route is not registered with the access policy"), 403);
  let principal: Principal = anonymous;
  let csrfHash: string | null = null;
  const authz = c.req.header("authorization");
  const isPublic = authorize(anonymous, policy.action, { kind: "none" }).allowed;
  if (authz && !isPublic) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    const p = m ? await authenticateToken(beacon.db, m[1]!) : null;
    if (!p) return c.json(errorBody("UNAUTHENTICATED", "the API token is invalid, expired or revoked"), 401);
    principal = p;
  } else if (!isPublic) {
    const cookie = getCookie(c, sessionCookie);
    const s = cookie ? await authenticateSession(beacon.db, cookie) : null;
    if (s) {
      principal = s.principal;
      csrfHash = s.csrfHash;
    }
  }
  const write = !["GET", "HEAD", "OPTIONS"].includes(c.req.method);
  if (write && csrfHash !== null) {
    const sent = c.req.header(csrfHeader);
    if (!sent || !sameSecret(sha256(sent), csrfHash)) {
      return c.json(
        errorBody("FORBIDDEN", `cookie-authenticated writes need the ${csrfHeader} header from sign-in`),
        403,
      );
    }
  }
  // A resource that cannot be found is an empty one: only principals with a global view pass (and get the 404).
  const resource: Resource = policy.resource
    ? ((await policy.resource({ c, params: match.params, beacon })) ?? { kind: "data" })
    : { kind: "collection" };
  const decision = authorize(principal, policy.action, resource);
  if (!decision.allowed) {
    return c.json(
      errorBody(decision.status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN", decision.reason),
      decision.status,
    );
  }
  c.set("principal" as never, principal as never);
  return null;
}

/** The principal the middleware authenticated for this request. */
export function principalOf(c: Context): Principal {
  return (c.get("principal" as never) as Principal | undefined) ?? anonymous;
}

/**
 * Which institutions' rows this caller may submit: an institution only its own; operators any (undefined).
 * Passed to intake as `allowedReporters`, so a submission naming another institution is rejected whole.
 */
export function allowedReporters(p: Principal): string[] | undefined {
  if (p.kind === "user" && p.role === "institution") return p.institution ? [p.institution] : [];
  return undefined;
}

/** Reads a JSON body (application/json, at most `maxJsonBytes`) and validates it; problems are a 400. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError("INVALID_INPUT", "the body must be JSON (Content-Type: application/json)");
  }
  const length = Number(c.req.header("content-length") ?? 0);
  if (length > maxJsonBytes)
    throw new AppError("PAYLOAD_TOO_LARGE", `JSON body larger than ${maxJsonBytes} bytes`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxJsonBytes)
    throw new AppError("PAYLOAD_TOO_LARGE", `JSON body larger than ${maxJsonBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", "the body is not valid JSON");
  }
  if (hasNul(value)) throw new AppError("INVALID_INPUT", "text in the body must not contain NUL characters");
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ field: i.path.join(".") || "body", message: i.message }));
    throw new AppError(
      "INVALID_INPUT",
      `invalid body: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`,
      { issues },
    );
  }
  return r.data;
}

function hasNul(v: unknown): boolean {
  if (typeof v === "string") return v.includes("\u0000");
  if (Array.isArray(v)) return v.some(hasNul);
  if (v && typeof v === "object")
    return Object.entries(v).some(([k, x]) => k.includes("\u0000") || hasNul(x));
  return false;
}

/** A positive integer path parameter, or a 400 naming it. */
export function idParam(c: Context, name = "id"): number {
  const v = c.req.param(name) ?? "";
  if (!/^[1-9][0-9]{0,15}$/.test(v))
    throw new AppError("INVALID_INPUT", `${name} must be a positive integer`);
  return Number(v);
}
