import { contagionRequest, runContagionRequest } from "@beacon/core/network/contagion-request";
import { networkPosition } from "@beacon/core/network/position";
import { computeSystemicImportance, getSystemicImportance } from "@beacon/core/network/systemic";
import type { Beacon } from "@beacon/core/runtime";
import type { Hono } from "hono";
import { z } from "zod";
import { jsonBody } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

const systemicQuery = z.strictObject({
  period: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "a month written YYYY-MM"),
});

const positionQuery = z.strictObject({
  institution: z.string().regex(/^[0-9A-Za-z]{18}$/, "an 18-character Unified Social Credit Code"),
  period: systemicQuery.shape.period.optional(),
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
  get(
    app,
    {
      path: "/api/contagion/position",
      tag: "contagion",
      summary:
        "One institution's network position in a period (default: the latest with exposures): systemic rank and impact, largest lenders and borrowers",
      query: positionQuery,
      responses: {
        "200":
          "Rank and DebtRank impact with method, version and parameters (null without a network), top counterparties in yuan",
      },
    },
    async (c) => {
      const q = parseQuery(c, positionQuery);
      return c.json(await networkPosition(beacon.db, beacon.config.dataDir, q));
    },
  );
}
