import { AppError } from "@beacon/core/errors";
import { getInstitution } from "@beacon/core/registry/get-institution";
import { listInstitutions, listInstitutionsQuery } from "@beacon/core/registry/list-institutions";
import type { Beacon } from "@beacon/core/runtime";
import { getStatus } from "@beacon/core/submissions/get-status";
import type { Hono } from "hono";
import { get, parseQuery } from "../route.ts";

export function registerRegistryRoutes(app: Hono, beacon: Beacon): void {
  get(
    app,
    {
      path: "/api/institutions",
      tag: "registry",
      summary: "Institutions, filtered and paged",
      query: listInstitutionsQuery,
    },
    async (c) => c.json(await listInstitutions(beacon.db, parseQuery(c, listInstitutionsQuery))),
  );
  get(
    app,
    {
      path: "/api/institutions/{code}",
      tag: "registry",
      summary: "One institution with licences and submissions",
    },
    async (c) => {
      const code = c.req.param("code") ?? "";
      if (!/^[0-9A-Za-z]{18}$/.test(code))
        throw new AppError("INVALID_INPUT", "code must be an 18-character Unified Social Credit Code");
      return c.json(await getInstitution(beacon.db, code));
    },
  );
  get(
    app,
    { path: "/api/status", tag: "intake", summary: "Current submissions and row counts per dataset" },
    async (c) => c.json(await getStatus(beacon.db)),
  );
}
