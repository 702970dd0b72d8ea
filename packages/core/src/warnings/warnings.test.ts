import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { decideParamProposal } from "../governance/decide-param-proposal.ts";
import { proposeParamChange } from "../governance/propose-param-change.ts";
import { type Principal, system, type UserPrincipal } from "../identity/roles.ts";
import { seedUser } from "../identity/test-support.ts";
import type { ScoreRow } from "../scoring/compute-scores.ts";
import { getScores } from "../scoring/get-scores.ts";
import { defaultScoringParams } from "../scoring/params.ts";
import { scoreMonths } from "../scoring/score-months.ts";
import { scoringCatalog, scoringParamsInForce, scoringRuleId } from "../scoring/scoring-catalog.ts";
import { findingsSource } from "../scoring/signals.ts";
import { insertReturns, syntheticBanks, testCatalog } from "../scoring/test-support.ts";
import { testDb } from "../testing/db.ts";
import { testCreditCode } from "../testing/fixtures.ts";
import { getWarning } from "./get-warning.ts";
import { listWarnings } from "./list-warnings.ts";
import { openCaseForWarning } from "./open-case-for-warning.ts";
import { runEarlyWarning } from "./run-early-warning.ts";
import { transitionWarning } from "./transition-warning.ts";
import { updateWarnings } from "./update-warnings.ts";

let db: Db;
const dataDir = mkdtempSync(join(tmpdir(), "warnings-data-"));
const op: Principal = system("test");
const u = {} as Record<"cbrc" | "circ" | "auditor" | "bankUser", UserPrincipal>;
const province = syntheticBanks({
  banks: 10,
  from: "2023-01",
  to: "2025-12",
  seed: 21,
  failing: [{ bank: 2, start: "2024-09", end: "2025-10" }],
});
const failing = province.registry[2]!.code;
const calm = province.registry[4]!.code;

beforeAll(async () => {
  db = await testDb();
  await insertReturns(db, province.registry, province.facts);
  u.cbrc = await seedUser(db, "cbrc-lead", "lead_supervisor", { unit: "cbrc_cq" });
  u.circ = await seedUser(db, "circ-lead", "lead_supervisor", { unit: "circ_cq" });
  u.auditor = await seedUser(db, "auditor", "auditor");
  u.bankUser = await seedUser(db, "bank-user", "institution", { institution: failing });
});
afterAll(async () => db.close());

const row = (institution: string, period: string, score: number, level: ScoreRow["level"]): ScoreRow => ({
  institution,
  period,
  score,
  level,
  components: {
    breach: score,
    distance: 0,
    trend: 0,
    peer: 0,
    timeliness: 0,
    data_quality: 0,
    findings: 0,
    anomalies: 0,
    systemic: 0,
  },
  contributions: [{ component: "breach", key: "test", en: "test", zh: "测试", points: score }],
  stale: false,
});

describe("early warning over a province's history", () => {
  test("a deteriorating bank has one warning that escalates month by month; calm banks get none", async () => {
    const r = await runEarlyWarning(db, op, {
      from: "2024-01",
      period: "2025-12",
      catalog: testCatalog,
      dataDir,
    });
    expect(r.months).toHaveLength(24);
    expect(r.updates.reduce((a, x) => a + x.opened, 0)).toBe(1);
    const all = await listWarnings(db, op, { status: "all" });
    expect(all.items.map((w) => w.institution.code)).toEqual([failing]);
    const w = await getWarning(db, op, all.items[0]!.id);
    expect(w.level).toBe("red");
    expect(w.status).toBe("escalated");
    expect(w.lastPeriod).toBe("2025-12");
    // Levels only climb along the slide; each change is in the history with its period.
    const changes = w.history.filter((h) => h.event === "opened" || h.event === "level_changed");
    expect(changes[0]!.event).toBe("opened");
    const ranks = changes.map((h) => ["green", "blue", "yellow", "orange", "red"].indexOf(h.toLevel!));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(changes.at(-1)!.toLevel).toBe("red");
    expect(w.scores.map((s) => s.period)).toEqual(Array.from(new Set(w.scores.map((s) => s.period))).sort());
    expect(w.scores[0]!.period).toBe(w.openedPeriod);
    const last = w.scores.at(-1)!;
    expect(last.contributions.reduce((a, c) => a + c.points, 0)).toBeCloseTo(last.score, 0);
    expect(w.contributions[0]!.component).toBe("breach");
  });

  test("running the same month again revises nothing and duplicates nothing", async () => {
    const before = await db.query<{ n: string }>("select count(*)::text as n from warning_history");
    const r = await runEarlyWarning(db, op, { period: "2025-12", catalog: testCatalog, dataDir });
    expect(r.updates[0]).toMatchObject({ opened: 0, revised: 0, escalated: 0, downgraded: 0, closed: 0 });
    const after = await db.query<{ n: string }>("select count(*)::text as n from warning_history");
    expect(after[0]!.n).toBe(before[0]!.n);
    const [scores] = await db.query<{ n: string }>(
      "select count(*)::text as n from risk_scores where period = '2025-12'",
    );
    expect(Number(scores!.n)).toBe(10);
  });

  test("scores roll up by sector, district and the province", async () => {
    const province = await getScores(db, op, { period: "2025-12" });
    expect(province.groups).toHaveLength(1);
    expect(province.groups[0]).toMatchObject({ key: "province", institutions: 10 });
    expect(province.groups[0]!.levels.red).toBe(1);
    expect(province.groups[0]!.top[0]!.code).toBe(failing);
    const districts = await getScores(db, op, { period: "2025-12", groupBy: "district" });
    expect(districts.groups.map((g) => [g.key, g.institutions])).toEqual([
      ["江北区", 5],
      ["渝中区", 5],
    ]);
    expect((await getScores(db, op, { groupBy: "sector" })).period).toBe("2025-12");
  });
});

describe("lifecycle", () => {
  test("supervisors acknowledge and close within their sector; others may not; closed is final", async () => {
    const [w] = (await listWarnings(db, op, {})).items;
    await expect(transitionWarning(db, u.circ, w!.id, { to: "acknowledged" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(transitionWarning(db, u.auditor, w!.id, { to: "acknowledged" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const ack = await transitionWarning(db, u.cbrc, w!.id, { to: "acknowledged" });
    expect(ack.status).toBe("acknowledged");
    expect(ack.history.at(-1)).toMatchObject({
      event: "acknowledged",
      fromStatus: "escalated",
      toStatus: "acknowledged",
      actor: "cbrc-lead",
    });
    await expect(transitionWarning(db, u.cbrc, w!.id, { to: "closed" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(transitionWarning(db, u.cbrc, w!.id, { to: "acknowledged" })).rejects.toThrow(
      /is acknowledged and cannot become acknowledged; it can become escalated, downgraded, closed/,
    );
    const [audit] = await db.query<{ n: string }>(
      "select count(*)::text as n from audit_log where action = 'warning.acknowledged'",
    );
    expect(audit!.n).toBe("1");
  });

  test("a case opens on a warning once, with the warning as its source", async () => {
    const [w] = (await listWarnings(db, op, {})).items;
    const c = await openCaseForWarning(db, u.cbrc, w!.id);
    expect(c.source).toEqual({ kind: "warning", ref: String(w!.id) });
    expect(c.priority).toBe("urgent");
    expect((await getWarning(db, op, w!.id)).caseId).toBe(c.id);
    await expect(openCaseForWarning(db, u.cbrc, w!.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  test("a warning closed by a supervisor stays closed until the level rises above it", async () => {
    const [w] = (await listWarnings(db, op, {})).items;
    const closed = await transitionWarning(db, u.cbrc, w!.id, { to: "closed", note: "resolution under way" });
    expect(closed.status).toBe("closed");
    await expect(transitionWarning(db, u.cbrc, w!.id, { to: "acknowledged" })).rejects.toThrow(
      /that status is final/,
    );
    const params = defaultScoringParams;
    await updateWarnings(db, "2026-01", [row(failing, "2026-01", 100, "red")], params);
    expect((await listWarnings(db, op, { institution: failing })).total).toBe(0);
  });

  test("an institution back at green for two periods has its warning closed; the history says why", async () => {
    const p = defaultScoringParams;
    await updateWarnings(db, "2026-01", [row(calm, "2026-01", 40, "yellow")], p);
    await updateWarnings(db, "2026-02", [row(calm, "2026-02", 25, "blue")], p);
    await updateWarnings(db, "2026-03", [row(calm, "2026-03", 5, "green")], p);
    const [open] = (await listWarnings(db, op, { institution: calm })).items;
    expect(open).toMatchObject({
      status: "downgraded",
      level: "green",
      greenStreak: 1,
      peak: { level: "yellow", score: 40 },
    });
    await updateWarnings(db, "2026-04", [row(calm, "2026-04", 4, "green")], p);
    const w = await getWarning(db, op, open!.id);
    expect(w.status).toBe("closed");
    expect(w.closedReason).toBe("back to green for 2 period(s)");
    expect(w.history.map((h) => `${h.period} ${h.event} ${h.fromLevel ?? "-"}>${h.toLevel}`)).toEqual([
      "2026-01 opened ->yellow",
      "2026-02 level_changed yellow>blue",
      "2026-03 level_changed blue>green",
      "2026-04 closed green>green",
    ]);
    // A later deterioration opens a new warning (the old one was not closed by hand).
    await updateWarnings(db, "2026-05", [row(calm, "2026-05", 30, "blue")], p);
    expect((await listWarnings(db, op, { institution: calm })).items[0]!.id).not.toBe(open!.id);
  });
});

describe("listing", () => {
  test("filters, sorts and pages; an institution's own users see no warnings", async () => {
    // Forty more banks with warnings of every level, written straight from scores.
    const regs = Array.from({ length: 40 }, (_, i) => ({
      code: testCreditCode(2000 + i),
      nameZh: `列表银行${i}`,
      nameEn: `List Bank ${i}`,
      district: i % 2 ? "江北区" : "渝中区",
    }));
    await db.query(
      `insert into institutions (code, name_zh, name_en, type, sector, district, bank_tier, total_assets)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::numeric[])`,
      [
        regs.map((r) => r.code),
        regs.map((r) => r.nameZh),
        regs.map((r) => r.nameEn),
        regs.map(() => "bank"),
        regs.map(() => "banking"),
        regs.map((r) => r.district),
        regs.map(() => 3),
        regs.map(() => "1000000.00"),
      ],
    );
    const levels = ["blue", "yellow", "orange", "red"] as const;
    await updateWarnings(
      db,
      "2026-06",
      regs.map((r, i) => row(r.code, "2026-06", 20 + i * 2, levels[Math.min(3, Math.floor(i / 10))]!)),
      defaultScoringParams,
    );
    const red = await listWarnings(db, op, { level: "red", period: "2026-06" });
    expect(red.total).toBe(10);
    expect(red.items.map((w) => w.score)).toEqual([...red.items.map((w) => w.score)].sort((a, b) => b - a));
    const orangeUp = await listWarnings(db, op, {
      minLevel: "orange",
      period: "2026-06",
      district: "江北区",
    });
    expect(orangeUp.total).toBe(10);
    expect(
      orangeUp.items.every((w) => w.institution.district === "江北区" && ["orange", "red"].includes(w.level)),
    ).toBe(true);
    const pages = [];
    for (let page = 1; page <= 5; page++)
      pages.push(
        ...(await listWarnings(db, op, { period: "2026-06", pageSize: 9, page, sort: "score", order: "asc" }))
          .items,
      );
    expect(pages.map((w) => w.score)).toEqual(regs.map((_, i) => 20 + i * 2));
    expect(
      (await listWarnings(db, op, { q: "列表银行3", period: "2026-06" })).items
        .map((w) => w.institution.nameZh)
        .sort(),
    ).toEqual([
      "列表银行3",
      "列表银行30",
      "列表银行31",
      "列表银行32",
      "列表银行33",
      "列表银行34",
      "列表银行35",
      "列表银行36",
      "列表银行37",
      "列表银行38",
      "列表银行39",
    ]);
    expect((await listWarnings(db, u.cbrc, { period: "2026-06" })).total).toBe(40);
    expect((await listWarnings(db, u.circ, { period: "2026-06" })).total).toBe(0);
    await expect(listWarnings(db, u.bankUser, {})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(listWarnings(db, op, { sort: "name" as never })).rejects.toThrow();
    // A month older than the latest applied opens nothing: history is not rewritten after the fact.
    const late = await updateWarnings(
      db,
      "2025-06",
      [row(province.registry[7]!.code, "2025-06", 90, "red")],
      defaultScoringParams,
    );
    expect(late.opened).toBe(0);
  });
});

describe("governance and signals", () => {
  test("cut-offs change only through a proposal approved by someone else, and scoring uses them", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const proposal = await proposeParamChange(
      db,
      scoringCatalog,
      { name: "alice" },
      {
        ruleId: scoringRuleId,
        param: "cutoffs",
        value: { blue: 10, yellow: 20, orange: 30, red: 40 },
        reason: "stricter cut-offs for the test",
        effectiveFrom: today,
      },
    );
    expect((await scoringParamsInForce(db)).params.cutoffs.red).toBe(70);
    await expect(
      decideParamProposal(db, scoringCatalog, { name: "alice" }, proposal.id, { decision: "approve" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await decideParamProposal(db, scoringCatalog, { name: "bob" }, proposal.id, { decision: "approve" });
    const inForce = await scoringParamsInForce(db);
    expect(inForce.params.cutoffs).toEqual({ blue: 10, yellow: 20, orange: 30, red: 40 });
    expect(inForce.governed).toEqual({ cutoffs: proposal.id });
    const run = await scoreMonths(db, { months: ["2025-12"], catalog: testCatalog, store: true });
    expect(run.params.cutoffs.red).toBe(40);
    const [stored] = await db.query<{ params: { governed: Record<string, number> } }>(
      "select params from score_runs where id = $1",
      [run.runId],
    );
    expect(stored!.params.governed).toEqual({ cutoffs: proposal.id });
  });

  test("detector findings of the latest run, and corrected returns, raise the score", async () => {
    const [dr] = await db.query<{ id: string }>(
      "insert into detection_runs (period, as_of, inputs, requested_by, started_at) values ('2025-12', now(), '{}', 'test', now()) returning id::text",
    );
    await db.query(
      "insert into detector_runs (run_id, detector, version, params, period, status, finding_count, millis) values ($1, 'guarantee_circle', '1', '{}', '2025-12', 'ok', 1, 1)",
      [dr!.id],
    );
    await db.query(
      `insert into findings (run_id, detector, version, params, period, subject_kind, subject_id, member_kind, members, institutions, severity, score,
         explanation_en, explanation_zh, evidence)
       values ($1, 'guarantee_circle', '1', '{}', '2025-12', 'circle', 'c1', 'enterprise', '{}', $2, 'high', 80, 'A circle.', '担保圈。', '{}')`,
      [dr!.id, [calm, failing]],
    );
    const signals = await findingsSource.load(db, ["2025-12"]);
    expect(signals.map((s) => [s.institution, s.severity, s.en]).sort()).toEqual(
      [
        [calm, "high", "guarantee_circle: A circle."],
        [failing, "high", "guarantee_circle: A circle."],
      ].sort(),
    );
    // A corrected return (a superseded version of the month's submission) counts under data quality.
    await db.query(
      `insert into submissions (batch_id, institution_code, dataset, period, row_count, content_hash, received_at, superseded_at)
       values ((select min(id) from batches), $1, 'returns', '2025-12', 1, 'first version', now(), now())`,
      [calm],
    );
    const run = await scoreMonths(db, { months: ["2025-12"], catalog: testCatalog });
    const scored = run.rows.find((r) => r.institution === calm)!;
    expect(scored.components.findings).toBe(defaultScoringParams.findings.weight);
    expect(scored.contributions.find((c) => c.key === "resubmissions")).toMatchObject({
      component: "data_quality",
      points: defaultScoringParams.dataQuality.weight / 2,
      en: "The return for 2025-12 was corrected 1 time(s) after it was first filed.",
    });
  });
});
