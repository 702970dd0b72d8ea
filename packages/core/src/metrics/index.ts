/** The metric catalog: every derived indicator, looked up by code. */
import { assetManagementMetrics } from "./asset-management.ts";
import { bankMetrics } from "./bank.ts";
import { insuranceMetrics } from "./insurance.ts";
import { localFinanceMetrics } from "./local-finance.ts";
import type { MetricDef } from "./metric.ts";
import { securitiesMetrics } from "./securities.ts";

export const metricCatalog = [
  ...bankMetrics,
  ...securitiesMetrics,
  ...insuranceMetrics,
  ...localFinanceMetrics,
  ...assetManagementMetrics,
] as const;

export type MetricCode = (typeof metricCatalog)[number]["code"];

export const metricsByCode: ReadonlyMap<string, MetricDef<MetricCode>> = new Map(
  metricCatalog.map((m) => [m.code, m as MetricDef<MetricCode>]),
);

/** The metric definition for a code; undefined for an unknown code. */
export function findMetric(code: string): MetricDef<MetricCode> | undefined {
  return metricsByCode.get(code);
}

export type { Display, MetricDef, MetricResult, MetricUnit } from "./metric.ts";
