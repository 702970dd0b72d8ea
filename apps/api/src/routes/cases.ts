import { addCaseAttachment } from "@beacon/core/cases/add-case-attachment";
import { addCaseComment, commentInput } from "@beacon/core/cases/add-case-comment";
import { maxAttachmentBytes } from "@beacon/core/cases/attachments";
import { createCase, createCaseInput } from "@beacon/core/cases/create-case";
import { getCase } from "@beacon/core/cases/get-case";
import { listCases, listCasesQuery } from "@beacon/core/cases/list-cases";
import { listRectifications, listRectificationsQuery } from "@beacon/core/cases/list-rectifications";
import { readCaseAttachment } from "@beacon/core/cases/read-case-attachment";
import { rectificationInput, requestRectification } from "@beacon/core/cases/request-rectification";
import { respondRectification, responseInput } from "@beacon/core/cases/respond-rectification";
import { reviewInput, reviewRectification } from "@beacon/core/cases/review-rectification";
import { transitionCase, transitionInput } from "@beacon/core/cases/transition-case";
import { AppError } from "@beacon/core/errors";
import type { Beacon } from "@beacon/core/runtime";
import { listNotifications, listNotificationsQuery } from "@beacon/core/sharing/list-notifications";
import { markNotificationsRead, markReadInput } from "@beacon/core/sharing/mark-notifications-read";
import { runOverdueScan } from "@beacon/core/workflow/overdue-scan";
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { idParam, jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

export function registerCaseRoutes(app: Hono, beacon: Beacon): void {
  const db = beacon.db;
  const ctx = { dataDir: beacon.config.dataDir };
  get(
    app,
    {
      path: "/api/cases",
      tag: "cases",
      summary: "Cases the caller's unit sees, filtered, sorted and paged",
      query: listCasesQuery,
    },
    async (c) => c.json(await listCases(db, principalOf(c), parseQuery(c, listCasesQuery))),
  );
  post(
    app,
    {
      path: "/api/cases",
      tag: "cases",
      summary: "Open a case on a warning, finding, breach or a manual concern (leading units)",
      body: "JSON: title, description, source {kind, ref}, institution or sector, coordinatingUnits, dueAt, priority",
      responses: { "201": "The case", "409": "A case is already open on this source" },
      bodySchema: createCaseInput,
    },
    async (c) => c.json(await createCase(db, principalOf(c), await jsonBody(c, createCaseInput)), 201),
  );
  get(
    app,
    {
      path: "/api/cases/{id}",
      tag: "cases",
      summary: "One case with history, comments, attachments and rectification",
    },
    async (c) => c.json(await getCase(db, principalOf(c), idParam(c))),
  );
  post(
    app,
    {
      path: "/api/cases/{id}/transitions",
      tag: "cases",
      summary: "Move a case to another status (owner unit); the allowed transitions are enforced",
      body: 'JSON {"to", "note", "referredTo"}',
      responses: { "200": "The case", "409": "Not an allowed transition from the current status" },
      bodySchema: transitionInput,
    },
    async (c) =>
      c.json(await transitionCase(db, principalOf(c), idParam(c), await jsonBody(c, transitionInput))),
  );
  post(
    app,
    {
      path: "/api/cases/{id}/comments",
      tag: "cases",
      summary: "Comment on a case (owner and coordinating units)",
      body: 'JSON {"body"}',
      bodySchema: commentInput,
    },
    async (c) =>
      c.json(await addCaseComment(db, principalOf(c), idParam(c), await jsonBody(c, commentInput)), 201),
  );
  app.use(
    "/api/cases/:id/attachments",
    bodyLimit({
      maxSize: maxAttachmentBytes + 64 * 1024,
      onError: () => {
        throw new AppError(
          "PAYLOAD_TOO_LARGE",
          `attachments are limited to ${maxAttachmentBytes / 1024 / 1024} MB`,
        );
      },
    }),
  );
  post(
    app,
    {
      path: "/api/cases/{id}/attachments",
      tag: "cases",
      summary:
        "Attach a file (PDF, PNG, JPEG, XLSX, DOCX, TXT, CSV; 10 MB) to a case; stored with its SHA-256",
      body: "multipart/form-data with one `file` part",
      responses: { "201": "The attachment's name, type, size and SHA-256", "413": "Too large" },
    },
    async (c) => {
      const id = idParam(c);
      let form: Record<string, string | File | (string | File)[]>;
      try {
        form = await c.req.parseBody({ all: true });
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw new AppError("INVALID_INPUT", "the body must be multipart/form-data with one `file` part");
      }
      const files = [form.file].flat().filter((f): f is File => f instanceof File);
      if (files.length !== 1) throw new AppError("INVALID_INPUT", "attach exactly one `file` part");
      const f = files[0]!;
      return c.json(
        await addCaseAttachment(
          db,
          principalOf(c),
          id,
          { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) },
          ctx,
        ),
        201,
      );
    },
  );
  get(
    app,
    {
      path: "/api/cases/{id}/attachments/{attachmentId}",
      tag: "cases",
      summary: "Download an attachment (checked against its SHA-256)",
    },
    async (c) => {
      const a = await readCaseAttachment(db, principalOf(c), idParam(c), idParam(c, "attachmentId"), ctx);
      return new Response(new Uint8Array(a.bytes), {
        headers: {
          "Content-Type": a.mediaType,
          "Content-Disposition": `attachment; filename="${a.fileName.replace(/[^\x20-\x7e]|"/g, "_")}"; filename*=UTF-8''${encodeURIComponent(a.fileName)}`,
          "Content-Length": String(a.bytes.length),
          Digest: `sha-256=${Buffer.from(a.sha256, "hex").toString("base64")}`,
        },
      });
    },
  );
  post(
    app,
    {
      path: "/api/cases/{id}/rectifications",
      tag: "cases",
      summary: "Ask the institution to rectify by a due date (owner unit)",
      body: 'JSON {"requirements", "dueAt", "institution"}',
      bodySchema: rectificationInput,
    },
    async (c) =>
      c.json(
        await requestRectification(db, principalOf(c), idParam(c), await jsonBody(c, rectificationInput)),
        201,
      ),
  );
  get(
    app,
    {
      path: "/api/rectifications",
      tag: "cases",
      summary: "Rectification requests: an institution's own, or those on cases the unit sees",
      query: listRectificationsQuery,
    },
    async (c) => c.json(await listRectifications(db, principalOf(c), parseQuery(c, listRectificationsQuery))),
  );
  post(
    app,
    {
      path: "/api/rectifications/{id}/responses",
      tag: "cases",
      summary: "The institution responds to a rectification request",
      body: 'JSON {"body"}',
      bodySchema: responseInput,
    },
    async (c) =>
      c.json(
        await respondRectification(db, principalOf(c), idParam(c), await jsonBody(c, responseInput)),
        201,
      ),
  );
  post(
    app,
    {
      path: "/api/rectifications/{id}/review",
      tag: "cases",
      summary: "Accept or reject the institution's response (owner unit)",
      body: 'JSON {"decision": "accepted" | "rejected", "note"}',
      bodySchema: reviewInput,
    },
    async (c) =>
      c.json(await reviewRectification(db, principalOf(c), idParam(c), await jsonBody(c, reviewInput))),
  );
  post(
    app,
    {
      path: "/api/workflow/overdue-scan",
      tag: "cases",
      summary:
        "Alert overdue cases, rectifications, event reports and campaign targets; escalate unacknowledged events",
    },
    async (c) => c.json(await runOverdueScan(db, principalOf(c))),
  );
  get(
    app,
    {
      path: "/api/notifications",
      tag: "notifications",
      summary: "The signed-in user's notifications, newest first",
      query: listNotificationsQuery,
    },
    async (c) => c.json(await listNotifications(db, principalOf(c), parseQuery(c, listNotificationsQuery))),
  );
  post(
    app,
    {
      path: "/api/notifications/read",
      tag: "notifications",
      summary: "Mark notifications read",
      body: 'JSON {"ids": [..]} or {"all": true}',
      bodySchema: markReadInput,
    },
    async (c) => c.json(await markNotificationsRead(db, principalOf(c), await jsonBody(c, markReadInput))),
  );
}
