import { randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "./policy.ts";
import { actorName, type Principal, tokenScopes } from "./roles.ts";
import { newSecret, sha256 } from "./secrets.ts";
import { authSettings } from "./settings.ts";

export const createApiTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(100).describe("What the token is for, e.g. the system that uses it."),
  scopes: z.array(z.enum(tokenScopes)).min(1).max(tokenScopes.length),
  days: z.number().int().min(1).max(730).optional(),
  username: z.string().max(64).optional().describe("Operators only: the user the token acts as."),
});

export interface CreatedToken {
  id: number;
  /** The token itself, shown this once; only its SHA-256 is kept. */
  token: string;
  prefix: string;
  name: string;
  scopes: string[];
  username: string;
  expiresAt: string;
}

const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/**
 * Issues a scoped, revocable API token for an institution's systems. An institution issues for itself; an
 * operator for a named user. A token never does more than its user could, and only what its scopes allow.
 */
export async function createApiToken(
  db: Db,
  actor: Principal,
  input: z.input<typeof createApiTokenInput>,
): Promise<CreatedToken> {
  assertAllowed(actor, "tokens.create", { kind: "none" });
  const t = createApiTokenInput.parse(input);
  const forOther = t.username !== undefined && !(actor.kind === "user" && actor.username === t.username);
  if (forOther && !(actor.kind === "system" || (actor.kind === "user" && actor.role === "admin"))) {
    throw new AppError("FORBIDDEN", "only an administrator issues tokens for another user");
  }
  const [user] = await db.query<{ id: string; username: string; role: string }>(
    t.username !== undefined
      ? "select id::text, username, role from users where lower(username) = lower($1) and disabled_at is null"
      : "select id::text, username, role from users where id = $1 and disabled_at is null",
    [t.username ?? (actor.kind === "user" ? actor.userId : -1)],
  );
  if (!user) throw new AppError("NOT_FOUND", `no active user ${t.username ?? ""}`.trim());
  if (user.role !== "institution" && user.role !== "admin") {
    throw new AppError(
      "INVALID_INPUT",
      "API tokens are for institutions' systems (and operators' automation)",
    );
  }
  const prefix = [...randomBytes(8)].map((b) => alnum[b % alnum.length]).join("");
  const token = `bcn_${prefix}_${newSecret(32)}`;
  const days = t.days ?? authSettings.tokenDays;
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; expires_at: unknown }>(
      `insert into api_tokens (user_id, name, prefix, token_hash, scopes, created_by, expires_at)
       values ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7)) returning id::text, expires_at`,
      [user.id, t.name, prefix, sha256(token), t.scopes, actorName(actor), days],
    );
    await appendAudit(tx, {
      actor,
      action: "token.created",
      subjectKind: "token",
      subjectId: row!.id,
      detail: { username: user.username, name: t.name, prefix, scopes: t.scopes, days },
    });
    return {
      id: Number(row!.id),
      token,
      prefix,
      name: t.name,
      scopes: t.scopes,
      username: user.username,
      expiresAt: new Date(row!.expires_at as string).toISOString(),
    };
  });
}
