import type { Db } from "../db/client.ts";
import { type CreateUserInput, createUser } from "./create-user.ts";
import { system } from "./roles.ts";
import { newSecret } from "./secrets.ts";

/**
 * Creates one demo user per role (idempotent: existing ones are left alone) and prints each new login once
 * through `log`; the passwords are random and kept nowhere else. The institution user belongs to the first
 * registered bank (or any institution), so call this after the demo province is loaded.
 */
export async function createDemoUsers(
  db: Db,
  log: (line: string) => void,
): Promise<{ username: string; role: string; created: boolean }[]> {
  const [inst] = await db.query<{ code: string }>(
    "select trim(code) as code from institutions where status = 'active' order by (type = 'bank') desc, code limit 1",
  );
  const wanted: Omit<CreateUserInput, "password">[] = [
    { username: "demo-admin", role: "admin", displayName: "Demo administrator" },
    { username: "demo-auditor", role: "auditor", displayName: "Demo auditor" },
    {
      username: "demo-lead",
      role: "lead_supervisor",
      unit: "cbrc_cq",
      displayName: "Demo banking supervisor",
    },
    {
      username: "demo-coordinator",
      role: "coordinating_supervisor",
      unit: "aic_cq",
      displayName: "Demo coordinating supervisor",
    },
    {
      username: "demo-finance",
      role: "finance_office",
      unit: "finance_office",
      displayName: "Demo finance office",
    },
  ];
  if (inst) wanted.push({ username: "demo-institution", role: "institution", institution: inst.code });
  else log("no institution registered yet: the demo institution user is not created");
  const out: { username: string; role: string; created: boolean }[] = [];
  const lines: string[] = [];
  for (const w of wanted) {
    const [exists] = await db.query("select 1 from users where lower(username) = lower($1)", [w.username]);
    if (exists) {
      out.push({ username: w.username!, role: w.role!, created: false });
      continue;
    }
    const password = newSecret(15);
    await createUser(db, system("demo"), { ...w, password } as CreateUserInput);
    lines.push(
      `  ${w.username!.padEnd(18)} ${password}  (${w.role}${w.unit ? `, ${w.unit}` : ""}${w.institution ? `, ${w.institution}` : ""})`,
    );
    out.push({ username: w.username!, role: w.role!, created: true });
  }
  if (lines.length > 0) {
    log("demo users (the passwords are shown only now):");
    for (const l of lines) log(l);
  }
  return out;
}
