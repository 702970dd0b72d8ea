import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { AppError } from "@beacon/core/errors";
import { createApiToken } from "@beacon/core/identity/create-api-token";
import { createUser } from "@beacon/core/identity/create-user";
import { disableUser } from "@beacon/core/identity/disable-user";
import { listUsers } from "@beacon/core/identity/list-users";
import { roles, system, tokenScopes } from "@beacon/core/identity/roles";
import type { UserSummary } from "@beacon/core/identity/user-row";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

type Result =
  | { action: "add"; user: UserSummary }
  | { action: "list"; users: UserSummary[] }
  | { action: "disable"; user: UserSummary }
  | { action: "token"; id: number; token: string; username: string; scopes: string[]; expiresAt: string };

/** Reads a password without echo from a terminal, or one line from a pipe. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const rl = createInterface({ input: stdin });
    try {
      for await (const line of rl) return line;
    } finally {
      rl.close();
    }
    throw new AppError("INVALID_INPUT", "no password on standard input");
  }
  // Echo goes off before the prompt shows, so nothing typed after the prompt can be echoed.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = "";
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString("utf8")) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            resolve(text);
            return;
          }
          if (ch === "\u0003") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            reject(new AppError("INVALID_INPUT", "cancelled"));
            return;
          }
          if (ch === "\u007f" || ch === "\b") text = [...text].slice(0, -1).join("");
          else text += ch;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

function actor() {
  // The audit log names the operating-system account that ran the command.
  let who = "unknown";
  try {
    who = userInfo().username;
  } catch {}
  return system(`cli:${who}`);
}

export const command = defineCommand<Result>({
  name: "users",
  summary: "Add, list or disable users; issue API tokens for institutions' systems",
  usage: `Usage: beacon users add --username NAME --role ROLE [--unit UNIT] [--institution CODE] [--districts A,B] [--email ADDR] [--password P]
       beacon users list
       beacon users disable --username NAME
       beacon users token --username NAME --scopes uploads,read [--name TEXT] [--days N]

Roles: ${roles.join(", ")}.
--unit is a supervisory unit code (cbrc_cq, csrc_cq, circ_cq, pbc_cq, finance_office, ...) for supervisors;
--institution the credit code of an institution user. Without --password the password is asked for
(without echo on a terminal, or read as one line from standard input). Passwords need 12 characters or more,
must not contain the username and must not be a common password. A token is shown once; scopes: ${tokenScopes.join(", ")}.`,
  allowPositionals: true,
  options: {
    username: { type: "string" },
    password: { type: "string" },
    role: { type: "string" },
    unit: { type: "string" },
    institution: { type: "string" },
    districts: { type: "string" },
    email: { type: "string" },
    scopes: { type: "string" },
    name: { type: "string" },
    days: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    const [action, ...extra] = positionals;
    if (extra.length > 0 || !action)
      throw new AppError("INVALID_INPUT", "say what to do: beacon users add|list|disable|token");
    const str = (k: string) => values[k] as string | undefined;
    const need = (k: string) => {
      const v = str(k);
      if (!v) throw new AppError("INVALID_INPUT", `--${k} is required for users ${action}`);
      return v;
    };
    switch (action) {
      case "add": {
        const username = need("username");
        const role = need("role");
        let password = str("password");
        if (password !== undefined)
          ctx.log(
            "warning: --password shows the password in the process list and shell history; omit it to be asked",
          );
        password ??= await readPassword(`Password for ${username}: `);
        return withBeacon(ctx, async (beacon) => ({
          action: "add" as const,
          user: await createUser(beacon.db, actor(), {
            username,
            password,
            role: role as never,
            ...(str("unit") ? { unit: str("unit") as never } : {}),
            ...(str("institution") ? { institution: str("institution")! } : {}),
            ...(str("districts")
              ? {
                  districts: str("districts")!
                    .split(",")
                    .map((d) => d.trim()),
                }
              : {}),
            ...(str("email") ? { email: str("email")! } : {}),
          }),
        }));
      }
      case "list":
        return withBeacon(ctx, async (beacon) => ({
          action: "list" as const,
          users: await listUsers(beacon.db, actor()),
        }));
      case "disable": {
        const username = need("username");
        return withBeacon(ctx, async (beacon) => ({
          action: "disable" as const,
          user: await disableUser(beacon.db, actor(), username),
        }));
      }
      case "token": {
        const username = need("username");
        const scopes = need("scopes")
          .split(",")
          .map((s) => s.trim());
        const daysText = str("days");
        if (daysText !== undefined && !/^[1-9][0-9]{0,2}$/.test(daysText))
          throw new AppError("INVALID_INPUT", "--days must be 1-730");
        return withBeacon(ctx, async (beacon) => {
          const t = await createApiToken(beacon.db, actor(), {
            name: str("name") ?? "issued with beacon users token",
            scopes: scopes as never,
            username,
            ...(daysText ? { days: Number(daysText) } : {}),
          });
          return {
            action: "token" as const,
            id: t.id,
            token: t.token,
            username: t.username,
            scopes: t.scopes,
            expiresAt: t.expiresAt,
          };
        });
      }
      default:
        throw new AppError("INVALID_INPUT", `unknown action "${action}"; use add, list, disable or token`);
    }
  },
  render(r) {
    const scope = (u: UserSummary) => u.unit ?? u.institution ?? "";
    switch (r.action) {
      case "add":
        return `created ${r.user.username} (${r.user.role}${scope(r.user) ? `, ${scope(r.user)}` : ""})`;
      case "disable":
        return `disabled ${r.user.username}: sessions ended, API tokens revoked`;
      case "token":
        return `API token ${r.id} for ${r.username} [${r.scopes.join(", ")}], expires ${r.expiresAt.slice(0, 10)}; shown once:\n${r.token}`;
      case "list": {
        const lines = ["username             role                      unit/institution    status"];
        for (const u of r.users) {
          const status = u.disabledAt
            ? "disabled"
            : u.lockedUntil && new Date(u.lockedUntil) > new Date()
              ? "locked"
              : "active";
          lines.push(`${u.username.padEnd(20)} ${u.role.padEnd(25)} ${scope(u).padEnd(19)} ${status}`);
        }
        return lines.join("\n");
      }
    }
  },
});
