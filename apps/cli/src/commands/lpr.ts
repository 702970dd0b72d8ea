import { AppError } from "@beacon/core/errors";
import { addLpr, type LprMonth, listLpr } from "@beacon/core/rates/lpr";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

export const command = defineCommand<LprMonth[] | LprMonth>({
  name: "lpr",
  summary: "List the loan prime rate history, or add a month",
  usage: `Usage: beacon lpr list [--json]
       beacon lpr add --month YYYY-MM --one-year PCT --five-year PCT --source TEXT [--by NAME] [--json]

Rates are percentages (3.00 means 3%). A stored month is never overwritten.`,
  allowPositionals: true,
  options: {
    month: { type: "string" },
    "one-year": { type: "string" },
    "five-year": { type: "string" },
    source: { type: "string" },
    by: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    const [action] = positionals;
    if (positionals.length !== 1 || (action !== "list" && action !== "add")) {
      throw new AppError("INVALID_INPUT", "lpr takes one action: list or add");
    }
    return withBeacon(ctx, async (beacon) => {
      if (action === "list") return listLpr(beacon.db);
      for (const flag of ["month", "one-year", "five-year", "source"]) {
        if (typeof values[flag] !== "string") throw new AppError("INVALID_INPUT", `lpr add needs --${flag}`);
      }
      return addLpr(beacon.db, {
        month: values.month as string,
        oneYear: values["one-year"] as string,
        fiveYear: values["five-year"] as string,
        source: values.source as string,
        addedBy: (values.by as string | undefined) ?? process.env.USER ?? "cli",
      });
    });
  },
  render(result) {
    const rows = Array.isArray(result) ? result : [result];
    return [
      "month    1Y LPR  5Y LPR  source",
      ...rows.map((r) => `${r.month}  ${r.oneYear.padStart(6)}  ${r.fiveYear.padStart(6)}  ${r.source}`),
    ].join("\n");
  },
});
