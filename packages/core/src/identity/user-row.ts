import { isoOrNull } from "./values.ts";

/** A user as lists show it: never the password hash. */
export interface UserSummary {
  id: number;
  username: string;
  displayName: string | null;
  email: string | null;
  role: string;
  unit: string | null;
  institution: string | null;
  districts: string[] | null;
  createdAt: string | null;
  disabledAt: string | null;
  lockedUntil: string | null;
  lastLoginAt: string | null;
}

export const userColumns = `id::text, username, display_name as "displayName", email, role, unit, trim(institution_code) as institution,
  districts, created_at as "createdAt", disabled_at as "disabledAt", locked_until as "lockedUntil", last_login_at as "lastLoginAt"`;

export function toUser(r: Record<string, unknown>): UserSummary {
  return {
    id: Number(r.id),
    username: String(r.username),
    displayName: (r.displayName as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    role: String(r.role),
    unit: (r.unit as string | null) ?? null,
    institution: (r.institution as string | null) ?? null,
    districts: (r.districts as string[] | null) ?? null,
    createdAt: isoOrNull(r.createdAt),
    disabledAt: isoOrNull(r.disabledAt),
    lockedUntil: isoOrNull(r.lockedUntil),
    lastLoginAt: isoOrNull(r.lastLoginAt),
  };
}
