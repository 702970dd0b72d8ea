import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db, Sql } from "../db/client.ts";
import { system } from "../identity/roles.ts";
import { inst, seedInstitutions, seedUser } from "../identity/test-support.ts";
import { testDb } from "../testing/db.ts";
import { appendAudit } from "./append-audit.ts";
import { entryHash } from "./canonical.ts";
import { checkProof } from "./check-proof.ts";
import { inclusionPath, merkleRoot, verifyInclusion } from "./merkle.ts";
import { proveEntry } from "./prove-entry.ts";
import { recordFiling } from "./record-filing.ts";
import { checkpointEvery, sealAudit } from "./seal-audit.ts";
import { verifyAudit } from "./verify-audit.ts";

const leafOf = (i: number) => createHash("sha256").update(String(i)).digest("hex");

describe("Merkle tree (RFC 9162)", () => {
  test("every leaf of every tree size up to 70 proves against the root, and only there", () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafOf(i));
      const root = merkleRoot(leaves);
      for (let m = 0; m < n; m++) {
        const path = inclusionPath(leaves, m);
        expect(verifyInclusion(leaves[m]!, m, n, path, root)).toBe(true);
        expect(verifyInclusion(leafOf(1000), m, n, path, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leaves[m]!, (m + 1) % n, n, path, root)).toBe(false);
      }
    }
  });

  test("a one-leaf tree's root is the leaf hash with its prefix, not the leaf itself", () => {
    const leaf = leafOf(1);
    expect(merkleRoot([leaf])).toBe(
      createHash("sha256")
        .update(Buffer.concat([Buffer.from([0]), Buffer.from(leaf, "hex")]))
        .digest("hex"),
    );
  });
});

let db: Db;
/** Rolls back whatever `fn` does: each tampering scenario starts from the same untouched log. */
const tamper = async (fn: (tx: Sql) => Promise<void>) => {
  let result: Awaited<ReturnType<typeof verifyAudit>> | undefined;
  await expect(
    db.transaction(async (tx) => {
      await tx.exec(
        "alter table audit_log disable trigger audit_log_append_only; alter table audit_checkpoints disable trigger audit_checkpoints_append_only",
      );
      await fn(tx);
      result = await verifyAudit(tx, { pageSize: 37 });
      throw new Error("rollback");
    }),
  ).rejects.toThrow("rollback");
  return result!;
};

beforeAll(async () => {
  db = await testDb();
  await seedInstitutions(db);
  for (let i = 1; i <= 150; i++) {
    await appendAudit(db, {
      actor: system("test"),
      action: "test.appended",
      subjectKind: "test",
      subjectId: i,
      detail: { i, nested: { b: 2, a: [1, "x"] } },
    });
  }
});
afterAll(async () => db.close());

describe("audit log", () => {
  test("entries chain from 1 and a checkpoint is sealed every 64 entries; sealing covers the rest", async () => {
    const cps = await db.query<{ id: string; from_seq: string; to_seq: string }>(
      "select id::text, from_seq::text, to_seq::text from audit_checkpoints order by audit_checkpoints.id",
    );
    expect(cps.map((c) => [Number(c.from_seq), Number(c.to_seq)])).toEqual([
      [1, checkpointEvery],
      [checkpointEvery + 1, 2 * checkpointEvery],
    ]);
    const v = await verifyAudit(db, { pageSize: 37 });
    expect(v).toMatchObject({
      ok: true,
      entries: 150,
      lastSeq: 150,
      checkpoints: 2,
      unsealed: 150 - 128,
      problems: [],
    });
  });

  test("the database refuses to update, delete or truncate the log and its checkpoints", async () => {
    await expect(db.query("update audit_log set actor = 'x' where seq = 1")).rejects.toThrow(/append-only/);
    await expect(db.query("delete from audit_log where seq = 150")).rejects.toThrow(/append-only/);
    await expect(db.query("truncate audit_log cascade")).rejects.toThrow(/append-only/);
    await expect(db.query("delete from audit_checkpoints")).rejects.toThrow(/append-only/);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  test("an entry altered in place is named", async () => {
    const v = await tamper(async (tx) => {
      await tx.query(`update audit_log set detail = '{"i":999}' where seq = 10`);
    });
    expect(v.ok).toBe(false);
    // The stored hash still seals the checkpoint: the entry's own hash check is what names it.
    expect(v.problems).toEqual([
      expect.objectContaining({
        kind: "altered",
        seq: 10,
        message: "entry 10 was altered: its content no longer matches its hash",
      }),
    ]);
  });

  test("an entry altered with its own hash recomputed is named by the broken link after it", async () => {
    const v = await tamper(async (tx) => {
      const [e] = await tx.query<Record<string, string>>(
        `select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, actor, action, subject_kind, subject_id, prev_hash from audit_log where seq = 70`,
      );
      const forged = {
        at: e!.at!,
        actor: "mallory",
        action: e!.action!,
        subjectKind: e!.subject_kind!,
        subjectId: e!.subject_id!,
        detail: "{}",
        prevHash: e!.prev_hash!,
      };
      await tx.query("update audit_log set actor = $1, detail = $2, hash = $3 where seq = 70", [
        "mallory",
        "{}",
        entryHash(forged),
      ]);
    });
    expect(v.problems[0]).toMatchObject({ kind: "broken_link", seq: 70 });
    expect(v.problems[0]!.message).toMatch(/entry 70 was replaced/);
  });

  test("a deleted entry is named, in the middle and at the sealed end", async () => {
    const middle = await tamper(async (tx) => {
      await tx.query("delete from audit_log where seq = 20");
    });
    expect(middle.problems[0]).toMatchObject({
      kind: "deleted",
      seq: 20,
      message: "entry 20 is missing: it was deleted",
    });
    const first = await tamper(async (tx) => {
      await tx.query("delete from audit_log where seq <= 2");
    });
    expect(first.problems[0]).toMatchObject({
      kind: "deleted",
      seq: 1,
      message: "entries 1 to 2 are missing: they were deleted",
    });
  });

  test("an inserted entry is named even when later entries are renumbered to make room", async () => {
    const v = await tamper(async (tx) => {
      await tx.query("update audit_log set seq = seq + 1000000 where seq >= 30");
      await tx.query("update audit_log set seq = seq - 1000000 + 1 where seq > 1000000");
      const [prev] = await tx.query<{ hash: string }>("select hash from audit_log where seq = 29");
      const forged = {
        at: "2026-01-01T00:00:00.000Z",
        actor: "mallory",
        action: "test.appended",
        subjectKind: "test",
        subjectId: "x",
        detail: "{}",
        prevHash: prev!.hash,
      };
      await tx.query(
        "insert into audit_log (seq, at, actor, action, subject_kind, subject_id, detail, prev_hash, hash) values (30, $1, $2, $3, $4, $5, $6, $7, $8)",
        [
          forged.at,
          forged.actor,
          forged.action,
          forged.subjectKind,
          forged.subjectId,
          forged.detail,
          forged.prevHash,
          entryHash(forged),
        ],
      );
    });
    expect(v.problems[0]).toMatchObject({ kind: "inserted", seq: 30 });
  });

  test("a rewritten chain is caught by the sealed roots and by a published head", async () => {
    const [head] = await db.query<{ id: string; hash: string }>(
      "select id::text, hash from audit_checkpoints order by audit_checkpoints.id desc limit 1",
    );
    const v = await tamper(async (tx) => {
      // Rewrite entry 5 and re-chain everything after it, as someone with full write access could.
      const rows = await tx.query<Record<string, string>>(
        `select seq::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, actor, action, subject_kind, subject_id, detail from audit_log where seq >= 5 order by audit_log.seq`,
      );
      let [{ hash: prev }] = (await tx.query<{ hash: string }>(
        "select hash from audit_log where seq = 4",
      )) as [{ hash: string }];
      for (const r of rows) {
        const e = {
          at: r.at!,
          actor: r.actor!,
          action: r.action!,
          subjectKind: r.subject_kind!,
          subjectId: r.subject_id!,
          detail: r.seq === "5" ? "{}" : r.detail!,
          prevHash: prev,
        };
        const h = entryHash(e);
        await tx.query("update audit_log set detail = $2, prev_hash = $3, hash = $4 where seq = $1", [
          r.seq,
          e.detail,
          prev,
          h,
        ]);
        prev = h;
      }
    });
    expect(v.problems.filter((p) => p.kind !== "checkpoint")).toEqual([]);
    expect(v.problems[0]).toMatchObject({ kind: "checkpoint", checkpoint: 1 });
    expect(v.problems[0]!.message).toMatch(/entries 1 to 64 no longer match/);
    const withHead = await verifyAudit(db, { expect: { checkpoint: Number(head!.id), hash: head!.hash } });
    expect(withHead.ok).toBe(true);
    const wrongHead = await verifyAudit(db, {
      expect: { checkpoint: Number(head!.id), hash: "0".repeat(64) },
    });
    expect(wrongHead.problems[0]!.message).toMatch(/differs from the published head/);
  });

  test("an entry's inclusion proof checks without the database; a doctored one does not", async () => {
    const proof = await proveEntry(db, 100);
    expect(proof).toMatchObject({
      leafIndex: 100 - 65,
      treeSize: 64,
      checkpoint: { id: 2, fromSeq: 65, toSeq: 128 },
    });
    expect(checkProof(proof)).toEqual({ valid: true, problems: [] });
    const doctored = structuredClone(proof);
    doctored.entry.detail = '{"i":1}';
    expect(checkProof(doctored).valid).toBe(false);
    const badPath = structuredClone(proof);
    badPath.path[0] = "0".repeat(64);
    expect(checkProof(badPath).problems).toEqual(["the audit path does not lead to checkpoint 2's root"]);
    await expect(proveEntry(db, 140)).rejects.toThrow(/not sealed yet/);
    await expect(proveEntry(db, 99_999)).rejects.toThrow(/no audit entry/);
  });

  test("a filing goes into the ledger and the log together, and is provable once sealed", async () => {
    const submitter = await seedUser(db, "bank-a-filer", "institution", { institution: inst.bankA });
    const f = await recordFiling(db, submitter, {
      productCode: "WM-2026-001",
      productName: "稳健理财 2026 第1期",
      productKind: "wealth_management",
      description: "<script>alert(1)</script>",
      launchDate: "2026-10-01",
    });
    expect(f).toMatchObject({
      institution: inst.bankA,
      productCode: "WM-2026-001",
      description: "<script>alert(1)</script>",
    });
    const [entry] = await db.query<{ action: string; detail: string }>(
      "select action, detail from audit_log where seq = $1",
      [f.auditSeq],
    );
    expect(entry!.action).toBe("filing.recorded");
    expect(JSON.parse(entry!.detail)).toMatchObject({ productCode: "WM-2026-001", institution: inst.bankA });
    await expect(
      recordFiling(db, submitter, {
        productCode: "X",
        productName: "x",
        productKind: "other",
        institution: inst.bankB,
      }),
    ).rejects.toThrow(/only for itself/);
    await expect(
      recordFiling(db, submitter, { productCode: "X", productName: "x", productKind: "other", amends: f.id }),
    ).rejects.toThrow(/no filing/);
    await expect(db.query("update product_filings set product_name = 'x'")).rejects.toThrow(/append-only/);
    const cp = await sealAudit(db);
    expect(cp!.toSeq).toBeGreaterThanOrEqual(f.auditSeq);
    expect(checkProof(await proveEntry(db, f.auditSeq)).valid).toBe(true);
    expect(await sealAudit(db)).toBeNull();
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
