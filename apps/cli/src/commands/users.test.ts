import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPglite } from "@beacon/core/db/client";
import { login } from "@beacon/core/identity/login";
import { describe, expect, test } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "beacon.js");

function beacon(args: string[], dataDir: string, input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" },
    encoding: "utf8",
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("beacon users and beacon audit", { timeout: 300_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cli-users-"));

  test("users are added with a password read from standard input, listed and disabled; the log records it", () => {
    const add = beacon(
      ["users", "add", "--username", "ops", "--role", "admin"],
      dataDir,
      "a long operator passphrase\n",
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout.trim()).toBe("created ops (admin)");
    const weak = beacon(
      ["users", "add", "--username", "weakling", "--role", "auditor", "--json"],
      dataDir,
      "short\n",
    );
    expect(weak.code).toBe(2);
    expect(JSON.parse(weak.stdout).error.message).toMatch(/at least 12 characters/);
    const bad = beacon(
      [
        "users",
        "add",
        "--username",
        "inst",
        "--role",
        "institution",
        "--institution",
        "91500103MA000099X1",
        "--password",
        "a long enough passphrase",
      ],
      dataDir,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--password shows the password in the process list/);
    expect(bad.stderr).toMatch(/no institution with credit code/);
    const supervisor = beacon(
      [
        "users",
        "add",
        "--username",
        "li",
        "--role",
        "lead_supervisor",
        "--unit",
        "cbrc_cq",
        "--districts",
        "渝中区,江北区",
      ],
      dataDir,
      "li's long passphrase 1\n",
    );
    expect(supervisor.stdout.trim()).toBe("created li (lead_supervisor, cbrc_cq)");
    const disabled = beacon(["users", "disable", "--username", "li"], dataDir);
    expect(disabled.code, disabled.stderr).toBe(0);
    const list = beacon(["users", "list", "--json"], dataDir);
    const { users } = JSON.parse(list.stdout) as {
      users: { username: string; disabledAt: string | null; districts: string[] | null }[];
    };
    expect(users.map((u) => [u.username, u.disabledAt !== null])).toEqual([
      ["li", true],
      ["ops", false],
    ]);
    expect(users[0]!.districts).toEqual(["渝中区", "江北区"]);
    expect(list.stdout).not.toMatch(/argon2|passphrase/);
    expect(beacon(["users", "fly"], dataDir).code).toBe(2);
  });

  test("the audit log verifies, seals, proves an entry, and a saved proof checks offline", () => {
    const verify = beacon(["audit", "verify"], dataDir);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^OK: 3 entries, 0 checkpoints/);
    const seal = beacon(["audit", "seal"], dataDir);
    expect(seal.stdout).toMatch(/^sealed checkpoint 1: entries 1-3, hash [0-9a-f]{64}/);
    const proof = beacon(["audit", "proof", "2", "--json"], dataDir);
    expect(proof.code, proof.stderr).toBe(0);
    const p = JSON.parse(proof.stdout);
    expect(p.check).toEqual({ valid: true, problems: [] });
    expect(p.proof.entry).toMatchObject({ seq: 2, action: "user.created" });
    const file = join(dataDir, "proof.json");
    writeFileSync(file, JSON.stringify(p));
    const check = beacon(["audit", "check", file], dataDir);
    expect(check.code).toBe(0);
    expect(check.stdout.trim()).toBe("VALID: entry 2 is included in its checkpoint.");
    p.proof.entry.detail = p.proof.entry.detail.replace("lead_supervisor", "admin");
    writeFileSync(file, JSON.stringify(p));
    const forged = beacon(["audit", "check", file], dataDir);
    expect(forged.code).toBe(2);
    expect(forged.stdout).toMatch(/^INVALID: entry 2: content does not match its hash/);
    expect(JSON.parse(readFileSync(file, "utf8")).proof.entry.seq).toBe(2);
  });

  test.skipIf(!existsSync("/usr/bin/script"))(
    "on a terminal the password is asked for and not echoed",
    async () => {
      const typed = "typed on a terminal 2026";
      const cmd = `${process.execPath} ${bin} users add --username tty-user --role auditor`;
      const child = spawn("/usr/bin/script", ["-qec", cmd, "/dev/null"], {
        env: { ...process.env, BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" },
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Password for tty-user: ") && !out.includes("sent")) {
          out += "sent";
          child.stdin.write(`${typed}\r`);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).toBe(0);
      expect(out).toContain("created tty-user (auditor)");
      expect(out).not.toContain(typed);
      const db = await openPglite(dataDir);
      await expect(
        login(db, { username: "tty-user", password: typed, client: "test" }),
      ).resolves.toBeDefined();
      await db.close();
    },
  );

  test("verify names an entry changed behind the application's back", async () => {
    const db = await openPglite(dataDir);
    await db.exec("alter table audit_log disable trigger audit_log_append_only");
    await db.query(`update audit_log set actor = 'someone else' where seq = 2`);
    await db.close();
    const verify = beacon(["audit", "verify"], dataDir);
    expect(verify.code).toBe(2);
    expect(verify.stdout).toMatch(/^TAMPERED: /);
    expect(verify.stdout).toContain("entry 2 was altered: its content no longer matches its hash");
  });
});
