import type { CheckResult } from "@beacon/core/checks/check-result";
import { readChecks } from "@beacon/core/checks/read-checks";
import { runCheck } from "@beacon/core/checks/run-check";
import { scopeCheckResult } from "@beacon/core/checks/scope-check-result";
import { whatIfCheck } from "@beacon/core/checks/what-if-check";
import { AppError } from "@beacon/core/errors";
import { decideParamProposal } from "@beacon/core/governance/decide-param-proposal";
import { diffParams } from "@beacon/core/governance/diff-params";
import { getRule } from "@beacon/core/governance/get-rule";
import { listParamProposals, listProposalsQuery } from "@beacon/core/governance/list-param-proposals";
import { listRules } from "@beacon/core/governance/list-rules";
import type { Actor } from "@beacon/core/governance/proposal-row";
import { proposeParamChange } from "@beacon/core/governance/propose-param-change";
import { scopeOf } from "@beacon/core/identity/policy";
import { visibleInstitutions } from "@beacon/core/identity/scope-sql";
import { parseParamAssignments } from "@beacon/core/rules/params";
import type { Beacon } from "@beacon/core/runtime";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import type { Context, Hono } from "hono";
import { z } from "zod";
import { idParam, jsonBody, principalOf } from "../auth.ts";
import { get, parseQuery, post } from "../route.ts";

const period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, "must be a period written YYYY-MM or YYYY-Qn");
const asOf = z.string().min(10).max(40);
const flag = z.enum(["true", "false"]).transform((v) => v === "true");
/** A what-if's values: {rule: {param: value}}, or assignments as on the command line ("rule.param=value"). */
const overridesSchema = z.union([
  z.record(z.string(), z.record(z.string(), z.unknown())),
  z.array(z.string()).min(1),
]);
/** Who acts when no user is signed in (the API without its authentication layer); refused from a signed-in caller. */
const user = z.string().trim().min(1).max(100).optional();

const rulesQuery = z.strictObject({ asOf: asOf.optional() });
const diffQuery = z.strictObject({ from: z.string(), to: z.string() });
const checksQuery = z.strictObject({
  period,
  run: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "must be a run id")
    .transform(Number)
    .optional(),
  asOf: asOf.optional(),
  rule: z.string().min(1).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Za-z]{1,40}$/, "must be an institution or product code")
    .optional(),
  detail: flag.optional(),
  fresh: flag.optional(),
});
const storeBody = z.strictObject({ period, asOf: asOf.optional(), user });
const whatIfBody = z.strictObject({
  period,
  overrides: overridesSchema,
  asOf: asOf.optional(),
  rule: z.string().min(1).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Za-z]{1,40}$/)
    .optional(),
  detail: z.boolean().optional(),
});
const proposeBody = z.strictObject({
  ruleId: z.string().min(1),
  param: z.string().min(1),
  value: z.unknown(),
  reason: z.string(),
  effectiveFrom: z.string(),
  user,
});
const decideBody = z.strictObject({ note: z.string().max(2000).optional(), user });

/** The acting user: the signed-in principal, or (with no authentication in front) the body's `user`. */
function actorOf(c: Context, bodyUser: string | undefined): Actor {
  const p = principalOf(c);
  if (p.kind === "user") {
    if (bodyUser !== undefined && bodyUser !== p.username) {
      throw new AppError("INVALID_INPUT", "user: the acting user is the signed-in one; leave `user` out");
    }
    return { name: p.username, audit: p };
  }
  if (p.kind === "system") return { name: bodyUser ?? p.name, audit: p };
  if (bodyUser === undefined) throw new AppError("UNAUTHENTICATED", "sign in, or name the acting `user`");
  return { name: bodyUser, audit: `api:${bodyUser}` };
}

/** Check results span institutions: each caller gets the part it may read. */
async function scoped(c: Context, db: Beacon["db"], result: CheckResult): Promise<CheckResult> {
  return scopeCheckResult(result, await visibleInstitutions(db, scopeOf(principalOf(c), "checks.read")));
}

const without = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };

export function registerRuleRoutes(app: Hono, beacon: Beacon): void {
  const db = beacon.db;
  const deps = { db, dataDir: beacon.config.dataDir };
  get(
    app,
    {
      path: "/api/rules",
      tag: "rules",
      summary:
        "Every rule: applicability, legal basis, parameters in force (with status) and pending proposals",
      query: rulesQuery,
    },
    async (c) => c.json(await listRules(db, chinaCatalog, without(parseQuery(c, rulesQuery)))),
  );
  get(
    app,
    {
      path: "/api/rules/{id}",
      tag: "rules",
      summary: "One rule with its parameters in force and the history of its proposals",
      query: rulesQuery,
      responses: { "200": "The rule", "404": "No such rule" },
    },
    async (c) =>
      c.json(await getRule(db, chinaCatalog, c.req.param("id") ?? "", without(parseQuery(c, rulesQuery)))),
  );
  get(
    app,
    {
      path: "/api/params/diff",
      tag: "rules",
      summary: "Parameter values that differ between the sets in force at the end of two dates",
      query: diffQuery,
    },
    async (c) => c.json(await diffParams(db, chinaCatalog, parseQuery(c, diffQuery))),
  );
  get(
    app,
    {
      path: "/api/params/proposals",
      tag: "rules",
      summary: "Parameter proposals with their decisions, newest first",
      query: listProposalsQuery,
    },
    async (c) => c.json(await listParamProposals(db, parseQuery(c, listProposalsQuery))),
  );
  post(
    app,
    {
      path: "/api/params/proposals",
      tag: "rules",
      summary: "Propose a parameter value effective from a date; another user must approve it",
      body: 'JSON {"ruleId", "param", "value", "reason", "effectiveFrom": "YYYY-MM-DD"}',
      responses: { "201": "The proposal", "404": "No such rule" },
      bodySchema: proposeBody,
    },
    async (c) => {
      const body = await jsonBody(c, proposeBody);
      const { user: bodyUser, ...input } = body;
      return c.json(await proposeParamChange(db, chinaCatalog, actorOf(c, bodyUser), input), 201);
    },
  );
  for (const decision of ["approve", "reject"] as const) {
    post(
      app,
      {
        path: `/api/params/proposals/{id}/${decision}`,
        tag: "rules",
        summary: `${decision === "approve" ? "Approve" : "Reject"} a pending proposal (never its proposer)`,
        body: 'JSON {"note"}',
        responses: {
          "200": "The proposal with its decision",
          "403": "The caller proposed it",
          "404": "No such proposal",
          "409": "Already decided",
        },
        bodySchema: decideBody,
      },
      async (c) => {
        const id = idParam(c);
        const body = await jsonBody(c, decideBody);
        return c.json(
          await decideParamProposal(db, chinaCatalog, actorOf(c, body.user), id, {
            decision,
            note: body.note ?? "",
          }),
        );
      },
    );
  }
  get(
    app,
    {
      path: "/api/checks",
      tag: "rules",
      summary:
        "Breaches of a period: the latest stored run (or ?run=), else computed now; ?asOf= or ?fresh=true computes",
      query: checksQuery,
    },
    async (c) => {
      const q = parseQuery(c, checksQuery);
      const filter = without({ rule: q.rule, institution: q.institution, detail: q.detail });
      const result =
        q.asOf !== undefined
          ? await runCheck(deps, chinaCatalog, { period: q.period, asOf: q.asOf, ...filter })
          : await readChecks(deps, chinaCatalog, {
              period: q.period,
              ...without({ run: q.run, fresh: q.fresh }),
              ...filter,
            });
      return c.json(await scoped(c, db, result));
    },
  );
  post(
    app,
    {
      path: "/api/checks",
      tag: "rules",
      summary: "Run the pack on a period under the governed parameters and store the run",
      body: 'JSON {"period", "asOf"}',
      responses: { "201": "The stored run" },
      bodySchema: storeBody,
    },
    async (c) => {
      const body = await jsonBody(c, storeBody);
      const actor = actorOf(c, body.user);
      const input = { period: body.period, store: true, ...without({ asOf: body.asOf }) };
      return c.json(await runCheck(deps, chinaCatalog, input, actor), 201);
    },
  );
  post(
    app,
    {
      path: "/api/checks/what-if",
      tag: "rules",
      summary:
        "What-if: the period under other parameter values; lists the outcomes that change; stores nothing",
      body: 'JSON {"period", "overrides": {"rule": {"param": value}} or ["rule.param=value"], "asOf", "rule", "institution", "detail"}',
      bodySchema: whatIfBody,
    },
    async (c) => {
      const body = await jsonBody(c, whatIfBody);
      let overrides: Record<string, Record<string, unknown>>;
      try {
        overrides = Array.isArray(body.overrides)
          ? (parseParamAssignments(body.overrides) as Record<string, Record<string, unknown>>)
          : body.overrides;
      } catch (e) {
        if (e instanceof AppError) throw new AppError("INVALID_INPUT", `overrides: ${e.message}`);
        throw e;
      }
      const { overrides: _, ...rest } = body;
      return c.json(
        await scoped(c, db, await whatIfCheck(deps, chinaCatalog, { ...without(rest), overrides })),
      );
    },
  );
}
