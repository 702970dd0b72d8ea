import { z } from "zod";
import { sectors } from "../contract/institution-types.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed, scopeOf } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { binder, scopeSql } from "../identity/scope-sql.ts";
import { warningReadAction } from "../warnings/warning-row.ts";
import { type WarningLevel, warningLevels } from "./levels.ts";
import { addMonths } from "./months.ts";

export const getScoresQuery = z.strictObject({
  period: z
    .string()
    .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM")
    .optional()
    .describe("Default: the latest month scored."),
  groupBy: z.enum(["sector", "district", "province"]).default("province"),
  sector: z.enum(sectors).optional(),
  top: z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(3)
    .describe("Highest-scoring institutions listed per group."),
});
export type GetScoresQuery = z.input<typeof getScoresQuery>;

export interface ScoreGroup {
  key: string;
  institutions: number;
  mean: number;
  median: number;
  max: number;
  /** Mean of the previous month, for the same group (null when not scored). */
  previousMean: number | null;
  levels: Record<WarningLevel, number>;
  /** Share of institutions at orange or red. */
  orangeOrRed: number;
  /** Banks on the central bank's scale: counts by zone. */
  ratingZones: { green: number; yellow: number; red: number };
  top: { code: string; name: string; score: number; level: WarningLevel }[];
}

export interface ScoreSummary {
  period: string;
  groupBy: "sector" | "district" | "province";
  groups: ScoreGroup[];
}

/** Scores of a month rolled up by sector, district or the whole province, within the caller's scope. */
export async function getScores(
  db: Sql,
  actor: Principal,
  query: GetScoresQuery = {},
): Promise<ScoreSummary> {
  assertAllowed(actor, warningReadAction, { kind: "collection" });
  const q = getScoresQuery.parse(query);
  let period = q.period;
  if (!period) {
    const [latest] = await db.query<{ p: string | null }>("select max(period) as p from risk_scores");
    if (!latest?.p)
      throw new AppError("NOT_FOUND", "no scores yet: run `beacon warn --period YYYY-MM` first");
    period = latest.p;
  }
  const { params, bind } = binder();
  const scope = scopeSql(
    scopeOf(actor, warningReadAction),
    { institution: "s.institution_code", sector: "i.sector", district: "i.district" },
    bind,
  );
  const key = q.groupBy === "province" ? "'province'" : `i.${q.groupBy}`;
  const filter = q.sector ? ` and i.sector = ${bind(q.sector)}` : "";
  const p = bind(period);
  const prev = bind(addMonths(period, -1));
  const rows = await db.query<Record<string, string | null>>(
    `with cur as (
       select ${key} as key, s.institution_code, i.name_zh, s.score, s.level, s.rating_zone
       from risk_scores s join institutions i on i.code = s.institution_code
       where s.period = ${p} and ${scope}${filter}),
     prev as (
       select ${key} as key, avg(s.score) as mean
       from risk_scores s join institutions i on i.code = s.institution_code
       where s.period = ${prev} and ${scope}${filter} group by 1)
     select c.key, count(*)::text as n, avg(c.score)::text as mean, max(c.score)::text as max,
       (percentile_cont(0.5) within group (order by c.score))::text as median, (select p.mean::text from prev p where p.key = c.key) as prev,
       ${warningLevels.map((l) => `count(*) filter (where c.level = '${l}')::text as "${l}"`).join(", ")},
       count(*) filter (where c.rating_zone = 'green')::text as zg, count(*) filter (where c.rating_zone = 'yellow')::text as zy,
       count(*) filter (where c.rating_zone = 'red')::text as zr,
       (select coalesce(json_agg(t order by t.score desc, t.code), '[]')::text from (
          select trim(c2.institution_code) as code, c2.name_zh as name, c2.score::float8 as score, c2.level from cur c2
          where c2.key = c.key order by c2.score desc, c2.institution_code limit ${q.top}) t) as top
     from cur c group by c.key order by c.key`,
    params,
  );
  const n = (v: string | null | undefined) => Number(v ?? 0);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    period,
    groupBy: q.groupBy,
    groups: rows.map((r) => {
      const levels = Object.fromEntries(warningLevels.map((l) => [l, n(r[l])])) as Record<
        WarningLevel,
        number
      >;
      const count = n(r.n);
      return {
        key: r.key ?? "",
        institutions: count,
        mean: round(n(r.mean)),
        median: round(n(r.median)),
        max: round(n(r.max)),
        previousMean: r.prev == null ? null : round(n(r.prev)),
        levels,
        orangeOrRed: count ? round((levels.orange + levels.red) / count) : 0,
        ratingZones: { green: n(r.zg), yellow: n(r.zy), red: n(r.zr) },
        top: JSON.parse(r.top ?? "[]") as ScoreGroup["top"],
      };
    }),
  };
}
