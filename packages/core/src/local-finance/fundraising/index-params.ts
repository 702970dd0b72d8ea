/**
 * Parameters of the fund-raising risk index: dimension weights, the anchors that turn each figure into a 0-1
 * signal, and the card cut-offs. Every run stores the full set it used. The anchors are documented where they come
 * from a legal text; the others are judgement, stated as such, to be governed like rule parameters.
 */
import { z } from "zod";
import { AppError } from "../../errors.ts";

/** Version of the scoring logic; stored on every run next to the parameters. */
export const fundraisingIndexVersion = "1.0.0";

export const dimensions = [
  "complaints",
  "promotion",
  "licence",
  "excess_yield",
  "keywords",
  "fan_in",
  "pass_through",
  "inflow_growth",
  "relations",
] as const;
export type Dimension = (typeof dimensions)[number];

const weight = z.number().min(0).max(100);

export const fundraisingParamsSchema = z.strictObject({
  /** Points of each dimension; they must add up to 100. */
  weights: z.strictObject({
    complaints: weight,
    promotion: weight,
    licence: weight,
    excess_yield: weight,
    keywords: weight,
    fan_in: weight,
    pass_through: weight,
    inflow_growth: weight,
    relations: weight,
  }),
  /** Months of complaints and account flows read, ending at the period. */
  windowMonths: z.number().int().min(1).max(36),
  /** Fund-raising complaints (12 months) at which the complaint signal is full (log scale from zero). */
  complaintsFull: z.number().min(1),
  /** Promotion channels that are ordinary (signal 0) and that make the promotion public at large (signal 1). */
  channelsNormal: z.number().int().min(0),
  channelsFull: z.number().int().min(1),
  /** Promised return as a multiple of the one-year LPR: at `yieldFloor` the signal starts, at `yieldCap` it is full. */
  yieldFloor: z.number().min(0),
  yieldCap: z.number().min(0),
  /** Weighted phrase hits (guarantee, no-risk, high-return, referral) at which the keyword signal is full. */
  keywordsFull: z.number().min(0.1),
  /** Largest transfer counted as a small retail transfer, yuan. */
  smallTransferMax: z.number().min(1),
  /** Small transfers from individuals in a calendar month: ordinary up to `fanInNormal`, full signal at `fanInFull`. */
  fanInNormal: z.number().int().min(1),
  fanInFull: z.number().int().min(2),
  /** Days within which an outflow passes on money that came in. */
  passThroughDays: z.number().int().min(0).max(30),
  /** Monthly growth of individual inflows at which the growth signal is full. */
  growthFull: z.number().min(0.01),
  /**
   * Small transfers from individuals in the busiest month at which pass-through and growth count in full; below it they
   * are scaled down, so that a shop's few transfers cannot add up to a signal.
   */
  flowMaterialPayers: z.number().int().min(1),
  /** Criminal thresholds for units (SPC interpretation, 2022 amendment, Art. 3): depositors and amount. */
  criminalDepositors: z.number().int().min(1),
  criminalAmount: z.number().min(1),
  /** Distinct individual payers that make the fund-taking "from the public at large". */
  publicDepositors: z.number().int().min(1),
  /** Score cut-offs of the cards. */
  redFrom: z.number().min(0).max(100),
  yellowFrom: z.number().min(0).max(100),
});
export type FundraisingParams = z.infer<typeof fundraisingParamsSchema>;

/** The defaults, with where each number comes from. */
export const defaultFundraisingParams: FundraisingParams = {
  // Judgement: flows carry the most weight because they cannot be reworded; the five published dimensions of the
  // Chongqing platform share 70 points, flows 20 and relations 10.
  weights: {
    complaints: 15,
    promotion: 10,
    licence: 15,
    excess_yield: 15,
    keywords: 15,
    fan_in: 10,
    pass_through: 5,
    inflow_growth: 5,
    relations: 10,
  },
  windowMonths: 12,
  // Judgement: ten fund-raising complaints in a year about one company is a cluster, not noise.
  complaintsFull: 10,
  // Judgement: a website and one social account are ordinary; six channels is a campaign.
  channelsNormal: 2,
  channelsFull: 6,
  // 4 × one-year LPR is the cap of judicial protection for private lending (SPC 法释〔2020〕17号 Arts. 25-29);
  // promises above 1.5 × LPR are already well beyond deposit and wealth-management rates.
  yieldFloor: 1.5,
  yieldCap: 4,
  keywordsFull: 2,
  smallTransferMax: 200_000,
  // Anchored on the criminal threshold for a unit, 150 depositors (2022 amendment, Art. 3): 150 retail transfers
  // in one month is full; a tenth of it is where ordinary trade for a non-retail firm ends (judgement).
  fanInNormal: 15,
  fanInFull: 150,
  passThroughDays: 3,
  // Judgement: 25% a month, sustained, doubles inflows in a quarter.
  growthFull: 0.25,
  // The criminal threshold again: pass-through and growth describe what happens to money taken from the public.
  flowMaterialPayers: 150,
  criminalDepositors: 150,
  criminalAmount: 1_000_000,
  // Judgement, after the 2010 interpretation's 30-person threshold for individuals.
  publicDepositors: 30,
  redFrom: 60,
  yellowFrom: 30,
};

/** Merges overrides into the defaults and checks the result (weights add up to 100, anchors in order). */
export function resolveFundraisingParams(overrides: unknown = {}): FundraisingParams {
  const base = defaultFundraisingParams as Record<string, unknown>;
  const o = (overrides ?? {}) as Record<string, unknown>;
  const merged = {
    ...base,
    ...o,
    weights: { ...defaultFundraisingParams.weights, ...((o.weights as object | undefined) ?? {}) },
  };
  const parsed = fundraisingParamsSchema.safeParse(merged);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      `fund-raising index parameters: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const p = parsed.data;
  const total = Object.values(p.weights).reduce((a, b) => a + b, 0);
  const problems: string[] = [];
  if (Math.abs(total - 100) > 1e-9) problems.push(`weights add up to ${total}, not 100`);
  if (p.channelsFull <= p.channelsNormal) problems.push("channelsFull must exceed channelsNormal");
  if (p.yieldCap <= p.yieldFloor) problems.push("yieldCap must exceed yieldFloor");
  if (p.fanInFull <= p.fanInNormal) problems.push("fanInFull must exceed fanInNormal");
  if (p.yellowFrom >= p.redFrom) problems.push("yellowFrom must be below redFrom");
  if (problems.length > 0)
    throw new AppError("INVALID_INPUT", `fund-raising index parameters: ${problems.join("; ")}`);
  return p;
}
