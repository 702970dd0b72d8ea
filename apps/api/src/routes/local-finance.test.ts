import { loadConfig } from "@beacon/core/config";
import { seedUser, testPassword } from "@beacon/core/identity/test-support";
import {
  type FixtureStore,
  ingestLocalFinanceProvince,
  lf,
  period,
} from "@beacon/core/local-finance/test-fixture";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../app.ts";

let store: FixtureStore;
let app: ReturnType<typeof createApp>;
const sessions = new Map<string, { cookie: string; csrf: string }>();

beforeAll(async () => {
  store = await ingestLocalFinanceProvince();
  const config = loadConfig({ BEACON_DATA_DIR: store.dataDir, BEACON_MODE: "test" });
  app = createApp({ db: store.db, config, close: async () => {} });
  await seedUser(store.db, "zhang", "finance_office");
  await seedUser(store.db, "zhao", "finance_office");
  await seedUser(store.db, "chen", "lead_supervisor", { unit: "cbrc_cq" });
  await seedUser(store.db, "audit", "auditor");
  await seedUser(store.db, "root", "admin");
  for (const name of ["zhang", "zhao", "chen", "audit", "root"]) {
    const res = await app.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: name, password: testPassword }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    sessions.set(name, { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken });
  }
});
afterAll(async () => store?.close());

async function call(who: string, method: string, path: string, body?: unknown) {
  const s = sessions.get(who)!;
  const res = await app.request(path, {
    method,
    headers: {
      cookie: s.cookie,
      "x-csrf-token": s.csrf,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  return { status: res.status, body: (await res.json()) as any };
}

describe("local-finance API", () => {
  test("screening, a campaign run end to end, and its statistics, through the API", async () => {
    const run = await call("zhang", "POST", "/api/local-finance/fundraising/runs", {
      period,
      params: { yellowFrom: 20 },
    });
    expect(run.status).toBe(201);
    expect(run.body.top[0]).toMatchObject({ code: lf.fundraiser, card: "red" });
    const reds = await call(
      "audit",
      "GET",
      `/api/local-finance/fundraising/scores?period=${period}&card=red`,
    );
    expect(reds.body.items.map((s: { code: string }) => s.code)).toEqual([lf.fundraiser]);
    const card = await call(
      "zhang",
      "GET",
      `/api/local-finance/fundraising/cards/${lf.fundraiser}?period=${period}`,
    );
    expect(card.body.disposal.referTo).toBe("public_security");

    const created = await call("zhang", "POST", "/api/local-finance/campaigns", {
      name: "Illegal fund-raising clean-up",
      kind: "illegal_fundraising",
      leadUnit: "finance_office",
      deadline: "2026-12-31",
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const added = await call("zhang", "POST", `/api/local-finance/campaigns/${id}/targets`, {
      screening: { period, cards: ["red", "yellow"] },
    });
    expect(added.status).toBe(201);
    const targets = added.body.added as { id: number; code: string; card: string }[];
    expect(targets.map((t) => t.code).sort()).toEqual([lf.fundraiser, lf.offender].sort());
    const yellow = targets.find((t) => t.code === lf.offender)!;
    for (const [to, extra] of [
      ["investigated", {}],
      ["classified", { classification: "rectify" }],
      ["cleaned_up", {}],
      ["rectified", {}],
    ] as const) {
      const r = await call("zhang", "POST", `/api/local-finance/campaign-targets/${yellow.id}/advance`, {
        to,
        note: `step ${to}`,
        ...extra,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.stage).toBe(to);
    }
    const wrong = await call("zhang", "POST", `/api/local-finance/campaign-targets/${yellow.id}/advance`, {
      to: "exited",
      note: "again",
    });
    expect(wrong.status).toBe(409);
    const red = targets.find((t) => t.code === lf.fundraiser)!;
    expect(
      (
        await call("zhang", "POST", `/api/local-finance/campaign-targets/${red.id}/advance`, {
          to: "referred",
          note: "to police",
        })
      ).body.stage,
    ).toBe("referred");
    const stats = await call("audit", "GET", `/api/local-finance/campaigns/${id}/stats?today=2026-12-01`);
    expect(stats.body.total).toMatchObject({ targets: 2, done: 2, completion: 1 });
    expect(stats.body.byUnit).toEqual([expect.objectContaining({ key: "finance_office", targets: 2 })]);
    const scan = await call("root", "POST", "/api/local-finance/campaigns/overdue-scan", {
      today: "2027-01-10",
    });
    expect(scan.body.items).toEqual([]);
    const detail = await call("zhang", "GET", `/api/local-finance/campaigns/${id}`);
    expect(detail.body.targets).toHaveLength(2);
    expect((await call("zhang", "GET", "/api/local-finance/campaigns")).body.items[0].id).toBe(id);
  });

  test("venue checks, licence expiry, inspections and off-site indicators", async () => {
    const venues = await call("zhang", "POST", "/api/local-finance/venue-checks", { period });
    expect(venues.status).toBe(200);
    expect(
      venues.body.violations.some(
        (v: { listing: string; check: string }) => v.listing === "L-HOLD" && v.check === "holders_over_200",
      ),
    ).toBe(true);
    const expiring = await call(
      "zhang",
      "GET",
      "/api/local-finance/licences/expiring?months=3&asOf=2026-11-27",
    );
    expect(expiring.body.items.map((i: { licenceNo: string }) => i.licenceNo)).toEqual([
      "XD0721",
      "RD0722",
      "DD0723",
    ]);
    const decided = await call("zhang", "POST", "/api/local-finance/licences/RD0722/decision", {
      decision: "merge",
      reason: "merge into the municipal guarantor",
    });
    expect(decided.status).toBe(201);
    const planned = await call("zhang", "POST", "/api/local-finance/inspections", {
      institution: lf.smallLoan,
      kind: "routine",
      scope: "provisioning and liquidity",
      plannedStart: "2026-12-01",
      plannedEnd: "2026-12-10",
    });
    expect(planned.status).toBe(201);
    await call("zhang", "POST", `/api/local-finance/inspections/${planned.body.id}/status`, {
      action: "start",
      on: "2026-12-01",
    });
    const finding = await call(
      "zhang",
      "POST",
      `/api/local-finance/inspections/${planned.body.id}/findings`,
      {
        category: "provisioning",
        severity: "medium",
        description: "provisions cover half the NPLs",
      },
    );
    expect(finding.body.findings).toHaveLength(1);
    expect(
      (await call("audit", "GET", "/api/local-finance/inspections?status=in_progress")).body.items,
    ).toHaveLength(1);
    const offsite = await call("zhang", "GET", `/api/local-finance/offsite?period=${period}&type=small_loan`);
    expect(offsite.body.rows[0].code).toBe(lf.smallLoan);
    expect(
      (await call("zhang", "GET", `/api/local-finance/consulting?period=${period}`)).body.declaring.length,
    ).toBeGreaterThan(0);
    expect(
      (await call("zhang", "GET", `/api/local-finance/online-lending?period=${period}`)).body.rows[0].code,
    ).toBe(lf.onlineLoan);
  });

  test("phrase lists need two people; access follows the sector and the role", async () => {
    const proposed = await call("zhang", "POST", "/api/local-finance/phrase-lists", {
      add: [{ id: "yuan_gu", phrase: "原始股", lang: "zh", category: "high_return", weight: 0.8 }],
      note: "pre-IPO share scams",
    });
    expect(proposed.status).toBe(201);
    const self = await call(
      "zhang",
      "POST",
      `/api/local-finance/phrase-lists/${proposed.body.version}/decision`,
      { decision: "approved", note: "ok" },
    );
    expect(self.status).toBe(403);
    const ok = await call(
      "zhao",
      "POST",
      `/api/local-finance/phrase-lists/${proposed.body.version}/decision`,
      { decision: "approved", note: "ok" },
    );
    expect(ok.body.status).toBe("approved");
    expect((await call("audit", "GET", "/api/local-finance/phrase-lists")).body.inForce).toBe(
      proposed.body.version,
    );
    // The banking bureau does not see local finance; auditors read but change nothing; the scan is for admins.
    expect((await call("chen", "GET", `/api/local-finance/fundraising/scores?period=${period}`)).status).toBe(
      403,
    );
    expect(
      (
        await call("audit", "POST", "/api/local-finance/campaigns", {
          name: "nope",
          kind: "other",
          leadUnit: "finance_office",
          deadline: "2026-12-31",
        })
      ).status,
    ).toBe(403);
    expect((await call("zhang", "POST", "/api/local-finance/campaigns/overdue-scan", {})).status).toBe(403);
    const bad = await call("zhang", "GET", "/api/local-finance/fundraising/scores?period=2026-13");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("period");
  });
});
