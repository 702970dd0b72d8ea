import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyProvince } from "@beacon/core/testing/fixtures";
import { beforeAll, describe, expect, test } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "beacon.js");
const node = process.execPath;
const loansPerLender = 20_000;

function beacon(args: string[], dataDir: string) {
  const r = spawnSync(node, [bin, ...args], {
    env: { ...process.env, BEACON_DATA_DIR: dataDir },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function loanRows(dataDir: string): number {
  const r = beacon(["status", "--json"], dataDir);
  expect(r.code).toBe(0);
  const status = JSON.parse(r.stdout) as { datasets: { dataset: string; rows: number }[] };
  return status.datasets.find((d) => d.dataset === "loans")?.rows ?? 0;
}

/** Starts an ingest and kills it with SIGKILL as soon as its log shows `marker`. */
function killWhen(province: string, dataDir: string, marker: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(node, [bin, "ingest", province], {
      env: { ...process.env, BEACON_DATA_DIR: dataDir },
    });
    let killed = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      if (!killed && chunk.toString().includes(marker)) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    child.on("exit", () => resolve(killed));
  });
}

describe("an ingest killed at any point leaves no partial submission", () => {
  let province: string;
  beforeAll(() => {
    province = mkdtempSync(join(tmpdir(), "kill-province-"));
    writeTinyProvince(province, loansPerLender);
  });

  test.each(["reading", "validated; storing", "writing loans"])("killed at '%s'", async (marker) => {
    const dataDir = mkdtempSync(join(tmpdir(), "kill-data-"));
    expect(await killWhen(province, dataDir, marker)).toBe(true);
    // Whatever the moment, the store shows all of the submission or none of it.
    expect([0, 3 * loansPerLender + 1]).toContain(loanRows(dataDir));
    // The next start is clean: no staged or orphan files, and the same ingest then succeeds.
    const again = beacon(["ingest", province, "--json"], dataDir);
    expect(again.code, again.stderr).toBe(0);
    expect(loanRows(dataDir)).toBe(3 * loansPerLender + 1);
    expect(existsSync(join(dataDir, "lake", "_incoming"))).toBe(false);
    const parquet = readdirSync(join(dataDir, "lake", "loans"), { recursive: true }).filter((f) =>
      String(f).endsWith(".parquet"),
    );
    expect(parquet).toHaveLength(1);
  });

  test("a corrupted cell is rejected with exit code 2 and the stored counts do not change", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "reject-data-"));
    expect(beacon(["ingest", province], dataDir).code).toBe(0);
    const bad = mkdtempSync(join(tmpdir(), "bad-province-"));
    writeTinyProvince(bad, 3);
    const file = join(bad, "loans", "2026-09.csv");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("2025-10-15,2027-10-15", "2025-10-15,2027-13-15"));
    const before = beacon(["status", "--json"], dataDir).stdout;
    const r = beacon(["ingest", bad, "--json"], dataDir);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.problems[0]).toMatchObject({ file, row: 2, column: "maturity_date", rule: "date" });
    expect(beacon(["status", "--json"], dataDir).stdout).toBe(before);
  });
});
