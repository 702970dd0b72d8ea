import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "beacon.js");

function beacon(args: string[], dataDir: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("beacon overdue", { timeout: 300_000 }, () => {
  test("runs the overdue scan and reports what it raised; a bad --today is exit 2", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cli-overdue-"));
    const ok = beacon(["overdue", "--today", "2026-04-10", "--json"], dataDir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      cases: 0,
      rectifications: 0,
      escalated: 0,
      followUpsOverdue: 0,
      campaignTargets: 0,
    });
    const bad = beacon(["overdue", "--today", "2026-13-01", "--json"], dataDir);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/--today must be a date/);
  });
});
