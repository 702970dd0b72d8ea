import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lf, period, writeLocalFinanceProvince } from "@beacon/core/local-finance/test-fixture";
import { beforeAll, describe, expect, test } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "beacon.js");
const dataDir = mkdtempSync(join(tmpdir(), "cli-lf-"));

function beacon(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, BEACON_DATA_DIR: dataDir, BEACON_MODE: "test", USER: "cli-tester" },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON output is checked field by field
function json(...args: string[]): any {
  const r = beacon(...args, "--json");
  expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

describe("local finance from the command line", { timeout: 300_000 }, () => {
  beforeAll(() => {
    const province = mkdtempSync(join(tmpdir(), "cli-lf-province-"));
    writeLocalFinanceProvince(province);
    const r = beacon("ingest", province);
    expect(r.code, r.stderr).toBe(0);
  });

  test("a campaign runs end to end: screening, import, stages, outcomes, alerts and statistics", () => {
    const run = json("fundraising", "--period", period, "--top", "3");
    expect(run.top[0]).toMatchObject({ code: lf.fundraiser, card: "red" });
    expect(beacon("fundraising", "card", lf.fundraiser).stdout).toMatch(
      /^Red: refer to the public-security authorities/m,
    );

    const c = json(
      "campaigns",
      "create",
      "--name",
      "Internet-finance rectification",
      "--kind",
      "internet_finance",
      "--lead-unit",
      "finance_office",
      "--deadline",
      "2026-12-31",
    );
    const id = String(c.id);
    const screened = json(
      "campaigns",
      "add-targets",
      "--campaign",
      id,
      "--from-screening",
      "--period",
      period,
    );
    // Red and yellow cards by default: the fund-raiser (red) and the offender (yellow).
    expect(screened.added.map((t: { code: string; card: string }) => [t.code, t.card])).toEqual([
      [lf.fundraiser, "red"],
      [lf.offender, "yellow"],
    ]);
    const list = join(mkdtempSync(join(tmpdir(), "cli-lf-list-")), "list.csv");
    writeFileSync(
      list,
      `code,name,district,owner_unit,classification\n${lf.consultancy},,,aic_cq,\n91500103MA000999X5,重庆外来名单公司,江北区,,\n`,
    );
    const imported = json(
      "campaigns",
      "add-targets",
      "--campaign",
      id,
      "--file",
      list,
      "--due",
      "2026-11-30",
    );
    expect(imported.added.map((t: { code: string; ownerUnit: string }) => [t.code, t.ownerUnit])).toEqual([
      [lf.consultancy, "aic_cq"],
      ["91500103MA000999X5", "finance_office"],
    ]);

    const target = String(imported.added[0].id);
    expect(
      json("campaigns", "advance", "--target", target, "--to", "investigated", "--note", "scope reviewed")
        .stage,
    ).toBe("investigated");
    expect(
      json(
        "campaigns",
        "advance",
        "--target",
        target,
        "--to",
        "classified",
        "--classification",
        "rectify",
        "--note",
        "may continue as consultancy",
      ).classification,
    ).toBe("rectify");
    json("campaigns", "advance", "--target", target, "--to", "cleaned_up", "--note", "marketing withdrawn");
    expect(
      json(
        "campaigns",
        "advance",
        "--target",
        target,
        "--to",
        "rectified",
        "--note",
        "rectification accepted",
      ).stage,
    ).toBe("rectified");
    const refused = beacon(
      "campaigns",
      "advance",
      "--target",
      target,
      "--to",
      "exited",
      "--note",
      "again",
      "--json",
    );
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error.message).toMatch(/already rectified/);
    json(
      "campaigns",
      "advance",
      "--target",
      String(screened.added[0].id),
      "--to",
      "referred",
      "--note",
      "sent to the public-security bureau",
    );

    const alerts = json("campaigns", "alerts", "--today", "2026-12-03");
    expect(alerts.map((a: { code: string; daysOverdue: number }) => [a.code, a.daysOverdue])).toEqual([
      ["91500103MA000999X5", 3],
    ]);
    const stats = json("campaigns", "stats", "--campaign", id, "--today", "2026-12-03");
    expect(stats.total).toMatchObject({ targets: 4, done: 2, overdue: 1 });
    expect(stats.byDistrict.map((r: { key: string }) => r.key).sort()).toEqual(["江北区", "渝北区"]);
    const show = json("campaigns", "show", "--campaign", id, "--today", "2026-12-03");
    expect(show.alerts).toHaveLength(1);
    expect(beacon("campaigns", "stats", "--campaign", id, "--today", "2026-12-03").stdout).toMatch(
      /^total: 4 targets, 2 done, 1 overdue/,
    );
    expect(json("campaigns", "list").map((x: { id: number }) => x.id)).toContain(c.id);
  });

  test("venue checks and the new-institution watch answer from the command line", () => {
    const venues = json("venues", "--period", period);
    expect(
      venues.violations
        .filter((v: { listing: string }) => v.listing === "L-T5")
        .map((v: { check: string }) => v.check),
    ).toEqual(["t_plus_5"]);
    const expiring = json("institutions-watch", "expiring", "--months", "3", "--as-of", "2026-11-27");
    expect(expiring.items[0]).toMatchObject({ licenceNo: "XD0721", suggestion: "exit" });
    const bad = beacon("institutions-watch", "expiring", "--months", "x");
    expect(bad.code).toBe(2);
  });
});
