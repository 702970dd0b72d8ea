import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import type { UserPrincipal } from "../identity/roles.ts";
import { system } from "../identity/roles.ts";
import { inst, seedInstitutions, seedUser } from "../identity/test-support.ts";
import { listNotifications } from "../sharing/list-notifications.ts";
import { testDb } from "../testing/db.ts";
import { addCaseAttachment, attachmentPath } from "./add-case-attachment.ts";
import { addCaseComment } from "./add-case-comment.ts";
import { maxAttachmentBytes } from "./attachments.ts";
import { createCase } from "./create-case.ts";
import { getCase } from "./get-case.ts";
import { listCases, listCasesQuery } from "./list-cases.ts";
import { listRectifications, listRectificationsQuery } from "./list-rectifications.ts";
import { raiseOverdueAlerts } from "./raise-overdue-alerts.ts";
import { readCaseAttachment } from "./read-case-attachment.ts";
import { requestRectification } from "./request-rectification.ts";
import { respondRectification } from "./respond-rectification.ts";
import { reviewRectification } from "./review-rectification.ts";
import { transitionCase } from "./transition-case.ts";

let db: Db;
const dataDir = mkdtempSync(join(tmpdir(), "cases-data-"));
const u = {} as Record<
  "cbrc" | "pbc" | "circ" | "finance" | "aic" | "bankA" | "bankB" | "auditor" | "cbrcJiangbei",
  UserPrincipal
>;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const unread = async (p: UserPrincipal) =>
  (await listNotifications(db, p, { unread: "true", page: 1, pageSize: 200 })).items;

beforeAll(async () => {
  db = await testDb();
  await seedInstitutions(db);
  u.cbrc = await seedUser(db, "cbrc-lead", "lead_supervisor", { unit: "cbrc_cq" });
  u.cbrcJiangbei = await seedUser(db, "cbrc-jiangbei", "lead_supervisor", {
    unit: "cbrc_cq",
    districts: ["江北区"],
  });
  u.pbc = await seedUser(db, "pbc-lead", "lead_supervisor", { unit: "pbc_cq" });
  u.circ = await seedUser(db, "circ-lead", "lead_supervisor", { unit: "circ_cq" });
  u.finance = await seedUser(db, "finance", "finance_office", { unit: "finance_office" });
  u.aic = await seedUser(db, "aic-coord", "coordinating_supervisor", { unit: "aic_cq" });
  u.bankA = await seedUser(db, "bank-a", "institution", { institution: inst.bankA });
  u.bankB = await seedUser(db, "bank-b", "institution", { institution: inst.bankB });
  u.auditor = await seedUser(db, "auditor", "auditor");
});
afterAll(async () => db.close());

describe("cases", () => {
  test("a leading unit opens a case: it owns it, the units named coordinate, they are told, the log records it", async () => {
    const c = await createCase(db, u.cbrc, {
      title: "Loan concentration above the regulatory line",
      source: { kind: "breach", ref: "breach:bank-a:2026-09:concentration" },
      institution: inst.bankA.toLowerCase(),
      coordinatingUnits: ["pbc_cq"],
      dueAt: inDays(30),
      priority: "high",
    });
    expect(c).toMatchObject({
      institution: inst.bankA,
      sector: "banking",
      district: "渝中区",
      ownerUnit: "cbrc_cq",
      coordinatingUnits: ["pbc_cq"],
      status: "open",
      history: [{ from: null, to: "open" }],
    });
    expect((await unread(u.pbc)).map((n) => n.kind)).toContain("case.opened");
    expect((await unread(u.cbrc)).map((n) => n.kind)).not.toContain("case.opened");
    const [entry] = await db.query<{ detail: string }>(
      "select detail from audit_log where action = 'case.opened' and subject_id = $1",
      [String(c.id)],
    );
    expect(JSON.parse(entry!.detail)).toMatchObject({ ownerUnit: "cbrc_cq", sector: "banking" });
    await expect(
      createCase(db, u.cbrc, {
        title: "again",
        source: { kind: "breach", ref: "breach:bank-a:2026-09:concentration" },
        institution: inst.bankA,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", details: { caseId: c.id } });
  });

  test("units open cases only in sectors they lead, and only as owner", async () => {
    await expect(
      createCase(db, u.circ, { title: "x", source: { kind: "manual", ref: "x" }, institution: inst.bankA }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      createCase(db, u.aic, { title: "x", source: { kind: "manual", ref: "x" }, sector: "local_finance" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      createCase(db, u.auditor, { title: "x", source: { kind: "manual", ref: "x" }, sector: "banking" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      createCase(db, u.cbrc, {
        title: "x",
        source: { kind: "manual", ref: "x" },
        sector: "banking",
        ownerUnit: "pbc_cq",
      }),
    ).rejects.toThrow(/only as their owner/);
    await expect(
      createCase(db, u.cbrc, { title: "x", source: { kind: "manual", ref: "x" } }),
    ).rejects.toThrow(/institution or sector/);
    await expect(
      createCase(db, u.cbrc, { title: "", source: { kind: "rumour" as never, ref: "x" }, sector: "banking" }),
    ).rejects.toThrow(/title.*source\.kind|source\.kind.*title/s);
    const local = await createCase(db, u.finance, {
      title: "Guarantee circle",
      source: { kind: "finding", ref: "finding:gc:1" },
      institution: inst.loanC,
    });
    expect(local).toMatchObject({
      ownerUnit: "finance_office",
      coordinatingUnits: ["sasac_cq", "aic_cq", "commerce_cq", "foreign_trade_cq"],
    });
  });

  test("statuses move only along allowed transitions, by the owner unit", async () => {
    const c = await createCase(db, u.cbrc, {
      title: "Transitions",
      source: { kind: "warning", ref: "warning:t1" },
      institution: inst.bankA,
      coordinatingUnits: ["pbc_cq"],
    });
    await expect(transitionCase(db, u.pbc, c.id, { to: "investigating" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await transitionCase(db, u.cbrc, c.id, { to: "investigating", note: "on-site check" });
    await expect(transitionCase(db, u.cbrc, c.id, { to: "rectified" })).rejects.toThrow(
      `case ${c.id} is investigating and cannot become rectified; it can become rectification_required, closed, referred`,
    );
    await expect(transitionCase(db, u.cbrc, c.id, { to: "rectification_required" })).rejects.toThrow(
      /request rectification/,
    );
    await expect(transitionCase(db, u.cbrc, c.id, { to: "closed" })).rejects.toThrow(/say why/);
    await expect(transitionCase(db, u.cbrc, c.id, { to: "referred" })).rejects.toThrow(/name the authority/);
    const referred = await transitionCase(db, u.cbrc, c.id, {
      to: "referred",
      referredTo: "Public Security Bureau",
    });
    expect(referred).toMatchObject({ status: "referred", referredTo: "Public Security Bureau" });
    expect(referred.closedAt).not.toBeNull();
    expect(referred.history.map((h) => h.to)).toEqual(["open", "investigating", "referred"]);
    await expect(transitionCase(db, u.cbrc, c.id, { to: "open" as never })).rejects.toThrow(
      /that status is final/,
    );
  });

  test("the owner and coordinating units comment; text is kept exactly as given; others cannot", async () => {
    const c = await createCase(db, u.cbrc, {
      title: "Comments",
      source: { kind: "manual", ref: "m" },
      institution: inst.bankA,
      coordinatingUnits: ["pbc_cq"],
    });
    const script = `<script>alert("x")</script> '; drop table cases; --`;
    await addCaseComment(db, u.pbc, c.id, { body: script });
    await expect(addCaseComment(db, u.circ, c.id, { body: "hi" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(addCaseComment(db, u.auditor, c.id, { body: "hi" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const got = await getCase(db, u.auditor, c.id);
    expect(got.comments).toEqual([
      expect.objectContaining({ body: script, author: "pbc-lead", authorUnit: "pbc_cq" }),
    ]);
    await expect(getCase(db, u.circ, c.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getCase(db, u.bankA, c.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("attachments are type- and size-checked, stored by SHA-256 under the data folder, and checked when read", async () => {
    const c = await createCase(db, u.cbrc, {
      title: "Files",
      source: { kind: "manual", ref: "f" },
      institution: inst.bankA,
    });
    const pdf = new TextEncoder().encode("%PDF-1.7\n% a tiny test file\n");
    const a = await addCaseAttachment(
      db,
      u.cbrc,
      c.id,
      { name: "../../../etc/report<script>.pdf", bytes: pdf },
      { dataDir },
    );
    const sha = createHash("sha256").update(pdf).digest("hex");
    expect(a).toMatchObject({
      fileName: "report_script_.pdf",
      mediaType: "application/pdf",
      sha256: sha,
      bytes: pdf.length,
    });
    const path = attachmentPath(dataDir, sha);
    expect(path.startsWith(join(dataDir, "attachments"))).toBe(true);
    expect(readFileSync(path)).toEqual(Buffer.from(pdf));
    const back = await readCaseAttachment(db, u.auditor, c.id, a.id, { dataDir });
    expect(back.bytes).toEqual(Buffer.from(pdf));
    await expect(readCaseAttachment(db, u.circ, c.id, a.id, { dataDir })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const [log] = await db.query<{ detail: string }>(
      "select detail from audit_log where action = 'case.attachment_added'",
    );
    expect(JSON.parse(log!.detail)).toMatchObject({ sha256: sha });
    const bad = (name: string, bytes: Uint8Array) =>
      addCaseAttachment(db, u.cbrc, c.id, { name, bytes }, { dataDir });
    await expect(bad("x.pdf", new TextEncoder().encode("MZ not a pdf"))).rejects.toThrow(/is not a PDF file/);
    await expect(bad("x.exe", new Uint8Array([0x4d, 0x5a]))).rejects.toThrow(/type not accepted/);
    await expect(bad("x.html", new TextEncoder().encode("<html>"))).rejects.toThrow(/type not accepted/);
    await expect(bad("x.txt", new Uint8Array([0xff, 0xfe, 0x00, 0x41]))).rejects.toThrow(/not UTF-8 text/);
    await expect(bad("x.txt", new Uint8Array(0))).rejects.toThrow(/empty/);
    await expect(bad("big.txt", new Uint8Array(maxAttachmentBytes + 1).fill(0x41))).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
    });
    expect((await getCase(db, u.cbrc, c.id)).attachments).toHaveLength(1);
    writeFileSync(path, "tampered");
    await expect(readCaseAttachment(db, u.cbrc, c.id, a.id, { dataDir })).rejects.toThrow(
      /no longer matches its recorded SHA-256/,
    );
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  test("rectification: requested of the institution, answered, rejected, answered again, accepted, then rectified and closed", async () => {
    const c = await createCase(db, u.cbrc, {
      title: "Rectify",
      source: { kind: "breach", ref: "breach:r1" },
      institution: inst.bankA,
    });
    const r = await requestRectification(db, u.cbrc, c.id, {
      requirements: "Bring the ratio under 10% by month end",
      dueAt: inDays(14),
    });
    expect(r).toMatchObject({ institution: inst.bankA, status: "pending", caseId: c.id });
    expect((await getCase(db, u.cbrc, c.id)).status).toBe("rectification_required");
    expect((await unread(u.bankA)).map((n) => n.kind)).toContain("rectification.requested");
    const mine = await listRectifications(db, u.bankA, listRectificationsQuery.parse({}));
    expect(mine.items.map((x) => x.id)).toEqual([r.id]);
    expect(JSON.stringify(mine)).not.toContain("Rectify");
    expect((await listRectifications(db, u.bankB, listRectificationsQuery.parse({}))).items).toEqual([]);
    await expect(respondRectification(db, u.bankB, r.id, { body: "not mine" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(reviewRectification(db, u.cbrc, r.id, { decision: "accepted" })).rejects.toThrow(
      /only a response can be reviewed/,
    );
    await respondRectification(db, u.bankA, r.id, { body: "Sold down two exposures" });
    await expect(reviewRectification(db, u.cbrc, r.id, { decision: "rejected" })).rejects.toThrow(
      /what is still missing/,
    );
    await expect(reviewRectification(db, u.pbc, r.id, { decision: "accepted" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await reviewRectification(db, u.cbrc, r.id, { decision: "rejected", note: "Still 11%" });
    await expect(transitionCase(db, u.cbrc, c.id, { to: "rectified" })).rejects.toThrow(
      /every rectification request/,
    );
    await respondRectification(db, u.bankA, r.id, { body: "Now 9.5%" });
    const done = await reviewRectification(db, u.cbrc, r.id, { decision: "accepted" });
    expect(done).toMatchObject({
      status: "accepted",
      responses: [{ body: "Sold down two exposures" }, { body: "Now 9.5%" }],
    });
    await expect(respondRectification(db, u.bankA, r.id, { body: "more" })).rejects.toThrow(
      /already accepted/,
    );
    await transitionCase(db, u.cbrc, c.id, { to: "rectified" });
    const closed = await transitionCase(db, u.cbrc, c.id, { to: "closed", note: "Rectified and verified" });
    expect(closed.history.map((h) => h.to)).toEqual([
      "open",
      "rectification_required",
      "rectified",
      "closed",
    ]);
    await expect(
      requestRectification(db, u.cbrc, c.id, { requirements: "x", dueAt: inDays(1) }),
    ).rejects.toThrow(/is closed/);
  });

  test("overdue cases and rectification requests alert once", async () => {
    const c = await createCase(db, u.cbrc, {
      title: "Late",
      source: { kind: "manual", ref: "late" },
      institution: inst.bankA,
      dueAt: inDays(1),
      coordinatingUnits: ["pbc_cq"],
    });
    const r = await requestRectification(db, u.cbrc, c.id, { requirements: "x", dueAt: inDays(1) });
    await db.query("update cases set due_at = now() - interval '1 hour' where id = $1", [c.id]);
    await db.query("update rectification_requests set due_at = now() - interval '1 hour' where id = $1", [
      r.id,
    ]);
    await expect(raiseOverdueAlerts(db, u.cbrc)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const first = await raiseOverdueAlerts(db, system("scheduler"));
    expect(first.cases).toBeGreaterThanOrEqual(1);
    expect(first.rectifications).toBe(1);
    expect(await raiseOverdueAlerts(db, system("scheduler"))).toEqual({ cases: 0, rectifications: 0 });
    expect((await unread(u.pbc)).filter((n) => n.kind === "case.overdue").map((n) => n.title)).toContain(
      `Case ${c.id} is overdue: Late`,
    );
    expect((await unread(u.bankA)).map((n) => n.kind)).toContain("rectification.overdue");
    const overdue = await listCases(db, u.cbrc, listCasesQuery.parse({ overdue: "true" }));
    expect(overdue.items.map((x) => x.id)).toContain(c.id);
  });

  test("lists show each unit its sectors and cases, a district office its districts, auditors everything", async () => {
    const cbB = await createCase(db, u.cbrc, {
      title: "Jiangbei bank",
      source: { kind: "manual", ref: "jb" },
      institution: inst.bankB,
    });
    const q = (x: object = {}) => listCasesQuery.parse(x);
    const all = await listCases(db, u.auditor, q({ pageSize: 500 }));
    const cbrc = await listCases(db, u.cbrc, q({ pageSize: 500 }));
    expect(cbrc.items.every((c) => ["banking", "trust", "internet_finance"].includes(c.sector))).toBe(true);
    expect(cbrc.total).toBeLessThan(all.total);
    expect((await listCases(db, u.circ, q())).total).toBe(0);
    const jb = await listCases(db, u.cbrcJiangbei, q());
    expect(jb.items.map((c) => c.id)).toEqual([cbB.id]);
    const sorted = await listCases(db, u.auditor, q({ sort: "title", order: "asc", pageSize: 500 }));
    expect(sorted.items.map((c) => c.title)).toEqual(
      [...sorted.items.map((c) => c.title)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    expect(() => q({ sort: "title; drop table cases" })).toThrow();
    expect((await listCases(db, u.auditor, q({ q: "%' or 1=1 --" }))).total).toBe(0);
    await expect(listCases(db, u.bankA, q())).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db.query<{ n: string }>("select count(*)::text as n from cases"))[0]!.n).toBe(
      String(all.total),
    );
  });

  test("pages split the ordered list and each carries the whole total; cases without a due date sort last", async () => {
    const q = (x: object = {}) => listCasesQuery.parse(x);
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    for (const [title, dueAt] of [
      ["Due later", later],
      ["Due soon", soon],
    ] as const)
      await createCase(db, u.cbrc, {
        title,
        source: { kind: "manual", ref: title },
        institution: inst.bankB,
        dueAt,
      });
    const all = await listCases(db, u.auditor, q({ pageSize: 500 }));
    const ids = all.items.map((c) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const pageSize = Math.ceil(all.total / 3);
    const pages = await Promise.all([1, 2, 3].map((page) => listCases(db, u.auditor, q({ pageSize, page }))));
    expect(pages.map((p) => p.total)).toEqual([all.total, all.total, all.total]);
    expect(pages.flatMap((p) => p.items.map((c) => c.id))).toEqual(ids);
    expect(await listCases(db, u.auditor, q({ pageSize, page: 4 }))).toMatchObject({
      items: [],
      total: all.total,
    });
    for (const order of ["asc", "desc"]) {
      const dues = (await listCases(db, u.auditor, q({ sort: "due_at", order, pageSize: 500 }))).items.map(
        (c) => c.dueAt,
      );
      const dated = dues.filter((d) => d !== null);
      expect(dated.length).toBeGreaterThanOrEqual(2);
      expect(dues.slice(0, dated.length)).toEqual(dated);
      expect(dated).toEqual([...dated].sort((a, b) => (order === "asc" ? 1 : -1) * a!.localeCompare(b!)));
    }
  });
});
