import { periodMonth } from "../../contract/items.ts";
import type { Sql } from "../../db/client.ts";
import { compare, dec, parseDecimal, type Rational, toFixed } from "../../metrics/decimal.ts";
import { findMetric } from "../../metrics/index.ts";
import { addMonths, assertMonth } from "../lake.ts";

/** The kinds of new financial institutions the plan names, supervised by the finance office. */
export const newInstitutionKinds = [
  "small_loan",
  "online_small_loan",
  "financing_guarantee",
  "financial_leasing",
  "pawn",
  "commercial_factoring",
] as const;

interface IndicatorSpec {
  metric: string;
  types: readonly string[];
  /** The line and which side of it is a problem; null for an indicator watched without a line. */
  line: { op: "below" | "above"; value: string; kind: "regulatory" | "monitoring"; basis: string } | null;
  /** What the plan asks this indicator to show. */
  theme: "provisioning" | "liquidity" | "leverage" | "asset_quality" | "online_lending";
}

const slc = ["small_loan", "online_small_loan"];

/** Off-site indicators from the returns: provision coverage, liquidity, leverage and asset quality. */
export const offsiteSpecs: readonly IndicatorSpec[] = [
  {
    metric: "SLC_PROVISION_COVERAGE",
    types: slc,
    theme: "provisioning",
    // No regulatory floor exists for small-loan companies; provisions below the NPLs themselves are the line here.
    line: {
      op: "below",
      value: "1",
      kind: "monitoring",
      basis: "Chongqing plan: improve risk provision coverage (line: judgement)",
    },
  },
  { metric: "SLC_NPL_RATIO", types: slc, theme: "asset_quality", line: null },
  {
    metric: "SLC_BANK_BORROWING_RATIO",
    types: slc,
    theme: "liquidity",
    line: { op: "above", value: "0.5", kind: "regulatory", basis: "银监发〔2008〕23号" },
  },
  {
    metric: "SLC_INTER_SLC_BORROWED_RATIO",
    types: slc,
    theme: "liquidity",
    line: { op: "above", value: "0.3", kind: "regulatory", basis: "Chongqing SLC interbank borrowing rules" },
  },
  {
    metric: "SLC_NONSTANDARD_LEVERAGE",
    types: slc,
    theme: "leverage",
    line: { op: "above", value: "1", kind: "regulatory", basis: "银保监办发〔2020〕86号" },
  },
  {
    metric: "OSL_JOINT_LENDING_SHARE",
    types: ["online_small_loan"],
    theme: "online_lending",
    line: {
      op: "below",
      value: "0.3",
      kind: "regulatory",
      basis: "Draft Interim Measures for Online Small Loan Business (2020)",
    },
  },
  {
    metric: "FGC_LEVERAGE",
    types: ["financing_guarantee"],
    theme: "leverage",
    line: { op: "above", value: "10", kind: "regulatory", basis: "State Council Order 683 Arts. 14-15" },
  },
  {
    metric: "FGC_CLASS1_RATIO",
    types: ["financing_guarantee"],
    theme: "liquidity",
    line: { op: "below", value: "0.2", kind: "regulatory", basis: "FGC Asset Ratio Measures 2018" },
  },
  {
    metric: "FGC_CLASS3_RATIO",
    types: ["financing_guarantee"],
    theme: "asset_quality",
    line: { op: "above", value: "0.3", kind: "regulatory", basis: "FGC Asset Ratio Measures 2018" },
  },
];

export interface OffsiteValue {
  metric: string;
  en: string;
  theme: IndicatorSpec["theme"];
  period: string;
  value: string;
  previous: { period: string; value: string } | null;
  line: IndicatorSpec["line"];
  outsideLine: boolean;
}

export interface OffsiteRow {
  code: string;
  name: string;
  type: string;
  district: string;
  indicators: OffsiteValue[];
  flags: number;
}

/**
 * Off-site indicators of the small-loan, online small-loan and financing-guarantee companies from their returns:
 * each metric from the latest period up to `period` (months and quarters alike) with the one before it, and whether
 * it is outside its line. Institutions outside their lines come first.
 */
export async function offsiteIndicators(
  db: Sql,
  input: { period: string; types?: string[] },
): Promise<{ period: string; rows: OffsiteRow[] }> {
  assertMonth(input.period);
  const types = input.types ?? [...new Set(offsiteSpecs.flatMap((s) => s.types))];
  const from = addMonths(input.period, -12);
  const facts = await db.query<{
    code: string;
    name: string;
    type: string;
    district: string;
    period: string;
    item: string;
    value: string;
  }>(
    `select trim(f.institution_code) as code, i.name_zh as name, i.type, i.district, f.period, f.item, f.value::text as value
     from facts f join submissions s on s.id = f.submission_id and s.superseded_at is null
       join institutions i on i.code = f.institution_code
     where i.type = any($1::text[]) and (f.item like 'SLC\\_%' or f.item like 'OSL\\_%' or f.item like 'FGC\\_%')
       and substr(f.period, 1, 4) between $2 and $3`,
    [types, from.slice(0, 4), input.period.slice(0, 4)],
  );
  const byInst = new Map<
    string,
    { name: string; type: string; district: string; periods: Map<string, Map<string, Rational>> }
  >();
  for (const f of facts) {
    const month = periodMonth(f.period);
    if (month > input.period || month < from) continue;
    const inst = byInst.get(f.code) ?? {
      name: f.name,
      type: f.type,
      district: f.district,
      periods: new Map(),
    };
    const items = inst.periods.get(f.period) ?? new Map<string, Rational>();
    const v = parseDecimal(f.value);
    if (v) items.set(f.item, v);
    inst.periods.set(f.period, items);
    byInst.set(f.code, inst);
  }
  const rows: OffsiteRow[] = [];
  for (const [code, inst] of byInst) {
    const periods = [...inst.periods.keys()].sort((a, b) => periodMonth(b).localeCompare(periodMonth(a)));
    const indicators: OffsiteValue[] = [];
    for (const spec of offsiteSpecs) {
      if (!spec.types.includes(inst.type)) continue;
      const metric = findMetric(spec.metric);
      if (!metric) continue;
      const values: { period: string; value: Rational }[] = [];
      for (const p of periods) {
        const items = inst.periods.get(p)!;
        const r = metric.compute((c) => items.get(c));
        if (r.status === "ok") values.push({ period: p, value: r.value });
        if (values.length === 2) break;
      }
      const [latest, prior] = values;
      if (!latest) continue;
      const outside =
        spec.line !== null &&
        (spec.line.op === "below"
          ? compare(latest.value, dec(spec.line.value)) < 0
          : compare(latest.value, dec(spec.line.value)) > 0);
      indicators.push({
        metric: spec.metric,
        en: metric.en,
        theme: spec.theme,
        period: latest.period,
        value: toFixed(latest.value, 4),
        previous: prior ? { period: prior.period, value: toFixed(prior.value, 4) } : null,
        line: spec.line,
        outsideLine: outside,
      });
    }
    rows.push({
      code,
      name: inst.name,
      type: inst.type,
      district: inst.district,
      indicators,
      flags: indicators.filter((i) => i.outsideLine).length,
    });
  }
  rows.sort((a, b) => b.flags - a.flags || a.code.localeCompare(b.code));
  return { period: input.period, rows };
}
