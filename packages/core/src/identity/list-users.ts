import type { Sql } from "../db/client.ts";
import { assertAllowed } from "./policy.ts";
import type { Principal } from "./roles.ts";
import { toUser, type UserSummary, userColumns } from "./user-row.ts";

/** Every user, by username, with role, scope and status (never a password hash). */
export async function listUsers(db: Sql, actor: Principal): Promise<UserSummary[]> {
  assertAllowed(actor, "users.list", { kind: "none" });
  return (await db.query(`select ${userColumns} from users order by lower(username)`)).map(toUser);
}
