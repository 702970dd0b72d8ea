import { sectors } from "@beacon/core/contract/institution-types";
import { acknowledgeRiskEvent } from "@beacon/core/events/acknowledge-risk-event";
import { addEventFollowUp, followUpInput } from "@beacon/core/events/add-event-follow-up";
import { closeEventInput, closeRiskEvent } from "@beacon/core/events/close-risk-event";
import { escalateInput, escalateRiskEvent } from "@beacon/core/events/escalate-risk-event";
import { escalationChain, eventTypes } from "@beacon/core/events/event-types";
import { fileEventInput, fileRiskEvent } from "@beacon/core/events/file-risk-event";
import { getRiskEvent } from "@beacon/core/events/get-risk-event";
import { listEventsQuery, listRiskEvents } from "@beacon/core/events/list-risk-events";
import { checklistInput, updateEventChecklist } from "@beacon/core/events/update-event-checklist";
import type { Beacon } from "@beacon/core/runtime";
import type { Hono } from "hono";
import { idParam, jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

export function registerEventRoutes(app: Hono, beacon: Beacon): void {
  const db = beacon.db;
  get(
    app,
    {
      path: "/api/event-types",
      tag: "events",
      summary: "Event types with reporting deadlines, playbooks and escalation chains",
    },
    (c) =>
      c.json({
        types: eventTypes,
        chains: Object.fromEntries(sectors.map((s) => [s, escalationChain(s)])),
      }),
  );
  get(
    app,
    {
      path: "/api/events",
      tag: "events",
      summary: "Major-risk events the caller sees, filtered and paged",
      query: listEventsQuery,
    },
    async (c) => c.json(await listRiskEvents(db, principalOf(c), parseQuery(c, listEventsQuery))),
  );
  post(
    app,
    {
      path: "/api/events",
      tag: "events",
      summary: "File a major-risk event (institutions about themselves, units in their sectors)",
      body: "JSON: type, title, description, institution or sector, amount, peopleAffected, occurredAt",
      responses: { "201": "The event with its chain, timeline and checklist" },
      bodySchema: fileEventInput,
    },
    async (c) => c.json(await fileRiskEvent(db, principalOf(c), await jsonBody(c, fileEventInput)), 201),
  );
  get(
    app,
    {
      path: "/api/events/{id}",
      tag: "events",
      summary: "One event: chain and acknowledgements, timeline, playbook checklist",
    },
    async (c) => c.json(await getRiskEvent(db, principalOf(c), idParam(c))),
  );
  post(
    app,
    {
      path: "/api/events/{id}/follow-ups",
      tag: "events",
      summary: "File a follow-up report",
      body: 'JSON {"body", "amount", "peopleAffected"}',
      bodySchema: followUpInput,
    },
    async (c) =>
      c.json(await addEventFollowUp(db, principalOf(c), idParam(c), await jsonBody(c, followUpInput))),
  );
  post(
    app,
    {
      path: "/api/events/{id}/acknowledge",
      tag: "events",
      summary: "The caller's unit acknowledges the event",
    },
    async (c) => c.json(await acknowledgeRiskEvent(db, principalOf(c), idParam(c))),
  );
  post(
    app,
    {
      path: "/api/events/{id}/escalate",
      tag: "events",
      summary: "Escalate one level up the chain (leading units, finance office)",
      body: 'JSON {"reason"}',
      bodySchema: escalateInput,
    },
    async (c) =>
      c.json(await escalateRiskEvent(db, principalOf(c), idParam(c), await jsonBody(c, escalateInput))),
  );
  post(
    app,
    {
      path: "/api/events/{id}/checklist",
      tag: "events",
      summary: "Tick or untick a playbook step",
      body: 'JSON {"step", "done"}',
      bodySchema: checklistInput,
    },
    async (c) =>
      c.json(await updateEventChecklist(db, principalOf(c), idParam(c), await jsonBody(c, checklistInput))),
  );
  post(
    app,
    {
      path: "/api/events/{id}/close",
      tag: "events",
      summary: "Close the event with its final report, once every unit acknowledged",
      body: 'JSON {"summary"}',
      bodySchema: closeEventInput,
    },
    async (c) =>
      c.json(await closeRiskEvent(db, principalOf(c), idParam(c), await jsonBody(c, closeEventInput))),
  );
}
