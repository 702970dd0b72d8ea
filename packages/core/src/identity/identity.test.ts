import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { testDb } from "../testing/db.ts";
import { authenticateSession } from "./authenticate-session.ts";
import { authenticateToken } from "./authenticate-token.ts";
import { changePassword } from "./change-password.ts";
import { createApiToken } from "./create-api-token.ts";
import { createDemoUsers } from "./create-demo-users.ts";
import { createUser } from "./create-user.ts";
import { disableUser } from "./disable-user.ts";
import { listApiTokens } from "./list-api-tokens.ts";
import { listUsers } from "./list-users.ts";
import { login, SignInThrottled } from "./login.ts";
import { logout } from "./logout.ts";
import { checkPasswordPolicy } from "./passwords.ts";
import { revokeApiToken } from "./revoke-api-token.ts";
import { system } from "./roles.ts";
import { sha256 } from "./secrets.ts";
import { authSettings } from "./settings.ts";
import { inst, seedInstitutions, seedUser, testPassword } from "./test-support.ts";

let db: Db;
const cli = system("test");
let client = 0;
/** A fresh client address per test, so the per-address limit of one test does not spill into the next. */
const nextClient = () => `10.0.0.${++client}`;

beforeAll(async () => {
  db = await testDb();
  await seedInstitutions(db);
});
afterAll(async () => db.close());

describe("password policy", () => {
  test.each([
    ["short", "alice", "short pw", /at least 12 characters/],
    ["the username", "alice-smith", "alice-smith", /must not be or contain the username/],
    ["containing the username", "alice", "my name is ALICE ok", /contain the username/],
    ["common", "bob", "password1234", /too common/],
    ["common with punctuation", "bob", "Password1234!", /too common/],
    ["one repeated character", "bob", "zzzzzzzzzzzzzz", /4 different characters/],
  ])("refuses a password that is %s", (_n, username, password, message) => {
    expect(() => checkPasswordPolicy(username, password)).toThrow(message);
  });

  test("lists every reason at once, and accepts a good passphrase", () => {
    expect(() => checkPasswordPolicy("bob", "bob")).toThrow(
      /at least 12 characters; must not be or contain the username/,
    );
    expect(() => checkPasswordPolicy("bob", "granite lantern orbit 7")).not.toThrow();
  });
});

describe("users", () => {
  test("a user is stored with an Argon2id hash and the audit log never sees the password", async () => {
    const u = await createUser(db, cli, {
      username: "Li.Wei",
      password: testPassword,
      role: "lead_supervisor",
      unit: "cbrc_cq",
      email: "li.wei@example.org",
    });
    expect(u).toMatchObject({
      username: "Li.Wei",
      role: "lead_supervisor",
      unit: "cbrc_cq",
      institution: null,
    });
    const [row] = await db.query<{ password_hash: string }>("select password_hash from users where id = $1", [
      u.id,
    ]);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const log = await db.query<{ detail: string }>(
      "select detail from audit_log where action = 'user.created'",
    );
    expect(JSON.stringify(log)).not.toContain(testPassword);
    expect(JSON.stringify(await listUsers(db, cli))).not.toMatch(/argon2|password/);
  });

  test.each([
    [{ username: "li.wei", role: "auditor" }, /taken/],
    [{ username: "x1", role: "lead_supervisor" }, /--unit is required/],
    [{ username: "x2", role: "lead_supervisor", unit: "aic_cq" }, /aic_cq leads no sector/],
    [{ username: "x3", role: "auditor", unit: "cbrc_cq" }, /belongs to no unit/],
    [{ username: "x4", role: "institution" }, /--institution is required/],
    [
      { username: "x5", role: "institution", institution: "91500103MA000099X1" },
      /no institution with credit code/,
    ],
    [{ username: "x6", role: "finance_office", unit: "cbrc_cq" }, /finance_office unit/],
    [{ username: "x7", role: "admin", districts: ["渝中区"] }, /only supervisors/],
    [{ username: "bad name!", role: "admin" }, /username/],
    [{ username: "x8", role: "king" }, /role/],
  ])("refuses %o", async (input, message) => {
    await expect(createUser(db, cli, { password: testPassword, ...input } as never)).rejects.toThrow(message);
  });

  test("only an administrator (or the CLI) creates and disables users", async () => {
    const lead = await seedUser(db, "lead-not-admin", "lead_supervisor", { unit: "csrc_cq" });
    await expect(
      createUser(db, lead, { username: "sneaky", password: testPassword, role: "admin" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(disableUser(db, lead, "li.wei")).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = await seedUser(db, "the-admin", "admin");
    await expect(disableUser(db, admin, "the-admin")).rejects.toThrow(/cannot disable yourself/);
  });
});

describe("sign-in and sessions", () => {
  test("signing in opens a new session; only digests of the session id and CSRF token are stored", async () => {
    const user = await seedUser(db, "signer", "auditor");
    const r = await login(db, { username: "SIGNER", password: testPassword, client: nextClient() });
    expect(r.principal).toMatchObject({ userId: user.userId, role: "auditor", via: "session" });
    expect(r.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [s] = await db.query<{ token_hash: string; csrf_hash: string }>(
      "select token_hash, csrf_hash from sessions where id = $1",
      [r.principal.sessionId],
    );
    expect(s).toEqual({ token_hash: sha256(r.sessionToken), csrf_hash: sha256(r.csrfToken) });
    const auth = await authenticateSession(db, r.sessionToken);
    expect(auth?.principal).toMatchObject({ username: "signer", sessionId: r.principal.sessionId });
    expect(auth?.csrfHash).toBe(sha256(r.csrfToken));
  });

  test("a wrong password and an unknown user get the same answer", async () => {
    await seedUser(db, "guarded", "auditor");
    const c = nextClient();
    await expect(login(db, { username: "guarded", password: "wrong password!!", client: c })).rejects.toThrow(
      "invalid username or password",
    );
    await expect(
      login(db, { username: "nobody-at-all", password: "wrong password!!", client: c }),
    ).rejects.toThrow("invalid username or password");
  });

  test(`${authSettings.lockoutFailures} failures lock the account, even against the right password, until the lock ends`, async () => {
    await seedUser(db, "locked-out", "auditor");
    const c = nextClient();
    for (let i = 0; i < authSettings.lockoutFailures; i++) {
      await expect(
        login(db, { username: "locked-out", password: `guess number ${i}!`, client: c }),
      ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    }
    await expect(
      login(db, { username: "locked-out", password: testPassword, client: c }),
    ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const [log] = await db.query("select 1 from audit_log where action = 'user.locked'");
    expect(log).toBeDefined();
    await db.query(
      "update users set locked_until = now() - interval '1 second' where username = 'locked-out'",
    );
    await expect(
      login(db, { username: "locked-out", password: testPassword, client: c }),
    ).resolves.toMatchObject({
      principal: { username: "locked-out" },
    });
  });

  test(`${authSettings.clientFailures} failures from one address throttle it, whatever the username`, async () => {
    const c = nextClient();
    for (let i = 0; i < authSettings.clientFailures; i++) {
      await expect(
        login(db, { username: `spray-${i}`, password: "wrong password!!", client: c }),
      ).rejects.toMatchObject({
        code: "UNAUTHENTICATED",
      });
    }
    const e = await login(db, { username: "signer", password: testPassword, client: c }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(SignInThrottled);
    expect((e as SignInThrottled).retryAfterSeconds).toBeGreaterThan(0);
    expect((e as SignInThrottled).code).toBe("RATE_LIMITED");
    await expect(
      login(db, { username: "signer", password: testPassword, client: nextClient() }),
    ).resolves.toBeDefined();
  });

  test("a session id presented at sign-in is ended, never adopted (no session fixation)", async () => {
    const first = await login(db, { username: "signer", password: testPassword, client: nextClient() });
    const second = await login(db, {
      username: "signer",
      password: testPassword,
      client: nextClient(),
      presentedSession: first.sessionToken,
    });
    expect(second.sessionToken).not.toBe(first.sessionToken);
    expect(await authenticateSession(db, first.sessionToken)).toBeNull();
    expect(await authenticateSession(db, second.sessionToken)).not.toBeNull();
  });

  test("a session ends when idle too long, past its absolute lifetime, at sign-out, or when its user is disabled", async () => {
    const open = async () =>
      (await login(db, { username: "signer", password: testPassword, client: nextClient() })).sessionToken;
    const idle = await open();
    await db.query(
      "update sessions set last_seen_at = now() - make_interval(mins => $2) where token_hash = $1",
      [sha256(idle), authSettings.idleMinutes + 1],
    );
    expect(await authenticateSession(db, idle)).toBeNull();
    const [revoked] = await db.query<{ revoked: boolean }>(
      "select revoked_at is not null as revoked from sessions where token_hash = $1",
      [sha256(idle)],
    );
    expect(revoked!.revoked).toBe(true);
    const old = await open();
    await db.query("update sessions set expires_at = now() - interval '1 second' where token_hash = $1", [
      sha256(old),
    ]);
    expect(await authenticateSession(db, old)).toBeNull();
    const out = await open();
    await logout(db, (await authenticateSession(db, out))!.principal);
    expect(await authenticateSession(db, out)).toBeNull();
    await seedUser(db, "leaver", "auditor");
    const leaver = (await login(db, { username: "leaver", password: testPassword, client: nextClient() }))
      .sessionToken;
    await disableUser(db, cli, "leaver");
    expect(await authenticateSession(db, leaver)).toBeNull();
    await expect(
      login(db, { username: "leaver", password: testPassword, client: nextClient() }),
    ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await authenticateSession(db, "not-a-session")).toBeNull();
  });

  test("changing the password needs the current one, follows the policy, and ends the other sessions", async () => {
    const user = await seedUser(db, "changer", "auditor");
    const a = await login(db, { username: "changer", password: testPassword, client: nextClient() });
    const b = await login(db, { username: "changer", password: testPassword, client: nextClient() });
    const me = { ...user, sessionId: a.principal.sessionId! };
    await expect(
      changePassword(db, me, { current: "wrong one here", next: "a brand new passphrase" }),
    ).rejects.toThrow(/current password/);
    await expect(changePassword(db, me, { current: testPassword, next: "changer123456" })).rejects.toThrow(
      /username/,
    );
    await changePassword(db, me, { current: testPassword, next: "a brand new passphrase" });
    expect(await authenticateSession(db, a.sessionToken)).not.toBeNull();
    expect(await authenticateSession(db, b.sessionToken)).toBeNull();
    await expect(
      login(db, { username: "changer", password: "a brand new passphrase", client: nextClient() }),
    ).resolves.toBeDefined();
  });
});

describe("API tokens", () => {
  test("an institution issues itself a scoped token, shown once and stored as a digest; revoking it stops it", async () => {
    const bank = await seedUser(db, "bank-a-system", "institution", { institution: inst.bankA });
    const t = await createApiToken(db, bank, { name: "core banking", scopes: ["uploads"], days: 30 });
    expect(t.token).toMatch(/^bcn_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(t.token.startsWith(`bcn_${t.prefix}_`)).toBe(true);
    const stored = await db.query("select * from api_tokens where id = $1", [t.id]);
    expect(JSON.stringify(stored)).not.toContain(t.token);
    expect(await authenticateToken(db, t.token)).toMatchObject({
      via: "token",
      username: "bank-a-system",
      institution: inst.bankA,
      tokenScopes: ["uploads"],
    });
    expect((await listApiTokens(db, bank)).map((x) => x.id)).toEqual([t.id]);
    await revokeApiToken(db, bank, t.id);
    expect(await authenticateToken(db, t.token)).toBeNull();
    expect(await authenticateToken(db, `${t.token}x`)).toBeNull();
  });

  test("expired tokens and tokens of disabled users stop working; others cannot revoke or mint tokens for someone else", async () => {
    const bank = await seedUser(db, "bank-b-system", "institution", { institution: inst.bankB });
    const other = await seedUser(db, "bank-c-system", "institution", { institution: inst.loanC });
    const t = await createApiToken(db, bank, { name: "x", scopes: ["read", "events"] });
    await expect(revokeApiToken(db, other, t.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      createApiToken(db, other, { name: "x", scopes: ["uploads"], username: "bank-b-system" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const auditor = await seedUser(db, "token-auditor", "auditor");
    await expect(createApiToken(db, auditor, { name: "x", scopes: ["read"] })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await db.query("update api_tokens set expires_at = now() - interval '1 second' where id = $1", [t.id]);
    expect(await authenticateToken(db, t.token)).toBeNull();
    const admin = await seedUser(db, "token-admin", "admin");
    const forBank = await createApiToken(db, admin, {
      name: "issued by ops",
      scopes: ["uploads"],
      username: "bank-b-system",
    });
    expect(await authenticateToken(db, forBank.token)).toMatchObject({ username: "bank-b-system" });
    await disableUser(db, admin, "bank-b-system");
    expect(await authenticateToken(db, forBank.token)).toBeNull();
    await expect(
      createApiToken(db, admin, { name: "x", scopes: ["read"], username: "token-auditor" }),
    ).rejects.toThrow(/institutions' systems/);
  });
});

describe("demo users", () => {
  test("one per role, created once, with passwords printed once that sign in", async () => {
    const lines: string[] = [];
    const first = await createDemoUsers(db, (l) => lines.push(l));
    expect(first.map((u) => u.role)).toEqual([
      "admin",
      "auditor",
      "lead_supervisor",
      "coordinating_supervisor",
      "finance_office",
      "institution",
    ]);
    expect(first.every((u) => u.created)).toBe(true);
    const logins = lines.slice(1).map((l) => l.trim().split(/\s+/));
    expect(logins).toHaveLength(6);
    for (const [username, password] of logins) {
      await expect(
        login(db, { username: username!, password: password!, client: nextClient() }),
      ).resolves.toBeDefined();
    }
    const again: string[] = [];
    const second = await createDemoUsers(db, (l) => again.push(l));
    expect(second.every((u) => !u.created)).toBe(true);
    expect(again).toEqual([]);
  });
});
