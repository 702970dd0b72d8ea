/**
 * The parameter set in force at an instant T: every rule's defaults overlaid with the approved proposals whose
 * effective date is on or before T's date (UTC) and whose approval was recorded at or before T. Nothing is edited in
 * place, so the set in force at any past instant can be rebuilt, and a run repeated "as of" its instant uses the
 * very values it used then.
 */
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type RuleCatalog, resolveCatalogParams } from "../rules/catalog.ts";
import type { ParamOverrides } from "../rules/params.ts";
import { endOfDayUtc, isRealDate } from "./instants.ts";

export interface GovernedValue {
  proposalId: number;
  value: unknown;
  effectiveFrom: string;
  proposedBy: string;
  approvedBy: string;
  approvedAt: string;
}

export interface ParamsInForce {
  /** The instant, as PostgreSQL writes it (microseconds kept). */
  at: string;
  /** Rule id → parameter → the approved value in force. */
  governed: ReadonlyMap<string, ReadonlyMap<string, GovernedValue>>;
  /** The same values as engine overrides (rule id → parameter → value). */
  overrides: ParamOverrides;
  /** Approved values for rules or parameters the catalog no longer has (kept in history, not applied). */
  ignored: { proposalId: number; ruleId: string; param: string }[];
}

const instantPattern = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** Throws INVALID_INPUT naming `what` unless the text is a date or a date-time with its zone. */
export function assertAsOf(text: string, what = "asOf"): "date" | "instant" {
  const t = text.trim();
  if (isRealDate(t)) return "date";
  if (
    instantPattern.test(t) &&
    isRealDate(t.slice(0, 10)) &&
    !Number.isNaN(Date.parse(t.replace(" ", "T")))
  ) {
    return "instant";
  }
  throw new AppError(
    "INVALID_INPUT",
    `${what} "${text}" is neither a date (YYYY-MM-DD) nor a date-time with its zone (2026-03-01T09:30:00Z)`,
  );
}

/**
 * Resolves an as-of value to an instant in PostgreSQL's text (microseconds kept): none means now; a date
 * (YYYY-MM-DD) means the end of that day in UTC; an ISO date-time must carry its zone. `what` names the input in
 * errors (e.g. "--as-of").
 */
export async function resolveInstant(db: Sql, asOf: string | undefined, what = "asOf"): Promise<string> {
  if (asOf === undefined) {
    const [r] = await db.query<{ t: string }>("select to_json(clock_timestamp()) #>> '{}' as t");
    return r!.t;
  }
  const text = asOf.trim();
  const kind = assertAsOf(text, what);
  const [r] = await db.query<{ t: string }>("select to_json($1::timestamptz) #>> '{}' as t", [
    kind === "date" ? endOfDayUtc(text) : text,
  ]);
  return r!.t;
}

/** The approved parameter values in force at the instant `at` (see resolveInstant). */
export async function loadParamsInForce(db: Sql, catalog: RuleCatalog, at: string): Promise<ParamsInForce> {
  const rows = await db.query<{
    id: string;
    rule_id: string;
    param: string;
    value: unknown;
    effective_from: string;
    proposed_by: string;
    decided_by: string;
    decided_at: string;
  }>(
    `select distinct on (p.rule_id, p.param) p.id::text, p.rule_id, p.param, p.value, p.effective_from::text,
       p.proposed_by, d.decided_by, to_json(d.decided_at) #>> '{}' as decided_at
     from param_proposals p join param_decisions d on d.proposal_id = p.id and d.decision = 'approved'
     where p.effective_from <= ($1::timestamptz at time zone 'UTC')::date and d.decided_at <= $1::timestamptz
     order by p.rule_id, p.param, p.effective_from desc, d.decided_at desc, p.id desc`,
    [at],
  );
  const governed = new Map<string, Map<string, GovernedValue>>();
  const overrides: Record<string, Record<string, unknown>> = {};
  const ignored: ParamsInForce["ignored"] = [];
  for (const r of rows) {
    const entry = catalog.rules.get(r.rule_id);
    if (!entry || !(r.param in (entry.rule.params.specs as object))) {
      ignored.push({ proposalId: Number(r.id), ruleId: r.rule_id, param: r.param });
      continue;
    }
    const byParam = governed.get(r.rule_id) ?? new Map<string, GovernedValue>();
    byParam.set(r.param, {
      proposalId: Number(r.id),
      value: r.value,
      effectiveFrom: r.effective_from,
      proposedBy: r.proposed_by,
      approvedBy: r.decided_by,
      approvedAt: r.decided_at,
    });
    governed.set(r.rule_id, byParam);
    overrides[r.rule_id] = { ...overrides[r.rule_id], [r.param]: r.value };
  }
  return { at, governed, overrides, ignored };
}

/** What a stored result records of the parameters: per rule its version, every value used, and which were governed. */
export type ParamSnapshot = Record<
  string,
  { version: number; params: Record<string, unknown>; governed: Record<string, number> }
>;

/**
 * Resolves every rule's parameters under the set in force (plus optional what-if overrides on top), and the
 * snapshot a stored run keeps. Values governed earlier that a rule's schema now refuses are reported as a conflict.
 */
export function resolveInForce(
  catalog: RuleCatalog,
  inForce: ParamsInForce,
  whatIf: ParamOverrides = {},
): { resolved: Map<string, Record<string, unknown>>; overrides: ParamOverrides; snapshot: ParamSnapshot } {
  try {
    resolveCatalogParams(catalog, inForce.overrides);
  } catch (e) {
    if (e instanceof AppError) {
      throw new AppError(
        "CONFLICT",
        `Approved parameter values no longer pass their rules' schemas (a rule changed): ${e.message}; propose new values`,
        e.details,
      );
    }
    throw e;
  }
  const merged: Record<string, Record<string, unknown>> = {};
  for (const [id, values] of Object.entries(inForce.overrides)) merged[id] = { ...values };
  for (const [id, values] of Object.entries(whatIf)) merged[id] = { ...merged[id], ...values };
  const resolved = resolveCatalogParams(catalog, merged);
  const snapshot: ParamSnapshot = {};
  for (const [id, entry] of catalog.rules) {
    const governed: Record<string, number> = {};
    for (const [param, g] of inForce.governed.get(id) ?? []) governed[param] = g.proposalId;
    snapshot[id] = { version: entry.rule.version, params: resolved.get(id)!, governed };
  }
  return { resolved, overrides: merged, snapshot };
}
