/** Insurer solvency and liability-side metrics. */
import { add, max } from "./decimal.ts";
import { customMetric, missingInputs, ratioMetric, ratioOf, readAll } from "./metric.ts";

export const insuranceMetrics = [
  ratioMetric({
    code: "INS_CORE_SOLVENCY_RATIO",
    zh: "核心偿付能力充足率",
    en: "Core solvency ratio",
    formula: "core capital / minimum capital",
    num: ["INS_CORE_CAPITAL"],
    den: ["INS_MINIMUM_CAPITAL"],
  }),
  ratioMetric({
    code: "INS_COMPREHENSIVE_SOLVENCY_RATIO",
    zh: "综合偿付能力充足率",
    en: "Comprehensive solvency ratio",
    formula: "actual capital / minimum capital",
    num: ["INS_ACTUAL_CAPITAL"],
    den: ["INS_MINIMUM_CAPITAL"],
  }),
  customMetric({
    code: "INS_SHORT_MEDIUM_MULTIPLE",
    zh: "中短存续期产品保费与投入资本或净资产的倍数",
    en: "Short/medium-duration premiums to capital",
    formula: "short/medium-duration premiums (year to date) / max(invested capital, net assets)",
    unit: "ratio",
    display: "multiple",
    inputs: ["INS_SHORT_MEDIUM_PREMIUMS", "INS_INVESTED_CAPITAL", "INS_NET_ASSETS"],
    compute(read) {
      const r = readAll(read, ["INS_SHORT_MEDIUM_PREMIUMS", "INS_INVESTED_CAPITAL", "INS_NET_ASSETS"]);
      if (r.missing) return missingInputs(r.missing);
      const [premiums, invested, netAssets] = r.values;
      return ratioOf(premiums, max(invested, netAssets));
    },
  }),
  ratioMetric({
    code: "INS_SHORT_MEDIUM_SHARE",
    zh: "中短存续期产品保费占比",
    en: "Short/medium-duration premium share",
    formula: "short/medium-duration premiums / total premiums (both year to date)",
    num: ["INS_SHORT_MEDIUM_PREMIUMS"],
    den: ["INS_PREMIUMS"],
  }),
  ratioMetric({
    code: "INS_SURRENDER_RATE",
    zh: "退保金占保费比例",
    en: "Surrenders to premiums",
    formula: "surrenders / premiums (both year to date); the official surrender-rate formula is unverified",
    num: ["INS_SURRENDERS"],
    den: ["INS_PREMIUMS"],
    monitoringOnly: true,
  }),
  customMetric({
    code: "INS_BENEFIT_OUTFLOW_COVERAGE",
    zh: "流动资产对退保和满期给付的覆盖倍数",
    en: "Liquid assets to surrenders and maturity benefits",
    formula: "cash and liquidity instruments / (surrenders + maturity benefits, year to date)",
    unit: "ratio",
    display: "multiple",
    monitoringOnly: true,
    inputs: ["INS_LIQUID_ASSETS", "INS_SURRENDERS", "INS_MATURITY_BENEFITS"],
    compute(read) {
      const r = readAll(read, ["INS_LIQUID_ASSETS", "INS_SURRENDERS", "INS_MATURITY_BENEFITS"]);
      if (r.missing) return missingInputs(r.missing);
      const [liquid, surrenders, maturities] = r.values;
      return ratioOf(liquid, add(surrenders, maturities));
    },
  }),
] as const;
