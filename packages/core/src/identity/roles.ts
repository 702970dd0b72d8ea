import {
  type Sector,
  type SupervisoryUnit,
  sectors,
  sectorUnits,
  supervisoryUnits,
} from "../contract/institution-types.ts";

/** The roles a user can hold; each user holds exactly one. */
export const roles = [
  "admin",
  "auditor",
  "lead_supervisor",
  "coordinating_supervisor",
  "finance_office",
  "institution",
] as const;
export type Role = (typeof roles)[number];

/** Roles that belong to a supervisory unit (and see the sectors their unit leads or coordinates). */
export const supervisorRoles: readonly Role[] = [
  "lead_supervisor",
  "coordinating_supervisor",
  "finance_office",
];

/** What an API token may be used for; a token never does more than its user could. */
export const tokenScopes = ["uploads", "filings", "events", "read"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const unitCodes = Object.keys(supervisoryUnits) as SupervisoryUnit[];

/** A signed-in user, through a browser session or an API token. */
export interface UserPrincipal {
  kind: "user";
  userId: number;
  username: string;
  role: Role;
  unit: SupervisoryUnit | null;
  institution: string | null;
  /** When set, the user sees only institutions in these districts (a district office). */
  districts: string[] | null;
  via: "session" | "token";
  sessionId?: number;
  tokenId?: number;
  tokenScopes?: TokenScope[];
}

/** Trusted operators on the server itself (the CLI, scheduled jobs). */
export interface SystemPrincipal {
  kind: "system";
  name: string;
}

export interface AnonymousPrincipal {
  kind: "anonymous";
}

export type Principal = UserPrincipal | SystemPrincipal | AnonymousPrincipal;

export const anonymous: AnonymousPrincipal = { kind: "anonymous" };

/** A system principal for a named job or command. */
export function system(name: string): SystemPrincipal {
  return { kind: "system", name };
}

/** Sectors a unit leads, as the plan assigns them. */
export function leadSectors(unit: SupervisoryUnit): Sector[] {
  return sectors.filter((s) => sectorUnits[s].lead.includes(unit));
}

/** Sectors a unit leads or coordinates: what its supervisors may see. */
export function visibleSectors(unit: SupervisoryUnit): Sector[] {
  return sectors.filter(
    (s) => sectorUnits[s].lead.includes(unit) || sectorUnits[s].coordinate.includes(unit),
  );
}

/** The name written into the audit log and into `created_by` columns. */
export function actorName(p: Principal): string {
  switch (p.kind) {
    case "user":
      return p.via === "token" ? `${p.username} (token ${p.tokenId})` : p.username;
    case "system":
      return `system:${p.name}`;
    case "anonymous":
      return "anonymous";
  }
}
