import type { Beacon } from "@beacon/core/runtime";
import { addListEntry, addListEntryInput } from "@beacon/core/sharing/add-list-entry";
import { createSubscription, createSubscriptionInput } from "@beacon/core/sharing/create-subscription";
import { deleteSubscription } from "@beacon/core/sharing/delete-subscription";
import { listFeed, listFeedQuery } from "@beacon/core/sharing/list-feed";
import { listEntriesQuery, listListEntries } from "@beacon/core/sharing/list-list-entries";
import { listSubscriptions } from "@beacon/core/sharing/list-subscriptions";
import { postFeedInput, postFeedItem } from "@beacon/core/sharing/post-feed-item";
import { revokeListEntry } from "@beacon/core/sharing/revoke-list-entry";
import type { Hono } from "hono";
import { z } from "zod";
import { idParam, jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

const revokeBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export function registerSharingRoutes(app: Hono, beacon: Beacon): void {
  const db = beacon.db;
  get(
    app,
    {
      path: "/api/lists",
      tag: "sharing",
      summary: "Shared black and grey lists (active entries by default)",
      query: listEntriesQuery,
    },
    async (c) => c.json(await listListEntries(db, principalOf(c), parseQuery(c, listEntriesQuery))),
  );
  post(
    app,
    {
      path: "/api/lists",
      tag: "sharing",
      summary:
        "Add an organisation or person to a shared list; a person's identity number is kept only as a pseudonym",
      body: "JSON: kind, subjectType, subject, subjectName, reason, source, expiresAt",
      bodySchema: addListEntryInput,
    },
    async (c) =>
      c.json(
        await addListEntry(db, principalOf(c), await jsonBody(c, addListEntryInput), {
          pseudonymKey: beacon.config.pseudonymKey,
        }),
        201,
      ),
  );
  post(
    app,
    {
      path: "/api/lists/{id}/revoke",
      tag: "sharing",
      summary: "Take an entry off its list",
      body: 'JSON {"reason"}',
      bodySchema: revokeBody,
    },
    async (c) => {
      const { reason } = await jsonBody(c, revokeBody);
      return c.json(await revokeListEntry(db, principalOf(c), idParam(c), reason));
    },
  );
  get(
    app,
    {
      path: "/api/feed",
      tag: "sharing",
      summary: "The cross-unit feed, for the sectors the caller sees",
      query: listFeedQuery,
    },
    async (c) => c.json(await listFeed(db, principalOf(c), parseQuery(c, listFeedQuery))),
  );
  post(
    app,
    {
      path: "/api/feed",
      tag: "sharing",
      summary: "Share a note with the other units",
      body: 'JSON {"title", "body", "sector", "institution"}',
      bodySchema: postFeedInput,
    },
    async (c) => c.json(await postFeedItem(db, principalOf(c), await jsonBody(c, postFeedInput)), 201),
  );
  get(app, { path: "/api/subscriptions", tag: "sharing", summary: "The caller's subscriptions" }, async (c) =>
    c.json({ items: await listSubscriptions(db, principalOf(c)) }),
  );
  post(
    app,
    {
      path: "/api/subscriptions",
      tag: "sharing",
      summary: "Subscribe to an institution or a sector",
      body: 'JSON {"targetKind", "target"}',
      bodySchema: createSubscriptionInput,
    },
    async (c) =>
      c.json(await createSubscription(db, principalOf(c), await jsonBody(c, createSubscriptionInput)), 201),
  );
  post(
    app,
    { path: "/api/subscriptions/{id}/delete", tag: "sharing", summary: "End a subscription" },
    async (c) => c.json(await deleteSubscription(db, principalOf(c), idParam(c))),
  );
}
