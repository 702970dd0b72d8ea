/**
 * The risk score of every institution and month of a panel, 0 (no concern) to 100, as a sum of points from eight
 * components, each listed as contributions that add up to the score:
 * - breach: rules breached, at the regulatory line (more) or the warning line (less), growing with how far past;
 * - distance: rules passed but close to their line;
 * - trend: indicators deteriorating faster than the peer group's (robust z of the change over a window);
 * - peer: indicators in the worst tail of the peer group (type and size band);
 * - timeliness: filings late, or the period's return missing;
 * - data_quality: rules that could be computed before and no longer can (data gone missing);
 * - findings and anomalies: detector findings and anomaly alerts on the institution that month;
 * - systemic: the damage the institution's own default would do to the network (see systemic.ts).
 * Points above 100 are scaled down proportionally, so the contributions always add up to the score. Only data
 * of the month and earlier months is read: a score never looks ahead, so backtests are out of time.
 */
import { findMetric } from "../metrics/index.ts";
import type { AnyRule } from "../rules/types.ts";
import type { IndicatorDef } from "./indicators.ts";
import { indicatorCatalog } from "./indicators.ts";
import type { Judgement, RuleJudgements } from "./judgements.ts";
import { levelOf, type RatingGrade, type RatingZone, ratingGrade, type WarningLevel } from "./levels.ts";
import { monthIndex } from "./months.ts";
import type { Panel } from "./panel.ts";
import { itemColumnOf, sizeAt } from "./panel.ts";
import type { ScoringParams } from "./params.ts";
import type { RiskSignal } from "./signals.ts";
import { type SystemicSignal, systemicPoints, systemicText } from "./systemic.ts";

export const componentNames = [
  "breach",
  "distance",
  "trend",
  "peer",
  "timeliness",
  "data_quality",
  "findings",
  "anomalies",
  "systemic",
] as const;
export type ComponentName = (typeof componentNames)[number];

export interface Contribution {
  component: ComponentName;
  /** Rule id, indicator code, signal ref, or a fixed key (late_filings, missing_return, data_gaps). */
  key: string;
  en: string;
  zh: string;
  points: number;
}

export interface ScoreRow {
  institution: string;
  period: string;
  score: number;
  level: WarningLevel;
  /** Banks only: the score on the central bank's 1-10/D scale, for comparison. */
  rating?: { grade: RatingGrade; zone: RatingZone };
  components: Record<ComponentName, number>;
  /** Largest first; at most `keepContributions` are kept, the rest summed into one "other" entry. */
  contributions: Contribution[];
  /** No return for the month: scored on the latest return of the previous months. */
  stale: boolean;
}

/** Per institution-month features for calibration: indicator levels, changes, peer percentiles and components. */
export interface FeatureTable {
  names: string[];
  institution: Int32Array;
  month: Int32Array;
  /** Row-major [row × names.length]; NaN when missing. */
  values: Float64Array;
}

export interface ScoreOptions {
  params: ScoringParams;
  /** Rule outcomes of the panel's entities as judgements (months without any get no breach points). */
  judgements: RuleJudgements;
  /** The pack that produced the outcomes, for rule names in explanations. */
  rules?: readonly AnyRule[];
  signals?: readonly RiskSignal[];
  /** Stored systemic importance by `${institution}|${month}` (see systemic.ts). */
  systemic?: ReadonlyMap<string, SystemicSignal>;
  /** Returns resubmitted (corrected) after intake, by `${institution}|${month}`: a data-quality signal. */
  resubmissions?: ReadonlyMap<string, number>;
  /** Months to score (default: every month of the panel). */
  months?: readonly string[];
  /** Also build the feature table. */
  features?: boolean;
  /** Write the contributions' texts (default true; a backtest needs only their points). */
  explain?: boolean;
}

export interface ScoreRun {
  rows: ScoreRow[];
  features?: FeatureTable;
}

interface Pending {
  component: ComponentName;
  key: string;
  points: number;
  text: () => { en: string; zh: string };
}

const empty = (): Record<ComponentName, number> => ({
  breach: 0,
  distance: 0,
  trend: 0,
  peer: 0,
  timeliness: 0,
  data_quality: 0,
  findings: 0,
  anomalies: 0,
  systemic: 0,
});

const round2 = (x: number) => Math.round(x * 100) / 100;
const noText = { en: "", zh: "" };
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Formats a float the way its metric is displayed (percent, multiple or plain). */
export function formatIndicator(code: string, x: number): string {
  const display = code.includes("GROWTH") ? "percent" : (findMetric(code)?.display ?? "percent");
  if (!Number.isFinite(x)) return "n/a";
  if (display === "percent") return `${(x * 100).toFixed(2)}%`;
  if (display === "multiple") return `${x.toFixed(2)}x`;
  return x.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** Computes scores (and optionally features) for the panel; pure, deterministic. */
export function computeScores(panel: Panel, options: ScoreOptions): ScoreRun {
  const p = options.params;
  const M = panel.months.length;
  const N = panel.institutions.length;
  const first = monthIndex(panel.months[0]!);
  const wanted = options.months
    ? options.months.map((m) => monthIndex(m) - first).filter((mi) => mi >= 0 && mi < M)
    : panel.months.map((_, i) => i);
  const ruleNames = new Map((options.rules ?? []).map((r) => [r.id, { en: r.en, zh: r.zh }]));
  const explain = options.explain !== false;

  const judged = options.judgements.byEntity;
  const ruleIds = options.judgements.ruleIds;

  // --- Indicators: values per institution-month, carried forward over quarterly gaps. ------------------------
  const inds = indicatorCatalog;
  const K = inds.length;
  const level = new Float64Array(N * M * K).fill(Number.NaN);
  const cols = inds.map((d) =>
    d.kind === "growth"
      ? { num: [itemColumnOf(panel, d.item)], numSign: [1], den: [], denSign: [] }
      : {
          num: d.num.map((t) => itemColumnOf(panel, stripSign(t))),
          numSign: d.num.map((t) => (t.startsWith("-") ? -1 : 1)),
          den: d.den.map((t) => itemColumnOf(panel, stripSign(t))),
          denSign: d.den.map((t) => (t.startsWith("-") ? -1 : 1)),
        },
  );
  const typeInds = new Map<string, number[]>();
  for (const r of panel.institutions) {
    if (!typeInds.has(r.type))
      typeInds.set(
        r.type,
        inds.flatMap((d, k) => ((d.types as readonly string[]).includes(r.type) ? [k] : [])),
      );
  }
  const I = panel.items.length;
  const vals = panel.values;
  // Raw item value (carried) for growth indicators.
  const carriedItem = (i: number, mi: number, col: number): number => {
    for (let k = mi; k >= 0 && k >= mi - p.carryMonths; k--) {
      const e = panel.entityAt[i * M + k]!;
      if (e >= 0) {
        const v = vals[e * I + col]!;
        if (Number.isFinite(v)) return v;
      }
    }
    return Number.NaN;
  };
  // Months since the value was observed, so that a carried value stops after `carryMonths`.
  const age = new Uint8Array(N * M * K);
  for (let i = 0; i < N; i++) {
    const ks = typeInds.get(panel.institutions[i]!.type)!;
    for (let mi = 0; mi < M; mi++) {
      const e = panel.entityAt[i * M + mi]!;
      const base = (i * M + mi) * K;
      for (const k of ks) {
        const d = inds[k]!;
        let x = Number.NaN;
        if (d.kind === "growth") {
          if (e >= 0 && mi - d.months >= 0) {
            const now = vals[e * I + cols[k]!.num[0]!]!;
            const then = carriedItem(i, mi - d.months, cols[k]!.num[0]!);
            if (Number.isFinite(now) && then > 0) x = now / then - 1;
          }
        } else if (e >= 0) {
          const c = cols[k]!;
          let num = 0;
          let den = 0;
          let ok = true;
          for (let t = 0; t < c.num.length && ok; t++) {
            const v = vals[e * I + c.num[t]!]!;
            if (Number.isNaN(v)) ok = false;
            else num += c.numSign[t]! * v;
          }
          for (let t = 0; t < c.den.length && ok; t++) {
            const v = vals[e * I + c.den[t]!]!;
            if (Number.isNaN(v)) ok = false;
            else den += c.denSign[t]! * v;
          }
          if (ok && den > 0) x = num / den;
        }
        if (Number.isNaN(x) && mi > 0) {
          // Carry the latest value over months without it (quarterly items, a late return).
          const prev = base - K + k;
          if (!Number.isNaN(level[prev]!) && age[prev]! < p.carryMonths) {
            x = level[prev]!;
            age[base + k] = age[prev]! + 1;
          }
        }
        level[base + k] = x;
      }
    }
  }

  // --- Reporting cadence and which institution-months are scored. -----------------------------------------------
  // The months each institution reported in, to tell a missing return from a month it does not report in.
  const reported: number[][] = Array.from({ length: N }, () => []);
  for (let e = 0; e < panel.entities.length; e++) reported[panel.entityInst[e]!]!.push(panel.entityMonth[e]!);
  for (const list of reported) list.sort((a, b) => a - b);
  /** Smallest of the last four gaps between returns before `mi` (1 monthly, 3 quarterly); reads no later month. */
  const cadenceAt = (i: number, mi: number): number => {
    const list = reported[i]!;
    let end = 0;
    while (end < list.length && list[end]! < mi) end++;
    let c = Number.POSITIVE_INFINITY;
    for (let k = Math.max(1, end - 4); k < end; k++) c = Math.min(c, list[k]! - list[k - 1]!);
    return Number.isFinite(c) ? c : 1;
  };
  /** 0: not scored; 1: has a return; 2: return missing (expected, absent), scored on the latest. */
  const state = (i: number, mi: number): 0 | 1 | 2 => {
    if (panel.entityAt[i * M + mi]! >= 0) return 1;
    const c = cadenceAt(i, mi);
    for (let back = 1; back <= Math.max(p.carryMonths, c) && mi - back >= 0; back++) {
      if (panel.entityAt[i * M + mi - back]! >= 0) return back % c === 0 ? 2 : 0;
    }
    return 0;
  };

  // --- Peer percentiles and trend z per month. ------------------------------------------------------------------
  const pct = new Float64Array(N * M * K).fill(Number.NaN);
  const trendZ = new Float64Array(N * M * K).fill(Number.NaN);
  const trendInfo = new Map<number, { peers: number }>();
  const wantedSet = new Set(wanted);
  const byType = new Map<string, number[]>();
  panel.institutions.forEach((r, i) => {
    const list = byType.get(r.type);
    if (list) list.push(i);
    else byType.set(r.type, [i]);
  });
  const w = p.trend.windowMonths;
  for (const mi of wanted) {
    for (const [type, members] of byType) {
      // Everyone of the type with a value (carried or not) is a peer, whether or not scored this month.
      const groups = peerGroups(panel, members, mi, p.peer.sizeSplitFrom);
      for (const k of typeInds.get(type)!) {
        const dir = inds[k]!.direction;
        for (const g of groups) {
          const xs: { i: number; v: number }[] = [];
          for (const i of g) {
            const v = level[(i * M + mi) * K + k]!;
            if (!Number.isNaN(v)) xs.push({ i, v: dir * v });
          }
          if (xs.length < p.peer.minPeers) continue;
          xs.sort((a, b) => a.v - b.v);
          let a = 0;
          while (a < xs.length) {
            let b = a;
            while (b + 1 < xs.length && xs[b + 1]!.v === xs[a]!.v) b++;
            const rank = (a + b) / 2 + 1;
            for (let t = a; t <= b; t++) pct[(xs[t]!.i * M + mi) * K + k] = (rank - 0.5) / xs.length;
            a = b + 1;
          }
        }
        if (!inds[k]!.trend || mi - w < 0) continue;
        const changes: { i: number; d: number; then: number }[] = [];
        for (const i of members) {
          const now = level[(i * M + mi) * K + k]!;
          const then = level[(i * M + mi - w) * K + k]!;
          if (!Number.isNaN(now) && !Number.isNaN(then)) changes.push({ i, d: dir * (now - then), then });
        }
        if (changes.length === 0) continue;
        let center = 0;
        let scale: number;
        if (changes.length >= p.trend.minPeers) {
          const ds = changes.map((c) => c.d);
          center = median(ds);
          const mad = median(ds.map((d) => Math.abs(d - center)));
          const typical = median(changes.map((c) => Math.abs(c.then)));
          // A floor keeps tiny peer dispersion from turning small moves into large z.
          scale = Math.max(1.4826 * mad, 0.05 * typical, 1e-9);
          trendInfo.set(mi * K + k, { peers: changes.length });
        } else scale = Number.NaN;
        for (const c of changes) {
          const s = Number.isNaN(scale) ? Math.max(0.1 * Math.abs(c.then), 1e-9) : scale;
          trendZ[(c.i * M + mi) * K + k] = (c.d - center) / s;
        }
      }
    }
  }

  // --- Signals by institution-month. --------------------------------------------------------------------------
  const instIndex = new Map(panel.institutions.map((r, i) => [r.code, i]));
  const signalsAt = new Map<number, RiskSignal[]>();
  for (const s of options.signals ?? []) {
    const i = instIndex.get(s.institution);
    if (i === undefined) continue;
    const mi = monthIndex(s.month) - first;
    if (mi < 0 || mi >= M) continue;
    const key = i * M + mi;
    const list = signalsAt.get(key);
    if (list) list.push(s);
    else signalsAt.set(key, [s]);
  }

  // --- Components per scored institution-month. ---------------------------------------------------------------
  const colLate = itemColumnOf(panel, "GEN_FILINGS_LATE");
  const colDue = itemColumnOf(panel, "GEN_FILINGS_DUE");
  const rows: ScoreRow[] = [];
  const featureNames = options.features
    ? [
        ...inds.flatMap((d) => [`lvl:${d.code}`, `chg:${d.code}`, `pct:${d.code}`]),
        ...componentNames.map((c) => `cmp:${c}`),
        "score",
      ]
    : [];
  const F = featureNames.length;
  const fInst: number[] = [];
  const fMonth: number[] = [];
  const fValues: number[] = [];
  const sorted = [...wanted].sort((a, b) => a - b);
  for (let i = 0; i < N; i++) {
    const inst = panel.institutions[i]!;
    const ks = typeInds.get(inst.type)!;
    // Latest judgement per rule, and the rules ever computable, walking months in order.
    const latest = new Map<number, { mi: number; j: Judgement }>();
    const computable = new Map<number, number>();
    let cursor = 0;
    for (const mi of sorted) {
      for (; cursor <= mi; cursor++) {
        const e = panel.entityAt[i * M + cursor]!;
        if (e < 0) continue;
        for (const j of judged[e] ?? []) {
          latest.set(j.rule, { mi: cursor, j });
          if (j.kind !== 3) computable.set(j.rule, cursor);
        }
      }
      const st = state(i, mi);
      if (st === 0) continue;
      // Texts are written only for the contributions kept: most of a province's points are small.
      const contributions: Pending[] = [];
      const components = empty();
      const add = (
        component: ComponentName,
        key: string,
        points: number,
        text: () => { en: string; zh: string },
      ) => {
        if (points <= 0) return;
        contributions.push({ component, key, points, text });
        components[component] += points;
      };
      // Breaches and distance.
      const breaches: Judgement[] = [];
      const close: Judgement[] = [];
      let gaps = 0;
      let everComputable = 0;
      for (const [rule, { mi: at, j }] of latest) {
        if (mi - at > p.carryMonths) continue;
        if (j.kind === 1 || j.kind === 2) breaches.push(j);
        else if (j.kind === 0 && j.s > 0) close.push(j);
        const lastOk = computable.get(rule);
        if (lastOk !== undefined && mi - lastOk <= 12) {
          everComputable++;
          if (j.kind === 3) gaps++;
        }
      }
      breaches.sort((a, b) => breachPoints(b, p) - breachPoints(a, p));
      breaches.forEach((j, n) => {
        const pts = breachPoints(j, p) * p.breach.decay ** n;
        add(
          "breach",
          ruleIds[j.rule]!,
          pts,
          () => j.outcome?.explanation ?? { en: ruleIds[j.rule]!, zh: ruleIds[j.rule]! },
        );
      });
      close.sort((a, b) => b.s - a.s);
      capped(
        close.map((j) => ({ j, v: j.s })),
        p.distance.weight,
        p.distance.decay,
      ).forEach(({ item, pts }) => {
        add("distance", ruleIds[item.j.rule]!, pts, () => distanceText(item.j, ruleIds, ruleNames));
      });
      // Trend and peer.
      const trendItems: { k: number; v: number }[] = [];
      const peerItems: { k: number; v: number }[] = [];
      for (const k of ks) {
        const z = trendZ[(i * M + mi) * K + k]!;
        if (z > p.trend.zStart)
          trendItems.push({ k, v: clamp01((z - p.trend.zStart) / (p.trend.zFull - p.trend.zStart)) });
        const q = pct[(i * M + mi) * K + k]!;
        if (q > p.peer.tail) peerItems.push({ k, v: clamp01((q - p.peer.tail) / (1 - p.peer.tail)) });
      }
      trendItems.sort((a, b) => b.v - a.v);
      capped(trendItems, p.trend.weight, p.trend.decay).forEach(({ item, pts }) => {
        const d = inds[item.k]!;
        add("trend", d.code, pts, () => {
          const now = level[(i * M + mi) * K + item.k]!;
          const then = level[(i * M + mi - w) * K + item.k]!;
          const z = trendZ[(i * M + mi) * K + item.k]!;
          const peers = trendInfo.get(mi * K + item.k)?.peers;
          const verbEn = now > then ? "rose" : "fell";
          const verbZh = now > then ? "升至" : "降至";
          return {
            en: `${d.en} ${verbEn} from ${formatIndicator(d.code, then)} to ${formatIndicator(d.code, now)} in ${w} months (robust z ${z.toFixed(1)}${peers ? ` among ${peers} peers` : " against its own level"}).`,
            zh: `${d.zh}${w}个月内由${formatIndicator(d.code, then)}${verbZh}${formatIndicator(d.code, now)}（稳健z值${z.toFixed(1)}${peers ? `，同类${peers}家机构` : "，相对自身水平"}）。`,
          };
        });
      });
      peerItems.sort((a, b) => b.v - a.v);
      for (const it of peerItems.slice(0, 3)) {
        const d = inds[it.k]!;
        add("peer", d.code, (p.peer.weight * it.v) / 3, () => {
          const q = pct[(i * M + mi) * K + it.k]!;
          const x = level[(i * M + mi) * K + it.k]!;
          return {
            en: `${d.en} ${formatIndicator(d.code, x)} is worse than ${Math.round(q * 100)}% of peers.`,
            zh: `${d.zh}${formatIndicator(d.code, x)}，差于${Math.round(q * 100)}%的同类机构。`,
          };
        });
      }
      // Timeliness and data quality.
      if (st === 2) {
        add("timeliness", "missing_return", p.timeliness.weight, () => ({
          en: `No return for ${panel.months[mi]}: scored on the latest return received.`,
          zh: `${panel.months[mi]}未报送报表：按最近一期报表评分。`,
        }));
      } else {
        const e = panel.entityAt[i * M + mi]!;
        const late = vals[e * I + colLate]!;
        const due = vals[e * I + colDue]!;
        if (late > 0 && due > 0) {
          add("timeliness", "late_filings", p.timeliness.weight * Math.min(1, late / due), () => ({
            en: `${late} of ${due} filings due were late.`,
            zh: `应报${due}项中${late}项迟报。`,
          }));
        }
      }
      const resubmitted = options.resubmissions?.get(`${inst.code}|${panel.months[mi]}`) ?? 0;
      if (resubmitted > 0) {
        add("data_quality", "resubmissions", p.dataQuality.weight * Math.min(1, resubmitted / 2), () => ({
          en: `The return for ${panel.months[mi]} was corrected ${resubmitted} time(s) after it was first filed.`,
          zh: `${panel.months[mi]}报表报送后更正${resubmitted}次。`,
        }));
      }
      if (gaps > 0 && everComputable > 0) {
        add("data_quality", "data_gaps", (p.dataQuality.weight * gaps) / everComputable, () => ({
          en: `${gaps} of ${everComputable} rules computable in the past year lack data now.`,
          zh: `近一年可计算的${everComputable}条规则中有${gaps}条现因数据缺失无法计算。`,
        }));
      }
      // Findings and anomalies.
      const sigs = signalsAt.get(i * M + mi) ?? [];
      for (const source of ["finding", "anomaly"] as const) {
        const weight = source === "finding" ? p.findings.weight : p.anomalies.weight;
        const decay = source === "finding" ? p.findings.decay : p.anomalies.decay;
        sigs
          .filter((s) => s.source === source)
          .map((s) => ({ s, v: p.severity[s.severity] }))
          .sort((a, b) => b.v - a.v)
          .forEach(({ s, v }, n) => {
            add(source === "finding" ? "findings" : "anomalies", s.ref, weight * v * decay ** n, () => s);
          });
      }
      const sys = options.systemic?.get(`${inst.code}|${panel.months[mi]}`);
      if (sys)
        add("systemic", `systemic:${sys.period}`, systemicPoints(sys, p.systemic), () => systemicText(sys));
      const total = contributions.reduce((a, c) => a + c.points, 0);
      const factor = total > 100 ? 100 / total : 1;
      const score = round2(Math.min(100, total));
      for (const c of contributions) c.points = round2(c.points * factor);
      for (const name of componentNames) components[name] = round2(components[name] * factor);
      contributions.sort((a, b) => b.points - a.points);
      const kept: Contribution[] = contributions.slice(0, p.keepContributions).map((c) => {
        const t = explain ? c.text() : noText;
        return { component: c.component, key: c.key, en: t.en, zh: t.zh, points: c.points };
      });
      const rest = contributions.slice(p.keepContributions).reduce((a, c) => a + c.points, 0);
      if (rest > 0)
        kept.push({
          component: contributions[p.keepContributions]!.component,
          key: "other",
          en: `${contributions.length - p.keepContributions} smaller contributions`,
          zh: `其余${contributions.length - p.keepContributions}项较小贡献`,
          points: round2(rest),
        });
      const row: ScoreRow = {
        institution: inst.code,
        period: panel.months[mi]!,
        score,
        level: levelOf(score, p.cutoffs),
        components,
        contributions: kept,
        stale: st === 2,
      };
      if (inst.type === "bank") {
        const failed = inst.failedFrom !== undefined && panel.months[mi]! >= inst.failedFrom;
        row.rating = ratingGrade(score, failed);
      }
      rows.push(row);
      if (options.features && wantedSet.has(mi)) {
        fInst.push(i);
        fMonth.push(mi);
        const base = fValues.length;
        for (let f = 0; f < F; f++) fValues.push(Number.NaN);
        for (const k of ks) {
          const lv = level[(i * M + mi) * K + k]!;
          fValues[base + 3 * k] = lv;
          const then = mi - w >= 0 ? level[(i * M + mi - w) * K + k]! : Number.NaN;
          fValues[base + 3 * k + 1] = lv - then;
          fValues[base + 3 * k + 2] = pct[(i * M + mi) * K + k]!;
        }
        componentNames.forEach((c, n) => {
          fValues[base + 3 * K + n] = components[c];
        });
        fValues[base + 3 * K + componentNames.length] = score;
      }
    }
  }
  const run: ScoreRun = { rows };
  if (options.features) {
    run.features = {
      names: featureNames,
      institution: Int32Array.from(fInst),
      month: Int32Array.from(fMonth),
      values: Float64Array.from(fValues),
    };
  }
  return run;
}

function stripSign(t: string) {
  return (t.startsWith("-") ? t.slice(1) : t) as Parameters<typeof itemColumnOf>[1];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Peer groups of a type at a month: size terciles when the type is large enough, else the whole type. */
function peerGroups(panel: Panel, members: readonly number[], mi: number, splitFrom: number): number[][] {
  if (members.length < splitFrom) return [members as number[]];
  const sized = members.map((i) => ({ i, s: sizeAt(panel, i, mi) }));
  const known = sized.filter((x) => Number.isFinite(x.s)).sort((a, b) => a.s - b.s);
  if (known.length < splitFrom) return [members as number[]];
  const groups: number[][] = [[], [], []];
  known.forEach((x, n) => {
    groups[Math.min(2, Math.floor((3 * n) / known.length))]!.push(x.i);
  });
  // Institutions of unknown size join the middle band.
  for (const x of sized) if (!Number.isFinite(x.s)) groups[1]!.push(x.i);
  return groups;
}

function breachPoints(j: Judgement, p: ScoringParams): number {
  const f = p.severity[j.severity] * (j.provisional ? p.breach.provisionalFactor : 1);
  return j.kind === 2
    ? (p.breach.regulatoryBase + p.breach.regulatorySpan * j.s) * f
    : (p.breach.warningBase + p.breach.warningSpan * j.s) * f;
}

/** Decaying points for signals sorted largest first, scaled so that they never exceed `weight` in total. */
function capped<T extends { v: number }>(
  items: readonly T[],
  weight: number,
  decay: number,
): { item: T; pts: number }[] {
  const raw = items.map((item, n) => ({ item, pts: weight * item.v * decay ** n }));
  const total = raw.reduce((a, r) => a + r.pts, 0);
  if (total > weight) for (const r of raw) r.pts *= weight / total;
  return raw.filter((r) => r.pts > 0);
}

function distanceText(
  j: Judgement,
  ruleIds: readonly string[],
  names: Map<string, { en: string; zh: string }>,
): { en: string; zh: string } {
  const id = ruleIds[j.rule]!;
  const name = names.get(id) ?? { en: id, zh: id };
  const o = j.outcome;
  if (!o) return { en: `${name.en}: close to its line.`, zh: `${name.zh}：接近阈值。` };
  const line =
    o.thresholds.find((t) => t.line === "warning") ?? o.thresholds.find((t) => t.line === "regulatory");
  const value = o.value && "number" in o.value ? o.value : undefined;
  if (!line || !value) return { en: `${name.en}: close to its line.`, zh: `${name.zh}：接近阈值。` };
  const fmt = (x: number) =>
    value.display === "percent"
      ? `${(x * 100).toFixed(2)}%`
      : value.display === "multiple"
        ? `${x.toFixed(2)}x`
        : x.toLocaleString("en-US");
  const lineEn = line.line === "warning" ? "warning line" : "regulatory line";
  const lineZh = line.line === "warning" ? "预警线" : "监管线";
  return {
    en: `${name.en} ${fmt(value.number)} is close to its ${lineEn} ${fmt(line.number)}.`,
    zh: `${name.zh}${fmt(value.number)}，接近${lineZh}${fmt(line.number)}。`,
  };
}

export type { IndicatorDef };
