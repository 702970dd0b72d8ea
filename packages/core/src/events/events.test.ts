import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import type { UserPrincipal } from "../identity/roles.ts";
import { system } from "../identity/roles.ts";
import { inst, seedInstitutions, seedUser, viaToken } from "../identity/test-support.ts";
import { listFeed, listFeedQuery } from "../sharing/list-feed.ts";
import { listNotifications } from "../sharing/list-notifications.ts";
import { testDb } from "../testing/db.ts";
import { acknowledgeRiskEvent } from "./acknowledge-risk-event.ts";
import { addEventFollowUp } from "./add-event-follow-up.ts";
import { closeRiskEvent } from "./close-risk-event.ts";
import { escalateRiskEvent } from "./escalate-risk-event.ts";
import { escalationChain, eventTypes } from "./event-types.ts";
import { fileRiskEvent } from "./file-risk-event.ts";
import { getRiskEvent } from "./get-risk-event.ts";
import { listEventsQuery, listRiskEvents } from "./list-risk-events.ts";
import { raiseEventAlerts } from "./raise-event-alerts.ts";
import { updateEventChecklist } from "./update-event-checklist.ts";

let db: Db;
const u = {} as Record<"cbrc" | "pbc" | "circ" | "finance" | "aic" | "bankA" | "auditor", UserPrincipal>;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

beforeAll(async () => {
  db = await testDb();
  await seedInstitutions(db);
  u.cbrc = await seedUser(db, "cbrc", "lead_supervisor", { unit: "cbrc_cq" });
  u.pbc = await seedUser(db, "pbc", "lead_supervisor", { unit: "pbc_cq" });
  u.circ = await seedUser(db, "circ", "lead_supervisor", { unit: "circ_cq" });
  u.finance = await seedUser(db, "finance", "finance_office", { unit: "finance_office" });
  u.aic = await seedUser(db, "aic", "coordinating_supervisor", { unit: "aic_cq" });
  u.bankA = await seedUser(db, "bank-a", "institution", { institution: inst.bankA });
  u.auditor = await seedUser(db, "auditor", "auditor");
});
afterAll(async () => db.close());

const run = (p: UserPrincipal, title = "Queue outside three branches") =>
  fileRiskEvent(db, p, {
    type: "liquidity_run",
    title,
    description: "Depositors queuing since 9am after an online rumour",
    amount: "25000000.00",
    peopleAffected: 300,
    occurredAt: hoursAgo(3),
  });

describe("major-risk events", () => {
  test("the chain runs from the sector's leading units, through its coordinating units, to the municipal level", () => {
    expect(escalationChain("banking")).toEqual([["cbrc_cq", "pbc_cq"], [], ["finance_office"]]);
    expect(escalationChain("local_finance")).toEqual([
      ["finance_office"],
      ["sasac_cq", "aic_cq", "commerce_cq", "foreign_trade_cq"],
      ["pbc_cq"],
    ]);
  });

  test("an institution files about itself: deadline checked, leading units told, playbook attached, feed updated", async () => {
    const e = await run(u.bankA);
    expect(e).toMatchObject({
      institution: inst.bankA,
      sector: "banking",
      filedByInstitution: inst.bankA,
      amount: "25000000.00",
      peopleAffected: 300,
      escalationLevel: 0,
      reportedLate: true,
      units: [
        { unit: "cbrc_cq", level: 0, acknowledgedAt: null },
        { unit: "pbc_cq", level: 0, acknowledgedAt: null },
      ],
    });
    expect(e.checklist.map((c) => c.step)).toEqual(eventTypes.liquidity_run.playbook.map((s) => s.step));
    expect(e.timeline[0]!.body).toMatch(/filed after the 2-hour reporting deadline/);
    expect(new Date(e.reportDueAt).getTime() - new Date(e.occurredAt).getTime()).toBe(2 * 3_600_000);
    const told = (await listNotifications(db, u.pbc, { unread: "true", page: 1, pageSize: 50 })).items;
    expect(told.map((n) => n.kind)).toContain("event.filed");
    const feed = await listFeed(db, u.cbrc, listFeedQuery.parse({}));
    expect(feed.items[0]).toMatchObject({ kind: "risk_event", institution: inst.bankA });
    expect((await listFeed(db, u.circ, listFeedQuery.parse({}))).items).toEqual([]);
  });

  test("an institution files only about itself and a token needs the events scope", async () => {
    await expect(
      fileRiskEvent(db, u.bankA, {
        type: "fraud_case",
        title: "x",
        description: "x",
        institution: inst.bankB,
        occurredAt: hoursAgo(1),
      }),
    ).rejects.toThrow(/only about itself/);
    await expect(run(viaToken(u.bankA, ["uploads"]))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(run(viaToken(u.bankA, ["events"]))).resolves.toMatchObject({ filedBy: "bank-a (token 1)" });
    await expect(
      fileRiskEvent(db, u.circ, {
        type: "fraud_case",
        title: "x",
        description: "x",
        institution: inst.bankA,
        occurredAt: hoursAgo(1),
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      fileRiskEvent(db, u.cbrc, {
        type: "fraud_case",
        title: "x",
        description: "x",
        sector: "banking",
        occurredAt: hoursAgo(-2),
      }),
    ).rejects.toThrow(/in the future/);
  });

  test("large events start higher up the chain", async () => {
    const big = await fileRiskEvent(db, u.cbrc, {
      type: "product_default",
      title: "Trust plan default",
      description: "Plan X missed its payout",
      institution: inst.trustD,
      amount: "1500000000",
      occurredAt: hoursAgo(1),
    });
    expect(big.escalationLevel).toBe(2);
    expect(big.units.map((x) => x.unit).sort()).toEqual([
      "cbrc_cq",
      "circ_cq",
      "csrc_cq",
      "finance_office",
      "pbc_cq",
    ]);
  });

  test("units in the chain acknowledge once; others cannot; closing waits for every acknowledgement", async () => {
    const e = await run(u.bankA, "Ack test");
    await expect(acknowledgeRiskEvent(db, u.circ, e.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await acknowledgeRiskEvent(db, u.cbrc, e.id);
    await expect(acknowledgeRiskEvent(db, u.cbrc, e.id)).rejects.toThrow(/already acknowledged/);
    await expect(closeRiskEvent(db, u.cbrc, e.id, { summary: "done" })).rejects.toThrow(
      /not yet acknowledged by pbc_cq/,
    );
    const up = await escalateRiskEvent(db, u.cbrc, e.id, { reason: "queues growing" });
    expect(up.escalationLevel).toBe(1);
    const top = await escalateRiskEvent(db, u.cbrc, e.id, { reason: "still growing" });
    expect(top.units.map((x) => x.unit)).toEqual(["cbrc_cq", "pbc_cq", "finance_office"]);
    await expect(escalateRiskEvent(db, u.cbrc, e.id, { reason: "more" })).rejects.toThrow(/top of the chain/);
    await expect(escalateRiskEvent(db, u.bankA, e.id, { reason: "x" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await acknowledgeRiskEvent(db, u.pbc, e.id);
    await acknowledgeRiskEvent(db, u.finance, e.id);
    await updateEventChecklist(db, u.cbrc, e.id, { step: "verify", done: true });
    await expect(updateEventChecklist(db, u.cbrc, e.id, { step: "dance", done: true })).rejects.toThrow(
      /not in this event's playbook/,
    );
    await expect(updateEventChecklist(db, u.aic, e.id, { step: "verify", done: true })).rejects.toMatchObject(
      { code: "FORBIDDEN" },
    );
    const closed = await closeRiskEvent(db, u.finance, e.id, { summary: "Withdrawals normal again" });
    expect(closed.status).toBe("closed");
    expect(closed.checklist[0]).toMatchObject({ step: "verify", doneBy: "cbrc" });
    expect(closed.timeline.map((t) => t.kind)).toEqual([
      "filed",
      "acknowledged",
      "escalated",
      "escalated",
      "acknowledged",
      "acknowledged",
      "checklist",
      "closed",
    ]);
    await expect(addEventFollowUp(db, u.bankA, e.id, { body: "late" })).rejects.toThrow(/closed/);
  });

  test("follow-ups update the figures; overdue follow-ups alert once; unacknowledged events escalate by themselves", async () => {
    const e = await run(u.bankA, "Alert test");
    const f = await addEventFollowUp(db, u.bankA, e.id, { body: "Queues shorter", peopleAffected: 120 });
    expect(f.peopleAffected).toBe(120);
    expect(f.timeline.at(-1)).toMatchObject({
      kind: "follow_up",
      body: "Queues shorter\n(120 people affected)",
    });
    await db.query(
      "update risk_events set next_follow_up_due_at = now() - interval '1 minute', ack_due_at = now() - interval '1 minute' where id = $1",
      [e.id],
    );
    await expect(raiseEventAlerts(db, u.cbrc)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const first = await raiseEventAlerts(db, system("scheduler"));
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    expect(first.followUpsOverdue).toBeGreaterThanOrEqual(1);
    const after = await getRiskEvent(db, u.auditor, e.id);
    expect(after.escalationLevel).toBe(1);
    expect(after.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(["escalated", "overdue"]));
    expect(after.timeline.find((t) => t.kind === "escalated")!.body).toMatch(
      /not acknowledged in time by cbrc_cq, pbc_cq/,
    );
    const second = await raiseEventAlerts(db, system("scheduler"));
    expect(second.followUpsOverdue).toBe(0);
    const told = (await listNotifications(db, u.bankA, { unread: "true", page: 1, pageSize: 100 })).items;
    expect(told.map((n) => n.kind)).toContain("event.follow_up_overdue");
  });

  test("lists: an institution its own, a unit its sectors and chains, the finance office and auditors every event", async () => {
    const q = listEventsQuery.parse({ pageSize: 500 });
    const all = await listRiskEvents(db, u.auditor, q);
    expect((await listRiskEvents(db, u.finance, q)).total).toBe(all.total);
    expect((await listRiskEvents(db, u.bankA, q)).items.every((e) => e.institution === inst.bankA)).toBe(
      true,
    );
    const circ = await listRiskEvents(db, u.circ, q);
    expect(circ.items.map((e) => e.title)).toEqual(["Trust plan default"]);
    await expect(getRiskEvent(db, u.circ, (await run(u.bankA, "hidden")).id)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(
      (await listRiskEvents(db, u.auditor, listEventsQuery.parse({ unacknowledged: "false" }))).items.map(
        (e) => e.status,
      ),
    ).toContain("closed");
    expect(() => listEventsQuery.parse({ sort: "amount desc; select 1" })).toThrow();
    // Events without an amount come last in either order.
    for (const order of ["asc", "desc"]) {
      const amounts = (
        await listRiskEvents(db, u.auditor, listEventsQuery.parse({ sort: "amount", order, pageSize: 500 }))
      ).items.map((e) => e.amount);
      const known = amounts.filter((a) => a !== null);
      expect(known.length).toBeGreaterThan(0);
      expect(amounts.slice(0, known.length)).toEqual(known);
    }
  });
});
