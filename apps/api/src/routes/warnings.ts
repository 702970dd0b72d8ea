import type { Beacon } from "@beacon/core/runtime";
import { getScores, getScoresQuery } from "@beacon/core/scoring/get-scores";
import { getWarning } from "@beacon/core/warnings/get-warning";
import { listWarnings, listWarningsQuery } from "@beacon/core/warnings/list-warnings";
import { openCaseForWarning, openCaseInput } from "@beacon/core/warnings/open-case-for-warning";
import { transitionWarning, warningTransitionInput } from "@beacon/core/warnings/transition-warning";
import type { Hono } from "hono";
import { idParam, jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

/** Early warning: warnings with their lifecycle, and scores rolled up by sector, district or province. */
export function registerWarningRoutes(app: Hono, beacon: Beacon): void {
  const db = beacon.db;
  get(
    app,
    {
      path: "/api/warnings",
      tag: "warnings",
      summary: "Warnings the caller sees, filtered, sorted and paged (open ones by default)",
      query: listWarningsQuery,
    },
    async (c) => c.json(await listWarnings(db, principalOf(c), parseQuery(c, listWarningsQuery))),
  );
  get(
    app,
    {
      path: "/api/warnings/{id}",
      tag: "warnings",
      summary: "One warning with its history, its scores with their contributions, and its anomalies",
    },
    async (c) => c.json(await getWarning(db, principalOf(c), idParam(c))),
  );
  post(
    app,
    {
      path: "/api/warnings/{id}/transition",
      tag: "warnings",
      summary:
        "Acknowledge, escalate, downgrade or close a warning (the sector's leading units); a note is required but to acknowledge",
      body: 'JSON {"to": "acknowledged" | "escalated" | "downgraded" | "closed", "note"}',
      responses: { "200": "The warning", "409": "Not an allowed transition from the current status" },
      bodySchema: warningTransitionInput,
    },
    async (c) =>
      c.json(
        await transitionWarning(db, principalOf(c), idParam(c), await jsonBody(c, warningTransitionInput)),
      ),
  );
  post(
    app,
    {
      path: "/api/warnings/{id}/case",
      tag: "warnings",
      summary: "Open a case on a warning (priority from its level, description from its contributions)",
      body: 'JSON {"dueAt", "note"} (both optional)',
      responses: { "201": "The case", "409": "The warning is closed, or a case is already open on it" },
      bodySchema: openCaseInput,
    },
    async (c) =>
      c.json(await openCaseForWarning(db, principalOf(c), idParam(c), await jsonBody(c, openCaseInput)), 201),
  );
  get(
    app,
    {
      path: "/api/scores",
      tag: "warnings",
      summary:
        "Risk scores of a month rolled up by sector, district or the province, with level counts and the highest scores",
      query: getScoresQuery,
    },
    async (c) => c.json(await getScores(db, principalOf(c), parseQuery(c, getScoresQuery))),
  );
}
