import { AppError } from "@beacon/core/errors";
import { consultingWatch } from "@beacon/core/local-finance/new-institutions/consulting-watch";
import { decideLicence } from "@beacon/core/local-finance/new-institutions/decide-licence";
import { listExpiringLicences } from "@beacon/core/local-finance/new-institutions/list-expiring-licences";
import { listInspections } from "@beacon/core/local-finance/new-institutions/list-inspections";
import { offsiteIndicators } from "@beacon/core/local-finance/new-institutions/offsite-indicators";
import { onlineLendingWatch } from "@beacon/core/local-finance/new-institutions/online-lending-watch";
import { planInspection } from "@beacon/core/local-finance/new-institutions/plan-inspection";
import { recordInspectionFinding } from "@beacon/core/local-finance/new-institutions/record-inspection-finding";
import { updateInspection } from "@beacon/core/local-finance/new-institutions/update-inspection";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

const usage = `Usage: beacon institutions-watch expiring [--months N] [--as-of YYYY-MM-DD] [--kind KIND] [--json]
       beacon institutions-watch decide --licence NO --decision renew|exit|merge --reason TEXT [--json]
       beacon institutions-watch offsite --period YYYY-MM [--type KIND] [--json]
       beacon institutions-watch online-lending --period YYYY-MM [--json]
       beacon institutions-watch consulting --period YYYY-MM [--json]
       beacon institutions-watch inspections [list] [--status S] [--institution CODE] [--json]
       beacon institutions-watch inspections plan --institution CODE --kind routine|special|risk --scope TEXT
                                              --start YYYY-MM-DD --end YYYY-MM-DD [--inspectors A,B] [--lead-unit U] [--json]
       beacon institutions-watch inspections start|complete|cancel --id N --on YYYY-MM-DD [--conclusion TEXT] [--json]
       beacon institutions-watch inspections finding --id N --category C --severity low|medium|high --description TEXT [--due D] [--json]

New financial institutions (small-loan, online small-loan, guarantee, leasing, pawn, factoring): the licence
expiry pipeline with suggestions (the plan asks to use expiry to clear the market), decisions, on-site
inspection plans and findings, off-site indicators from the returns, online small-loan supervision, and firms
such as investment consultancies that declare financial business without a licence.`;

function idOption(value: unknown, name: string): number {
  if (typeof value !== "string" || !/^[1-9][0-9]{0,15}$/.test(value))
    throw new AppError("INVALID_INPUT", `--${name} must be a positive integer`);
  return Number(value);
}

function need(values: Record<string, unknown>, ...names: string[]): void {
  const missing = names.filter((n) => typeof values[n] !== "string");
  if (missing.length > 0)
    throw new AppError("INVALID_INPUT", `missing ${missing.map((n) => `--${n}`).join(", ")}`);
}

export const command = defineCommand<unknown>({
  name: "institutions-watch",
  summary:
    "New financial institutions: licence expiry, inspections, off-site indicators, online lending, consultancies",
  usage,
  allowPositionals: true,
  options: {
    months: { type: "string" },
    "as-of": { type: "string" },
    kind: { type: "string" },
    licence: { type: "string" },
    decision: { type: "string" },
    reason: { type: "string" },
    period: { type: "string" },
    type: { type: "string" },
    status: { type: "string" },
    institution: { type: "string" },
    scope: { type: "string" },
    start: { type: "string" },
    end: { type: "string" },
    inspectors: { type: "string" },
    "lead-unit": { type: "string" },
    id: { type: "string" },
    on: { type: "string" },
    conclusion: { type: "string" },
    category: { type: "string" },
    severity: { type: "string" },
    description: { type: "string" },
    due: { type: "string" },
    by: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    const [action, sub, ...rest] = positionals;
    if (rest.length > 0) throw new AppError("INVALID_INPUT", `too many arguments\n\n${usage}`);
    const actor = (values.by as string | undefined) ?? process.env.USER ?? "cli";
    return withBeacon(ctx, async (beacon) => {
      const db = beacon.db;
      const deps = { db, dataDir: beacon.config.dataDir };
      switch (action) {
        case "expiring":
          return listExpiringLicences(db, {
            ...(values.months ? { months: idOption(values.months, "months") } : {}),
            ...(values["as-of"] ? { asOf: values["as-of"] as string } : {}),
            ...(values.kind ? { kind: values.kind as "pawn" } : {}),
          });
        case "decide":
          need(values, "licence", "decision", "reason");
          return decideLicence(db, actor, {
            licenceNo: values.licence as string,
            decision: values.decision as "renew",
            reason: values.reason as string,
          });
        case "offsite":
          need(values, "period");
          return offsiteIndicators(db, {
            period: values.period as string,
            ...(values.type ? { types: [values.type as string] } : {}),
          });
        case "online-lending":
          need(values, "period");
          return onlineLendingWatch(deps, { period: values.period as string });
        case "consulting":
          need(values, "period");
          return consultingWatch(deps, { period: values.period as string });
        case "inspections":
          switch (sub ?? "list") {
            case "list":
              return listInspections(db, {
                ...(values.status ? { status: values.status as "planned" } : {}),
                ...(values.institution ? { institution: values.institution as string } : {}),
              });
            case "plan":
              need(values, "institution", "kind", "scope", "start", "end");
              return planInspection(db, actor, {
                institution: values.institution as string,
                kind: values.kind as "routine",
                scope: values.scope as string,
                plannedStart: values.start as string,
                plannedEnd: values.end as string,
                ...(values.inspectors
                  ? { inspectors: (values.inspectors as string).split(",").map((s) => s.trim()) }
                  : {}),
                ...(values["lead-unit"] ? { leadUnit: values["lead-unit"] as string } : {}),
              });
            case "start":
            case "complete":
            case "cancel":
              need(values, "on");
              return updateInspection(db, actor, idOption(values.id, "id"), {
                action: sub as "start" | "complete" | "cancel",
                on: values.on as string,
                ...(values.conclusion ? { conclusion: values.conclusion as string } : {}),
              });
            case "finding":
              need(values, "category", "severity", "description");
              return recordInspectionFinding(db, actor, idOption(values.id, "id"), {
                category: values.category as "other",
                severity: values.severity as "low",
                description: values.description as string,
                ...(values.due ? { rectificationDue: values.due as string } : {}),
              });
            default:
              throw new AppError("INVALID_INPUT", `unknown inspections action "${sub}"`);
          }
        default:
          throw new AppError("INVALID_INPUT", `unknown action "${action ?? ""}"\n\n${usage}`);
      }
    });
  },
  // The results are nested records (indicators, reasons, findings): shown as indented JSON.
  render: (result) => JSON.stringify(result, null, 2),
});
