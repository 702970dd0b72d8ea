import { contagionRequest, runContagionRequest } from "@beacon/core/network/contagion-request";
import { computeSystemicImportance, getSystemicImportance } from "@beacon/core/network/systemic";
import type { Beacon } from "@beacon/core/runtime";
import type { Hono } from "hono";
import { z } from "zod";
import { jsonBody } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

const systemicQuery = z.strictObject({
  period: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "a month written YYYY-MM"),
});

/** Contagion: stress scenarios on a stored period or an uploaded network, and each period's systemic importance. */
export function registerContagionRoutes(app: Hono, beacon: Beacon): void {
  post(
    app,
    {
      path: "/api/contagion",
      tag: "contagion",
      summary:
        "Run a contagion method under a shock (or several combined) on a stored period or an uploaded network; nothing is stored",
      body: 'JSON {"period" | "network": {nodes, exposures} | "csv": {nodes, exposures?}, "method", "shock": "sector:trust=0.2" | [...], "estimate"?, ...}',
      responses: { "200": "Per scenario: stress, losses and defaults, by sector and by institution" },
    },
    async (c) =>
      c.json(
        await runContagionRequest(beacon.db, beacon.config.dataDir, await jsonBody(c, contagionRequest)),
      ),
  );
  get(
    app,
    {
      path: "/api/contagion/systemic",
      tag: "contagion",
      summary:
        "Systemic importance of a period: each institution's DebtRank impact of its own default, ranked (the stored run, else computed now)",
      query: systemicQuery,
      responses: { "200": "The ranking with its method, version, parameters and network provenance" },
    },
    async (c) => {
      const { period } = parseQuery(c, systemicQuery);
      const stored = await getSystemicImportance(beacon.db, period);
      if (stored) return c.json({ stored: true, ...stored });
      return c.json({
        stored: false,
        ...(await computeSystemicImportance(beacon.db, beacon.config.dataDir, { period })),
      });
    },
  );
}
