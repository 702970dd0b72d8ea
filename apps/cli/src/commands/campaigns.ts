import { readFileSync } from "node:fs";
import { AppError } from "@beacon/core/errors";
import { addCampaignTargets } from "@beacon/core/local-finance/campaigns/add-campaign-targets";
import { advanceCampaignTarget } from "@beacon/core/local-finance/campaigns/advance-campaign-target";
import { campaignStats } from "@beacon/core/local-finance/campaigns/campaign-stats";
import { createCampaign } from "@beacon/core/local-finance/campaigns/create-campaign";
import { getCampaign } from "@beacon/core/local-finance/campaigns/get-campaign";
import { listCampaigns } from "@beacon/core/local-finance/campaigns/list-campaigns";
import { raiseCampaignOverdueAlerts } from "@beacon/core/local-finance/campaigns/raise-campaign-overdue-alerts";
import { parse } from "csv-parse/sync";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

const usage = `Usage: beacon campaigns create --name TEXT --kind KIND --lead-unit UNIT --deadline YYYY-MM-DD [--description TEXT] [--json]
       beacon campaigns add-targets --campaign ID --from-screening [--period YYYY-MM | --run ID] [--cards red,yellow] [--due D] [--owner-unit U] [--json]
       beacon campaigns add-targets --campaign ID (--file LIST.csv | --codes CODE,CODE) [--source TEXT] [--due D] [--owner-unit U] [--json]
       beacon campaigns advance --target ID --to STAGE --note TEXT [--classification C] [--due D] [--json]
       beacon campaigns list [--status active|closed] [--json]
       beacon campaigns show --campaign ID [--today D] [--json]
       beacon campaigns stats --campaign ID [--today D] [--json]
       beacon campaigns alerts [--today D] [--json]

Kinds: internet_finance, illegal_fundraising, trading_venues, local_finance, other.
Stages: listed -> investigated -> classified -> cleaned_up -> rectified | exited; referred from any open stage.
Classifications: compliant, rectify, close_down, criminal (a criminal target can only be referred).
An imported list is CSV with a header: code[,name,district,owner_unit,classification].
"alerts" raises an alert for every target past its deadline without an outcome (once per deadline).`;

function idOption(value: unknown, name: string): number {
  if (typeof value !== "string" || !/^[1-9][0-9]{0,15}$/.test(value))
    throw new AppError("INVALID_INPUT", `--${name} must be a positive integer`);
  return Number(value);
}

function need(values: Record<string, unknown>, ...names: string[]): void {
  const missing = names.filter((n) => typeof values[n] !== "string");
  if (missing.length > 0)
    throw new AppError("INVALID_INPUT", `missing ${missing.map((n) => `--${n}`).join(", ")}\n\n${usage}`);
}

function readList(
  path: string,
): { code: string; name?: string; district?: string; ownerUnit?: string; classification?: string }[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(readFileSync(path), {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Record<string, string>[];
  } catch (e) {
    throw new AppError("INVALID_INPUT", `cannot read ${path} as CSV: ${(e as Error).message}`);
  }
  return rows.map((r) => ({
    code: r.code ?? "",
    ...(r.name ? { name: r.name } : {}),
    ...(r.district ? { district: r.district } : {}),
    ...(r.owner_unit ? { ownerUnit: r.owner_unit } : {}),
    ...(r.classification ? { classification: r.classification } : {}),
  }));
}

export const command = defineCommand<unknown>({
  name: "campaigns",
  summary: "Rectification campaigns: targets, stages, deadlines, overdue alerts and progress",
  usage,
  allowPositionals: true,
  options: {
    name: { type: "string" },
    kind: { type: "string" },
    "lead-unit": { type: "string" },
    deadline: { type: "string" },
    description: { type: "string" },
    campaign: { type: "string" },
    "from-screening": { type: "boolean" },
    period: { type: "string" },
    run: { type: "string" },
    cards: { type: "string" },
    file: { type: "string" },
    codes: { type: "string" },
    source: { type: "string" },
    due: { type: "string" },
    "owner-unit": { type: "string" },
    target: { type: "string" },
    to: { type: "string" },
    note: { type: "string" },
    classification: { type: "string" },
    status: { type: "string" },
    today: { type: "string" },
    by: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    const [action, ...rest] = positionals;
    if (!action || rest.length > 0)
      throw new AppError("INVALID_INPUT", `campaigns takes one action\n\n${usage}`);
    const actor = (values.by as string | undefined) ?? process.env.USER ?? "cli";
    const today = values.today as string | undefined;
    return withBeacon(ctx, async ({ db }) => {
      switch (action) {
        case "create":
          need(values, "name", "kind", "lead-unit", "deadline");
          return createCampaign(db, actor, {
            name: values.name as string,
            kind: values.kind as "other",
            leadUnit: values["lead-unit"] as string,
            deadline: values.deadline as string,
            ...(values.description ? { description: values.description as string } : {}),
          });
        case "add-targets": {
          const campaign = idOption(values.campaign, "campaign");
          const common = {
            ...(values.due ? { dueOn: values.due as string } : {}),
            ...(values["owner-unit"] ? { ownerUnit: values["owner-unit"] as string } : {}),
          };
          if (values["from-screening"]) {
            return addCampaignTargets(db, actor, campaign, {
              screening: {
                ...(values.run ? { runId: idOption(values.run, "run") } : {}),
                ...(values.period ? { period: values.period as string } : {}),
                ...(values.cards
                  ? { cards: (values.cards as string).split(",").map((c) => c.trim()) as "red"[] }
                  : {}),
              },
              ...common,
            });
          }
          const targets = values.file
            ? readList(values.file as string)
            : values.codes
              ? (values.codes as string).split(",").map((c) => ({ code: c.trim() }))
              : null;
          if (!targets)
            throw new AppError("INVALID_INPUT", "add-targets needs --from-screening, --file or --codes");
          return addCampaignTargets(db, actor, campaign, {
            targets: targets as never,
            source:
              (values.source as string | undefined) ?? (values.file ? `file ${values.file}` : "command line"),
            ...common,
          });
        }
        case "advance":
          need(values, "to", "note");
          return advanceCampaignTarget(
            db,
            actor,
            idOption(values.target, "target"),
            {
              to: values.to as "investigated",
              note: values.note as string,
              ...(values.classification ? { classification: values.classification as "rectify" } : {}),
              ...(values.due ? { dueOn: values.due as string } : {}),
            },
            today ? { today } : {},
          );
        case "list":
          return listCampaigns(db, {
            ...(values.status ? { status: values.status as "active" } : {}),
            ...(today ? { today } : {}),
          });
        case "show":
          return getCampaign(db, idOption(values.campaign, "campaign"), today ? { today } : {});
        case "stats":
          return campaignStats(db, idOption(values.campaign, "campaign"), today ? { today } : {});
        case "alerts":
          return raiseCampaignOverdueAlerts(db, today ? { today } : {});
        default:
          throw new AppError("INVALID_INPUT", `unknown action "${action}"\n\n${usage}`);
      }
    });
  },
  render(result) {
    const r = result as Record<string, unknown>;
    if (Array.isArray(result)) {
      return (result as Record<string, unknown>[])
        .map((x) =>
          "progress" in x
            ? `#${x.id} ${x.name} (${x.kind}, ${x.leadUnit}, due ${x.deadline}): ${(x.progress as { done: number; targets: number; overdue: number }).done}/${(x.progress as { targets: number }).targets} done, ${(x.progress as { overdue: number }).overdue} overdue`
            : `alert: target ${x.targetId} (${x.code}) in campaign ${x.campaignId} is ${x.stage}, ${x.daysOverdue} days past ${x.dueOn}`,
        )
        .join("\n");
    }
    if ("byDistrict" in r) {
      const s = r as {
        total: { targets: number; done: number; overdue: number; completion: number };
        byDistrict: { key: string; targets: number; done: number; overdue: number; completion: number }[];
        byUnit: typeof s.byDistrict;
      };
      const line = (x: typeof s.total & { key: string }) =>
        `  ${x.key.padEnd(24)} ${String(x.targets).padStart(5)} ${String(x.done).padStart(5)} ${String(x.overdue).padStart(7)} ${(x.completion * 100).toFixed(1).padStart(6)}%`;
      return [
        `total: ${s.total.targets} targets, ${s.total.done} done, ${s.total.overdue} overdue (${(s.total.completion * 100).toFixed(1)}%)`,
        "by district              targets  done overdue  done%",
        ...s.byDistrict.map(line),
        "by unit",
        ...s.byUnit.map(line),
      ].join("\n");
    }
    if ("added" in r) {
      const a = r as {
        added: { id: number; code: string; name: string; stage: string }[];
        skipped: string[];
      };
      return [
        `added ${a.added.length}, skipped ${a.skipped.length} already in the campaign`,
        ...a.added.map((t) => `  target ${t.id}: ${t.code} ${t.name}`),
      ].join("\n");
    }
    if ("targets" in r && Array.isArray(r.targets)) {
      const c = r as {
        id: number;
        name: string;
        deadline: string;
        targets: {
          id: number;
          code: string;
          name: string;
          district: string;
          ownerUnit: string;
          stage: string;
          classification: string | null;
          dueOn: string;
          overdue: boolean;
        }[];
      };
      return [
        `#${c.id} ${c.name} (due ${c.deadline})`,
        ...c.targets.map(
          (t) =>
            `  ${String(t.id).padStart(5)} ${t.code} ${t.stage.padEnd(12)} ${(t.classification ?? "-").padEnd(10)} ${t.district} ${t.ownerUnit} due ${t.dueOn}${t.overdue ? " OVERDUE" : ""}  ${t.name}`,
        ),
      ].join("\n");
    }
    if ("stage" in r)
      return `target ${r.id} (${r.code}) is now ${r.stage}${r.classification ? ` (${r.classification})` : ""}, due ${r.dueOn}`;
    if ("progress" in r) return `campaign ${r.id} created: ${r.name}, due ${r.deadline}`;
    return JSON.stringify(result, null, 2);
  },
});
