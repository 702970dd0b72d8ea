import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "beacon.js");
const root = mkdtempSync(join(tmpdir(), "cli-generate-"));

function beacon(args: string[]) {
  const r = spawnSync(process.execPath, [bin, "generate", ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("beacon generate", { timeout: 120_000 }, () => {
  test("bad flags are rejected with exit code 2 and a message naming the flag", () => {
    const cases: [string[], RegExp][] = [
      [
        ["--scale", "huge", "--seed", "1", "--out", join(root, "a")],
        /--scale must be small, medium or large/,
      ],
      [
        ["--scale", "small", "--seed", "1.5", "--out", join(root, "a")],
        /--seed must be a non-negative integer/,
      ],
      [["--scale", "small", "--seed", "1"], /--out is required/],
      [["--seed", "1", "--out", join(root, "a")], /--scale is required/],
      [
        ["--scale", "small", "--seed", "1", "--out", join(root, "a"), "--format", "xml"],
        /--format must be csv or parquet/,
      ],
      [
        ["--scale", "small", "--seed", "1", "--out", join(root, "a"), "--threads", "0"],
        /--threads must be an integer/,
      ],
      [
        ["--scale", "small", "--seed", "1", "--out", join(root, "a"), "--colour"],
        /Unknown option '--colour'/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = beacon([...args, "--json"]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe("INVALID_INPUT");
      expect(r.stderr).toMatch(message);
    }
  });

  test("a non-empty output folder needs --force", () => {
    const out = join(root, "busy");
    rmSync(out, { recursive: true, force: true });
    const first = beacon(["--scale", "tiny", "--seed", "2", "--out", out, "--threads", "1"]);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(out, "stale.txt"), "old");
    const again = beacon(["--scale", "tiny", "--seed", "2", "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/not empty.*--force/);
    const forced = beacon(["--scale", "tiny", "--seed", "2", "--out", out, "--force", "--threads", "1"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(join(out, "stale.txt"))).toBe(false);
  });

  test("--json prints the summary and progress goes to stderr", () => {
    const out = join(root, "json");
    const r = beacon(["--scale", "tiny", "--seed", "3", "--out", out, "--json", "--threads", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ out, scale: "tiny", seed: 3, format: "csv" });
    expect(s.institutions).toBeGreaterThan(40);
    expect(s.rowsByDataset.loans).toBeGreaterThan(2_000);
    expect(s.plantsByKind.bank_failure).toBe(1);
    expect(typeof s.seconds).toBe("number");
    expect(r.stderr).toMatch(/100%/);
    expect(existsSync(join(out, "truth.json"))).toBe(true);
  });
});
