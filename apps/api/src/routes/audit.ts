import { checkProof } from "@beacon/core/audit/check-proof";
import { getFiling } from "@beacon/core/audit/get-filing";
import { listAuditEntries, listAuditEntriesQuery } from "@beacon/core/audit/list-audit-entries";
import { listFilings, listFilingsQuery } from "@beacon/core/audit/list-filings";
import { proveEntry } from "@beacon/core/audit/prove-entry";
import { filingInput, recordFiling } from "@beacon/core/audit/record-filing";
import { sealAudit } from "@beacon/core/audit/seal-audit";
import { verifyAudit } from "@beacon/core/audit/verify-audit";
import { assertAllowed, scopeOf } from "@beacon/core/identity/policy";
import type { Beacon } from "@beacon/core/runtime";
import type { Hono } from "hono";
import { z } from "zod";
import { idParam, jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

const verifyQuery = z.strictObject({
  checkpoint: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe("A published checkpoint id to hold the log to."),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe("That checkpoint's published hash."),
});

export function registerAuditRoutes(app: Hono, beacon: Beacon): void {
  const db = beacon.db;
  get(
    app,
    {
      path: "/api/audit/entries",
      tag: "audit",
      summary: "The audit log, filtered and paged",
      query: listAuditEntriesQuery,
    },
    async (c) => c.json(await listAuditEntries(db, parseQuery(c, listAuditEntriesQuery))),
  );
  get(
    app,
    {
      path: "/api/audit/verify",
      tag: "audit",
      summary: "Verify the whole log: names every altered, inserted or deleted entry",
      query: verifyQuery,
    },
    async (c) => {
      const q = parseQuery(c, verifyQuery);
      return c.json(
        await verifyAudit(
          db,
          q.checkpoint && q.hash ? { expect: { checkpoint: q.checkpoint, hash: q.hash } } : {},
        ),
      );
    },
  );
  get(
    app,
    {
      path: "/api/audit/entries/{seq}/proof",
      tag: "audit",
      summary: "Inclusion proof of an entry in its sealed checkpoint, checked",
      responses: { "200": "The proof and its check", "409": "Not sealed yet" },
    },
    async (c) => {
      const proof = await proveEntry(db, idParam(c, "seq"));
      return c.json({ proof, check: checkProof(proof) });
    },
  );
  post(
    app,
    {
      path: "/api/audit/seal",
      tag: "audit",
      summary: "Seal the entries not yet in a checkpoint (administrators)",
    },
    async (c) => {
      assertAllowed(principalOf(c), "audit.seal", { kind: "none" });
      return c.json({ checkpoint: await sealAudit(db) });
    },
  );
  get(
    app,
    {
      path: "/api/filings",
      tag: "filings",
      summary: "The product filing ledger, as the caller may see it",
      query: listFilingsQuery,
    },
    async (c) => {
      const p = principalOf(c);
      assertAllowed(p, "filings.list", { kind: "collection" });
      return c.json(await listFilings(db, scopeOf(p, "filings.list"), parseQuery(c, listFilingsQuery)));
    },
  );
  post(
    app,
    {
      path: "/api/filings",
      tag: "filings",
      summary: "File a product in the append-only ledger (institutions, for themselves)",
      body: "JSON: productCode, productName, productKind, description, launchDate, amends",
      responses: { "201": "The filing with its audit entry number" },
      bodySchema: filingInput,
    },
    async (c) => c.json(await recordFiling(db, principalOf(c), await jsonBody(c, filingInput)), 201),
  );
  get(app, { path: "/api/filings/{id}", tag: "filings", summary: "One filing" }, async (c) =>
    c.json(await getFiling(db, principalOf(c), idParam(c))),
  );
  get(
    app,
    {
      path: "/api/filings/{id}/proof",
      tag: "filings",
      summary: "The filing's inclusion proof in the sealed audit log, checked",
      responses: { "409": "Not sealed yet" },
    },
    async (c) => {
      const f = await getFiling(db, principalOf(c), idParam(c));
      const proof = await proveEntry(db, f.auditSeq);
      return c.json({ filing: f, proof, check: checkProof(proof) });
    },
  );
}
