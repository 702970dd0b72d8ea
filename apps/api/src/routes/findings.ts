import { detectorCatalog } from "@beacon/core/detectors/catalog";
import { listDetectors } from "@beacon/core/detectors/list-detectors";
import {
  type FindingScope,
  findingInScope,
  getFinding,
  listFindings,
  listFindingsQuery,
} from "@beacon/core/detectors/list-findings";
import { runDetection, runDetectionInput } from "@beacon/core/detectors/run-detection";
import { AppError } from "@beacon/core/errors";
import { scopeOf } from "@beacon/core/identity/policy";
import { actorName, type Principal } from "@beacon/core/identity/roles";
import { visibleInstitutions } from "@beacon/core/identity/scope-sql";
import type { Beacon } from "@beacon/core/runtime";
import type { Hono } from "hono";
import { idParam, jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

/**
 * The findings a principal may read: those concerning an institution it sees, and for a unit also those of the
 * detectors it leads (a multiple-loan borrower concerns lenders of many sectors; the lead unit follows them all).
 */
async function findingScope(beacon: Beacon, p: Principal): Promise<FindingScope | null> {
  const scope = scopeOf(p, "findings.read");
  const visible = await visibleInstitutions(beacon.db, scope);
  if (visible === null) return null;
  const unit = scope.all ? null : scope.unit;
  return {
    institutions: [...visible],
    detectors: unit ? detectorCatalog.filter((d) => d.leadUnit === unit).map((d) => d.id) : [],
  };
}

/** Findings of the detectors: the list (filtered, paged, highest score first), one finding, the catalog, a run. */
export function registerFindingRoutes(app: Hono, beacon: Beacon): void {
  get(
    app,
    {
      path: "/api/findings",
      tag: "detectors",
      summary:
        "Findings the caller may read, of each detector's latest run (or of one run), filtered and paged, highest score first",
      query: listFindingsQuery,
    },
    async (c) => {
      const query = parseQuery(c, listFindingsQuery);
      return c.json(await listFindings(beacon.db, query, await findingScope(beacon, principalOf(c))));
    },
  );
  get(
    app,
    {
      path: "/api/findings/{id}",
      tag: "detectors",
      summary: "One finding with its evidence, explanation, detector version and parameters",
      responses: { "200": "The finding", "403": "Outside the caller's scope", "404": "No such finding" },
    },
    async (c) => {
      const id = idParam(c);
      const finding = await getFinding(beacon.db, id);
      if (!finding) throw new AppError("NOT_FOUND", `no finding ${id}`);
      if (!findingInScope(finding, await findingScope(beacon, principalOf(c))))
        throw new AppError("FORBIDDEN", `finding ${id} is outside your scope`);
      return c.json(finding);
    },
  );
  get(
    app,
    {
      path: "/api/detectors",
      tag: "detectors",
      summary: "Every detector with its version, datasets and governed parameters",
    },
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
      bodySchema: runDetectionInput,
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
