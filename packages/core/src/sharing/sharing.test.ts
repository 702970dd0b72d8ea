import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import type { UserPrincipal } from "../identity/roles.ts";
import { inst, seedInstitutions, seedUser } from "../identity/test-support.ts";
import { pseudonymise } from "../intake/pseudonymise.ts";
import { testDb } from "../testing/db.ts";
import { testResidentId } from "../testing/fixtures.ts";
import { activeListEntries } from "./active-list-entries.ts";
import { addListEntry } from "./add-list-entry.ts";
import { createSubscription } from "./create-subscription.ts";
import { deleteSubscription } from "./delete-subscription.ts";
import { listFeed, listFeedQuery } from "./list-feed.ts";
import { listEntriesQuery, listListEntries } from "./list-list-entries.ts";
import { listNotifications } from "./list-notifications.ts";
import { listSubscriptions } from "./list-subscriptions.ts";
import { markNotificationsRead } from "./mark-notifications-read.ts";
import { notify } from "./notify.ts";
import { postFeedItem } from "./post-feed-item.ts";
import { revokeListEntry } from "./revoke-list-entry.ts";

let db: Db;
const key = randomBytes(32);
const u = {} as Record<"cbrc" | "pbc" | "circ" | "finance" | "bankA" | "auditor", UserPrincipal>;
const feedOf = async (p: UserPrincipal) =>
  (await listFeed(db, p, listFeedQuery.parse({}))).items.map((i) => i.title);
const notes = async (p: UserPrincipal) =>
  (await listNotifications(db, p, { unread: "false", page: 1, pageSize: 200 })).items;

beforeAll(async () => {
  db = await testDb();
  await seedInstitutions(db);
  u.cbrc = await seedUser(db, "cbrc", "lead_supervisor", { unit: "cbrc_cq", email: "cbrc@example.org" });
  u.pbc = await seedUser(db, "pbc", "lead_supervisor", { unit: "pbc_cq" });
  u.circ = await seedUser(db, "circ", "lead_supervisor", { unit: "circ_cq" });
  u.finance = await seedUser(db, "finance", "finance_office", { unit: "finance_office" });
  u.bankA = await seedUser(db, "bank-a", "institution", { institution: inst.bankA });
  u.auditor = await seedUser(db, "auditor", "auditor");
});
afterAll(async () => db.close());

describe("shared lists", () => {
  test("a person is listed by pseudonym: the identity number is stored nowhere", async () => {
    const id = testResidentId(42);
    const e = await addListEntry(
      db,
      u.cbrc,
      {
        kind: "black",
        subjectType: "person",
        subject: id,
        reason: "Fraud conviction",
        source: "Court judgment (2026) Yu 01 No. 7",
      },
      { pseudonymKey: key },
    );
    expect(e).toMatchObject({
      subject: pseudonymise(key, id),
      subjectType: "person",
      addedByUnit: "cbrc_cq",
    });
    for (const table of ["shared_list_entries", "audit_log", "feed_items", "notifications", "email_outbox"]) {
      const dump = JSON.stringify(await db.query(`select * from ${table}`));
      expect(dump, table).not.toContain(id);
    }
    await expect(
      addListEntry(
        db,
        u.pbc,
        { kind: "black", subjectType: "person", subject: id, reason: "again", source: "x" },
        { pseudonymKey: key },
      ),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      addListEntry(
        db,
        u.pbc,
        { kind: "grey", subjectType: "person", subject: "123456789012345678", reason: "x", source: "x" },
        { pseudonymKey: key },
      ),
    ).rejects.toThrow(/not a valid resident identity number/);
    await expect(
      addListEntry(
        db,
        u.pbc,
        { kind: "grey", subjectType: "company", subject: "91500103MA000001X0", reason: "x", source: "x" },
        { pseudonymKey: key },
      ),
    ).rejects.toThrow(/not a valid Unified Social Credit Code/);
    await expect(
      addListEntry(
        db,
        u.bankA,
        { kind: "grey", subjectType: "company", subject: inst.bankB, reason: "x", source: "x" },
        { pseudonymKey: key },
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("detectors read the entries in force: expired and revoked ones drop out", async () => {
    const keep = await addListEntry(
      db,
      u.cbrc,
      {
        kind: "grey",
        subjectType: "institution",
        subject: inst.bankB,
        subjectName: "Test Bank B",
        reason: "Repeated late returns",
        source: "case 12",
      },
      { pseudonymKey: key },
    );
    const gone = await addListEntry(
      db,
      u.cbrc,
      {
        kind: "grey",
        subjectType: "institution",
        subject: inst.loanC,
        reason: "x",
        source: "x",
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      },
      { pseudonymKey: key },
    );
    const revoked = await addListEntry(
      db,
      u.pbc,
      { kind: "grey", subjectType: "company", subject: inst.trustD, reason: "x", source: "x" },
      { pseudonymKey: key },
    );
    await db.query("update shared_list_entries set expires_at = now() - interval '1 second' where id = $1", [
      gone.id,
    ]);
    await expect(revokeListEntry(db, u.cbrc, revoked.id, "wrong company")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(revokeListEntry(db, u.pbc, revoked.id, " ")).rejects.toThrow(/say why/);
    await revokeListEntry(db, u.finance, revoked.id, "wrong company");
    expect((await activeListEntries(db, "grey")).map((e) => e.id)).toEqual([keep.id]);
    expect((await activeListEntries(db, "black")).map((e) => e.subjectType)).toEqual(["person"]);
    const expired = await listListEntries(db, u.auditor, listEntriesQuery.parse({ state: "expired" }));
    expect(expired.items.map((e) => e.id)).toEqual([gone.id]);
    await expect(listListEntries(db, u.bankA, listEntriesQuery.parse({}))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("cross-unit feed and subscriptions", () => {
  test("a note about an institution reaches the units that see its sector; province-wide notes reach all", async () => {
    await postFeedItem(db, u.cbrc, { title: "Bank A: branch manager detained", institution: inst.bankA });
    await postFeedItem(db, u.circ, { title: "Province-wide: new fraud pattern" });
    expect(await feedOf(u.pbc)).toEqual(
      expect.arrayContaining(["Bank A: branch manager detained", "Province-wide: new fraud pattern"]),
    );
    expect(await feedOf(u.circ)).not.toContain("Bank A: branch manager detained");
    expect(await feedOf(u.circ)).toContain("Province-wide: new fraud pattern");
    expect(await feedOf(u.auditor)).toContain("Bank A: branch manager detained");
    await expect(postFeedItem(db, u.circ, { title: "x", institution: inst.bankA })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(listFeed(db, u.bankA, listFeedQuery.parse({}))).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("subscribers to an institution or sector hear of it, by app and outbox mail; only within their sectors", async () => {
    await expect(
      createSubscription(db, u.circ, { targetKind: "institution", target: inst.bankA }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createSubscription(db, u.circ, { targetKind: "sector", target: "casino" })).rejects.toThrow(
      /unknown sector/,
    );
    const sub = await createSubscription(db, u.cbrc, {
      targetKind: "institution",
      target: inst.bankA.toLowerCase(),
    });
    await createSubscription(db, u.cbrc, { targetKind: "sector", target: "trust" });
    expect((await listSubscriptions(db, u.cbrc)).map((s) => s.target)).toEqual([inst.bankA, "trust"]);
    await postFeedItem(db, u.pbc, { title: "PBoC note on bank A", institution: inst.bankA });
    await postFeedItem(db, u.pbc, { title: "Trust sector note", sector: "trust" });
    const got = (await notes(u.cbrc)).map((n) => n.title);
    expect(got).toEqual(expect.arrayContaining(["PBoC note on bank A", "Trust sector note"]));
    const mail = await db.query<{ to_address: string; subject: string }>(
      "select to_address, subject from email_outbox order by email_outbox.id",
    );
    expect(mail).toEqual(
      expect.arrayContaining([{ to_address: "cbrc@example.org", subject: "PBoC note on bank A" }]),
    );
    await expect(deleteSubscription(db, u.pbc, sub.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await deleteSubscription(db, u.cbrc, sub.id);
    await postFeedItem(db, u.pbc, { title: "After unsubscribing", institution: inst.bankA });
    expect((await notes(u.cbrc)).map((n) => n.title)).not.toContain("After unsubscribing");
  });

  test("users mark only their own notifications read", async () => {
    await notify(db, { users: [u.pbc.userId] }, { kind: "test", title: "for pbc only" });
    const mine = await notes(u.cbrc);
    const theirs = await notes(u.pbc);
    expect(theirs.length).toBeGreaterThan(0);
    expect(mine.length).toBeGreaterThan(0);
    expect(
      await markNotificationsRead(db, u.cbrc, {
        ids: theirs
          .map((n) => n.id)
          .slice(0, 1)
          .concat(mine[0]!.id),
      }),
    ).toEqual({ marked: 1 });
    expect(await markNotificationsRead(db, u.cbrc, { all: true })).toEqual({ marked: mine.length - 1 });
    expect((await notes(u.pbc)).every((n) => n.readAt === null)).toBe(true);
    expect((await listNotifications(db, u.cbrc, { unread: "true", page: 1, pageSize: 10 })).unread).toBe(0);
    await expect(markNotificationsRead(db, u.auditor, { all: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
