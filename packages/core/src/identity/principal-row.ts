import type { SupervisoryUnit } from "../contract/institution-types.ts";
import type { Role, UserPrincipal } from "./roles.ts";

/** The user columns a principal is built from, prefixed with the users table alias `u`. */
export const principalColumns = `u.id::text as user_id, u.username, u.role, u.unit, trim(u.institution_code) as institution, u.districts`;

export function toPrincipal(r: Record<string, unknown>, via: "session" | "token"): UserPrincipal {
  return {
    kind: "user",
    userId: Number(r.user_id),
    username: String(r.username),
    role: r.role as Role,
    unit: (r.unit as SupervisoryUnit | null) ?? null,
    institution: (r.institution as string | null) ?? null,
    districts: (r.districts as string[] | null) ?? null,
    via,
  };
}
