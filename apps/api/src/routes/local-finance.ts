import { AppError } from "@beacon/core/errors";
import { actorName } from "@beacon/core/identity/roles";
import {
  addCampaignTargets,
  addTargetsInput,
} from "@beacon/core/local-finance/campaigns/add-campaign-targets";
import {
  advanceCampaignTarget,
  advanceTargetInput,
} from "@beacon/core/local-finance/campaigns/advance-campaign-target";
import { campaignStats } from "@beacon/core/local-finance/campaigns/campaign-stats";
import { createCampaign, createCampaignInput } from "@beacon/core/local-finance/campaigns/create-campaign";
import { getCampaign } from "@beacon/core/local-finance/campaigns/get-campaign";
import { listCampaigns } from "@beacon/core/local-finance/campaigns/list-campaigns";
import { raiseCampaignOverdueAlerts } from "@beacon/core/local-finance/campaigns/raise-campaign-overdue-alerts";
import {
  decidePhraseList,
  decidePhraseListInput,
} from "@beacon/core/local-finance/fundraising/decide-phrase-list";
import { getFundraisingCard } from "@beacon/core/local-finance/fundraising/get-fundraising-card";
import {
  listFundraisingScores,
  listScoresQuery,
} from "@beacon/core/local-finance/fundraising/list-fundraising-scores";
import { listPhraseLists } from "@beacon/core/local-finance/fundraising/list-phrase-lists";
import {
  proposePhraseList,
  proposePhraseListInput,
} from "@beacon/core/local-finance/fundraising/propose-phrase-list";
import { runFundraisingIndex } from "@beacon/core/local-finance/fundraising/run-fundraising-index";
import { consultingWatch } from "@beacon/core/local-finance/new-institutions/consulting-watch";
import { decideLicence } from "@beacon/core/local-finance/new-institutions/decide-licence";
import {
  expiringQuery,
  listExpiringLicences,
} from "@beacon/core/local-finance/new-institutions/list-expiring-licences";
import {
  listInspections,
  listInspectionsQuery,
} from "@beacon/core/local-finance/new-institutions/list-inspections";
import {
  newInstitutionKinds,
  offsiteIndicators,
} from "@beacon/core/local-finance/new-institutions/offsite-indicators";
import { onlineLendingWatch } from "@beacon/core/local-finance/new-institutions/online-lending-watch";
import {
  planInspection,
  planInspectionInput,
} from "@beacon/core/local-finance/new-institutions/plan-inspection";
import {
  recordFindingInput,
  recordInspectionFinding,
} from "@beacon/core/local-finance/new-institutions/record-inspection-finding";
import {
  updateInspection,
  updateInspectionInput,
} from "@beacon/core/local-finance/new-institutions/update-inspection";
import { checkVenues } from "@beacon/core/local-finance/venues/check-venues";
import type { Beacon } from "@beacon/core/runtime";
import type { Context, Hono } from "hono";
import { z } from "zod";
import { idParam, jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

const month = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM");
const periodQuery = z.strictObject({ period: month, asOf: z.iso.datetime({ offset: true }).optional() });
const cardQuery = z.strictObject({
  runId: z.coerce.number().int().positive().optional(),
  period: month.optional(),
});
const todayQuery = z.strictObject({ today: z.iso.date().optional() });
const offsiteQuery = z.strictObject({ period: month, type: z.enum(newInstitutionKinds).optional() });
const runBody = z.strictObject({
  period: month,
  asOf: z.iso.datetime({ offset: true }).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  top: z.number().int().min(0).max(5000).optional(),
});
const venueBody = z.strictObject({
  period: month,
  asOf: z.iso.datetime({ offset: true }).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});
const licenceDecisionBody = z.strictObject({
  decision: z.enum(["renew", "exit", "merge"]),
  reason: z.string(),
});
const overdueBody = z.strictObject({ today: z.iso.date().optional() });
const advanceBody = advanceTargetInput.extend({ today: z.iso.date().optional() });

const actor = (c: Context) => actorName(principalOf(c));

/** A district office sees only its districts' campaign targets; everyone else, all of them. */
function districtsOf(c: Context): string[] | null {
  const p = principalOf(c);
  return p.kind === "user" ? p.districts : null;
}

function pathText(c: Context, name: string, pattern: RegExp): string {
  const v = c.req.param(name) ?? "";
  if (!pattern.test(v)) throw new AppError("INVALID_INPUT", `${name} is malformed`);
  return v;
}

/** Local finance: fund-raising index and phrase lists, campaigns, trading venues, new financial institutions. */
export function registerLocalFinanceRoutes(app: Hono, beacon: Beacon): void {
  const db = beacon.db;
  const deps = { db, dataDir: beacon.config.dataDir };
  const tag = "local-finance";

  // Fund-raising risk index.
  post(
    app,
    {
      path: "/api/local-finance/fundraising/runs",
      tag,
      summary: "Compute the fund-raising risk index for a month and store the run",
      body: "JSON {period, asOf, params, top}",
      bodySchema: runBody,
    },
    async (c) => c.json(await runFundraisingIndex(deps, actor(c), await jsonBody(c, runBody)), 201),
  );
  get(
    app,
    {
      path: "/api/local-finance/fundraising/scores",
      tag,
      summary: "Scores and cards of a fund-raising run, highest first",
      query: listScoresQuery,
    },
    async (c) => c.json(await listFundraisingScores(db, parseQuery(c, listScoresQuery))),
  );
  get(
    app,
    {
      path: "/api/local-finance/fundraising/cards/{code}",
      tag,
      summary: "One company's disposal card with contributions and evidence",
      query: cardQuery,
    },
    async (c) =>
      c.json(await getFundraisingCard(db, pathText(c, "code", /^[0-9A-Z]{18}$/), parseQuery(c, cardQuery))),
  );
  get(
    app,
    {
      path: "/api/local-finance/phrase-lists",
      tag,
      summary: "Versions of the governed phrase list and the one in force",
    },
    async (c) => c.json(await listPhraseLists(db)),
  );
  post(
    app,
    {
      path: "/api/local-finance/phrase-lists",
      tag,
      summary: "Propose a new phrase-list version (takes effect once another person approves)",
      body: "JSON {add, remove, note}",
      bodySchema: proposePhraseListInput,
    },
    async (c) =>
      c.json(await proposePhraseList(db, actor(c), await jsonBody(c, proposePhraseListInput)), 201),
  );
  post(
    app,
    {
      path: "/api/local-finance/phrase-lists/{version}/decision",
      tag,
      summary: "Approve or reject a proposed phrase list",
      body: "JSON {decision, note}",
      bodySchema: decidePhraseListInput,
    },
    async (c) =>
      c.json(
        await decidePhraseList(db, actor(c), idParam(c, "version"), await jsonBody(c, decidePhraseListInput)),
      ),
  );

  // Rectification campaigns.
  get(
    app,
    {
      path: "/api/local-finance/campaigns",
      tag,
      summary: "Campaigns with their progress",
      query: todayQuery,
    },
    async (c) => c.json({ items: await listCampaigns(db, parseQuery(c, todayQuery)) }),
  );
  post(
    app,
    {
      path: "/api/local-finance/campaigns",
      tag,
      summary: "Open a rectification campaign",
      body: "JSON {name, kind, description, leadUnit, deadline}",
      bodySchema: createCampaignInput,
    },
    async (c) => c.json(await createCampaign(db, actor(c), await jsonBody(c, createCampaignInput)), 201),
  );
  get(
    app,
    {
      path: "/api/local-finance/campaigns/{id}",
      tag,
      summary: "A campaign with its targets, their history and the overdue alerts",
      query: todayQuery,
    },
    async (c) =>
      c.json(await getCampaign(db, idParam(c), { ...parseQuery(c, todayQuery), districts: districtsOf(c) })),
  );
  get(
    app,
    {
      path: "/api/local-finance/campaigns/{id}/stats",
      tag,
      summary: "Progress by district and owner unit",
      query: todayQuery,
    },
    async (c) =>
      c.json(
        await campaignStats(db, idParam(c), { ...parseQuery(c, todayQuery), districts: districtsOf(c) }),
      ),
  );
  post(
    app,
    {
      path: "/api/local-finance/campaigns/{id}/targets",
      tag,
      summary: "Add targets from screening (red/yellow cards) or an imported list",
      body: "JSON {screening | targets, source, dueOn, ownerUnit}",
      bodySchema: addTargetsInput,
    },
    async (c) =>
      c.json(await addCampaignTargets(db, actor(c), idParam(c), await jsonBody(c, addTargetsInput)), 201),
  );
  post(
    app,
    {
      path: "/api/local-finance/campaign-targets/{id}/advance",
      tag,
      summary: "Move a target to its next stage",
      body: "JSON {to, classification, note, dueOn}",
      bodySchema: advanceBody,
    },
    async (c) => {
      const { today, ...input } = await jsonBody(c, advanceBody);
      return c.json(await advanceCampaignTarget(db, actor(c), idParam(c), input, today ? { today } : {}));
    },
  );
  post(
    app,
    {
      path: "/api/local-finance/campaigns/overdue-scan",
      tag,
      summary: "Raise alerts for campaign targets past their deadline",
      body: "JSON {today}",
      bodySchema: overdueBody,
    },
    async (c) => c.json({ items: await raiseCampaignOverdueAlerts(db, await jsonBody(c, overdueBody)) }),
  );

  // Trading venues. A POST because a check reads the whole month's trades: it is work, not a cached read.
  post(
    app,
    {
      path: "/api/local-finance/venue-checks",
      tag,
      summary: "Check trading venues against the prohibitions, with evidence",
      body: "JSON {period, asOf, params}",
      bodySchema: venueBody,
    },
    async (c) => c.json(await checkVenues(deps, await jsonBody(c, venueBody))),
  );

  // New financial institutions.
  get(
    app,
    {
      path: "/api/local-finance/licences/expiring",
      tag,
      summary: "Licences expiring within N months, with decisions and suggestions",
      query: expiringQuery,
    },
    async (c) => c.json(await listExpiringLicences(db, parseQuery(c, expiringQuery))),
  );
  post(
    app,
    {
      path: "/api/local-finance/licences/{licenceNo}/decision",
      tag,
      summary: "Record the renewal or exit decision on an expiring licence",
      body: "JSON {decision, reason}",
      bodySchema: licenceDecisionBody,
    },
    async (c) => {
      const body = await jsonBody(c, licenceDecisionBody);
      return c.json(
        await decideLicence(db, actor(c), {
          licenceNo: pathText(c, "licenceNo", /^[0-9A-Za-z-]{1,64}$/),
          ...body,
        }),
        201,
      );
    },
  );
  get(
    app,
    {
      path: "/api/local-finance/offsite",
      tag,
      summary: "Off-site indicators of small-loan and guarantee companies",
      query: offsiteQuery,
    },
    async (c) => {
      const q = parseQuery(c, offsiteQuery);
      return c.json(
        await offsiteIndicators(db, { period: q.period, ...(q.type ? { types: [q.type] } : {}) }),
      );
    },
  );
  get(
    app,
    {
      path: "/api/local-finance/online-lending",
      tag,
      summary: "Online small-loan supervision from returns and the loan book",
      query: periodQuery,
    },
    async (c) => c.json(await onlineLendingWatch(deps, parseQuery(c, periodQuery))),
  );
  get(
    app,
    {
      path: "/api/local-finance/consulting",
      tag,
      summary: "Firms declaring financial business without a licence",
      query: periodQuery,
    },
    async (c) => c.json(await consultingWatch(deps, parseQuery(c, periodQuery))),
  );
  get(
    app,
    {
      path: "/api/local-finance/inspections",
      tag,
      summary: "On-site inspections with their findings",
      query: listInspectionsQuery,
    },
    async (c) => c.json({ items: await listInspections(db, parseQuery(c, listInspectionsQuery)) }),
  );
  post(
    app,
    {
      path: "/api/local-finance/inspections",
      tag,
      summary: "Plan an on-site inspection",
      body: "JSON {institution, kind, scope, leadUnit, inspectors, plannedStart, plannedEnd}",
      bodySchema: planInspectionInput,
    },
    async (c) => c.json(await planInspection(db, actor(c), await jsonBody(c, planInspectionInput)), 201),
  );
  post(
    app,
    {
      path: "/api/local-finance/inspections/{id}/status",
      tag,
      summary: "Start, complete or cancel an inspection",
      body: "JSON {action, on, conclusion}",
      bodySchema: updateInspectionInput,
    },
    async (c) =>
      c.json(await updateInspection(db, actor(c), idParam(c), await jsonBody(c, updateInspectionInput))),
  );
  post(
    app,
    {
      path: "/api/local-finance/inspections/{id}/findings",
      tag,
      summary: "Record an inspection finding",
      body: "JSON {category, severity, description, rectificationDue}",
      bodySchema: recordFindingInput,
    },
    async (c) =>
      c.json(
        await recordInspectionFinding(db, actor(c), idParam(c), await jsonBody(c, recordFindingInput)),
        201,
      ),
  );
}
