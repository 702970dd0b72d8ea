import type { Sector, SupervisoryUnit } from "../contract/institution-types.ts";
import { AppError } from "../errors.ts";
import {
  leadSectors,
  type Principal,
  type Role,
  supervisorRoles,
  type TokenScope,
  tokenScopes,
  type UserPrincipal,
  visibleSectors,
} from "./roles.ts";

/**
 * What an action is done to.
 * - `none`: no one's data (signing in, one's own profile, the OpenAPI document).
 * - `collection`: a list that the use case filters to the caller's scope (`scopeOf`), or a creation whose
 *   target the use case checks again with the same function once it knows it.
 * - `everything`: data across every institution, unfiltered; only principals with a global view may.
 * - `data`: one item, described by whom it belongs to.
 */
export type Resource =
  | { kind: "none" }
  | { kind: "collection" }
  | { kind: "everything" }
  | ({ kind: "data" } & DataResource);

export interface DataResource {
  institution?: string | null;
  sector?: Sector | null;
  district?: string | null;
  /** The unit that owns it (a case's owner, a list entry's author unit). */
  ownerUnit?: SupervisoryUnit | null;
  /** Other units it is shared with (a case's coordinating units, an event's escalation chain so far). */
  units?: readonly SupervisoryUnit[];
  /** The user it belongs to (an API token, a subscription). */
  ownerUserId?: number | null;
}

/**
 * How the resource must relate to the principal:
 * - `none`: the role is enough.
 * - `read`: the caller must see the data (own institution; a unit's sectors or its cases; global readers all).
 * - `leadSector`: the caller's unit leads the resource's sector.
 * - `owner`: the caller's unit owns the resource.
 * - `member`: the caller's unit owns the resource or is one of its units.
 * - `chain`: the caller's unit is one of the resource's units (an event's escalation chain).
 * - `self`: the resource belongs to the calling user.
 */
type Scope = "none" | "read" | "leadSector" | "owner" | "member" | "chain" | "self";

interface Rule {
  roles: "public" | "signed_in" | readonly Role[];
  scope: Scope;
  write: boolean;
  /** Token scopes that allow the action through an API token; none means sessions only. */
  tokens?: readonly TokenScope[];
  /** Roles that pass the scope check everywhere (auditors always do for reads). */
  everywhere?: readonly Role[];
}

const supervisors = supervisorRoles;
const leaders: readonly Role[] = ["lead_supervisor", "finance_office"];
const staff: readonly Role[] = ["admin", "auditor", ...supervisors];
const allRoles: readonly Role[] = ["admin", "auditor", ...supervisors, "institution"];

/** Every action the platform knows, with who may do it; anything not listed here is denied. */
export const actionRules = {
  "system.health": { roles: "public", scope: "none", write: false },
  "system.openapi": { roles: "public", scope: "none", write: false },
  "auth.login": { roles: "public", scope: "none", write: false },
  "auth.logout": { roles: "signed_in", scope: "none", write: false },
  "auth.me": { roles: "signed_in", scope: "none", write: false, tokens: tokenScopes },
  "auth.password": { roles: "signed_in", scope: "none", write: false },
  "users.list": { roles: ["admin", "auditor"], scope: "none", write: false },
  "users.create": { roles: ["admin"], scope: "none", write: true },
  "users.disable": { roles: ["admin"], scope: "none", write: true },
  "tokens.list": {
    roles: ["admin", "auditor", "institution"],
    scope: "self",
    write: false,
    everywhere: ["admin"],
  },
  "tokens.create": { roles: ["admin", "institution"], scope: "none", write: true },
  "tokens.revoke": { roles: ["admin", "institution"], scope: "self", write: true, everywhere: ["admin"] },
  "institutions.list": { roles: staff, scope: "read", write: false, everywhere: ["admin"] },
  "institutions.read": {
    roles: allRoles,
    scope: "read",
    write: false,
    tokens: ["read"],
    everywhere: ["admin"],
  },
  "intake.status": { roles: staff, scope: "none", write: false },
  "intake.reports": { roles: ["admin", "auditor"], scope: "none", write: false },
  "submissions.list": {
    roles: allRoles,
    scope: "read",
    write: false,
    tokens: ["read"],
    everywhere: ["admin"],
  },
  "submissions.read": {
    roles: allRoles,
    scope: "read",
    write: false,
    tokens: ["read"],
    everywhere: ["admin"],
  },
  // Which institutions' rows an upload may carry is enforced by intake (allowedReporters) from the principal.
  "uploads.create": { roles: ["admin", "institution"], scope: "none", write: true, tokens: ["uploads"] },
  "cases.list": { roles: ["auditor", ...supervisors], scope: "read", write: false },
  "cases.read": { roles: ["auditor", ...supervisors], scope: "read", write: false },
  "cases.create": { roles: leaders, scope: "leadSector", write: true },
  "cases.transition": { roles: leaders, scope: "owner", write: true },
  "cases.rectify": { roles: leaders, scope: "owner", write: true },
  "cases.comment": { roles: supervisors, scope: "member", write: true },
  "cases.attach": { roles: supervisors, scope: "member", write: true },
  "rectifications.list": {
    roles: ["auditor", ...supervisors, "institution"],
    scope: "read",
    write: false,
    tokens: ["read"],
  },
  "rectifications.respond": { roles: ["institution"], scope: "read", write: true },
  "rectifications.review": { roles: leaders, scope: "owner", write: true },
  "workflow.scan": { roles: ["admin"], scope: "none", write: true },
  "notifications.list": { roles: allRoles, scope: "none", write: false },
  "notifications.update": { roles: ["admin", ...supervisors, "institution"], scope: "none", write: true },
  "events.types": { roles: "signed_in", scope: "none", write: false, tokens: ["events", "read"] },
  "events.list": {
    roles: ["auditor", ...supervisors, "institution"],
    scope: "read",
    write: false,
    tokens: ["events", "read"],
    everywhere: ["finance_office"],
  },
  "events.read": {
    roles: ["auditor", ...supervisors, "institution"],
    scope: "read",
    write: false,
    tokens: ["events", "read"],
    everywhere: ["finance_office"],
  },
  "events.file": {
    roles: [...supervisors, "institution"],
    scope: "read",
    write: true,
    tokens: ["events"],
    everywhere: ["finance_office"],
  },
  "events.follow_up": {
    roles: [...supervisors, "institution"],
    scope: "read",
    write: true,
    tokens: ["events"],
    everywhere: ["finance_office"],
  },
  "events.acknowledge": { roles: supervisors, scope: "chain", write: true },
  "events.manage": { roles: leaders, scope: "leadSector", write: true, everywhere: ["finance_office"] },
  "lists.read": { roles: ["auditor", ...supervisors], scope: "none", write: false },
  "lists.add": { roles: supervisors, scope: "none", write: true },
  "lists.revoke": { roles: supervisors, scope: "owner", write: true, everywhere: ["finance_office"] },
  "feed.read": {
    roles: ["auditor", ...supervisors],
    scope: "read",
    write: false,
    everywhere: ["finance_office"],
  },
  "feed.post": { roles: supervisors, scope: "read", write: true, everywhere: ["finance_office"] },
  "subscriptions.list": { roles: ["auditor", ...supervisors], scope: "self", write: false },
  "subscriptions.create": { roles: supervisors, scope: "read", write: true },
  "subscriptions.delete": { roles: supervisors, scope: "self", write: true },
  "audit.read": { roles: ["admin", "auditor"], scope: "none", write: false },
  "audit.verify": { roles: ["admin", "auditor"], scope: "none", write: false },
  "audit.seal": { roles: ["admin"], scope: "none", write: true },
  "filings.list": {
    roles: ["auditor", ...supervisors, "institution"],
    scope: "read",
    write: false,
    tokens: ["filings", "read"],
  },
  "filings.read": {
    roles: ["auditor", ...supervisors, "institution"],
    scope: "read",
    write: false,
    tokens: ["filings", "read"],
  },
  "filings.create": { roles: ["institution"], scope: "read", write: true, tokens: ["filings"] },
  // Rules and their governed parameters: the catalog is reference data for every supervisor; parameters change
  // only by maker-checker among the leading units. Check results (stored, computed or what-if) are filtered to the
  // institutions the caller sees; running and storing a check is an operator's job.
  "rules.read": { roles: staff, scope: "none", write: false },
  "params.propose": { roles: leaders, scope: "none", write: true },
  "params.decide": { roles: leaders, scope: "none", write: true },
  "checks.read": { roles: staff, scope: "read", write: false, everywhere: ["admin"] },
  "checks.run": { roles: ["admin"], scope: "none", write: true },
  // Detectors: the catalog is reference data; findings are filtered to the institutions the caller sees (and,
  // for a unit, the findings of detectors it leads); a run stores findings everyone reads, so operators run it.
  "detectors.read": { roles: staff, scope: "none", write: false },
  "findings.read": {
    roles: allRoles,
    scope: "read",
    write: false,
    tokens: ["read"],
    everywhere: ["admin"],
  },
  "detect.run": { roles: ["admin"], scope: "none", write: true },
  // Local finance (the finance office's sector): reads for whoever sees the sector; the finance office leads every
  // change. Campaign targets carry a district, so a district office acts on and sees its own districts' targets.
  "localfinance.read": { roles: ["auditor", ...supervisors], scope: "read", write: false },
  "localfinance.manage": { roles: ["finance_office"], scope: "leadSector", write: true },
  "campaigns.read": { roles: ["auditor", ...supervisors], scope: "read", write: false },
  "campaigns.manage": { roles: ["finance_office"], scope: "leadSector", write: true },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof actionRules;
export const actions = Object.keys(actionRules) as Action[];

export type Decision = { allowed: true } | { allowed: false; status: 401 | 403; reason: string };

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, status: 403, reason });

/**
 * The one policy decision: may this principal do this action to this resource? Every API request and every
 * use case that changes state goes through it; an unknown action is denied.
 */
export function authorize(principal: Principal, action: Action, resource: Resource): Decision {
  const rule: Rule | undefined = (actionRules as Record<string, Rule>)[action];
  if (!rule) return deny(`unknown action ${action}`);
  if (rule.roles === "public") return allow;
  if (principal.kind === "system") return allow;
  if (principal.kind === "anonymous") return { allowed: false, status: 401, reason: "sign in first" };
  if (rule.roles !== "signed_in" && !rule.roles.includes(principal.role)) {
    return deny(`the ${principal.role} role may not ${action}`);
  }
  // Auditors read everything and change nothing, whatever a rule says.
  if (principal.role === "auditor" && rule.write) return deny("auditors change nothing");
  if (principal.via === "token") {
    const granted = principal.tokenScopes ?? [];
    if (!rule.tokens?.some((s) => granted.includes(s))) {
      return deny(`an API token with scopes [${granted.join(", ")}] may not ${action}`);
    }
  }
  return withinScope(principal, rule, resource) ? allow : deny(`${action} is outside your scope`);
}

/** Throws UNAUTHENTICATED or FORBIDDEN unless `authorize` allows. */
export function assertAllowed(principal: Principal, action: Action, resource: Resource): void {
  const d = authorize(principal, action, resource);
  if (!d.allowed) throw new AppError(d.status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN", d.reason);
}

function withinScope(p: UserPrincipal, rule: Rule, r: Resource): boolean {
  if (r.kind === "none") return true;
  if (rule.scope === "none") return true;
  const global = (p.role === "auditor" && !rule.write) || (rule.everywhere?.includes(p.role) ?? false);
  if (r.kind === "everything") return global;
  // A list the use case filters, or a creation the use case checks again once its target is known.
  if (r.kind === "collection") return true;
  if (global) return true;
  if (rule.scope === "self") return r.ownerUserId != null && r.ownerUserId === p.userId;
  if (p.districts && r.district && !p.districts.includes(r.district)) return false;
  if (p.role === "institution") {
    return rule.scope === "read" && p.institution !== null && r.institution === p.institution;
  }
  const unit = p.unit;
  if (!unit || !supervisorRoles.includes(p.role)) return false;
  const onIt = r.ownerUnit === unit || (r.units?.includes(unit) ?? false);
  switch (rule.scope) {
    case "read":
      return onIt || (r.sector != null && visibleSectors(unit).includes(r.sector));
    case "leadSector":
      return r.sector != null && leadSectors(unit).includes(r.sector);
    case "owner":
      return r.ownerUnit === unit;
    case "member":
      return onIt;
    case "chain":
      return r.units?.includes(unit) ?? false;
  }
}

/** What a principal may see of a collection: the filter every list use case turns into SQL. */
export type ReadScope =
  | { all: true }
  | {
      all: false;
      /** Sectors whose data the caller sees. */
      sectors: Sector[];
      /** The caller's unit: items it owns or shares in are visible whatever their sector. */
      unit: SupervisoryUnit | null;
      districts: string[] | null;
      /** An institution user's own institution: all it sees. */
      institution: string | null;
      userId: number | null;
    };

/** The part of a collection the principal may read through `action`, consistent with `authorize`. */
export function scopeOf(principal: Principal, action: Action): ReadScope {
  const rule: Rule = actionRules[action];
  if (principal.kind === "system") return { all: true };
  const none = {
    all: false,
    sectors: [],
    unit: null,
    districts: null,
    institution: null,
    userId: null,
  } as const;
  if (principal.kind === "anonymous") return { ...none, sectors: [] };
  if (rule.roles !== "signed_in" && rule.roles !== "public" && !rule.roles.includes(principal.role)) {
    return { ...none, sectors: [] };
  }
  if (principal.role === "auditor" || rule.everywhere?.includes(principal.role)) return { all: true };
  if (principal.role === "institution") {
    return { ...none, sectors: [], institution: principal.institution ?? "-", userId: principal.userId };
  }
  const unit = principal.unit;
  return {
    all: false,
    sectors: unit ? visibleSectors(unit) : [],
    unit,
    districts: principal.districts,
    institution: null,
    userId: principal.userId,
  };
}
