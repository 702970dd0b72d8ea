/**
 * Out-of-time backtest of the risk score and of a calibrated model, on any labelled history in the data contract.
 *
 * Every institution-month of the labelled institutions' types is scored from the data of that month and earlier
 * (the score never looks ahead). A row is positive when one of the chosen events (by default failure, takeover,
 * licence revocation or a high-risk rating) follows within the horizon; rows after a terminal event are dropped.
 *
 * Strictly out of time: the model is fitted on rows before the cut-off month, labelled only with events dated
 * before the cut-off (what was known then), and both the score and the model are evaluated on the rows from the
 * cut-off on. The model is an L2-regularised logistic regression (IRLS) on the score's own indicators (levels,
 * changes, peer percentiles) and components, with training medians for missing values, missing-value flags,
 * winsorising and standardisation fitted on the training rows only; its penalty is chosen on the last quarter of
 * the training months. Reports ROC-AUC, precision at k per month, and lead times: how many periods before each
 * event the institution first reached orange or red (for the model: its training-matched alert threshold).
 */
import type { InstitutionType } from "../contract/institution-types.ts";
import type { Db } from "../db/client.ts";
import { invalidInput } from "../errors.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import { componentNames, type FeatureTable, type ScoreRow } from "../scoring/compute-scores.ts";
import { levelRank } from "../scoring/levels.ts";
import { monthIndex, monthLabelOf, monthRange } from "../scoring/months.ts";
import { isScoredType, loadRegistry, returnMonthRange } from "../scoring/panel.ts";
import { scoreMonths } from "../scoring/score-months.ts";
import {
  distressEvents,
  labelsFromLake,
  type OutcomeEvent,
  type OutcomeLabel,
  terminalEvents,
} from "./labels.ts";
import { fitLogistic, type LogisticModel, predictLogistic } from "./logistic.ts";
import { type PrecisionAtK, precisionAtK, rocAuc } from "./metrics.ts";

export interface BacktestInput {
  catalog: RuleCatalog;
  /** Labels to test against; default: the `outcomes` dataset in the lake. */
  labels?: readonly OutcomeLabel[];
  dataDir?: string;
  /** First month of the evaluation ("YYYY-MM"); default: the month after half of the labelled events. */
  cutoff?: string;
  /** A row is positive when an event follows within this many months (default 12). */
  horizonMonths?: number;
  events?: readonly OutcomeEvent[];
  /** k of precision at k (default 10). */
  k?: number;
  /** Institution types in the population; default: the types of the labelled institutions. */
  types?: readonly InstitutionType[];
  log?: (line: string) => void;
}

export interface LeadTime {
  institution: string;
  name: string;
  event: OutcomeEvent;
  eventDate: string;
  /** True for events on or after the cut-off (evaluated out of time). */
  outOfTime: boolean;
  /** First month in the horizon before the event at orange or red (or the model's alert), or null. */
  firstAlert: string | null;
  leadMonths: number | null;
  /** Reporting periods from the first alert to the event (quarters for quarterly reporters). */
  leadPeriods: number | null;
  /** The alert held in every scored period from the first alert to the event. */
  sustained: boolean;
  /** The institution was scored at least once in the horizon before the event (else the event is not counted). */
  covered: boolean;
  peakScore: number | null;
}

export interface LeadSummary {
  /** Events with at least one scored period in the horizon before them. */
  events: number;
  detected: number;
  medianLeadMonths: number | null;
  minLeadMonths: number | null;
  /** Events detected at least two periods ahead. */
  atLeastTwoPeriods: number;
}

export interface BacktestReport {
  population: {
    types: string[];
    institutions: number;
    months: [string, string];
    rows: number;
    labelledInstitutions: number;
  };
  ignoredLabels: { institution: string; event: string; reason: string }[];
  horizonMonths: number;
  cutoff: string;
  events: OutcomeEvent[];
  train: { rows: number; positives: number; months: [string, string] | null };
  evaluation: { rows: number; positives: number; months: [string, string] | null };
  score: {
    auc: number | null;
    precisionAtK: PrecisionAtK;
    /** AUC of each component alone, on the evaluation rows. */
    componentAuc: Record<string, number | null>;
    leadTimes: LeadTime[];
    lead: LeadSummary;
    outOfTimeLead: LeadSummary;
  };
  model: {
    fitted: boolean;
    reason?: string;
    lambda?: number;
    lambdaSearch?: { lambda: number; auc: number | null }[];
    iterations?: number;
    converged?: boolean;
    features?: number;
    auc?: number | null;
    precisionAtK?: PrecisionAtK;
    threshold?: number;
    /** Largest standardised coefficients, positive raising the odds of an event. */
    coefficients?: { feature: string; weight: number }[];
    leadTimes?: LeadTime[];
    lead?: LeadSummary;
    outOfTimeLead?: LeadSummary;
  };
  notes: string[];
  seconds: number;
}

const nullable = (x: number) => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : null);

/** Runs the backtest; see the module comment. */
export async function runBacktest(db: Db, input: BacktestInput): Promise<BacktestReport> {
  const started = performance.now();
  const log = input.log ?? (() => {});
  const horizon = input.horizonMonths ?? 12;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 60)
    throw invalidInput("the horizon must be 1 to 60 months");
  const k = input.k ?? 10;
  const events = [...(input.events ?? distressEvents)];
  const labels = input.labels ?? (input.dataDir ? await labelsFromLake(db, input.dataDir) : []);
  if (labels.length === 0) {
    throw invalidInput(
      "no outcome labels: give --labels FILE (outcomes columns) or ingest the outcomes dataset",
    );
  }
  const registry = await loadRegistry(db);
  const byCode = new Map(registry.map((r) => [r.code, r]));
  const range = await returnMonthRange(db);
  if (!range) throw invalidInput("no returns on file to backtest against");
  const { first: firstMonth, last } = range;
  const ignored: BacktestReport["ignoredLabels"] = [];
  const used: OutcomeLabel[] = [];
  for (const l of labels) {
    const r = byCode.get(l.institution);
    if (!r) ignored.push({ institution: l.institution, event: l.event, reason: "not in the registry" });
    else if (!isScoredType(r.type))
      ignored.push({ institution: l.institution, event: l.event, reason: `type ${r.type} is not scored` });
    else if (!events.includes(l.event))
      ignored.push({ institution: l.institution, event: l.event, reason: "event not selected" });
    else used.push(l);
  }
  if (used.length === 0)
    throw invalidInput(
      `none of the ${labels.length} labels names a scored institution with a selected event`,
    );
  const types = [...new Set(input.types ?? used.map((l) => byCode.get(l.institution)!.type))].sort();
  // Events by institution, as month indexes; terminal events end the institution's rows.
  const eventMonths = new Map<string, { month: number; event: OutcomeEvent; date: string }[]>();
  const terminalAt = new Map<string, number>();
  for (const l of labels) {
    const m = monthIndex(l.date.slice(0, 7));
    if (terminalEvents.includes(l.event))
      terminalAt.set(l.institution, Math.min(terminalAt.get(l.institution) ?? m, m));
  }
  for (const l of used) {
    const list = eventMonths.get(l.institution) ?? [];
    list.push({ month: monthIndex(l.date.slice(0, 7)), event: l.event, date: l.date });
    eventMonths.set(l.institution, list);
  }
  const cutoff = input.cutoff ?? defaultCutoff(used, firstMonth, last);
  if (monthIndex(cutoff) <= monthIndex(firstMonth) || monthIndex(cutoff) > monthIndex(last)) {
    throw invalidInput(
      `the cut-off ${cutoff} must fall after ${firstMonth} and no later than ${last}, the months with returns`,
    );
  }
  log(
    `scoring ${firstMonth} to ${last} for ${types.join(", ")}; cut-off ${cutoff}, horizon ${horizon} months`,
  );
  const scored = await scoreMonths(db, {
    months: monthRange(firstMonth, last),
    historyMonths: 0,
    catalog: input.catalog,
    ...(input.dataDir ? { dataDir: input.dataDir } : {}),
    features: true,
    explain: false,
    log,
  });
  const features = scored.features!;
  const panel = scored.panel;
  const inTypes = new Set<string>(types);
  const rowOf = new Map<string, ScoreRow>();
  for (const r of scored.rows) rowOf.set(`${r.institution}|${r.period}`, r);
  // The rows of the population, labelled as of the end of history and as of the cut-off.
  const cut = monthIndex(cutoff);
  const rows: Row[] = [];
  for (let f = 0; f < features.institution.length; f++) {
    const inst = panel.institutions[features.institution[f]!]!;
    if (!inTypes.has(inst.type)) continue;
    const month = monthIndex(panel.months[features.month[f]!]!);
    const end = terminalAt.get(inst.code);
    if (end !== undefined && month >= end) continue;
    const evs = eventMonths.get(inst.code) ?? [];
    const ahead = evs.filter((e) => e.month > month && e.month <= month + horizon);
    const row = rowOf.get(`${inst.code}|${monthLabelOf(month)}`)!;
    rows.push({
      f,
      inst: inst.code,
      month,
      score: row.score,
      rank: levelRank(row.level),
      yAll: ahead.length > 0 ? 1 : 0,
      yKnown: ahead.some((e) => e.month < cut) ? 1 : 0,
    });
  }
  const train = rows.filter((r) => r.month < cut);
  const evaluation = rows.filter((r) => r.month >= cut);
  const span = (rs: readonly Row[]): [string, string] | null => {
    if (rs.length === 0) return null;
    let lo = rs[0]!.month;
    let hi = lo;
    for (const r of rs) {
      lo = Math.min(lo, r.month);
      hi = Math.max(hi, r.month);
    }
    return [monthLabelOf(lo), monthLabelOf(hi)];
  };
  const notes: string[] = [
    "Scores use only data of their month and earlier; the model is fitted on rows before the cut-off with the events known before it.",
    "Training rows whose horizon reaches past the cut-off count as negative unless an event was already known (right-censoring).",
  ];
  const evalY = evaluation.map((r) => r.yAll);
  const evalGroups = evaluation.map((r) => r.month);
  const componentAuc: Record<string, number | null> = {};
  const fNames = features.names;
  const F = fNames.length;
  componentNames.forEach((c) => {
    const col = fNames.indexOf(`cmp:${c}`);
    componentAuc[c] = nullable(
      rocAuc(
        evaluation.map((r) => features.values[r.f * F + col]!),
        evalY,
      ),
    );
  });
  const scoreLeads = leadTimes(rows, eventMonths, byCode, horizon, cut, (r) => r.rank >= levelRank("orange"));
  const report: BacktestReport = {
    population: {
      types,
      institutions: new Set(rows.map((r) => r.inst)).size,
      months: [firstMonth, last],
      rows: rows.length,
      labelledInstitutions: eventMonths.size,
    },
    ignoredLabels: ignored,
    horizonMonths: horizon,
    cutoff,
    events,
    train: { rows: train.length, positives: train.reduce((a, r) => a + r.yKnown, 0), months: span(train) },
    evaluation: {
      rows: evaluation.length,
      positives: evalY.reduce((a, y) => a + y, 0),
      months: span(evaluation),
    },
    score: {
      auc: nullable(
        rocAuc(
          evaluation.map((r) => r.score),
          evalY,
        ),
      ),
      precisionAtK: roundPak(
        precisionAtK(
          evaluation.map((r) => r.score),
          evalY,
          evalGroups,
          k,
        ),
      ),
      componentAuc,
      leadTimes: scoreLeads,
      lead: summarise(scoreLeads),
      outOfTimeLead: summarise(scoreLeads.filter((l) => l.outOfTime)),
    },
    model: { fitted: false },
    notes,
    seconds: 0,
  };
  report.model = fitAndEvaluate(features, train, evaluation, rows, eventMonths, byCode, horizon, cut, k);
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  return report;
}

function roundPak(p: PrecisionAtK): PrecisionAtK {
  return {
    k: p.k,
    precision: nullable(p.precision) ?? Number.NaN,
    recall: nullable(p.recall) ?? Number.NaN,
    groups: p.groups,
  };
}

/** The month after half of the labelled events have happened: half the history to learn from, half to test on. */
function defaultCutoff(labels: readonly OutcomeLabel[], first: string, last: string): string {
  const months = [...new Set(labels.map((l) => monthIndex(l.date.slice(0, 7))))].sort((a, b) => a - b);
  const lo = monthIndex(first) + 1;
  const hi = monthIndex(last);
  const mid = months[Math.max(0, Math.ceil(months.length / 2) - 1)];
  let cut = mid === undefined ? Math.round(lo + ((hi - lo) * 2) / 3) : mid + 1;
  cut = Math.min(hi, Math.max(lo, cut));
  return monthLabelOf(cut);
}

interface Row {
  f: number;
  inst: string;
  month: number;
  score: number;
  rank: number;
  yAll: number;
  yKnown: number;
}

function leadTimes(
  rows: readonly Row[],
  eventMonths: Map<string, { month: number; event: OutcomeEvent; date: string }[]>,
  registry: Map<string, { nameZh: string }>,
  horizon: number,
  cut: number,
  alert: (r: Row) => boolean,
): LeadTime[] {
  const byInst = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byInst.get(r.inst);
    if (list) list.push(r);
    else byInst.set(r.inst, [r]);
  }
  const out: LeadTime[] = [];
  for (const [inst, evs] of eventMonths) {
    const mine = (byInst.get(inst) ?? []).sort((a, b) => a.month - b.month);
    for (const e of [...evs].sort((a, b) => a.month - b.month)) {
      const window = mine.filter((r) => r.month < e.month && r.month >= e.month - horizon);
      const firstAlert = window.find(alert);
      const lead: LeadTime = {
        institution: inst,
        name: registry.get(inst)?.nameZh ?? "",
        event: e.event,
        eventDate: e.date,
        outOfTime: e.month >= cut,
        firstAlert: firstAlert ? monthLabelOf(firstAlert.month) : null,
        leadMonths: firstAlert ? e.month - firstAlert.month : null,
        leadPeriods: firstAlert ? window.filter((r) => r.month >= firstAlert.month).length : null,
        sustained: firstAlert ? window.filter((r) => r.month >= firstAlert.month).every(alert) : false,
        covered: window.length > 0,
        peakScore: window.length ? Math.max(...window.map((r) => r.score)) : null,
      };
      out.push(lead);
    }
  }
  return out.sort(
    (a, b) => a.eventDate.localeCompare(b.eventDate) || a.institution.localeCompare(b.institution),
  );
}

function summarise(all: readonly LeadTime[]): LeadSummary {
  // Events with no scored period before them (outside the returns on file) say nothing about the score.
  const leads = all.filter((l) => l.covered);
  const detected = leads
    .filter((l) => l.leadMonths !== null)
    .map((l) => l.leadMonths!)
    .sort((a, b) => a - b);
  const mid = detected.length
    ? detected.length % 2
      ? detected[detected.length >> 1]!
      : (detected[detected.length / 2 - 1]! + detected[detected.length / 2]!) / 2
    : null;
  return {
    events: leads.length,
    detected: detected.length,
    medianLeadMonths: mid,
    minLeadMonths: detected.length ? detected[0]! : null,
    atLeastTwoPeriods: leads.filter((l) => (l.leadPeriods ?? 0) >= 2).length,
  };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Feature columns of the population's types, prepared on the training rows only. */
function design(features: FeatureTable, train: readonly Row[]) {
  const F = features.names.length;
  // Columns of other types' indicators are empty for this population and drop out here.
  const candidates: number[] = [];
  for (let c = 0; c < F; c++) {
    let present = 0;
    for (const r of train) if (Number.isFinite(features.values[r.f * F + c]!)) present++;
    if (present >= Math.max(10, 0.05 * train.length)) candidates.push(c);
  }
  const columns: {
    source: number;
    name: string;
    kind: "value" | "missing";
    median: number;
    lo: number;
    hi: number;
    mean: number;
    sd: number;
  }[] = [];
  for (const c of candidates) {
    const xs: number[] = [];
    for (const r of train) {
      const v = features.values[r.f * F + c]!;
      if (Number.isFinite(v)) xs.push(v);
    }
    xs.sort((a, b) => a - b);
    const lo = quantile(xs, 0.01);
    const hi = quantile(xs, 0.99);
    const median = quantile(xs, 0.5);
    const clipped = train.map((r) => {
      const v = features.values[r.f * F + c]!;
      return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : median;
    });
    const mean = clipped.reduce((a, v) => a + v, 0) / clipped.length;
    const sd = Math.sqrt(clipped.reduce((a, v) => a + (v - mean) ** 2, 0) / clipped.length);
    if (!(sd > 1e-12)) continue;
    columns.push({ source: c, name: features.names[c]!, kind: "value", median, lo, hi, mean, sd });
    const missingShare = 1 - xs.length / train.length;
    if (features.names[c]!.startsWith("lvl:") && missingShare > 0.05 && missingShare < 0.95) {
      const m = missingShare;
      columns.push({
        source: c,
        name: `missing:${features.names[c]!.slice(4)}`,
        kind: "missing",
        median: 0,
        lo: 0,
        hi: 1,
        mean: m,
        sd: Math.sqrt(m * (1 - m)),
      });
    }
  }
  const matrix = (rs: readonly Row[]) => {
    const p = columns.length;
    const x = new Float64Array(rs.length * p);
    rs.forEach((r, i) => {
      columns.forEach((col, j) => {
        const v = features.values[r.f * F + col.source]!;
        let z: number;
        if (col.kind === "missing") z = Number.isFinite(v) ? 0 : 1;
        else z = Number.isFinite(v) ? Math.min(col.hi, Math.max(col.lo, v)) : col.median;
        x[i * p + j] = (z - col.mean) / col.sd;
      });
    });
    return x;
  };
  return { columns, matrix };
}

function fitAndEvaluate(
  features: FeatureTable,
  train: readonly Row[],
  evaluation: readonly Row[],
  rows: readonly Row[],
  eventMonths: Map<string, { month: number; event: OutcomeEvent; date: string }[]>,
  registry: Map<string, { nameZh: string }>,
  horizon: number,
  cut: number,
  k: number,
): BacktestReport["model"] {
  const positives = train.reduce((a, r) => a + r.yKnown, 0);
  if (positives === 0)
    return { fitted: false, reason: "no training row has an event known before the cut-off" };
  if (train.length - positives < 10)
    return { fitted: false, reason: "too few training rows without an event" };
  const { columns, matrix } = design(features, train);
  const p = columns.length;
  if (p === 0) return { fitted: false, reason: "no usable features in the training rows" };
  const yTrain = Uint8Array.from(train, (r) => r.yKnown);
  // Penalty chosen on the last quarter of the training months (still before the cut-off).
  const trainMonths = [...new Set(train.map((r) => r.month))].sort((a, b) => a - b);
  const split = trainMonths[Math.floor(trainMonths.length * 0.75)] ?? Number.POSITIVE_INFINITY;
  const fitPart = train.filter((r) => r.month < split);
  const valPart = train.filter((r) => r.month >= split);
  const grid = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];
  const search: { lambda: number; auc: number | null }[] = [];
  let lambda = 1e-2;
  const fitPos = fitPart.reduce((a, r) => a + r.yKnown, 0);
  const valPos = valPart.reduce((a, r) => a + r.yKnown, 0);
  if (fitPos > 0 && valPos > 0 && valPart.length > valPos) {
    const xFit = matrix(fitPart);
    const xVal = matrix(valPart);
    const yFit = Uint8Array.from(fitPart, (r) => r.yKnown);
    for (const l of grid) {
      const m = fitLogistic(xFit, yFit, fitPart.length, p, { lambda: l });
      const preds = valPart.map((_, i) => predictLogistic(m, xVal, i, p));
      search.push({
        lambda: l,
        auc: nullable(
          rocAuc(
            preds,
            valPart.map((r) => r.yKnown),
          ),
        ),
      });
    }
    // The strongest penalty within 0.01 of the best validation AUC: with few events, the simpler model generalises.
    const best = Math.max(...search.map((x) => x.auc ?? -1));
    for (const x of search) if (x.auc !== null && x.auc >= best - 0.01) lambda = x.lambda;
  }
  const xTrain = matrix(train);
  const model: LogisticModel = fitLogistic(xTrain, yTrain, train.length, p, { lambda });
  const xEval = matrix(evaluation);
  const evalPred = evaluation.map((_, i) => predictLogistic(model, xEval, i, p));
  const evalY = evaluation.map((r) => r.yAll);
  // Alert threshold: as many training alerts as the score's orange and red rows (at least the top 1%).
  const trainPred = train.map((_, i) => predictLogistic(model, xTrain, i, p)).sort((a, b) => a - b);
  const alertShare = Math.max(0.01, train.filter((r) => r.rank >= levelRank("orange")).length / train.length);
  const threshold = quantile(trainPred, 1 - alertShare);
  const allX = matrix(rows);
  const allPred = new Map<Row, number>();
  rows.forEach((r, i) => {
    allPred.set(r, predictLogistic(model, allX, i, p));
  });
  const leads = leadTimes(
    rows,
    eventMonths,
    registry,
    horizon,
    cut,
    (r) => (allPred.get(r) ?? 0) >= threshold,
  );
  const coefficients = columns
    .map((c, j) => ({ feature: c.name, weight: Math.round(model.weights[j]! * 1000) / 1000 }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 15);
  return {
    fitted: true,
    lambda,
    lambdaSearch: search,
    iterations: model.iterations,
    converged: model.converged,
    features: p,
    auc: nullable(rocAuc(evalPred, evalY)),
    precisionAtK: roundPak(
      precisionAtK(
        evalPred,
        evalY,
        evaluation.map((r) => r.month),
        k,
      ),
    ),
    threshold: Math.round(threshold * 1e6) / 1e6,
    coefficients,
    leadTimes: leads,
    lead: summarise(leads),
    outOfTimeLead: summarise(leads.filter((l) => l.outOfTime)),
  };
}
