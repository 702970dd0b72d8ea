import { AppError } from "../errors.ts";
import { clearPayments, type Seniority } from "./clearing.ts";
import { propagateStress, type StressResult, type StressRule, type ThresholdOptions } from "./debtrank.ts";
import { furfineCascade } from "./furfine.ts";
import { bookEquity, type Network } from "./network.ts";
import {
  capitalLossOf,
  expandShock,
  externalAssetsOf,
  formatShock,
  type ScenarioSpec,
  type Shock,
} from "./shock.ts";

/** Version of the engine's results: raise it whenever a method's numbers change, so stored runs stay traceable. */
export const engineVersion = 2;

export const contagionMethods = [
  "eisenberg-noe",
  "rogers-veraart",
  "furfine",
  "debtrank",
  "debtrank-single-hit",
  "threshold",
] as const;
export type ContagionMethod = (typeof contagionMethods)[number];

/** True when `name` is one of the contagion methods. */
export function isContagionMethod(name: string): name is ContagionMethod {
  return (contagionMethods as readonly string[]).includes(name);
}

export interface ContagionOptions {
  method: ContagionMethod;
  shock: Shock;
  /** eisenberg-noe: who is paid first; default pari-passu (see clearing.ts for why). */
  seniority?: Seniority;
  /** rogers-veraart (required): share of external assets a defaulting bank realises. */
  alpha?: number;
  /** rogers-veraart (required): share of interbank receivables a defaulting bank realises. */
  beta?: number;
  /** furfine: share of an exposure recovered from a defaulted borrower; default 0. */
  recoveryRate?: number;
  /** threshold: stress at which a node passes on its full default; default 1. */
  threshold?: number;
  /** Convergence tolerance of the iterative parts (see each algorithm); default: machine precision. */
  tolerance?: number;
  maxIterations?: number;
  /** Per-node outcomes; default true, except for `each` shocks. */
  includeNodes?: boolean;
}

export interface NodeOutcome {
  id: string;
  sector?: string;
  /** Relative equity loss (loss / capital) after the shock and at the end; not capped at 1. */
  initialStress: number;
  finalStress: number;
  /** Equity before the shock, right after it, and after contagion (negative: shortfall). */
  initialEquity: number;
  shockedEquity: number;
  finalEquity: number;
  defaulted: boolean;
  /** Clearing methods: total payment to the creditors that share it, and the interbank part. */
  payment?: number;
  interbankPayment?: number;
}

/** System-wide measures of one scenario, named as NetworkRiskMeasures names them. */
export interface ScenarioResult {
  scenario: string;
  /** Weighted share of the system in stress right after the shock: sum w min(1, h0) / sum w. */
  originalStress: number;
  /** Further weighted stress caused by contagion: sum w min(1, h) / sum w - originalStress. */
  additionalStress: number;
  /** Money lost to the shock, and lost through contagion (uncapped: may exceed capital). */
  originalLosses: number;
  additionalLosses: number;
  /** Institutions in default right after the shock, and those that default through contagion. */
  initialDefaults: number;
  additionalDefaults: number;
  iterations: number;
  converged: boolean;
  /** The same measures per sector, when the network gives sectors (stress weighted within the sector). */
  sectors?: SectorOutcome[];
  nodes?: NodeOutcome[];
}

/** A scenario's outcome for the institutions of one sector ("unassigned": nodes without a sector). */
export interface SectorOutcome {
  sector: string;
  institutions: number;
  originalStress: number;
  additionalStress: number;
  originalLosses: number;
  additionalLosses: number;
  initialDefaults: number;
  additionalDefaults: number;
}

export interface RankingEntry {
  rank: number;
  id: string;
  additionalStress: number;
  additionalLosses: number;
  additionalDefaults: number;
}

export interface ContagionResult {
  method: ContagionMethod;
  /** `engineVersion` of the code that produced the numbers. */
  version: number;
  shock: string;
  parameters: Record<string, number | string>;
  nodes: number;
  exposures: number;
  scenarios: ScenarioResult[];
  /** For `each`: institutions by the damage their own default does (systemic importance). */
  ranking?: RankingEntry[];
}

const usedBy: Record<string, readonly ContagionMethod[]> = {
  seniority: ["eisenberg-noe"],
  alpha: ["rogers-veraart"],
  beta: ["rogers-veraart"],
  recoveryRate: ["furfine"],
  threshold: ["threshold"],
  tolerance: ["eisenberg-noe", "rogers-veraart", "debtrank", "debtrank-single-hit", "threshold"],
  maxIterations: ["eisenberg-noe", "rogers-veraart", "debtrank", "debtrank-single-hit", "threshold"],
};

/** Per-node arrays every method reduces to, from which the scenario measures follow. */
interface Outcome {
  initialEquity: Float64Array;
  shockedEquity: Float64Array;
  finalEquity: Float64Array;
  initialStress: Float64Array;
  finalStress: Float64Array;
  initialLoss: Float64Array;
  finalLoss: Float64Array;
  initialDefault: Uint8Array;
  finalDefault: Uint8Array;
  iterations: number;
  converged: boolean;
  payment?: Float64Array;
  interbankPayment?: Float64Array;
}

/** Runs one contagion method over every scenario of a shock and summarises each scenario. */
export function runContagion(net: Network, options: ContagionOptions): ContagionResult {
  const method = options.method;
  if (!isContagionMethod(method)) {
    throw new AppError(
      "INVALID_INPUT",
      `unknown method "${method}"; expected one of ${contagionMethods.join(", ")}`,
    );
  }
  const parameters: Record<string, number | string> = {};
  for (const [name, methods] of Object.entries(usedBy)) {
    const value = options[name as keyof ContagionOptions];
    if (value === undefined) continue;
    if (!methods.includes(method)) {
      throw new AppError(
        "INVALID_INPUT",
        `${name} does not apply to ${method} (it is used by ${methods.join(", ")})`,
      );
    }
  }
  if (method === "eisenberg-noe") parameters.seniority = options.seniority ?? "pari-passu";
  if (method === "rogers-veraart") {
    // No default: alpha = beta = 1 is Eisenberg-Noe and any other value is a modelling choice to state.
    if (options.alpha === undefined || options.beta === undefined) {
      throw new AppError("INVALID_INPUT", "rogers-veraart needs alpha and beta (recovery shares in [0, 1])");
    }
    parameters.alpha = options.alpha;
    parameters.beta = options.beta;
  }
  if (method === "furfine") parameters.recoveryRate = options.recoveryRate ?? 0;
  if (method === "threshold") parameters.threshold = options.threshold ?? 1;
  if (options.tolerance !== undefined) parameters.tolerance = options.tolerance;
  if (options.maxIterations !== undefined) parameters.maxIterations = options.maxIterations;

  const specs = expandShock(net, options.shock);
  const includeNodes = options.includeNodes ?? options.shock.kind !== "each";
  const book = bookEquity(net);
  const totalWeight = net.weight.reduce((a, b) => a + b, 0);
  let scenarios: ScenarioResult[];
  const rule = stressRules[method];
  if (rule) {
    // Stress methods run their scenarios side by side (see propagateStress); each is summarised as it ends.
    scenarios = new Array(specs.length);
    const stressOptions: ThresholdOptions = { ...iterativeOf(options) };
    if (method === "threshold") stressOptions.threshold = options.threshold ?? 1;
    propagateStress(
      net,
      specs.length,
      (k) => capitalLossOf(net, specs[k]!, net.capital),
      rule,
      stressOptions,
      (k, stress) => {
        scenarios[k] = summarise(net, specs[k]!, fromStress(net, stress), totalWeight, includeNodes);
      },
    );
  } else {
    scenarios = specs.map((spec) =>
      summarise(net, spec, runScenario(net, spec, options, book), totalWeight, includeNodes),
    );
  }
  const result: ContagionResult = {
    method,
    version: engineVersion,
    shock: formatShock(options.shock),
    parameters,
    nodes: net.size,
    exposures: net.exposureCount,
    scenarios,
  };
  if (options.shock.kind === "each") result.ranking = rankScenarios(scenarios);
  return result;
}

const stressRules: Partial<Record<ContagionMethod, StressRule>> = {
  debtrank: "linear",
  "debtrank-single-hit": "single-hit",
  threshold: "threshold",
};

function iterativeOf(options: ContagionOptions): { tolerance?: number; maxIterations?: number } {
  const out: { tolerance?: number; maxIterations?: number } = {};
  if (options.tolerance !== undefined) out.tolerance = options.tolerance;
  if (options.maxIterations !== undefined) out.maxIterations = options.maxIterations;
  return out;
}

/** Balance-sheet methods (clearing, Furfine), one scenario at a time. */
function runScenario(
  net: Network,
  spec: ScenarioSpec,
  options: ContagionOptions,
  book: Float64Array,
): Outcome {
  if (options.method === "furfine") {
    const shock = capitalLossOf(net, spec, net.capital);
    const cascade = furfineCascade(net, shock, { recoveryRate: options.recoveryRate ?? 0 });
    const initialDefault = new Uint8Array(net.size);
    for (let i = 0; i < net.size; i++) initialDefault[i] = cascade.defaultRound[i] === 0 ? 1 : 0;
    return {
      ...fromEquity(net.capital, cascade.initialEquity, cascade.equity, initialDefault, cascade.defaulted),
      iterations: cascade.rounds,
      converged: true,
    };
  }
  const ea = externalAssetsOf(net, spec, book);
  const rv = options.method === "rogers-veraart";
  const clearing = clearPayments(net, {
    ...iterativeOf(options),
    externalAssets: ea,
    seniority: rv ? "pari-passu" : (options.seniority ?? "pari-passu"),
    alpha: rv ? options.alpha! : 1,
    beta: rv ? options.beta! : 1,
  });
  const shocked = bookEquity(net, ea);
  const initialDefault = new Uint8Array(net.size);
  for (let i = 0; i < net.size; i++) initialDefault[i] = shocked[i]! < 0 ? 1 : 0;
  return {
    ...fromEquity(book, shocked, clearing.equity, initialDefault, clearing.defaulted),
    iterations: clearing.rounds,
    converged: clearing.converged,
    payment: clearing.payments,
    interbankPayment: clearing.interbankPayments,
  };
}

/** Stress methods measure everything against the capital column. */
function fromStress(net: Network, stress: StressResult): Outcome {
  const initialDefault = new Uint8Array(net.size);
  const shockedEquity = new Float64Array(net.size);
  for (let i = 0; i < net.size; i++) {
    initialDefault[i] = stress.initialStress[i]! >= 1 - 1e-12 ? 1 : 0;
    shockedEquity[i] = net.capital[i]! - stress.initialLoss[i]!;
  }
  return {
    initialEquity: net.capital,
    shockedEquity,
    finalEquity: stress.equity,
    initialStress: stress.initialStress,
    finalStress: stress.stress,
    initialLoss: stress.initialLoss,
    finalLoss: stress.loss,
    initialDefault,
    finalDefault: stress.defaulted,
    iterations: stress.iterations,
    converged: stress.converged,
  };
}

/** Stress and losses of balance-sheet methods: relative to equity before the shock (stress 1 without capital). */
function fromEquity(
  before: Float64Array,
  shocked: Float64Array,
  final: Float64Array,
  initialDefault: Uint8Array,
  finalDefault: Uint8Array,
): Omit<Outcome, "iterations" | "converged"> {
  const n = before.length;
  const initialStress = new Float64Array(n);
  const finalStress = new Float64Array(n);
  const initialLoss = new Float64Array(n);
  const finalLoss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    initialLoss[i] = before[i]! - shocked[i]!;
    finalLoss[i] = before[i]! - final[i]!;
    const e = before[i]!;
    initialStress[i] = e > 0 ? initialLoss[i]! / e : 1;
    finalStress[i] = e > 0 ? finalLoss[i]! / e : 1;
  }
  return {
    initialEquity: before,
    shockedEquity: shocked,
    finalEquity: final,
    initialStress,
    finalStress,
    initialLoss,
    finalLoss,
    initialDefault,
    finalDefault,
  };
}

function summarise(
  net: Network,
  spec: ScenarioSpec,
  o: Outcome,
  totalWeight: number,
  includeNodes: boolean,
): ScenarioResult {
  let stress0 = 0;
  let stress1 = 0;
  let loss0 = 0;
  let loss1 = 0;
  let defaults0 = 0;
  let additional = 0;
  for (let i = 0; i < net.size; i++) {
    const w = net.weight[i]!;
    stress0 += w * Math.min(1, o.initialStress[i]!);
    stress1 += w * Math.min(1, o.finalStress[i]!);
    loss0 += o.initialLoss[i]!;
    loss1 += o.finalLoss[i]!;
    if (o.initialDefault[i]) defaults0++;
    else if (o.finalDefault[i]) additional++;
  }
  const originalStress = totalWeight > 0 ? stress0 / totalWeight : 0;
  const result: ScenarioResult = {
    scenario: spec.name,
    originalStress,
    additionalStress: totalWeight > 0 ? stress1 / totalWeight - originalStress : 0,
    originalLosses: loss0,
    additionalLosses: loss1 - loss0,
    initialDefaults: defaults0,
    additionalDefaults: additional,
    iterations: o.iterations,
    converged: o.converged,
  };
  if (includeNodes && net.sector.some((x) => x !== null)) result.sectors = bySector(net, o);
  if (includeNodes) {
    result.nodes = net.ids.map((id, i) => {
      const node: NodeOutcome = {
        id,
        ...(net.sector[i] !== null ? { sector: net.sector[i]! } : {}),
        initialStress: o.initialStress[i]!,
        finalStress: o.finalStress[i]!,
        initialEquity: o.initialEquity[i]!,
        shockedEquity: o.shockedEquity[i]!,
        finalEquity: o.finalEquity[i]!,
        defaulted: o.finalDefault[i] === 1,
      };
      if (o.payment) node.payment = o.payment[i]!;
      if (o.interbankPayment) node.interbankPayment = o.interbankPayment[i]!;
      return node;
    });
  }
  return result;
}

function bySector(net: Network, o: Outcome): SectorOutcome[] {
  const groups = new Map<
    string,
    SectorOutcome & { weight: number; stress0: number; stress1: number; loss1: number }
  >();
  for (let i = 0; i < net.size; i++) {
    const name = net.sector[i] ?? "unassigned";
    let g = groups.get(name);
    if (!g) {
      g = {
        sector: name,
        institutions: 0,
        originalStress: 0,
        additionalStress: 0,
        originalLosses: 0,
        additionalLosses: 0,
        initialDefaults: 0,
        additionalDefaults: 0,
        weight: 0,
        stress0: 0,
        stress1: 0,
        loss1: 0,
      };
      groups.set(name, g);
    }
    const w = net.weight[i]!;
    g.institutions++;
    g.weight += w;
    g.stress0 += w * Math.min(1, o.initialStress[i]!);
    g.stress1 += w * Math.min(1, o.finalStress[i]!);
    g.originalLosses += o.initialLoss[i]!;
    g.loss1 += o.finalLoss[i]!;
    if (o.initialDefault[i]) g.initialDefaults++;
    else if (o.finalDefault[i]) g.additionalDefaults++;
  }
  return [...groups.values()]
    .sort((a, b) => (a.sector < b.sector ? -1 : a.sector > b.sector ? 1 : 0))
    .map((g) => {
      const originalStress = g.weight > 0 ? g.stress0 / g.weight : 0;
      return {
        sector: g.sector,
        institutions: g.institutions,
        originalStress,
        additionalStress: g.weight > 0 ? g.stress1 / g.weight - originalStress : 0,
        originalLosses: g.originalLosses,
        additionalLosses: g.loss1 - g.originalLosses,
        initialDefaults: g.initialDefaults,
        additionalDefaults: g.additionalDefaults,
      };
    });
}

function rankScenarios(scenarios: ScenarioResult[]): RankingEntry[] {
  return scenarios
    .map((s) => ({
      rank: 0,
      id: s.scenario,
      additionalStress: s.additionalStress,
      additionalLosses: s.additionalLosses,
      additionalDefaults: s.additionalDefaults,
    }))
    .sort(
      (a, b) =>
        b.additionalStress - a.additionalStress ||
        b.additionalLosses - a.additionalLosses ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map((entry, k) => ({ ...entry, rank: k + 1 }));
}
