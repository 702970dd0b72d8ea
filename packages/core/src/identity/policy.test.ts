import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sectors } from "../contract/institution-types.ts";
import type { Db } from "../db/client.ts";
import { testDb } from "../testing/db.ts";
import { type Action, actionRules, authorize, type Resource, scopeOf } from "./policy.ts";
import { anonymous, system, type UserPrincipal } from "./roles.ts";
import { binder, scopeSql } from "./scope-sql.ts";
import { inst } from "./test-support.ts";

const user = (role: UserPrincipal["role"], extra: Partial<UserPrincipal> = {}): UserPrincipal => ({
  kind: "user",
  userId: 7,
  username: role,
  role,
  unit: null,
  institution: null,
  districts: null,
  via: "session",
  ...extra,
});

const admin = user("admin");
const auditor = user("auditor");
const cbrc = user("lead_supervisor", { unit: "cbrc_cq" });
const cbrcYuzhong = user("lead_supervisor", { unit: "cbrc_cq", districts: ["渝中区"] });
const aic = user("coordinating_supervisor", { unit: "aic_cq" });
const finance = user("finance_office", { unit: "finance_office" });
const bankA = user("institution", { institution: inst.bankA });
const bankToken = { ...bankA, via: "token" as const, tokenId: 1, tokenScopes: ["uploads" as const] };

const data = (r: Omit<Resource & { kind: "data" }, "kind">): Resource => ({ kind: "data", ...r });

describe("authorize", () => {
  test.each<[string, Parameters<typeof authorize>[0], Action, Resource, boolean]>([
    ["anyone checks health", anonymous, "system.health", { kind: "none" }, true],
    ["anonymous reads nothing else", anonymous, "cases.list", { kind: "collection" }, false],
    ["the CLI may do anything", system("cli"), "users.create", { kind: "none" }, true],
    [
      "an auditor reads every case",
      auditor,
      "cases.read",
      data({ sector: "insurance", ownerUnit: "circ_cq" }),
      true,
    ],
    [
      "an auditor changes nothing",
      auditor,
      "cases.comment",
      data({ sector: "banking", ownerUnit: "cbrc_cq" }),
      false,
    ],
    ["an auditor reads the audit log", auditor, "audit.read", { kind: "none" }, true],
    ["an administrator manages users", admin, "users.create", { kind: "none" }, true],
    ["an administrator does not read case files", admin, "cases.read", data({ sector: "banking" }), false],
    [
      "the banking bureau sees a banking case",
      cbrc,
      "cases.read",
      data({ sector: "banking", ownerUnit: "pbc_cq" }),
      true,
    ],
    ["it sees trust, which it co-leads", cbrc, "cases.read", data({ sector: "trust" }), true],
    [
      "it sees internet finance, which it coordinates",
      cbrc,
      "cases.read",
      data({ sector: "internet_finance" }),
      true,
    ],
    [
      "it does not see insurance",
      cbrc,
      "cases.read",
      data({ sector: "insurance", ownerUnit: "circ_cq" }),
      false,
    ],
    [
      "unless it was made a coordinating unit of the case",
      cbrc,
      "cases.read",
      data({ sector: "insurance", units: ["cbrc_cq"] }),
      true,
    ],
    ["it opens cases in sectors it leads", cbrc, "cases.create", data({ sector: "banking" }), true],
    [
      "but not in sectors it only coordinates",
      cbrc,
      "cases.create",
      data({ sector: "internet_finance" }),
      false,
    ],
    [
      "only the owner moves a case on",
      cbrc,
      "cases.transition",
      data({ sector: "banking", ownerUnit: "pbc_cq" }),
      false,
    ],
    ["the owner does", cbrc, "cases.transition", data({ sector: "banking", ownerUnit: "cbrc_cq" }), true],
    [
      "a coordinating unit comments on cases it is on",
      aic,
      "cases.comment",
      data({ sector: "local_finance", ownerUnit: "finance_office", units: ["aic_cq"] }),
      true,
    ],
    [
      "and not on those it is not on",
      aic,
      "cases.comment",
      data({ sector: "local_finance", ownerUnit: "finance_office", units: [] }),
      false,
    ],
    [
      "a coordinating supervisor opens no case",
      aic,
      "cases.create",
      data({ sector: "local_finance" }),
      false,
    ],
    [
      "a district office sees its district",
      cbrcYuzhong,
      "institutions.read",
      data({ sector: "banking", district: "渝中区", institution: inst.bankA }),
      true,
    ],
    [
      "and not another",
      cbrcYuzhong,
      "institutions.read",
      data({ sector: "banking", district: "江北区", institution: inst.bankB }),
      false,
    ],
    [
      "a unit may not list every institution unfiltered",
      cbrc,
      "institutions.list",
      { kind: "everything" },
      false,
    ],
    ["an auditor may", auditor, "institutions.list", { kind: "everything" }, true],
    [
      "an institution reads itself",
      bankA,
      "institutions.read",
      data({ institution: inst.bankA, sector: "banking" }),
      true,
    ],
    ["and no other", bankA, "institutions.read", data({ institution: inst.bankB, sector: "banking" }), false],
    [
      "an institution reads no case",
      bankA,
      "cases.read",
      data({ institution: inst.bankA, sector: "banking" }),
      false,
    ],
    [
      "an institution answers its own rectification",
      bankA,
      "rectifications.respond",
      data({ institution: inst.bankA }),
      true,
    ],
    ["and not another's", bankA, "rectifications.respond", data({ institution: inst.bankB }), false],
    ["an upload token uploads", bankToken, "uploads.create", { kind: "none" }, true],
    [
      "an upload token reads nothing",
      bankToken,
      "institutions.read",
      data({ institution: inst.bankA, sector: "banking" }),
      false,
    ],
    [
      "an upload token files no event",
      bankToken,
      "events.file",
      data({ institution: inst.bankA, sector: "banking" }),
      false,
    ],
    [
      "a token never issues tokens",
      { ...bankToken, tokenScopes: ["uploads", "filings", "events", "read"] },
      "tokens.create",
      { kind: "none" },
      false,
    ],
    ["the finance office sees every event", finance, "events.read", data({ sector: "insurance" }), true],
    ["but not every case", finance, "cases.read", data({ sector: "insurance" }), false],
    [
      "a unit acknowledges an event it is in the chain of",
      aic,
      "events.acknowledge",
      data({ sector: "local_finance", units: ["finance_office", "aic_cq"] }),
      true,
    ],
    [
      "and no other",
      aic,
      "events.acknowledge",
      data({ sector: "local_finance", units: ["finance_office"] }),
      false,
    ],
    ["a user revokes their own token", bankA, "tokens.revoke", data({ ownerUserId: 7 }), true],
    ["and not someone else's", bankA, "tokens.revoke", data({ ownerUserId: 8 }), false],
    ["an administrator revokes any", admin, "tokens.revoke", data({ ownerUserId: 8 }), true],
    ["an unknown action is denied", admin, "nope" as Action, { kind: "none" }, false],
    // Local finance: the finance office leads; a district office acts on its own districts' campaign targets.
    [
      "the finance office runs the fund-raising index",
      finance,
      "localfinance.manage",
      data({ sector: "local_finance" }),
      true,
    ],
    ["the banking bureau does not", cbrc, "localfinance.manage", data({ sector: "local_finance" }), false],
    [
      "a coordinating unit reads local finance",
      aic,
      "localfinance.read",
      data({ sector: "local_finance" }),
      true,
    ],
    ["but does not run its campaigns", aic, "campaigns.manage", data({ sector: "local_finance" }), false],
    ["an auditor reads campaigns", auditor, "campaigns.read", data({ sector: "local_finance" }), true],
    [
      "a district finance office advances a target in its district",
      user("finance_office", { unit: "finance_office", districts: ["渝北区"] }),
      "campaigns.manage",
      data({ sector: "local_finance", district: "渝北区" }),
      true,
    ],
    [
      "but not one in another district",
      user("finance_office", { unit: "finance_office", districts: ["渝北区"] }),
      "campaigns.manage",
      data({ sector: "local_finance", district: "江北区" }),
      false,
    ],
    // Detectors: runs are an operator's; findings are read within scope, also through a read token.
    ["an administrator runs the detectors", admin, "detect.run", { kind: "none" }, true],
    ["a supervisor does not", cbrc, "detect.run", { kind: "none" }, false],
    [
      "an institution reads findings about itself",
      bankA,
      "findings.read",
      data({ institution: inst.bankA }),
      true,
    ],
    [
      "not about another",
      bankA,
      "findings.read",
      data({ institution: inst.bankB, sector: "banking" }),
      false,
    ],
    ["nor with an upload-only token", bankToken, "findings.read", data({ institution: inst.bankA }), false],
    ["the banking bureau reads all check results it sees", cbrc, "checks.read", { kind: "collection" }, true],
    ["an institution reads no check results", bankA, "checks.read", { kind: "collection" }, false],
  ])("%s", (_name, principal, action, resource, allowed) => {
    expect(authorize(principal, action, resource).allowed).toBe(allowed);
  });

  test("a denial says why, and anonymous callers are told to sign in (401)", () => {
    expect(authorize(anonymous, "cases.list", { kind: "collection" })).toEqual({
      allowed: false,
      status: 401,
      reason: "sign in first",
    });
    expect(authorize(auditor, "cases.create", { kind: "collection" })).toMatchObject({
      status: 403,
      reason: "the auditor role may not cases.create",
    });
  });

  test("no rule lets an auditor write", () => {
    for (const [action, rule] of Object.entries(actionRules)) {
      if (rule.write)
        expect(authorize(auditor, action as Action, { kind: "collection" }).allowed, action).toBe(false);
    }
  });
});

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => db.close());

describe("list filters agree with authorize", () => {
  test("for every principal and read action, the SQL scope returns exactly the rows authorize allows", async () => {
    await db.exec(
      "create temp table res (id serial primary key, institution text, sector text, district text, owner_unit text, units text[])",
    );
    const rows: Omit<Resource & { kind: "data" }, "kind">[] = [];
    for (const institution of [inst.bankA, inst.loanC, null])
      for (const sector of sectors)
        for (const district of ["渝中区", "江北区", null])
          for (const ownerUnit of [null, "cbrc_cq", "finance_office", "aic_cq"] as const)
            for (const units of [[], ["aic_cq"], ["csrc_cq", "pbc_cq"]] as const)
              rows.push({ institution, sector, district, ownerUnit, units });
    await db.query(
      "insert into res (institution, sector, district, owner_unit) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])",
      [
        rows.map((r) => r.institution),
        rows.map((r) => r.sector),
        rows.map((r) => r.district),
        rows.map((r) => r.ownerUnit),
      ],
    );
    // unnest cannot spread a text[][] ragged list: set units per row id instead.
    for (const [i, r] of rows.entries())
      if (r.units!.length) await db.query("update res set units = $2 where id = $1", [i + 1, r.units]);
    await db.query("update res set units = '{}' where units is null");
    const pairs: [Action, Action][] = [
      ["cases.list", "cases.read"],
      ["events.list", "events.read"],
      ["filings.list", "filings.read"],
      ["feed.read", "feed.read"],
      ["rectifications.list", "rectifications.list"],
    ];
    const sizes = new Map<string, number>();
    for (const p of [admin, auditor, cbrc, cbrcYuzhong, aic, finance, bankA]) {
      for (const [list, read] of pairs) {
        const { params, bind } = binder();
        const where = scopeSql(
          scopeOf(p, list),
          {
            institution: "institution",
            sector: "sector",
            district: "district",
            ownerUnit: "owner_unit",
            units: "units",
          },
          bind,
        );
        const got = (
          await db.query<{ id: number }>(`select id from res where ${where} order by res.id`, params)
        ).map((r) => r.id);
        const want = rows.flatMap((r, i) =>
          authorize(p, read, { kind: "data", ...r }).allowed ? [i + 1] : [],
        );
        expect(got, `${p.role} ${p.unit ?? p.institution ?? ""} ${list}`).toEqual(want);
        sizes.set(`${p.role}:${p.districts ? "district" : ""}:${list}`, got.length);
      }
    }
    // Not trivially equal: scoped principals see some rows and not others.
    expect(sizes.get("auditor::cases.list")).toBe(rows.length);
    expect(sizes.get("admin::cases.list")).toBe(0);
    for (const k of [
      "lead_supervisor::cases.list",
      "lead_supervisor:district:cases.list",
      "coordinating_supervisor::events.list",
      "institution::filings.list",
    ]) {
      expect(sizes.get(k), k).toBeGreaterThan(0);
      expect(sizes.get(k), k).toBeLessThan(rows.length);
    }
    expect(sizes.get("lead_supervisor:district:cases.list")).toBeLessThan(
      sizes.get("lead_supervisor::cases.list")!,
    );
  });
});
