import { Hono } from "hono";
import { AppError, isAppError } from "@beacon/core/errors";
import type { Beacon } from "@beacon/core/runtime";
import { openApiDocument } from "./route.ts";
import { registerIntakeRoutes } from "./routes/intake.ts";
import { registerRegistryRoutes } from "./routes/registry.ts";

/** The HTTP API: routes only unpack input and call use cases; errors are mapped in one place. */
export function createApp(beacon: Beacon): Hono {
  const app = new Hono();
  app.get("/api/health", async (c) => {
    await beacon.db.query("select 1");
    return c.json({ status: "ok", store: beacon.db.kind, mode: beacon.config.mode });
  });
  registerRegistryRoutes(app, beacon);
  registerIntakeRoutes(app, beacon);
  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((err, c) => {
    if (isAppError(err)) {
      return c.json({ error: { code: err.code, message: err.message, details: err.details } }, err.httpStatus as 400);
    }
    // Unexpected failures are logged with their stack on the server and answered without internals.
    console.error(err);
    return c.json({ error: { code: "INTERNAL", message: "unexpected failure; see the server log" } }, 500);
  });
  return app;
}

export { AppError };
