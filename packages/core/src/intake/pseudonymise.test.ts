import { execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { openDuck } from "../lake/duckdb.ts";
import { intakeExtension } from "../lake/intake-extension.ts";
import { hmacSql, pseudonymise } from "./pseudonymise.ts";

// Messages around SHA-256's padding edges (55/56 and 119/120 bytes), multi-byte text and long addresses.
const messages = [
  "",
  "1",
  "110101199003077777",
  "11010119900307777X",
  "13800138000",
  "6222021234567890123",
  "重庆市渝中区解放碑街道民族路188号",
  ...[54, 55, 56, 57, 63, 64, 65, 119, 120, 121, 128, 300].map((n) => "a".repeat(n)),
  "地".repeat(19), // 57 bytes
  "街".repeat(40), // 120 bytes
];
const keys = [0, 1, 20, 32, 63, 64, 65, 200].map((n) => randomBytes(n));

async function digests(native: boolean, key: Buffer): Promise<(string | null)[]> {
  const duck = await openDuck({ intakeExtension: native });
  try {
    expect(duck.intakeExtension).toBe(native);
    const values = [...messages.map((m) => `('${m}')`), "(NULL)"].join(", ");
    const rows = await duck.all<{ h: string | null }>(
      `SELECT ${hmacSql(key, native)("m")} AS h FROM (VALUES ${values}) t(m)`,
    );
    return rows.map((r) => r.h);
  } finally {
    duck.close();
  }
}

const expected = (key: Buffer) => [
  ...messages.map((m) => createHmac("sha256", key).update(m).digest("hex")),
  null,
];

const hasCompiler = (() => {
  try {
    execFileSync(process.env.CC ?? "cc", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("pseudonymisation in the lake engine", () => {
  afterEach(() => {
    delete process.env.BEACON_HMAC_PORTABLE;
  });

  it("pseudonymise is HMAC-SHA-256 in hex", () => {
    // RFC 4231, test case 2.
    expect(pseudonymise(Buffer.from("Jefe"), "what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("the SQL form written with DuckDB's sha256() gives the same digests for every key length", async () => {
    for (const key of keys) expect(await digests(false, key)).toEqual(expected(key));
  });

  it.runIf(process.platform === "linux" && process.arch === "x64" && hasCompiler)(
    "the beacon_intake extension builds here and gives the same digests with SHA-NI and with portable code",
    async () => {
      expect(intakeExtension()).toHaveProperty("path");
      for (const portable of [false, true]) {
        if (portable) process.env.BEACON_HMAC_PORTABLE = "1";
        const duck = await openDuck({ intakeExtension: true });
        const [row] = await duck.all<{ implementation: string }>(
          "SELECT beacon_hmac_implementation() AS implementation",
        );
        duck.close();
        const cpuHasSha = /\bsha_ni\b/.test(readFileSync("/proc/cpuinfo", "utf8"));
        expect(row?.implementation).toBe(portable || !cpuHasSha ? "portable" : "sha-ni");
        for (const key of keys) expect(await digests(true, key)).toEqual(expected(key));
      }
    },
  );

  it("agrees with Node's HMAC on a million-row column, as intake uses it", async () => {
    const key = randomBytes(32);
    const duck = await openDuck({ intakeExtension: true });
    try {
      const hmac = hmacSql(key, duck.intakeExtension);
      const [row] = await duck.all<{ n: bigint; sample: string; h: string }>(
        `SELECT count(DISTINCT ${hmac("v")}) AS n, max(v) AS sample, max_by(${hmac("v")}, v) AS h
         FROM (SELECT 'id-' || i::VARCHAR AS v FROM range(1000000) r(i))`,
      );
      expect(Number(row?.n)).toBe(1_000_000);
      expect(row?.h).toBe(pseudonymise(key, row?.sample ?? ""));
    } finally {
      duck.close();
    }
  });
});
