import { AppError } from "@beacon/core/errors";
import { checkVenues, type VenueCheckResult } from "@beacon/core/local-finance/venues/check-venues";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

export const command = defineCommand<VenueCheckResult>({
  name: "venues",
  summary: "Trading venues: five prohibitions, Decision 38 checks, investors, margin and spot delivery",
  usage: `Usage: beacon venues --period YYYY-MM [--as-of ISO] [--params JSON] [--json]

Checks every venue's listings, holders and trades: holders above 200 after look-through, T+5 (weekdays),
centralised trading, standardised units, leverage, fund pools, deposit-taking, lending intermediation,
qualified investors and source of funds, excessive speculation, and the flags in the venues' returns; reports
margin and spot-delivery share by month with its trend. Every violation lists its evidence.`,
  options: { period: { type: "string" }, "as-of": { type: "string" }, params: { type: "string" } },
  async run({ values }, ctx) {
    if (typeof values.period !== "string")
      throw new AppError("INVALID_INPUT", "venues needs --period YYYY-MM");
    let params: unknown;
    if (values.params !== undefined) {
      try {
        params = JSON.parse(values.params as string);
      } catch {
        throw new AppError("INVALID_INPUT", "--params is not valid JSON");
      }
    }
    return withBeacon(ctx, (beacon) =>
      checkVenues(
        { db: beacon.db, dataDir: beacon.config.dataDir },
        {
          period: values.period as string,
          ...(values["as-of"] ? { asOf: values["as-of"] as string } : {}),
          ...(params !== undefined ? { params } : {}),
        },
      ),
    );
  },
  render(r) {
    const lines = [
      `${r.period}: ${r.violations.length} violations at ${r.venues.filter((v) => v.violations > 0).length} of ${r.venues.length} venues`,
    ];
    for (const v of r.violations) {
      const e = Object.entries(v.evidence)
        .filter(([, x]) => typeof x !== "object" || x === null)
        .map(([k, x]) => `${k}=${x}`)
        .join(" ");
      lines.push(`  ${v.venue} ${v.listing ?? "(venue)"} ${v.check}: ${v.en} [${e}]`);
    }
    lines.push("spot delivery (share, trend per month):");
    for (const v of r.venues) {
      const s = v.spotDelivery;
      lines.push(
        `  ${v.code} ${v.name}: ${s.share === null ? "-" : `${(s.share * 100).toFixed(1)}%`} ${s.trendPerMonth === null ? "" : `${(s.trendPerMonth * 100).toFixed(2)} pp/month`}${s.belowLine ? " BELOW LINE" : ""}`,
      );
    }
    return lines.join("\n");
  },
});
