import { canonicalJson } from "../audit/canonical.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { RuleCatalog } from "../rules/catalog.ts";
import { endOfDayUtc, isRealDate } from "./instants.ts";
import { loadParamsInForce, resolveInForce } from "./params-in-force.ts";

export interface ParamDifference {
  ruleId: string;
  param: string;
  from: unknown;
  to: unknown;
  /** The approved proposal each value comes from; null for a default. */
  fromProposal: number | null;
  toProposal: number | null;
}

/** Parameter values that differ between the sets in force at the end of two dates (UTC). */
export async function diffParams(
  db: Sql,
  catalog: RuleCatalog,
  dates: { from: string; to: string },
): Promise<ParamDifference[]> {
  for (const key of ["from", "to"] as const) {
    const d = dates[key];
    if (!isRealDate(d)) {
      throw new AppError("INVALID_INPUT", `${key} "${d}" is not a date written YYYY-MM-DD`);
    }
  }
  const [a, b] = await Promise.all([
    loadParamsInForce(db, catalog, endOfDayUtc(dates.from)),
    loadParamsInForce(db, catalog, endOfDayUtc(dates.to)),
  ]);
  const ra = resolveInForce(catalog, a).snapshot;
  const rb = resolveInForce(catalog, b).snapshot;
  const out: ParamDifference[] = [];
  for (const id of catalog.rules.keys()) {
    const pa = ra[id]!;
    const pb = rb[id]!;
    for (const param of Object.keys(pa.params)) {
      if (canonicalJson(pa.params[param]) === canonicalJson(pb.params[param])) continue;
      out.push({
        ruleId: id,
        param,
        from: pa.params[param],
        to: pb.params[param],
        fromProposal: pa.governed[param] ?? null,
        toProposal: pb.governed[param] ?? null,
      });
    }
  }
  return out;
}
