/**
 * Carries warnings forward with one month's scores. An institution above green gets a warning, or keeps the one it
 * has: its level, score and contributions update, a higher level escalates it and a lower one downgrades it, each
 * change written to its history. Back at green for the governed number of periods, it closes. A warning a
 * supervisor closed stays closed: a new one opens only once the level rises above the level it was closed at, or
 * after the institution has been green in between. Periods must be applied in order; an earlier period than a
 * warning has seen leaves it alone, the same period again revises it, and a period earlier than the latest one
 * applied opens no warning (history is not rewritten after the fact).
 */
import type { Db, Sql } from "../db/client.ts";
import type { ScoreRow } from "../scoring/compute-scores.ts";
import { levelRank, type WarningLevel } from "../scoring/levels.ts";
import type { ScoringParams } from "../scoring/params.ts";
import type { WarningStatus } from "./warning-row.ts";

export interface WarningUpdateSummary {
  period: string;
  opened: number;
  escalated: number;
  downgraded: number;
  closed: number;
  revised: number;
  unchanged: number;
}

interface OpenRow {
  id: string;
  code: string;
  status: WarningStatus;
  level: WarningLevel;
  score: string;
  peak_level: WarningLevel;
  peak_score: string;
  last_period: string;
  green_streak: number;
}

interface History {
  warning: number;
  event: string;
  fromStatus: string | null;
  toStatus: string | null;
  fromLevel: string | null;
  toLevel: string | null;
  score: number | null;
  note: string;
}

const exitedStatuses = ["revoked", "taken_over", "exited"];
const actor = "system:scoring";

/** Applies one month's scores to the warnings; see the module comment. */
export async function updateWarnings(
  db: Db,
  period: string,
  rows: readonly ScoreRow[],
  params: ScoringParams,
): Promise<WarningUpdateSummary> {
  const summary: WarningUpdateSummary = {
    period,
    opened: 0,
    escalated: 0,
    downgraded: 0,
    closed: 0,
    revised: 0,
    unchanged: 0,
  };
  const scored = rows.filter((r) => r.period === period);
  return db.transaction(async (tx) => {
    const open = new Map(
      (
        await tx.query<OpenRow>(
          `select id::text, trim(institution_code) as code, status, level, score::text, peak_level, peak_score::text, last_period, green_streak
           from warnings where status <> 'closed'`,
        )
      ).map((w) => [w.code, w]),
    );
    const [latest] = await tx.query<{ p: string | null }>("select max(last_period) as p from warnings");
    const behind = latest?.p != null && period < latest.p;
    const history: History[] = [];
    const updates: {
      id: number;
      status: WarningStatus;
      level: WarningLevel;
      score: number;
      peakLevel: WarningLevel;
      peakScore: number;
      lastPeriod: string;
      greenStreak: number;
      components: string;
      contributions: string;
      closedReason: string | null;
    }[] = [];
    const toOpen: ScoreRow[] = [];
    const seen = new Set<string>();
    for (const r of scored) {
      seen.add(r.institution);
      const w = open.get(r.institution);
      if (!w) {
        if (r.level !== "green" && !behind) toOpen.push(r);
        continue;
      }
      const id = Number(w.id);
      if (period < w.last_period) continue;
      const before = w.level;
      const rankNow = levelRank(r.level);
      const rankBefore = levelRank(before);
      let status = w.status;
      let greenStreak = w.green_streak;
      let closedReason: string | null = null;
      if (period === w.last_period) {
        if (r.level !== before) {
          history.push(
            entry(id, "revised", status, status, before, r.level, r.score, "scores of the period recomputed"),
          );
          summary.revised++;
        } else summary.unchanged++;
      } else {
        greenStreak = r.level === "green" ? greenStreak + 1 : 0;
        if (rankNow > rankBefore) {
          status = "escalated";
          history.push(entry(id, "level_changed", w.status, status, before, r.level, r.score, ""));
          summary.escalated++;
        } else if (rankNow < rankBefore) {
          status = "downgraded";
          history.push(entry(id, "level_changed", w.status, status, before, r.level, r.score, ""));
          summary.downgraded++;
        } else summary.unchanged++;
        if (r.level === "green" && greenStreak >= params.closeAfterGreenPeriods) {
          closedReason = `back to green for ${greenStreak} period(s)`;
          history.push(entry(id, "closed", status, "closed", r.level, r.level, r.score, closedReason));
          status = "closed";
          summary.closed++;
        }
      }
      const peakUp =
        rankNow > levelRank(w.peak_level) ||
        (rankNow === levelRank(w.peak_level) && r.score > Number(w.peak_score));
      updates.push({
        id,
        status,
        level: r.level,
        score: r.score,
        peakLevel: peakUp ? r.level : w.peak_level,
        peakScore: peakUp ? r.score : Number(w.peak_score),
        lastPeriod: period > w.last_period ? period : w.last_period,
        greenStreak,
        components: JSON.stringify(r.components),
        contributions: JSON.stringify(r.contributions),
        closedReason,
      });
    }
    // Open warnings whose institution was not scored: close them when it has left the market.
    const unscored = [...open.values()].filter((w) => !seen.has(w.code) && w.last_period < period);
    if (unscored.length > 0) {
      const gone = await tx.query<{ code: string; status: string }>(
        "select trim(code) as code, status from institutions where code = any($1::text[]) and status = any($2::text[])",
        [unscored.map((w) => w.code), exitedStatuses],
      );
      const goneStatus = new Map(gone.map((g) => [g.code, g.status]));
      for (const w of unscored) {
        const why = goneStatus.get(w.code);
        if (!why) continue;
        const reason = `institution no longer reports (registry status ${why})`;
        history.push(
          entry(Number(w.id), "closed", w.status, "closed", w.level, w.level, Number(w.score), reason),
        );
        updates.push({
          id: Number(w.id),
          status: "closed",
          level: w.level,
          score: Number(w.score),
          peakLevel: w.peak_level,
          peakScore: Number(w.peak_score),
          lastPeriod: w.last_period,
          greenStreak: w.green_streak,
          components: "",
          contributions: "",
          closedReason: reason,
        });
        summary.closed++;
      }
    }
    await applyUpdates(tx, updates);
    const opened = await openWarnings(tx, period, await unsuppressed(tx, period, toOpen));
    for (const o of opened) history.push(entry(o.id, "opened", null, "new", null, o.level, o.score, ""));
    summary.opened = opened.length;
    await insertHistory(tx, period, history);
    return summary;
  });
}

function entry(
  warning: number,
  event: string,
  fromStatus: string | null,
  toStatus: string | null,
  fromLevel: string | null,
  toLevel: string | null,
  score: number | null,
  note: string,
): History {
  return { warning, event, fromStatus, toStatus, fromLevel, toLevel, score, note };
}

/** Leaves out institutions whose last warning a supervisor closed, unless the level rose above it or they were green since. */
async function unsuppressed(tx: Sql, period: string, candidates: ScoreRow[]): Promise<ScoreRow[]> {
  if (candidates.length === 0) return candidates;
  const closed = await tx.query<{
    code: string;
    at_level: WarningLevel;
    last_period: string;
    green_since: boolean;
  }>(
    `select distinct on (w.institution_code) trim(w.institution_code) as code, w.closed_at_level as at_level, w.last_period,
       exists (select 1 from risk_scores s where s.institution_code = w.institution_code and s.period > w.last_period
               and s.period < $2 and s.level = 'green') as green_since
     from warnings w where w.institution_code = any($1::text[]) and w.status = 'closed'
     order by w.institution_code, w.id desc`,
    [candidates.map((c) => c.institution), period],
  );
  const latest = new Map(closed.map((c) => [c.code, c]));
  return candidates.filter((c) => {
    const last = latest.get(c.institution);
    if (!last?.at_level || last.green_since) return true;
    return levelRank(c.level) > levelRank(last.at_level);
  });
}

async function applyUpdates(
  tx: Sql,
  updates: {
    id: number;
    status: WarningStatus;
    level: WarningLevel;
    score: number;
    peakLevel: WarningLevel;
    peakScore: number;
    lastPeriod: string;
    greenStreak: number;
    components: string;
    contributions: string;
    closedReason: string | null;
  }[],
): Promise<void> {
  for (let i = 0; i < updates.length; i += 5000) {
    const c = updates.slice(i, i + 5000);
    await tx.query(
      `update warnings w set status = u.status, level = u.level, level_rank = u.rank, score = u.score, peak_level = u.peak_level,
         peak_score = u.peak_score, last_period = u.last_period, green_streak = u.green_streak,
         components = case when u.components = '' then w.components else u.components::jsonb end,
         contributions = case when u.contributions = '' then w.contributions else u.contributions::jsonb end,
         closed_reason = coalesce(u.closed_reason, w.closed_reason),
         closed_at = case when u.status = 'closed' and w.status <> 'closed' then now() else w.closed_at end,
         updated_at = now()
       from unnest($1::bigint[], $2::text[], $3::text[], $4::smallint[], $5::numeric[], $6::text[], $7::numeric[], $8::text[],
         $9::smallint[], $10::text[], $11::text[], $12::text[])
         as u(id, status, level, rank, score, peak_level, peak_score, last_period, green_streak, components, contributions, closed_reason)
       where w.id = u.id`,
      [
        c.map((u) => u.id),
        c.map((u) => u.status),
        c.map((u) => u.level),
        c.map((u) => levelRank(u.level)),
        c.map((u) => u.score.toFixed(2)),
        c.map((u) => u.peakLevel),
        c.map((u) => u.peakScore.toFixed(2)),
        c.map((u) => u.lastPeriod),
        c.map((u) => u.greenStreak),
        c.map((u) => u.components),
        c.map((u) => u.contributions),
        c.map((u) => u.closedReason),
      ],
    );
  }
}

async function openWarnings(
  tx: Sql,
  period: string,
  rows: ScoreRow[],
): Promise<{ id: number; level: WarningLevel; score: number }[]> {
  const out: { id: number; level: WarningLevel; score: number }[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const c = rows.slice(i, i + 5000);
    const made = await tx.query<{ id: string; code: string }>(
      `insert into warnings (institution_code, type, sector, district, status, level, level_rank, score, peak_level, peak_score,
         opened_period, last_period, contributions, components)
       select i.code, i.type, i.sector, i.district, 'new', u.level, u.rank, u.score, u.level, u.score, $1, $1, u.contributions::jsonb, u.components::jsonb
       from unnest($2::text[], $3::text[], $4::smallint[], $5::numeric[], $6::text[], $7::text[]) as u(code, level, rank, score, contributions, components)
       join institutions i on i.code = u.code
       returning id::text, trim(institution_code) as code`,
      [
        period,
        c.map((r) => r.institution),
        c.map((r) => r.level),
        c.map((r) => levelRank(r.level)),
        c.map((r) => r.score.toFixed(2)),
        c.map((r) => JSON.stringify(r.contributions)),
        c.map((r) => JSON.stringify(r.components)),
      ],
    );
    const byCode = new Map(c.map((r) => [r.institution, r]));
    for (const m of made) {
      const r = byCode.get(m.code)!;
      out.push({ id: Number(m.id), level: r.level, score: r.score });
    }
  }
  return out;
}

async function insertHistory(tx: Sql, period: string, history: History[]): Promise<void> {
  for (let i = 0; i < history.length; i += 5000) {
    const c = history.slice(i, i + 5000);
    await tx.query(
      `insert into warning_history (warning_id, period, event, from_status, to_status, from_level, to_level, score, actor, note)
       select u.w, $1, u.e, u.fs, u.ts, u.fl, u.tl, u.s, $2, u.n
       from unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::numeric[], $10::text[])
         as u(w, e, fs, ts, fl, tl, s, n)`,
      [
        period,
        actor,
        c.map((h) => h.warning),
        c.map((h) => h.event),
        c.map((h) => h.fromStatus),
        c.map((h) => h.toStatus),
        c.map((h) => h.fromLevel),
        c.map((h) => h.toLevel),
        c.map((h) => (h.score === null ? null : h.score.toFixed(2))),
        c.map((h) => h.note),
      ],
    );
  }
}
