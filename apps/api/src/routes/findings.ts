import { listDetectors } from "@beacon/core/detectors/list-detectors";
import { listFindings, listFindingsQuery } from "@beacon/core/detectors/list-findings";
import { runDetection, runDetectionInput } from "@beacon/core/detectors/run-detection";
import { actorName } from "@beacon/core/identity/roles";
import type { Beacon } from "@beacon/core/runtime";
import type { Hono } from "hono";
import { jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

/** Findings of the detectors: the list (filtered, paged, highest score first), the catalog, and a run on demand. */
export function registerFindingRoutes(app: Hono, beacon: Beacon): void {
  get(
    app,
    {
      path: "/api/findings",
      tag: "detectors",
      summary:
        "Findings of each detector's latest run (or of one run), filtered and paged, highest score first",
      query: listFindingsQuery,
    },
    async (c) => {
      const p = principalOf(c);
      // An institution's own users see only findings that concern their institution.
      const scope =
        p.kind === "user" && p.role === "institution" ? { institution: p.institution ?? "-" } : {};
      return c.json(await listFindings(beacon.db, parseQuery(c, listFindingsQuery), scope));
    },
  );
  get(
    app,
    { path: "/api/detectors", tag: "detectors", summary: "Every detector with its datasets and parameters" },
    (c) => c.json({ detectors: listDetectors() }),
  );
  post(
    app,
    {
      path: "/api/detect",
      tag: "detectors",
      summary:
        "Run detectors (or all) for a month and store their findings; params override defaults for this run",
      body: 'JSON {"detectors": "all" | ["multiple_loans", ...], "period": "YYYY-MM", "params": {"detector": {"key": value}}}',
      responses: {
        "201": "The run: its id, the lake instant read, and each detector's outcome and finding count",
      },
    },
    async (c) =>
      c.json(
        await runDetection(beacon, await jsonBody(c, runDetectionInput), {
          requestedBy: actorName(principalOf(c)),
        }),
        201,
      ),
  );
}
