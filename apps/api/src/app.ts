import { AppError, isAppError } from "@beacon/core/errors";
import type { Beacon } from "@beacon/core/runtime";
import { Hono } from "hono";
import { installAuth } from "./auth.ts";
import { get, openApiDocument } from "./route.ts";
import { registerAuditRoutes } from "./routes/audit.ts";
import { registerAuthRoutes } from "./routes/auth.ts";
import { registerCaseRoutes } from "./routes/cases.ts";
import { registerConsole } from "./routes/console.ts";
import { registerContagionRoutes } from "./routes/contagion.ts";
import { registerEventRoutes } from "./routes/events.ts";
import { registerFindingRoutes } from "./routes/findings.ts";
import { registerIntakeRoutes } from "./routes/intake.ts";
import { registerLocalFinanceRoutes } from "./routes/local-finance.ts";
import { registerRegistryRoutes } from "./routes/registry.ts";
import { registerReportRoutes } from "./routes/reports.ts";
import { registerRuleRoutes } from "./routes/rules.ts";
import { registerSharingRoutes } from "./routes/sharing.ts";
import { registerWarningRoutes } from "./routes/warnings.ts";

/** The HTTP API: routes only unpack input and call use cases; errors are mapped in one place. */
export function createApp(beacon: Beacon): Hono {
  const app = new Hono();
  // Every /api request is authenticated and authorised here before any route runs.
  installAuth(app, beacon);
  get(app, { path: "/api/health", tag: "system", summary: "Liveness and the kind of store" }, async (c) => {
    await beacon.db.query("select 1");
    return c.json({ status: "ok", store: beacon.db.kind, mode: beacon.config.mode });
  });
  registerAuthRoutes(app, beacon);
  registerRegistryRoutes(app, beacon);
  registerRuleRoutes(app, beacon);
  registerIntakeRoutes(app, beacon);
  registerCaseRoutes(app, beacon);
  registerEventRoutes(app, beacon);
  registerSharingRoutes(app, beacon);
  registerAuditRoutes(app, beacon);
  registerLocalFinanceRoutes(app, beacon);
  registerReportRoutes(app, beacon);
  registerWarningRoutes(app, beacon);
  registerContagionRoutes(app, beacon);
  registerFindingRoutes(app, beacon);
  get(app, { path: "/api/openapi.json", tag: "system", summary: "This document" }, (c) =>
    c.json(openApiDocument()),
  );
  // The web console, last: it answers only outside /api, so it can never shadow an API route.
  registerConsole(app);
  app.notFound((c) =>
    c.json({ error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((err, c) => {
    if (isAppError(err)) {
      return c.json(
        { error: { code: err.code, message: err.message, details: err.details } },
        err.httpStatus as 400,
      );
    }
    // Unexpected failures are logged with their stack on the server and answered without internals.
    console.error(err);
    return c.json({ error: { code: "INTERNAL", message: "unexpected failure; see the server log" } }, 500);
  });
  return app;
}

export { AppError };
