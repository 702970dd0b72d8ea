import { createContext, useContext } from "react";

export interface SessionUser {
  username: string;
  role: string;
  unit: string | null;
  institution: string | null;
  districts: string[] | null;
  sectors: string[];
}

export interface Session {
  /** null: no one signed in; "open": the server has no sign-in yet, everything is readable. */
  user: SessionUser | null | "open";
  signOut: () => void;
}

export const SessionContext = createContext<Session>({ user: null, signOut: () => {} });

export function useSession(): Session {
  return useContext(SessionContext);
}

/** Whether the signed-in user holds one of these roles (everyone does while the server has no sign-in). */
export function hasRole(session: Session, roles: readonly string[]): boolean {
  if (session.user === "open") return true;
  return session.user !== null && roles.includes(session.user.role);
}

export const staffRoles = [
  "admin",
  "auditor",
  "lead_supervisor",
  "coordinating_supervisor",
  "finance_office",
] as const;
export const supervisorRoles = ["lead_supervisor", "coordinating_supervisor", "finance_office"] as const;
export const leaderRoles = ["lead_supervisor", "finance_office"] as const;
