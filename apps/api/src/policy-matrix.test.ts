import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordFiling } from "@beacon/core/audit/record-filing";
import { sealAudit } from "@beacon/core/audit/seal-audit";
import { addCaseAttachment } from "@beacon/core/cases/add-case-attachment";
import { createCase } from "@beacon/core/cases/create-case";
import { requestRectification } from "@beacon/core/cases/request-rectification";
import { loadConfig } from "@beacon/core/config";
import { fileRiskEvent } from "@beacon/core/events/file-risk-event";
import { createApiToken } from "@beacon/core/identity/create-api-token";
import { createUser } from "@beacon/core/identity/create-user";
import type { UserPrincipal } from "@beacon/core/identity/roles";
import { system } from "@beacon/core/identity/roles";
import { seedUser, testPassword } from "@beacon/core/identity/test-support";
import { ingest } from "@beacon/core/intake/ingest";
import { addCampaignTargets } from "@beacon/core/local-finance/campaigns/add-campaign-targets";
import { createCampaign } from "@beacon/core/local-finance/campaigns/create-campaign";
import type { Beacon } from "@beacon/core/runtime";
import { addListEntry } from "@beacon/core/sharing/add-list-entry";
import { createSubscription } from "@beacon/core/sharing/create-subscription";
import { testDb } from "@beacon/core/testing/db";
import { bankA, smallLoanC, testCreditCode, writeTinyProvince } from "@beacon/core/testing/fixtures";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "./app.ts";
import { routePolicies } from "./auth.ts";
import { routeDocs } from "./route.ts";

// Registering the routes once at collection time lets the test below be generated from routeDocs itself.
createApp({
  db: null as never,
  config: loadConfig({ BEACON_DATA_DIR: mkdtempSync(join(tmpdir(), "probe-")), BEACON_MODE: "test" }),
  close: async () => {},
});
const routes = [...new Map(routeDocs.map((d) => [`${d.method} ${d.path}`, d])).values()];

const who = [
  "anonymous",
  "admin",
  "auditor",
  "cbrc",
  "circ",
  "finance",
  "aic",
  "bankA",
  "loanC",
  "bankAUpload",
  "bankAFull",
] as const;
type Who = (typeof who)[number];

interface Variant {
  name: string;
  allowed: readonly Who[];
  params?: () => Record<string, string | number>;
  query?: string;
  body?: () => unknown;
  multipart?: boolean;
  /** A fresh session for this request (for sign-out, which ends it). */
  freshSession?: boolean;
}

const staffReaders: Who[] = ["auditor", "cbrc", "circ", "finance", "aic"];
const supervisors: Who[] = ["cbrc", "circ", "finance", "aic"];
/** Who sees the local-finance sector: the finance office leading it, the unit coordinating it, the auditor. */
const localFinanceReaders: Who[] = ["auditor", "finance", "aic"];
const users: Who[] = ["admin", "auditor", "cbrc", "circ", "finance", "aic", "bankA", "loanC"];
const everyoneSignedIn: Who[] = [...users, "bankAUpload", "bankAFull"];
const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

// Fixture ids, filled in beforeAll.
const f = {} as Record<
  | "caseA"
  | "caseC"
  | "rectA"
  | "rectC"
  | "eventA"
  | "eventC"
  | "eventEsc"
  | "filingA"
  | "filingC"
  | "attachmentA"
  | "subA"
  | "subC"
  | "findingA"
  | "findingC"
  | "findingCircle",
  number
>;
const u = {} as Record<"cbrc" | "bankA", UserPrincipal>;
let beacon: Beacon;

/** Expected outcomes: who passes the policy for each route, per resource variant. Written by hand, not derived. */
const expectations: Record<string, Variant[]> = {
  "get /api/health": [{ name: "public", allowed: [...who] }],
  "get /api/openapi.json": [{ name: "public", allowed: [...who] }],
  "post /api/auth/login": [{ name: "public", allowed: [...who], body: () => ({}) }],
  "post /api/auth/logout": [{ name: "own session", allowed: users, freshSession: true }],
  "get /api/auth/me": [{ name: "self", allowed: everyoneSignedIn }],
  "post /api/auth/password": [{ name: "self", allowed: users, body: () => ({}) }],
  "get /api/users": [{ name: "all", allowed: ["admin", "auditor"] }],
  "post /api/users": [{ name: "new", allowed: ["admin"], body: () => ({}) }],
  "post /api/users/{id}/disable": [
    {
      name: "another user",
      allowed: ["admin"],
      params: () => ({ id: 999_999 }),
    },
  ],
  "get /api/tokens": [{ name: "own or all", allowed: ["admin", "auditor", "bankA", "loanC"] }],
  "post /api/tokens": [{ name: "new", allowed: ["admin", "bankA", "loanC"], body: () => ({}) }],
  "post /api/tokens/{id}/revoke": [
    { name: "bank A's token", allowed: ["admin", "bankA"], params: () => ({ id: 0 }) },
  ],
  "get /api/institutions": [
    { name: "unfiltered", allowed: ["admin", "auditor"] },
    { name: "banking", allowed: ["admin", "auditor", "cbrc"], query: "sector=banking" },
    {
      name: "small loans (local finance)",
      allowed: ["admin", "auditor", "finance", "aic"],
      query: "type=small_loan",
    },
  ],
  "get /api/institutions/{code}": [
    {
      name: "bank A",
      allowed: ["admin", "auditor", "cbrc", "bankA", "bankAFull"],
      params: () => ({ code: bankA }),
    },
    {
      name: "small-loan C",
      allowed: ["admin", "auditor", "finance", "aic", "loanC"],
      params: () => ({ code: smallLoanC }),
    },
  ],
  "get /api/status": [{ name: "counts", allowed: ["admin", ...staffReaders] }],
  "get /api/submissions": [
    { name: "unfiltered", allowed: ["admin", "auditor"] },
    {
      name: "bank A's",
      allowed: ["admin", "auditor", "cbrc", "bankA", "bankAFull"],
      query: `institution=${bankA}`,
    },
    {
      name: "C's",
      allowed: ["admin", "auditor", "finance", "aic", "loanC"],
      query: `institution=${smallLoanC}`,
    },
  ],
  "get /api/submissions/{id}": [
    {
      name: "bank A's",
      allowed: ["admin", "auditor", "cbrc", "bankA", "bankAFull"],
      params: () => ({ id: 0 }),
    },
    { name: "C's", allowed: ["admin", "auditor", "finance", "aic", "loanC"], params: () => ({ id: 0 }) },
  ],
  "get /api/intake-reports": [{ name: "all", allowed: ["admin", "auditor"] }],
  "get /api/reports/monthly": [
    { name: "province (each caller's scope)", allowed: ["admin", ...staffReaders] },
    { name: "banking", allowed: ["admin", "auditor", "cbrc"], query: "sector=banking" },
  ],
  "get /api/reports/institutions/{code}": [
    {
      name: "bank A",
      allowed: ["admin", "auditor", "cbrc", "bankA", "bankAFull"],
      params: () => ({ code: bankA }),
    },
    {
      name: "small-loan C",
      allowed: ["admin", "auditor", "finance", "aic", "loanC"],
      params: () => ({ code: smallLoanC }),
    },
  ],

  "post /api/uploads": [
    { name: "empty form", allowed: ["admin", "bankA", "loanC", "bankAUpload", "bankAFull"], multipart: true },
  ],
  "get /api/cases": [{ name: "scoped list", allowed: staffReaders }],
  "post /api/cases": [
    {
      name: "on bank A",
      allowed: ["cbrc"],
      body: () => ({ title: "matrix", source: { kind: "manual", ref: "m" }, institution: bankA }),
    },
    {
      name: "on C",
      allowed: ["finance"],
      body: () => ({ title: "matrix", source: { kind: "manual", ref: "m" }, institution: smallLoanC }),
    },
  ],
  "get /api/cases/{id}": [
    { name: "bank A case", allowed: ["auditor", "cbrc"], params: () => ({ id: f.caseA }) },
    { name: "C case", allowed: ["auditor", "finance", "aic"], params: () => ({ id: f.caseC }) },
  ],
  "post /api/cases/{id}/transitions": [
    {
      name: "bank A case",
      allowed: ["cbrc"],
      params: () => ({ id: f.caseA }),
      body: () => ({ to: "investigating" }),
    },
    {
      name: "C case",
      allowed: ["finance"],
      params: () => ({ id: f.caseC }),
      body: () => ({ to: "investigating" }),
    },
  ],
  "post /api/cases/{id}/comments": [
    {
      name: "bank A case",
      allowed: ["cbrc"],
      params: () => ({ id: f.caseA }),
      body: () => ({ body: "matrix" }),
    },
    {
      name: "C case",
      allowed: ["finance", "aic"],
      params: () => ({ id: f.caseC }),
      body: () => ({ body: "matrix" }),
    },
  ],
  "post /api/cases/{id}/attachments": [
    { name: "bank A case", allowed: ["cbrc"], params: () => ({ id: f.caseA }), multipart: true },
    { name: "C case", allowed: ["finance", "aic"], params: () => ({ id: f.caseC }), multipart: true },
  ],
  "get /api/cases/{id}/attachments/{attachmentId}": [
    {
      name: "bank A case",
      allowed: ["auditor", "cbrc"],
      params: () => ({ id: f.caseA, attachmentId: f.attachmentA }),
    },
  ],
  "post /api/cases/{id}/rectifications": [
    {
      name: "bank A case",
      allowed: ["cbrc"],
      params: () => ({ id: f.caseA }),
      body: () => ({ requirements: "matrix", dueAt: future() }),
    },
    {
      name: "C case",
      allowed: ["finance"],
      params: () => ({ id: f.caseC }),
      body: () => ({ requirements: "matrix", dueAt: future() }),
    },
  ],
  "get /api/rectifications": [
    { name: "scoped list", allowed: [...staffReaders, "bankA", "loanC", "bankAFull"] },
  ],
  "post /api/rectifications/{id}/responses": [
    {
      name: "to bank A",
      allowed: ["bankA"],
      params: () => ({ id: f.rectA }),
      body: () => ({ body: "done" }),
    },
    { name: "to C", allowed: ["loanC"], params: () => ({ id: f.rectC }), body: () => ({ body: "done" }) },
  ],
  "post /api/rectifications/{id}/review": [
    {
      name: "bank A case",
      allowed: ["cbrc"],
      params: () => ({ id: f.rectA }),
      body: () => ({ decision: "rejected", note: "no" }),
    },
    {
      name: "C case",
      allowed: ["finance"],
      params: () => ({ id: f.rectC }),
      body: () => ({ decision: "rejected", note: "no" }),
    },
  ],
  "post /api/workflow/overdue-scan": [{ name: "run", allowed: ["admin"] }],
  "get /api/notifications": [{ name: "own", allowed: users }],
  "post /api/notifications/read": [
    { name: "own", allowed: users.filter((w) => w !== "auditor"), body: () => ({}) },
  ],
  "get /api/event-types": [{ name: "reference", allowed: [...users, "bankAFull"] }],
  "get /api/events": [{ name: "scoped list", allowed: [...staffReaders, "bankA", "loanC", "bankAFull"] }],
  "post /api/events": [
    {
      name: "about bank A",
      allowed: ["cbrc", "finance", "bankA", "bankAFull"],
      body: () => ({
        type: "public_opinion",
        title: "m",
        description: "m",
        institution: bankA,
        occurredAt: new Date().toISOString(),
      }),
    },
    {
      name: "about C",
      allowed: ["finance", "aic", "loanC"],
      body: () => ({
        type: "public_opinion",
        title: "m",
        description: "m",
        institution: smallLoanC,
        occurredAt: new Date().toISOString(),
      }),
    },
  ],
  "get /api/events/{id}": [
    {
      name: "bank A's",
      allowed: ["auditor", "cbrc", "finance", "bankA", "bankAFull"],
      params: () => ({ id: f.eventA }),
    },
    { name: "C's", allowed: ["auditor", "finance", "aic", "loanC"], params: () => ({ id: f.eventC }) },
  ],
  "post /api/events/{id}/follow-ups": [
    {
      name: "bank A's",
      allowed: ["cbrc", "finance", "bankA", "bankAFull"],
      params: () => ({ id: f.eventA }),
      body: () => ({ body: "m" }),
    },
    {
      name: "C's",
      allowed: ["finance", "aic", "loanC"],
      params: () => ({ id: f.eventC }),
      body: () => ({ body: "m" }),
    },
  ],
  "post /api/events/{id}/acknowledge": [
    { name: "bank A's (chain: cbrc_cq, pbc_cq)", allowed: ["cbrc"], params: () => ({ id: f.eventA }) },
    { name: "C's (chain: finance_office)", allowed: ["finance"], params: () => ({ id: f.eventC }) },
  ],
  "post /api/events/{id}/escalate": [
    {
      name: "bank A's",
      allowed: ["cbrc", "finance"],
      params: () => ({ id: f.eventEsc }),
      body: () => ({ reason: "m" }),
    },
  ],
  "post /api/events/{id}/checklist": [
    {
      name: "bank A's",
      allowed: ["cbrc", "finance"],
      params: () => ({ id: f.eventA }),
      body: () => ({ step: "verify", done: true }),
    },
    {
      name: "C's",
      allowed: ["finance"],
      params: () => ({ id: f.eventC }),
      body: () => ({ step: "verify", done: true }),
    },
  ],
  "post /api/events/{id}/close": [
    {
      name: "bank A's",
      allowed: ["cbrc", "finance"],
      params: () => ({ id: f.eventA }),
      body: () => ({ summary: "m" }),
    },
  ],
  "get /api/lists": [{ name: "all", allowed: staffReaders }],
  "post /api/lists": [{ name: "new", allowed: supervisors, body: () => ({}) }],
  "post /api/lists/{id}/revoke": [
    {
      name: "added by cbrc_cq",
      allowed: ["cbrc", "finance"],
      params: () => ({ id: 0 }),
      body: () => ({ reason: "m" }),
    },
  ],
  "get /api/feed": [{ name: "scoped", allowed: staffReaders }],
  "post /api/feed": [
    { name: "about bank A", allowed: ["cbrc", "finance"], body: () => ({ title: "m", institution: bankA }) },
    { name: "province-wide", allowed: supervisors, body: () => ({ title: "m" }) },
  ],
  "get /api/subscriptions": [{ name: "own", allowed: staffReaders }],
  "post /api/subscriptions": [
    { name: "bank A", allowed: ["cbrc"], body: () => ({ targetKind: "institution", target: bankA }) },
    {
      name: "C",
      allowed: ["finance", "aic"],
      body: () => ({ targetKind: "institution", target: smallLoanC }),
    },
  ],
  "post /api/subscriptions/{id}/delete": [{ name: "cbrc's", allowed: ["cbrc"], params: () => ({ id: 0 }) }],
  "get /api/audit/entries": [{ name: "all", allowed: ["admin", "auditor"] }],
  "get /api/audit/verify": [{ name: "all", allowed: ["admin", "auditor"] }],
  "get /api/audit/entries/{seq}/proof": [
    { name: "entry 1", allowed: ["admin", "auditor"], params: () => ({ seq: 1 }) },
  ],
  "post /api/audit/seal": [{ name: "seal", allowed: ["admin"] }],
  "get /api/filings": [{ name: "scoped list", allowed: [...staffReaders, "bankA", "loanC", "bankAFull"] }],
  "post /api/filings": [
    {
      name: "own product",
      allowed: ["bankA", "loanC", "bankAFull"],
      body: () => ({
        productCode: `P-${Math.random().toString(36).slice(2, 8)}`,
        productName: "m",
        productKind: "other",
      }),
    },
  ],
  "get /api/filings/{id}": [
    {
      name: "bank A's",
      allowed: ["auditor", "cbrc", "bankA", "bankAFull"],
      params: () => ({ id: f.filingA }),
    },
    { name: "C's", allowed: ["auditor", "finance", "aic", "loanC"], params: () => ({ id: f.filingC }) },
  ],
  "get /api/filings/{id}/proof": [
    {
      name: "bank A's",
      allowed: ["auditor", "cbrc", "bankA", "bankAFull"],
      params: () => ({ id: f.filingA }),
    },
    { name: "C's", allowed: ["auditor", "finance", "aic", "loanC"], params: () => ({ id: f.filingC }) },
  ],
  // Rules and parameters (reference data for staff; maker-checker among leading units; checks span institutions).
  "get /api/rules": [{ name: "catalog", allowed: ["admin", ...staffReaders] }],
  "get /api/rules/{id}": [
    { name: "one rule", allowed: ["admin", ...staffReaders], params: () => ({ id: "nope" }) },
  ],
  "get /api/params/diff": [
    { name: "diff", allowed: ["admin", ...staffReaders], query: "from=2026-01-01&to=2026-06-30" },
  ],
  "get /api/params/proposals": [{ name: "all", allowed: ["admin", ...staffReaders] }],
  "post /api/params/proposals": [{ name: "new", allowed: ["cbrc", "circ", "finance"], body: () => ({}) }],
  "post /api/params/proposals/{id}/approve": [
    {
      name: "missing",
      allowed: ["cbrc", "circ", "finance"],
      params: () => ({ id: 999_999 }),
      body: () => ({}),
    },
  ],
  "post /api/params/proposals/{id}/reject": [
    {
      name: "missing",
      allowed: ["cbrc", "circ", "finance"],
      params: () => ({ id: 999_999 }),
      body: () => ({}),
    },
  ],
  // Check results are filtered to the caller's institutions; one institution's are for whoever reads it.
  "get /api/checks": [
    { name: "filtered to the caller", allowed: ["admin", ...staffReaders], query: "period=2026-09" },
    { name: "bank A", allowed: ["admin", "auditor", "cbrc"], query: `period=2026-09&institution=${bankA}` },
    {
      name: "small-loan C",
      allowed: ["admin", "auditor", "finance", "aic"],
      query: `period=2026-09&institution=${smallLoanC}`,
    },
  ],
  "post /api/checks": [{ name: "run", allowed: ["admin"], body: () => ({}) }],
  "post /api/checks/what-if": [
    { name: "filtered to the caller", allowed: ["admin", ...staffReaders], body: () => ({}) },
  ],
  // Warnings: a missing warning shows the role-level decision (the use case checks each warning like a case).
  "get /api/warnings": [{ name: "scoped list", allowed: staffReaders }],
  "get /api/warnings/{id}": [{ name: "missing", allowed: staffReaders, params: () => ({ id: 999_999 }) }],
  "post /api/warnings/{id}/transition": [
    {
      name: "missing",
      allowed: ["cbrc", "circ", "finance"],
      params: () => ({ id: 999_999 }),
      body: () => ({}),
    },
  ],
  "post /api/warnings/{id}/case": [
    {
      name: "missing",
      allowed: ["cbrc", "circ", "finance"],
      params: () => ({ id: 999_999 }),
      body: () => ({}),
    },
  ],
  "get /api/scores": [{ name: "roll-up", allowed: staffReaders, query: "period=2026-09" }],
  // Contagion: the province's network and scenarios on it are read like the risk scores; institutions see none.
  "post /api/contagion": [
    {
      name: "uploaded network",
      allowed: staffReaders,
      body: () => ({
        network: {
          nodes: [
            { id: "a", capital: 1, externalAssets: 2 },
            { id: "b", capital: 1 },
          ],
          exposures: [],
        },
        method: "debtrank",
        shock: "default:a",
      }),
    },
  ],
  "get /api/contagion/systemic": [{ name: "a period", allowed: staffReaders, query: "period=2026-09" }],
  "get /api/contagion/position": [
    { name: "bank A's", allowed: staffReaders, query: `institution=${bankA}&period=2026-09` },
  ],
  // Detectors: the catalog is reference data; findings are filtered to what the caller sees; runs are operators'.
  "get /api/detectors": [{ name: "catalog", allowed: ["admin", ...staffReaders] }],
  "post /api/detect": [{ name: "run", allowed: ["admin"], body: () => ({}) }],
  "get /api/findings": [
    { name: "filtered to the caller", allowed: [...users, "bankAFull"] },
    {
      name: "bank A's",
      allowed: ["admin", "auditor", "cbrc", "bankA", "bankAFull"],
      query: `institution=${bankA}`,
    },
    {
      name: "C's",
      allowed: ["admin", "auditor", "finance", "aic", "loanC"],
      query: `institution=${smallLoanC}`,
    },
  ],
  "get /api/findings/{id}": [
    {
      name: "concerning bank A",
      allowed: ["admin", "auditor", "cbrc", "bankA", "bankAFull"],
      params: () => ({ id: f.findingA }),
    },
    {
      name: "concerning C",
      allowed: ["admin", "auditor", "finance", "aic", "loanC"],
      params: () => ({ id: f.findingC }),
    },
    {
      // The banking unit leads the guarantee-circle detector, so it follows a circle into local finance.
      name: "concerning C, by a detector the banking unit leads",
      allowed: ["admin", "auditor", "cbrc", "finance", "aic", "loanC"],
      params: () => ({ id: f.findingCircle }),
    },
  ],
  // Local finance: the finance office's sector; whoever sees it reads, the finance office acts.
  "get /api/local-finance/fundraising/scores": [{ name: "scores", allowed: localFinanceReaders }],
  "post /api/local-finance/fundraising/runs": [{ name: "run", allowed: ["finance"], body: () => ({}) }],
  "get /api/local-finance/fundraising/cards/{code}": [
    { name: "a company's card", allowed: localFinanceReaders, params: () => ({ code: smallLoanC }) },
  ],
  "get /api/local-finance/phrase-lists": [{ name: "versions", allowed: localFinanceReaders }],
  "post /api/local-finance/phrase-lists": [{ name: "propose", allowed: ["finance"], body: () => ({}) }],
  "post /api/local-finance/phrase-lists/{version}/decision": [
    { name: "missing", allowed: ["finance"], params: () => ({ version: 999_999 }), body: () => ({}) },
  ],
  "get /api/local-finance/campaigns": [{ name: "all", allowed: localFinanceReaders }],
  "post /api/local-finance/campaigns": [{ name: "open", allowed: ["finance"], body: () => ({}) }],
  "get /api/local-finance/campaigns/{id}": [
    { name: "missing", allowed: localFinanceReaders, params: () => ({ id: 999_999 }) },
  ],
  "get /api/local-finance/campaigns/{id}/stats": [
    { name: "missing", allowed: localFinanceReaders, params: () => ({ id: 999_999 }) },
  ],
  "post /api/local-finance/campaigns/{id}/targets": [
    { name: "missing", allowed: ["finance"], params: () => ({ id: 999_999 }), body: () => ({}) },
  ],
  "post /api/local-finance/campaign-targets/{id}/advance": [
    { name: "missing", allowed: ["finance"], params: () => ({ id: 999_999 }), body: () => ({}) },
  ],
  "post /api/local-finance/campaigns/overdue-scan": [{ name: "scan", allowed: ["admin"], body: () => ({}) }],
  "post /api/local-finance/venue-checks": [{ name: "check", allowed: localFinanceReaders, body: () => ({}) }],
  "get /api/local-finance/licences/expiring": [{ name: "pipeline", allowed: localFinanceReaders }],
  "post /api/local-finance/licences/{licenceNo}/decision": [
    { name: "a licence", allowed: ["finance"], params: () => ({ licenceNo: "L-1" }), body: () => ({}) },
  ],
  "get /api/local-finance/offsite": [{ name: "indicators", allowed: localFinanceReaders }],
  "get /api/local-finance/online-lending": [{ name: "watch", allowed: localFinanceReaders }],
  "get /api/local-finance/consulting": [{ name: "watch", allowed: localFinanceReaders }],
  "get /api/local-finance/inspections": [{ name: "plans", allowed: localFinanceReaders }],
  "post /api/local-finance/inspections": [{ name: "plan", allowed: ["finance"], body: () => ({}) }],
  "post /api/local-finance/inspections/{id}/status": [
    { name: "missing", allowed: ["finance"], params: () => ({ id: 999_999 }), body: () => ({}) },
  ],
  "post /api/local-finance/inspections/{id}/findings": [
    { name: "missing", allowed: ["finance"], params: () => ({ id: 999_999 }), body: () => ({}) },
  ],
};

// Resources a request destroys are made afresh for every request, so an earlier one cannot change a later answer.
const fresh: Record<string, () => Promise<Record<string, number>>> = {
  "post /api/users/{id}/disable": async () => ({
    id: (
      await createUser(beacon.db, system("t"), {
        username: `gone-${Math.random().toString(36).slice(2)}`,
        password: testPassword,
        role: "auditor",
      })
    ).id,
  }),
  "post /api/tokens/{id}/revoke": async () => ({
    id: (await createApiToken(beacon.db, u.bankA, { name: "t", scopes: ["uploads"] })).id,
  }),
  "post /api/lists/{id}/revoke": async () => ({
    id: (
      await addListEntry(
        beacon.db,
        u.cbrc,
        { kind: "grey", subjectType: "person", subject: freshResidentId(), reason: "m", source: "m" },
        { pseudonymKey: beacon.config.pseudonymKey },
      )
    ).id,
  }),
  "post /api/subscriptions/{id}/delete": async () => ({
    id: (await createSubscription(beacon.db, u.cbrc, { targetKind: "institution", target: bankA })).id,
  }),
};

let personCounter = 100;
function freshResidentId(): string {
  const body = `50010319800101${String(personCounter++).padStart(3, "0")}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, ch, i) => s + Number(ch) * w[i]!, 0);
  return body + "10X98765432"[sum % 11];
}

let app: ReturnType<typeof createApp>;
const creds = new Map<Who, { cookie?: string; csrf?: string; bearer?: string }>();
const submissionOf = new Map<string, number>();

async function signIn(username: string) {
  const res = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: testPassword }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

beforeAll(async () => {
  const db = await testDb();
  const dataDir = mkdtempSync(join(tmpdir(), "matrix-data-"));
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  beacon = { db, config, close: () => db.close() };
  const province = mkdtempSync(join(tmpdir(), "matrix-province-"));
  writeTinyProvince(province);
  const report = await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, province);
  expect(report.status).toBe("accepted");
  for (const s of await db.query<{ id: string; code: string }>(
    "select id::text, trim(institution_code) as code from submissions",
  )) {
    submissionOf.set(s.code, Number(s.id));
  }
  app = createApp(beacon);
  await seedUser(db, "admin", "admin");
  await seedUser(db, "auditor", "auditor");
  u.cbrc = await seedUser(db, "cbrc", "lead_supervisor", { unit: "cbrc_cq" });
  await seedUser(db, "circ", "lead_supervisor", { unit: "circ_cq" });
  const finance = await seedUser(db, "finance", "finance_office", { unit: "finance_office" });
  await seedUser(db, "aic", "coordinating_supervisor", { unit: "aic_cq" });
  u.bankA = await seedUser(db, "bankA", "institution", { institution: bankA });
  const loanC = await seedUser(db, "loanC", "institution", { institution: smallLoanC });
  for (const w of ["admin", "auditor", "cbrc", "circ", "finance", "aic", "bankA", "loanC"] as const)
    creds.set(w, await signIn(w));
  creds.set("bankAUpload", {
    bearer: (await createApiToken(db, u.bankA, { name: "upload", scopes: ["uploads"] })).token,
  });
  creds.set("bankAFull", {
    bearer: (
      await createApiToken(db, u.bankA, { name: "all", scopes: ["uploads", "filings", "events", "read"] })
    ).token,
  });
  f.caseA = (
    await createCase(db, u.cbrc, {
      title: "A",
      source: { kind: "manual", ref: "a" },
      institution: bankA,
      coordinatingUnits: ["pbc_cq"],
    })
  ).id;
  f.caseC = (
    await createCase(db, finance, {
      title: "C",
      source: { kind: "manual", ref: "c" },
      institution: smallLoanC,
    })
  ).id;
  f.rectA = (await requestRectification(db, u.cbrc, f.caseA, { requirements: "x", dueAt: future() })).id;
  f.rectC = (await requestRectification(db, finance, f.caseC, { requirements: "x", dueAt: future() })).id;
  const ev = {
    type: "fraud_case",
    title: "e",
    description: "e",
    occurredAt: new Date().toISOString(),
  } as const;
  f.eventA = (await fileRiskEvent(db, u.bankA, ev)).id;
  f.eventEsc = (await fileRiskEvent(db, u.bankA, ev)).id;
  f.eventC = (await fileRiskEvent(db, loanC, ev)).id;
  f.filingA = (
    await recordFiling(db, u.bankA, { productCode: "A1", productName: "a", productKind: "other" })
  ).id;
  f.filingC = (
    await recordFiling(db, loanC, { productCode: "C1", productName: "c", productKind: "loan_product" })
  ).id;
  f.attachmentA = (
    await addCaseAttachment(
      db,
      u.cbrc,
      f.caseA,
      { name: "note.txt", bytes: new TextEncoder().encode("note") },
      { dataDir },
    )
  ).id;
  const findings = await storeFindings(db, [
    ["suitability", bankA],
    ["online_loan_cap", smallLoanC],
    ["guarantee_circle", smallLoanC],
  ]);
  [f.findingA, f.findingC, f.findingCircle] = [findings[0]!, findings[1]!, findings[2]!];
  await sealAudit(db);
});

/** Stored findings of one detection run, each by a detector and concerning one institution (their ids). */
async function storeFindings(db: Beacon["db"], rows: [string, string][]): Promise<number[]> {
  const [run] = await db.query<{ id: string }>(
    `insert into detection_runs (period, as_of, inputs, requested_by, started_at)
     values ('2026-09', now(), '{}', 'matrix', now()) returning id::text`,
  );
  const ids: number[] = [];
  for (const [detector, institution] of rows) {
    await db.query(
      `insert into detector_runs (run_id, detector, version, params, period, status, finding_count, millis)
       values ($1, $2, '1', '{}', '2026-09', 'ok', 1, 1)`,
      [run!.id, detector],
    );
    const [x] = await db.query<{ id: string }>(
      `insert into findings (run_id, detector, version, params, period, subject_kind, subject_id, member_kind, members,
         institutions, severity, score, explanation_en, explanation_zh, evidence)
       values ($1, $2, '1', '{}', '2026-09', 'institution', $3, 'institution', array[$3], array[$3], 'high', 80,
         'matrix', 'matrix', '{}') returning id::text`,
      [run!.id, detector, institution],
    );
    ids.push(Number(x!.id));
  }
  return ids;
}
afterAll(async () => beacon.close());

async function call(w: Who, method: string, path: string, v: Variant): Promise<Response> {
  const headers: Record<string, string> = {};
  let c = creds.get(w);
  if (v.freshSession && c?.cookie) {
    const name = w;
    c = await signIn(name);
  }
  if (c?.cookie) headers.cookie = c.cookie;
  if (c?.csrf) headers["x-csrf-token"] = c.csrf;
  if (c?.bearer) headers.authorization = `Bearer ${c.bearer}`;
  let body: BodyInit | undefined;
  if (v.multipart) {
    const form = new FormData();
    if (path.includes("/attachments")) form.append("file", new File(["matrix"], "matrix.txt"));
    body = form;
  } else if (v.body) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(v.body());
  }
  return app.request(path, { method: method.toUpperCase(), headers, ...(body ? { body } : {}) });
}

describe("authorisation matrix", () => {
  test("every registered route has a policy and written expectations, and nothing stale is listed", () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(Object.keys(routePolicies).sort()).toEqual(keys);
    expect(Object.keys(expectations).sort()).toEqual(keys);
  });

  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    for (const v of expectations[key] ?? []) {
      test(`${route.method.toUpperCase()} ${route.path} [${v.name}]`, async () => {
        const outcomes: Record<string, string> = {};
        const wanted: Record<string, string> = {};
        for (const w of who) {
          let params = v.params?.() ?? {};
          if (fresh[key]) params = { ...params, ...(await fresh[key]!()) };
          if (key === "get /api/submissions/{id}")
            params = { id: submissionOf.get(v.name === "C's" ? smallLoanC : bankA)! };
          const path = route.path.replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p]));
          const res = await call(w, route.method, v.query ? `${path}?${v.query}` : path, v);
          const denied = res.status === 401 || res.status === 403;
          outcomes[w] = denied ? `denied ${res.status}` : "allowed";
          const allowed = v.allowed.includes(w);
          wanted[w] = allowed ? "allowed" : `denied ${w === "anonymous" ? 401 : 403}`;
          if (denied) {
            expect(res.headers.get("content-type")).toMatch(/^application\/json/);
            expect(Object.keys((await res.json()) as object)).toEqual(["error"]);
          } else if (res.status >= 500) {
            throw new Error(`${w}: ${res.status} ${await res.text()}`);
          }
        }
        expect(outcomes).toEqual(wanted);
      });
    }
  }
});

describe("scoped results", () => {
  const read = async (w: Who, path: string) => {
    const res = await call(w, "get", path, { name: "read", allowed: [] });
    expect(res.status, `${w} ${path}`).toBe(200);
    return res.json() as Promise<Record<string, unknown>>;
  };

  test("findings are cut down to the caller's institutions and the detectors its unit leads", async () => {
    const ids = async (w: Who) =>
      ((await read(w, "/api/findings")).items as { id: number }[]).map((x) => x.id).sort((a, b) => a - b);
    expect(await ids("auditor")).toEqual([f.findingA, f.findingC, f.findingCircle]);
    expect(await ids("admin")).toEqual([f.findingA, f.findingC, f.findingCircle]);
    expect(await ids("cbrc")).toEqual([f.findingA, f.findingCircle]);
    expect(await ids("finance")).toEqual([f.findingC, f.findingCircle]);
    expect(await ids("circ")).toEqual([]);
    expect(await ids("bankA")).toEqual([f.findingA]);
    expect(await ids("bankAFull")).toEqual([f.findingA]);
    expect(await ids("loanC")).toEqual([f.findingC, f.findingCircle]);
    expect((await read("cbrc", "/api/findings")).total).toBe(2);
  });

  // The tiny province has no returns, so this checks the wiring; scope-check-result.test.ts checks the cutting.
  test("check results hold only the caller's institutions, with counts over them", async () => {
    const all = await read("admin", "/api/checks?period=2026-09");
    const banking = await read("cbrc", "/api/checks?period=2026-09");
    const insurance = await read("circ", "/api/checks?period=2026-09");
    const of = (r: Record<string, unknown>) =>
      (r.breaches as { institution: string }[]).map((b) => b.institution);
    expect(of(banking).every((i) => i !== smallLoanC)).toBe(true);
    expect(of(insurance)).toEqual([]);
    expect((insurance.counts as { breaches: number }).breaches).toBe(0);
    expect(of(banking).length).toBe((banking.counts as { breaches: number }).breaches);
    // Everything a unit sees is also in the global view.
    expect(of(banking).every((i) => of(all).includes(i))).toBe(true);
  });

  test("a district office sees and moves only its own districts' campaign targets", async () => {
    const db = beacon.db;
    const campaign = await createCampaign(db, "matrix", {
      name: "district scope",
      kind: "internet_finance",
      leadUnit: "finance_office",
      deadline: "2026-12-31",
    });
    const added = await addCampaignTargets(db, "matrix", campaign.id, {
      targets: [
        { code: testCreditCode(901), name: "渝北目标", district: "渝北区" },
        { code: testCreditCode(902), name: "江北目标", district: "江北区" },
      ],
      source: "matrix",
    });
    const [yubei, jiangbei] = [added.added[0]!, added.added[1]!];
    await seedUser(db, "finance-yubei", "finance_office", { unit: "finance_office", districts: ["渝北区"] });
    const c = await signIn("finance-yubei");
    const as = (path: string, init: RequestInit = {}) =>
      app.request(path, {
        ...init,
        headers: { cookie: c.cookie, "x-csrf-token": c.csrf, "content-type": "application/json" },
      });
    const detail = (await (await as(`/api/local-finance/campaigns/${campaign.id}`)).json()) as {
      targets: { district: string }[];
    };
    expect(detail.targets.map((t) => t.district)).toEqual(["渝北区"]);
    const stats = (await (await as(`/api/local-finance/campaigns/${campaign.id}/stats`)).json()) as {
      total: { targets: number };
    };
    expect(stats.total.targets).toBe(1);
    const advance = (id: number) =>
      as(`/api/local-finance/campaign-targets/${id}/advance`, {
        method: "POST",
        body: JSON.stringify({ to: "investigated", note: "visited" }),
      });
    expect((await advance(jiangbei.id)).status).toBe(403);
    expect((await advance(yubei.id)).status).toBe(200);
    // The finance office without a district restriction sees both.
    const whole = await read("finance", `/api/local-finance/campaigns/${campaign.id}`);
    expect((whole.targets as unknown[]).length).toBe(2);
  });
});
