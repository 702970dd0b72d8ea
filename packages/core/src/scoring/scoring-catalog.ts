/**
 * Scoring weights under the rules' governance (maker-checker, effective dates, audit): the parameter groups are
 * the parameters of one catalog entry, "scoring.weights", so `proposeParamChange`, `decideParamProposal` and
 * `loadParamsInForce` govern them exactly as they govern a rule's thresholds. The entry never evaluates an entity;
 * it exists to carry the parameter schema and its defaults.
 */
import type { Sql } from "../db/client.ts";
import { loadParamsInForce, resolveInForce, resolveInstant } from "../governance/params-in-force.ts";
import { defineCatalog, type RuleCatalog } from "../rules/catalog.ts";
import { defineParams } from "../rules/params.ts";
import type { AnyRule, ParamSpec } from "../rules/types.ts";
import {
  defaultScoringParams,
  type ScoringParams,
  scoringParamGroups,
  scoringParamsSchema,
} from "./params.ts";

export const scoringRuleId = "scoring.weights";

const described: Record<keyof ScoringParams, { en: string; zh: string }> = {
  breach: { en: "Points for breaches at the regulatory and warning lines", zh: "突破监管线和预警线的分值" },
  distance: { en: "Points for values close to a line", zh: "接近阈值的分值" },
  trend: { en: "Points for deterioration faster than peers", zh: "恶化速度快于同类机构的分值" },
  peer: { en: "Points for the worst tail of the peer group", zh: "同类机构中排名靠后的分值" },
  timeliness: { en: "Points for late filings and missing returns", zh: "迟报和漏报的分值" },
  dataQuality: { en: "Points for data gone missing", zh: "数据缺失的分值" },
  findings: { en: "Points per detector finding", zh: "每项检测发现的分值" },
  anomalies: { en: "Points per anomaly alert", zh: "每项异常预警的分值" },
  systemic: {
    en: "Points for systemic importance (DebtRank impact of the institution's own default)",
    zh: "系统重要性分值（机构自身违约的DebtRank影响）",
  },
  severity: { en: "Factors by rule or signal severity", zh: "按严重程度的系数" },
  cutoffs: {
    en: "Score cut-offs of the blue, yellow, orange and red levels",
    zh: "蓝、黄、橙、红色预警的分数线",
  },
  carryMonths: { en: "Months a quarterly value or outcome stays valid", zh: "季度数据和结果的有效月数" },
  closeAfterGreenPeriods: { en: "Green periods after which a warning closes", zh: "连续绿色几期后关闭预警" },
  keepContributions: { en: "Contributions kept with each score", zh: "每个评分保留的贡献项数" },
};

const specs = Object.fromEntries(
  (Object.keys(scoringParamGroups) as (keyof ScoringParams)[]).map((key) => [
    key,
    {
      schema: scoringParamGroups[key],
      default: defaultScoringParams[key],
      // Expert judgement until calibrated on outcome history (see `beacon backtest`).
      status: "to_confirm",
      ...described[key],
    } satisfies ParamSpec<unknown>,
  ]),
) as unknown as { [K in keyof ScoringParams]: ParamSpec<ScoringParams[K]> };

const weightsRule: AnyRule = {
  id: scoringRuleId,
  version: 1,
  en: "Risk score weights and warning cut-offs",
  zh: "风险评分权重与预警分数线",
  family: "scoring",
  severity: "low",
  appliesTo: { types: [] },
  effective: { from: "2000-01-01" },
  legalBasis: [
    {
      document: {
        en: "Beacon early-warning method (docs/warning-levels.md)",
        zh: "Beacon风险预警方法（docs/warning-levels.md）",
      },
      issuer: { en: "Beacon", zh: "Beacon" },
      sources: ["S24"],
      status: "U",
    },
  ],
  leadUnit: "pbc_cq",
  reads: [],
  params: defineParams(specs),
  evaluate: () => ({
    kind: "not_applicable",
    explanation: { en: "Scoring weights are not a rule.", zh: "评分权重不是规则。" },
  }),
};

/** The catalog that governs the scoring parameters. */
export const scoringCatalog: RuleCatalog = defineCatalog("scoring", [weightsRule], []);

export interface ScoringParamsInForce {
  params: ScoringParams;
  /** Group → id of the approved proposal that set it (absent groups are at their defaults). */
  governed: Record<string, number>;
  at: string;
}

/** The scoring parameters in force at an instant (now by default), with the proposals they come from. */
export async function scoringParamsInForce(db: Sql, asOf?: string): Promise<ScoringParamsInForce> {
  const at = await resolveInstant(db, asOf, "asOf");
  const inForce = await loadParamsInForce(db, scoringCatalog, at);
  const { resolved, snapshot } = resolveInForce(scoringCatalog, inForce);
  return {
    params: scoringParamsSchema.parse(resolved.get(scoringRuleId) ?? {}),
    governed: snapshot[scoringRuleId]?.governed ?? {},
    at,
  };
}
