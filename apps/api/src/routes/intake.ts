import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { findDataset } from "@beacon/core/contract/datasets";
import { AppError } from "@beacon/core/errors";
import { actorName } from "@beacon/core/identity/roles";
import { type IngestOptions, ingest } from "@beacon/core/intake/ingest";
import type { Beacon } from "@beacon/core/runtime";
import {
  getSubmission,
  listIntakeReports,
  listIntakeReportsQuery,
  listSubmissions,
  listSubmissionsQuery,
} from "@beacon/core/submissions/list-submissions";
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { allowedReporters, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

/** Largest upload the API takes in one request; bigger deliveries go through `beacon ingest` on the server. */
export const maxUploadBytes = 512 * 1024 * 1024;
const allowedExtensions = new Set([".csv", ".xlsx", ".json", ".ndjson", ".jsonl", ".parquet"]);

/** Intakes run one at a time: each is a heavy, all-or-nothing transaction. */
let queue: Promise<unknown> = Promise.resolve();
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

/** A safe file name: no folders, no control characters, and a supported extension. */
export function safeUploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[^\p{L}\p{N}._-]/gu, "_").replace(/^\.+/, "");
  if (!cleaned || cleaned.length > 200)
    throw new AppError("INVALID_INPUT", `file name "${name.slice(0, 80)}" is not usable`);
  if (!allowedExtensions.has(extname(cleaned).toLowerCase())) {
    throw new AppError(
      "INVALID_INPUT",
      `file "${cleaned}": unsupported type; upload CSV, XLSX, JSON or Parquet`,
    );
  }
  return cleaned;
}

export function registerIntakeRoutes(app: Hono, beacon: Beacon): void {
  app.use(
    "/api/uploads",
    bodyLimit({
      maxSize: maxUploadBytes,
      onError: () => {
        throw new AppError(
          "PAYLOAD_TOO_LARGE",
          `upload larger than ${maxUploadBytes / 1024 / 1024} MB; use beacon ingest for bulk deliveries`,
        );
      },
    }),
  );
  post(
    app,
    {
      path: "/api/uploads",
      tag: "intake",
      summary:
        "Upload one or more files of a submission; all are validated and stored together or rejected together",
      body: "multipart/form-data with one or more `file` parts and an optional `dataset` field",
      responses: {
        "200": "Accepted or unchanged, with the validation report",
        "422": "Rejected, with the validation report; nothing stored",
      },
    },
    async (c) => {
      let form: Record<string, string | File | (string | File)[]>;
      try {
        form = await c.req.parseBody({ all: true });
      } catch {
        throw new AppError(
          "INVALID_INPUT",
          "the body must be multipart/form-data with one or more `file` parts",
        );
      }
      const files = [form.file].flat().filter((f): f is File => f instanceof File);
      if (files.length === 0) throw new AppError("INVALID_INPUT", "no `file` part in the upload");
      const dataset = typeof form.dataset === "string" && form.dataset ? form.dataset : undefined;
      if (dataset && !findDataset(dataset))
        throw new AppError("INVALID_INPUT", `dataset: unknown dataset "${dataset}"`);
      const dir = join(beacon.config.dataDir, "tmp", `upload-${randomUUID()}`);
      try {
        mkdirSync(dir, { recursive: true });
        const names = new Set<string>();
        for (const f of files) {
          const name = safeUploadName(f.name);
          if (names.has(name)) throw new AppError("INVALID_INPUT", `file "${name}" is uploaded twice`);
          names.add(name);
          // A file named after its period (2026-09.csv) keeps that meaning inside a dataset folder.
          const target = dataset ? join(dir, dataset) : dir;
          mkdirSync(target, { recursive: true });
          writeFileSync(join(target, name), Buffer.from(await f.arrayBuffer()));
        }
        // An institution submits only its own rows: intake rejects the whole upload otherwise (allowedReporters).
        const principal = principalOf(c);
        const options: IngestOptions = {
          sourceName: files.map((f) => safeUploadName(f.name)).join(", "),
          submittedBy: actorName(principal),
        };
        const reporters = allowedReporters(principal);
        if (reporters) options.allowedReporters = reporters;
        const report = await serialised(() =>
          ingest(
            { db: beacon.db, dataDir: beacon.config.dataDir, pseudonymKey: beacon.config.pseudonymKey },
            dir,
            options,
          ),
        ).catch((e: unknown) => {
          // Errors name the uploaded files, not the server's folders.
          if (e instanceof AppError)
            throw new AppError(e.code, e.message.replaceAll(`${dir}/`, ""), e.details);
          throw e;
        });
        // Reports name the uploaded files, not the server's temporary folder.
        const shown = JSON.parse(JSON.stringify(report).replaceAll(`${dir}/`, ""));
        return c.json(shown, report.status === "rejected" ? 422 : 200);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
  get(
    app,
    {
      path: "/api/submissions",
      tag: "intake",
      summary: "Submissions: current, as of an instant, or all versions",
      query: listSubmissionsQuery,
    },
    async (c) => c.json(await listSubmissions(beacon.db, parseQuery(c, listSubmissionsQuery))),
  );
  get(
    app,
    { path: "/api/submissions/{id}", tag: "intake", summary: "One submission with its validation report" },
    async (c) => {
      const id = z.coerce.number().int().positive().safeParse(c.req.param("id"));
      if (!id.success) throw new AppError("INVALID_INPUT", "id must be a positive integer");
      return c.json(await getSubmission(beacon.db, id.data));
    },
  );
  get(
    app,
    {
      path: "/api/intake-reports",
      tag: "intake",
      summary: "Intake attempts with their validation reports, rejected ones included",
      query: listIntakeReportsQuery,
    },
    async (c) => c.json(await listIntakeReports(beacon.db, parseQuery(c, listIntakeReportsQuery))),
  );
}
