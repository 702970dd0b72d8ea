import { readFileSync } from "node:fs";
import { AppError } from "@beacon/core/errors";
import { decidePhraseList } from "@beacon/core/local-finance/fundraising/decide-phrase-list";
import { getFundraisingCard } from "@beacon/core/local-finance/fundraising/get-fundraising-card";
import { listFundraisingScores } from "@beacon/core/local-finance/fundraising/list-fundraising-scores";
import { listPhraseLists } from "@beacon/core/local-finance/fundraising/list-phrase-lists";
import { proposePhraseList } from "@beacon/core/local-finance/fundraising/propose-phrase-list";
import { runFundraisingIndex } from "@beacon/core/local-finance/fundraising/run-fundraising-index";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

const usage = `Usage: beacon fundraising --period YYYY-MM [--as-of ISO] [--top N] [--params JSON] [--json]
       beacon fundraising list [--period YYYY-MM | --run ID] [--card red|yellow|green] [--district D] [--limit N] [--json]
       beacon fundraising card CODE [--period YYYY-MM | --run ID] [--json]
       beacon fundraising phrases [list] [--json]
       beacon fundraising phrases propose --file CHANGE.json --note TEXT [--by NAME] [--json]
       beacon fundraising phrases decide --version N --decision approved|rejected --note TEXT [--by NAME] [--json]

The first form computes the fund-raising risk index for every company under watch and every local-finance,
internet-finance or unlicensed firm, stores the run, and prints the highest scores with their cards:
red (refer to the public-security authorities), yellow (refer to the sector regulator), green (keep watching).
A phrase-list change file is JSON {"add": [{id, phrase, lang, category, weight}], "remove": [ids]}; it takes
effect once a second person approves it.`;

function numberOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^[1-9][0-9]{0,8}$/.test(value))
    throw new AppError("INVALID_INPUT", `--${name} must be a positive integer`);
  return Number(value);
}

function jsonOption(value: unknown, name: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(String(value));
  } catch {
    throw new AppError("INVALID_INPUT", `--${name} is not valid JSON`);
  }
}

export const command = defineCommand<unknown>({
  name: "fundraising",
  summary: "Fund-raising risk index with disposal cards; governed phrase lists",
  usage,
  allowPositionals: true,
  options: {
    period: { type: "string" },
    "as-of": { type: "string" },
    top: { type: "string" },
    params: { type: "string" },
    run: { type: "string" },
    card: { type: "string" },
    district: { type: "string" },
    limit: { type: "string" },
    file: { type: "string" },
    note: { type: "string" },
    version: { type: "string" },
    decision: { type: "string" },
    by: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    const actor = (values.by as string | undefined) ?? process.env.USER ?? "cli";
    const [action, ...rest] = positionals;
    const run = numberOption(values.run, "run");
    const sel = {
      ...(run ? { runId: run } : {}),
      ...(values.period ? { period: values.period as string } : {}),
    };
    return withBeacon(ctx, async (beacon) => {
      const db = beacon.db;
      if (action === undefined) {
        if (typeof values.period !== "string")
          throw new AppError("INVALID_INPUT", `fundraising needs --period\n\n${usage}`);
        ctx.log(`computing the fund-raising index for ${values.period}`);
        const top = numberOption(values.top, "top");
        return runFundraisingIndex({ db, dataDir: beacon.config.dataDir }, actor, {
          period: values.period,
          ...(values["as-of"] ? { asOf: values["as-of"] as string } : {}),
          ...(values.params ? { params: jsonOption(values.params, "params") } : {}),
          ...(top ? { top } : {}),
        });
      }
      if (action === "list") {
        const limit = numberOption(values.limit, "limit");
        return listFundraisingScores(db, {
          ...sel,
          ...(values.card ? { card: values.card as "red" } : {}),
          ...(values.district ? { district: values.district as string } : {}),
          ...(limit ? { limit } : {}),
        });
      }
      if (action === "card") {
        const [code] = rest;
        if (!code || rest.length !== 1)
          throw new AppError("INVALID_INPUT", "fundraising card takes one credit code");
        return getFundraisingCard(db, code, sel);
      }
      if (action === "phrases") {
        const [sub = "list"] = rest;
        if (sub === "list") return listPhraseLists(db);
        if (sub === "propose") {
          if (typeof values.file !== "string" || typeof values.note !== "string") {
            throw new AppError("INVALID_INPUT", "phrases propose needs --file and --note");
          }
          let change: { add?: unknown; remove?: unknown };
          try {
            change = JSON.parse(readFileSync(values.file, "utf8")) as typeof change;
          } catch (e) {
            throw new AppError(
              "INVALID_INPUT",
              `cannot read ${values.file} as JSON: ${(e as Error).message}`,
            );
          }
          return proposePhraseList(db, actor, {
            add: change.add as never,
            remove: change.remove as never,
            note: values.note,
          });
        }
        if (sub === "decide") {
          const version = numberOption(values.version, "version");
          if (!version || typeof values.decision !== "string" || typeof values.note !== "string") {
            throw new AppError("INVALID_INPUT", "phrases decide needs --version, --decision and --note");
          }
          return decidePhraseList(db, actor, version, {
            decision: values.decision as "approved",
            note: values.note,
          });
        }
        throw new AppError("INVALID_INPUT", `unknown phrases action "${sub}"`);
      }
      throw new AppError("INVALID_INPUT", `unknown action "${action}"\n\n${usage}`);
    });
  },
  render(result) {
    const r = result as Record<string, unknown>;
    if ("top" in r && "cards" in r) {
      const run = r as {
        runId: number;
        period: string;
        companies: number;
        cards: Record<string, number>;
        top: {
          rank: number;
          code: string;
          name: string;
          score: number;
          card: string;
          disposal: { referTo: string };
        }[];
      };
      return [
        `run ${run.runId} for ${run.period}: ${run.companies} companies; red ${run.cards.red}, yellow ${run.cards.yellow}, green ${run.cards.green}`,
        "rank  score  card    refer to         code                name",
        ...run.top.map(
          (s) =>
            `${String(s.rank).padStart(4)}  ${s.score.toFixed(1).padStart(5)}  ${s.card.padEnd(6)}  ${s.disposal.referTo.padEnd(15)}  ${s.code}  ${s.name}`,
        ),
      ].join("\n");
    }
    if ("items" in r && "total" in r) {
      const list = r as {
        runId: number;
        period: string;
        total: number;
        items: { rank: number; code: string; name: string; score: number; card: string; referTo: string }[];
      };
      return [
        `run ${list.runId} (${list.period}): ${list.total} matching`,
        ...list.items.map(
          (s) =>
            `${String(s.rank).padStart(4)}  ${s.score.toFixed(1).padStart(5)}  ${s.card.padEnd(6)}  ${s.referTo.padEnd(15)}  ${s.code}  ${s.name}`,
        ),
      ].join("\n");
    }
    if ("disposal" in r && "contributions" in r) {
      const c = r as {
        code: string;
        name: string;
        score: number;
        disposal: { en: string; zh: string };
        contributions: Record<string, { points: number; figure: string; explanation: string }>;
      };
      return [
        `${c.code} ${c.name}: score ${c.score}`,
        c.disposal.en,
        c.disposal.zh,
        ...Object.entries(c.contributions).map(
          ([k, v]) => `  ${k.padEnd(14)} ${v.points.toFixed(2).padStart(6)}  ${v.explanation}`,
        ),
      ].join("\n");
    }
    return JSON.stringify(result, null, 2);
  },
});
