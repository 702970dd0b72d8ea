import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { system } from "../../identity/roles.ts";
import { addListEntry } from "../../sharing/add-list-entry.ts";
import {
  type FixtureStore,
  ingestLocalFinanceProvince,
  lf,
  period,
  sharedDirector,
} from "../test-fixture.ts";
import { activePhraseList } from "./active-phrase-list.ts";
import { decidePhraseList } from "./decide-phrase-list.ts";
import { getFundraisingCard } from "./get-fundraising-card.ts";
import { listFundraisingScores } from "./list-fundraising-scores.ts";
import { proposePhraseList } from "./propose-phrase-list.ts";
import { runFundraisingIndex } from "./run-fundraising-index.ts";

let store: FixtureStore;
beforeAll(async () => {
  store = await ingestLocalFinanceProvince();
});
afterAll(async () => store?.close());

describe("fund-raising risk index over the lake", () => {
  test("the company raising funds from the public ranks first with a red card; the ordinary one is green", async () => {
    const run = await runFundraisingIndex(store, "tester", { period, top: 50 });
    expect(run.phraseListVersion).toBe(1);
    expect(run.lpr?.month).toMatch(/^\d{4}-\d{2}$/);
    // Every watched company and every local-finance firm of the registry, nothing else (no bank, no office).
    const codes = run.top.map((s) => s.code).sort();
    expect(codes).toEqual(
      [
        lf.fundraiser,
        lf.ordinary,
        lf.offender,
        lf.related,
        lf.consultancy,
        lf.smallLoan,
        lf.guarantee,
        lf.pawn,
        lf.healthyLoan,
        lf.onlineLoan,
        lf.venue,
      ].sort(),
    );
    const top = run.top[0]!;
    expect(top.code).toBe(lf.fundraiser);
    expect(top.card).toBe("red");
    expect(top.disposal.referTo).toBe("public_security");
    expect(Object.values(top.legalElements).every(Boolean)).toBe(true);
    // The flows the fixture wrote: 250 individual transfers in September, 90% passed on the next day.
    expect(top.contributions.fan_in.figure).toMatch(/^250 transfers from 250 individuals in 2026-09/);
    expect(top.evidence.flows?.passThrough).toBeCloseTo(0.9, 2);
    expect(top.contributions.inflow_growth.signal).toBeGreaterThan(0.9);
    expect(top.evidence.phrases.map((h) => h.id)).toEqual(
      expect.arrayContaining([
        "bao_ben_bao_xi",
        "wen_zhuan_bu_pei",
        "guaranteed_return",
        "no_risk",
        "jie_shao_qin_you",
      ]),
    );
    expect(top.evidence.complaints.fundRaising).toBe(18);
    const ordinary = run.top.find((s) => s.code === lf.ordinary)!;
    expect(ordinary.card).toBe("green");
    expect(ordinary.score).toBeLessThan(5);
    // The consultancy declares wealth management under a consulting licence: half the licence signal, no more.
    const consultancy = run.top.find((s) => s.code === lf.consultancy)!;
    expect(consultancy.contributions.licence.signal).toBe(0.5);
    expect(consultancy.evidence.phrases.map((h) => h.id)).not.toContain("xi_shou_cun_kuan");
  });

  test("runs are stored with their parameters and read back as lists and cards", async () => {
    const list = await listFundraisingScores(store.db, { period, card: "red" });
    expect(list.items.map((s) => s.code)).toEqual([lf.fundraiser]);
    const card = await getFundraisingCard(store.db, lf.fundraiser, { period });
    expect(card.card).toBe("red");
    expect(card.disposal.zh).toMatch(/^红色：移送公安机关/);
    expect(card.run.params).toMatchObject({ redFrom: 60, yellowFrom: 30 });
    expect(card.evidence.relations).toEqual([]);
    await expect(getFundraisingCard(store.db, lf.bank, { period })).rejects.toThrow(
      /is not in fund-raising run/,
    );
    await expect(listFundraisingScores(store.db, { period: "2019-01" })).rejects.toThrow(
      /no fund-raising run for 2019-01/,
    );
  });

  test("a company sharing a director and a payee with a black-listed offender gets the relation signal", async () => {
    await addListEntry(
      store.db,
      system("test"),
      {
        kind: "black",
        subjectType: "company",
        subject: lf.offender,
        reason: "illegal fund-raising judgment 2025",
        source: "court",
      },
      { pseudonymKey: store.pseudonymKey },
    );
    const run = await runFundraisingIndex(store, "tester", { period, top: 50 });
    const related = run.top.find((s) => s.code === lf.related)!;
    expect(related.contributions.relations.signal).toBe(1);
    expect(related.evidence.relations.map((r) => r.attribute).sort()).toEqual(["account", "director"]);
    expect(related.evidence.relations.every((r) => r.offender === lf.offender)).toBe(true);
    // A black-listed person as director links too, by pseudonym only.
    await addListEntry(
      store.db,
      system("test"),
      {
        kind: "black",
        subjectType: "person",
        subject: sharedDirector,
        reason: "convicted organiser",
        source: "court",
      },
      { pseudonymKey: store.pseudonymKey },
    );
    const again = await runFundraisingIndex(store, "tester", { period, top: 50 });
    const links = again.top.find((s) => s.code === lf.related)!.evidence.relations;
    expect(links.some((r) => r.offender === "black-list" && r.attribute === "director")).toBe(true);
  });

  test("a phrase-list change needs a second person, and the next run uses the approved version", async () => {
    const proposal = await proposePhraseList(store.db, "maker", {
      add: [{ id: "shang_mao_ling_yu", phrase: "商贸领域", lang: "zh", category: "high_return", weight: 1 }],
      note: "test phrase to show governance",
    });
    expect(proposal.status).toBe("proposed");
    expect((await activePhraseList(store.db)).version).toBe(1);
    await expect(
      decidePhraseList(store.db, "maker", proposal.version, { decision: "approved", note: "ok" }),
    ).rejects.toThrow(/may not decide it/);
    await decidePhraseList(store.db, "checker", proposal.version, { decision: "approved", note: "ok" });
    await expect(
      decidePhraseList(store.db, "checker", proposal.version, { decision: "rejected", note: "no" }),
    ).rejects.toThrow(/already approved/);
    const run = await runFundraisingIndex(store, "tester", { period, top: 50 });
    expect(run.phraseListVersion).toBe(proposal.version);
    const ordinary = run.top.find((s) => s.code === lf.ordinary)!;
    expect(ordinary.evidence.phrases.map((h) => h.id)).toEqual(["shang_mao_ling_yu"]);
    await expect(
      proposePhraseList(store.db, "maker", { remove: ["no_such_phrase"], note: "remove unknown" }),
    ).rejects.toThrow(/not in the list in force/);
  });

  test("bad input is refused with the reason", async () => {
    await expect(runFundraisingIndex(store, "tester", { period: "2026-13" })).rejects.toThrow(
      /period must be a month/,
    );
    await expect(
      runFundraisingIndex(store, "tester", { period, params: { weights: { keywords: 50 } } }),
    ).rejects.toThrow(/weights add up to 135, not 100/);
  });
});
