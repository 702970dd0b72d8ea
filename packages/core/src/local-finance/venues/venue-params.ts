/**
 * Parameters of the trading-venue checks. The prohibitions themselves have no parameters to tune (a venue either
 * trades centrally or not); the numbers here are the legal limits (200 holders, T+5) and the monitoring lines for
 * margin and speculation, which are judgement and are stored with every run.
 */
import { z } from "zod";
import { AppError } from "../../errors.ts";

export const venueChecksVersion = "1.0.0";

export const venueParamsSchema = z.strictObject({
  /** Months of trades read, ending at the period. */
  windowMonths: z.number().int().min(1).max(24),
  /** Actual holders of one listing after look-through (国发〔2011〕38号; 国办发〔2012〕37号). */
  holderCap: z.number().int().min(1),
  /** Trading days that must separate a buy and a sell of the same listing by one account (T+5). */
  minTradingDays: z.number().int().min(1),
  /** Trading modes that are centralised trading (37号: call or continuous auction, electronic matching, market making). */
  centralisedModes: z.array(z.string()).min(1),
  /** Largest implied leverage (traded value / margin posted) tolerated; 1 means no margin financing at all. */
  maxLeverage: z.number().min(1),
  /** Monthly turnover (units traded / units issued) above which trading is excessive speculation. */
  maxMonthlyTurnover: z.number().min(0),
  /** Spot-delivery share of settled commodity units below which a venue is asked to expand delivery. */
  minSpotDeliveryShare: z.number().min(0).max(1),
});
export type VenueParams = z.infer<typeof venueParamsSchema>;

export const defaultVenueParams: VenueParams = {
  windowMonths: 6,
  holderCap: 200,
  minTradingDays: 5,
  centralisedModes: ["call_auction", "continuous_auction", "electronic_matching", "market_making"],
  // The plan's first prohibition is futures-style high-leverage trading: a spot venue finances no positions.
  maxLeverage: 1,
  // Judgement: the whole issue changing hands in a month is trading for price, not for the goods or the asset.
  maxMonthlyTurnover: 1,
  // Judgement: the plan asks commodity venues to expand delivery; below half of the settled units is flagged.
  minSpotDeliveryShare: 0.5,
};

/** The defaults with overrides, checked. */
export function resolveVenueParams(overrides: unknown = {}): VenueParams {
  const parsed = venueParamsSchema.safeParse({ ...defaultVenueParams, ...((overrides ?? {}) as object) });
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      `venue check parameters: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}
