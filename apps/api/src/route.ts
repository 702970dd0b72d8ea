import { AppError } from "@beacon/core/errors";
import type { Context, Hono } from "hono";
import { z } from "zod";

/** What the OpenAPI document says of one route; every route registers itself here as it is added. */
export interface RouteDoc {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodObject;
  /** What the body holds; a text starting "JSON" means a JSON body, anything else a multipart upload. */
  body?: string;
  /** The zod schema the route validates its JSON body with (`jsonBody`), published as the body's JSON Schema. */
  bodySchema?: z.ZodType;
  responses?: Record<string, string>;
}

export const routeDocs: RouteDoc[] = [];

/** Parses query parameters with a schema; any problem is a 400 naming the parameter and why. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const raw = c.req.queries();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v.length > 1) throw new AppError("INVALID_INPUT", `query parameter "${k}" is given more than once`);
    flat[k] = v[0] ?? "";
  }
  const result = schema.safeParse(flat);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      parameter: i.path.join(".") || (i.code === "unrecognized_keys" ? i.keys.join(", ") : ""),
      message: i.message,
    }));
    throw new AppError(
      "INVALID_INPUT",
      `invalid query: ${issues.map((i) => `${i.parameter}: ${i.message}`).join("; ")}`,
      { issues },
    );
  }
  return result.data;
}

/** Registers a GET route with its documentation. */
export function get(
  app: Hono,
  doc: Omit<RouteDoc, "method">,
  handler: (c: Context) => Promise<Response> | Response,
): void {
  routeDocs.push({ method: "get", ...doc });
  app.get(doc.path.replace(/\{(\w+)\}/g, ":$1"), handler);
}

/** Registers a POST route with its documentation. */
export function post(
  app: Hono,
  doc: Omit<RouteDoc, "method">,
  handler: (c: Context) => Promise<Response> | Response,
): void {
  routeDocs.push({ method: "post", ...doc });
  app.post(doc.path.replace(/\{(\w+)\}/g, ":$1"), handler);
}

/** A body schema as JSON Schema (as the client sends it); a construct JSON Schema cannot say becomes "an object". */
function bodyJsonSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
      string,
      unknown
    >;
    return rest;
  } catch {
    return { type: "object" };
  }
}

/** The OpenAPI 3.1 document, built from the registered routes and their zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routeDocs) {
    const parameters: unknown[] = [];
    for (const m of r.path.matchAll(/\{(\w+)\}/g))
      parameters.push({ name: m[1], in: "path", required: true, schema: { type: "string" } });
    if (r.query) {
      const json = z.toJSONSchema(r.query, { io: "input" }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: "query", required: json.required?.includes(name) ?? false, schema });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [code, description] of Object.entries(r.responses ?? { "200": "OK" }))
      responses[code] = { description };
    responses["400"] ??= { description: "Invalid input: the error names the parameter and why" };
    const op: Record<string, unknown> = { summary: r.summary, tags: [r.tag], parameters, responses };
    if (r.body || r.bodySchema) {
      const json = r.bodySchema !== undefined || /^JSON\b/.test(r.body ?? "");
      op.requestBody = {
        ...(r.body ? { description: r.body } : {}),
        required: true,
        content: json
          ? {
              "application/json": {
                schema: r.bodySchema ? bodyJsonSchema(r.bodySchema) : { type: "object" },
              },
            }
          : { "multipart/form-data": { schema: { type: "object" } } },
      };
    }
    paths[r.path] ??= {};
    paths[r.path]![r.method] = op;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Beacon API",
      version: "0.1.0",
      description: "Financial-risk monitoring and early warning for a regional regulator.",
    },
    paths,
  };
}
