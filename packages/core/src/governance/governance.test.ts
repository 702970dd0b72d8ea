import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { defineCatalog } from "../rules/catalog.ts";
import { decimalParam, defineParams } from "../rules/params.ts";
import { thresholdRule } from "../rules/threshold-rule.ts";
import type { LegalBasis } from "../rules/types.ts";
import { testDb } from "../testing/db.ts";
import { decideParamProposal } from "./decide-param-proposal.ts";
import { diffParams } from "./diff-params.ts";
import { getRule } from "./get-rule.ts";
import { listParamProposals } from "./list-param-proposals.ts";
import { listRules } from "./list-rules.ts";
import { loadParamsInForce, resolveInForce, resolveInstant } from "./params-in-force.ts";
import { proposeParamChange } from "./propose-param-change.ts";

// A one-rule catalog built with the rule API, so governance is tested without the regulatory pack.
const basis: LegalBasis = {
  document: { en: "Test law", zh: "测试法" },
  issuer: { en: "Test issuer", zh: "测试机关" },
  year: 2020,
  sources: ["S0"],
  status: "S",
};
const nplRule = thresholdRule({
  id: "test.npl",
  version: 1,
  zh: "不良贷款率",
  en: "NPL ratio",
  family: "test",
  severity: "high",
  appliesTo: { types: ["bank"] },
  effective: { from: "2000-01-01" },
  legalBasis: [basis],
  leadUnit: "cbrc_cq",
  params: defineParams(
    {
      maximum: decimalParam("0.05", { status: "confirmed", en: "Maximum", zh: "上限" }),
      warning: decimalParam("0.04", {
        status: "to_confirm",
        en: "Warning line",
        zh: "预警线",
        note: "weak source",
      }),
    },
    (p) =>
      Number(p.warning) >= Number(p.maximum)
        ? { param: "warning", message: "must be below the maximum" }
        : undefined,
  ),
  metric: "BANK_NPL_RATIO",
  comparator: "<=",
  regulatory: "maximum",
  warning: "warning",
});
const catalog = defineCatalog("test", [nplRule], []);

let db: Db;
let today: string;
const alice = { name: "alice" };
const bob = { name: "bob" };
const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  db = await testDb();
  const [r] = await db.query<{ d: string }>("select ((now() at time zone 'UTC')::date)::text as d");
  today = r!.d;
});
afterAll(async () => db.close());

const valueAt = async (at: string) => {
  const inForce = await loadParamsInForce(db, catalog, at);
  return resolveInForce(catalog, inForce).resolved.get("test.npl");
};

describe("governed parameters (maker-checker)", () => {
  test("a proposal changes nothing until another user approves it; the proposer cannot", async () => {
    const p = await proposeParamChange(db, catalog, alice, {
      ruleId: "test.npl",
      param: "maximum",
      value: "0.045",
      reason: "Tighter NPL line decided by the board",
      effectiveFrom: today,
    });
    expect(p).toMatchObject({ status: "pending", proposedBy: "alice", value: "0.045", ruleVersion: 1 });
    expect((await valueAt(await resolveInstant(db, undefined)))?.maximum).toBe("0.05");

    await expect(
      decideParamProposal(db, catalog, alice, p.id, { decision: "approve" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/alice proposed change \d+ and cannot approve it/),
    });
    await expect(decideParamProposal(db, catalog, alice, p.id, { decision: "reject" })).rejects.toMatchObject(
      {
        code: "FORBIDDEN",
      },
    );
    // The database refuses it too, whoever writes the row.
    await expect(
      db.query(
        "insert into param_decisions (proposal_id, decision, decided_by) values ($1, 'approved', 'alice')",
        [p.id],
      ),
    ).rejects.toThrow(/its proposer cannot decide it/);

    const before = await resolveInstant(db, undefined);
    const approved = await decideParamProposal(db, catalog, bob, p.id, {
      decision: "approve",
      note: "checked",
    });
    expect(approved).toMatchObject({ status: "approved", decidedBy: "bob", note: "checked" });
    expect((await valueAt(await resolveInstant(db, undefined)))?.maximum).toBe("0.045");
    // The set in force just before the approval is still the default: results then stay reproducible.
    expect((await valueAt(before))?.maximum).toBe("0.05");

    await expect(
      decideParamProposal(db, catalog, { name: "carol" }, p.id, { decision: "reject" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // Nothing is edited in place.
    await expect(
      db.query("update param_proposals set value = '\"0.5\"' where id = $1", [p.id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query("delete from param_decisions where proposal_id = $1", [p.id])).rejects.toThrow(
      /append-only/,
    );
    const audit = await db.query<{ action: string; actor: string; subject_id: string }>(
      "select action, actor, subject_id from audit_log where subject_kind = 'param_proposal' and subject_id = $1 order by seq",
      [String(p.id)],
    );
    expect(audit).toEqual([
      { action: "param.proposed", actor: "alice", subject_id: String(p.id) },
      { action: "param.approved", actor: "bob", subject_id: String(p.id) },
    ]);
  });

  test("a change takes effect on its effective date, and the set at any date is rebuilt from history", async () => {
    const from = plusDays(today, 30);
    const p = await proposeParamChange(db, catalog, bob, {
      ruleId: "test.npl",
      param: "warning",
      value: 0.03,
      reason: "Earlier warning from next month",
      effectiveFrom: from,
    });
    expect(p.value).toBe("0.03");
    await decideParamProposal(db, catalog, alice, p.id, { decision: "approve" });
    expect(await valueAt(await resolveInstant(db, plusDays(from, -1)))).toEqual({
      maximum: "0.045",
      warning: "0.04",
    });
    expect(await valueAt(await resolveInstant(db, from))).toEqual({ maximum: "0.045", warning: "0.03" });
    expect(await diffParams(db, catalog, { from: plusDays(from, -1), to: from })).toEqual([
      {
        ruleId: "test.npl",
        param: "warning",
        from: "0.04",
        to: "0.03",
        fromProposal: null,
        toProposal: p.id,
      },
    ]);
    const rule = await getRule(db, catalog, "test.npl", { asOf: from });
    expect(rule.params.map((x) => [x.name, x.value, x.status, x.governed?.proposalId ?? null])).toEqual([
      ["maximum", "0.045", "confirmed", rule.history.find((h) => h.param === "maximum")!.id],
      ["warning", "0.03", "confirmed", p.id],
    ]);
    const now = await listRules(db, catalog);
    expect(now.rules[0]!.params.find((x) => x.name === "warning")).toMatchObject({
      value: "0.04",
      status: "to_confirm",
    });
  });

  test("refused proposals: unknown rule or parameter, a value the schema refuses, the past, no change", async () => {
    const base = { reason: "A good reason", effectiveFrom: plusDays(today, 60) };
    await expect(
      proposeParamChange(db, catalog, alice, { ...base, ruleId: "test.nope", param: "maximum", value: "1" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining('unknown rule "test.nope"'),
    });
    await expect(
      proposeParamChange(db, catalog, alice, { ...base, ruleId: "test.npl", param: "minimum", value: "1" }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: "test.npl.minimum: unknown parameter (the rule has maximum, warning)",
    });
    await expect(
      proposeParamChange(db, catalog, alice, {
        ...base,
        ruleId: "test.npl",
        param: "maximum",
        value: "five",
      }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("test.npl.maximum: expected a non-negative decimal"),
    });
    // Checked with the other values in force then: a warning line above the maximum.
    await expect(
      proposeParamChange(db, catalog, alice, {
        ...base,
        ruleId: "test.npl",
        param: "warning",
        value: "0.046",
      }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("test.npl.warning: must be below the maximum"),
    });
    await expect(
      proposeParamChange(db, catalog, alice, {
        ...base,
        effectiveFrom: plusDays(today, -1),
        ruleId: "test.npl",
        param: "maximum",
        value: "0.06",
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("is in the past") });
    await expect(
      proposeParamChange(db, catalog, alice, {
        ...base,
        ruleId: "test.npl",
        param: "maximum",
        value: "0.045",
      }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("already the value in force"),
    });
    await expect(
      proposeParamChange(db, catalog, alice, {
        ...base,
        reason: " ",
        ruleId: "test.npl",
        param: "maximum",
        value: "0.06",
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("reason") });
  });

  test("a rejected proposal stays in history and never takes effect; lists filter by status and rule", async () => {
    const p = await proposeParamChange(db, catalog, alice, {
      ruleId: "test.npl",
      param: "maximum",
      value: "0.2",
      reason: "Far too loose, to be rejected",
      effectiveFrom: today,
    });
    const pending = await listParamProposals(db, { status: "pending" });
    expect(pending.map((x) => x.id)).toEqual([p.id]);
    expect(
      (await listRules(db, catalog)).rules[0]!.params.find((x) => x.name === "maximum")!.pending,
    ).toEqual([{ id: p.id, value: "0.2", effectiveFrom: today, proposedBy: "alice" }]);
    const rejected = await decideParamProposal(db, catalog, bob, p.id, { decision: "reject", note: "no" });
    expect(rejected.status).toBe("rejected");
    expect((await valueAt(await resolveInstant(db, undefined)))?.maximum).toBe("0.045");
    expect((await listParamProposals(db, { status: "rejected", rule: "test.npl" })).map((x) => x.id)).toEqual(
      [p.id],
    );
    await expect(
      decideParamProposal(db, catalog, bob, 999_999, { decision: "approve" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  test("as-of values: a date is the end of that day (UTC); anything else is refused with its name", async () => {
    expect(await resolveInstant(db, "2026-03-01")).toMatch(/^2026-03-01T23:59:59\.999999/);
    await expect(resolveInstant(db, "2026-02-30", "--as-of")).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining('--as-of "2026-02-30" is neither a date'),
    });
    await expect(resolveInstant(db, "2026-03-01T10:00:00", "--as-of")).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });
});
