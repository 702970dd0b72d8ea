/**
 * Outcome labels for calibration and backtests, in the columns of the `outcomes` dataset of the data contract:
 * reporter_code, period, institution_code, event, event_date. A labels file is validated like an intake file:
 * every problem is listed as file:row:column with the value and why, and nothing is used unless all rows pass.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { isValidCreditCode } from "../contract/identifiers.ts";
import { periodPattern } from "../contract/items.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { openDuck } from "../lake/duckdb.ts";
import { registerDatasetView } from "../lake/views.ts";

export const outcomeEvents = [
  "failed",
  "taken_over",
  "high_risk_rating",
  "merged",
  "licence_revoked",
] as const;
export type OutcomeEvent = (typeof outcomeEvents)[number];

/** Events that end an institution's history: nothing after them is scored or labelled. */
export const terminalEvents: readonly OutcomeEvent[] = ["failed", "taken_over", "merged", "licence_revoked"];

/** Events counted as distress by default (a merger is not). */
export const distressEvents: readonly OutcomeEvent[] = [
  "failed",
  "taken_over",
  "licence_revoked",
  "high_risk_rating",
];

export interface OutcomeLabel {
  reporter: string;
  period: string;
  institution: string;
  event: OutcomeEvent;
  /** YYYY-MM-DD. */
  date: string;
}

const columns = ["reporter_code", "period", "institution_code", "event", "event_date"] as const;

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Parses and validates a labels CSV (UTF-8, header row); throws VALIDATION_FAILED listing every problem. */
export function parseLabels(text: string, file: string): OutcomeLabel[] {
  const problems: string[] = [];
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    throw new AppError("VALIDATION_FAILED", `${file}: not a readable CSV file (${(e as Error).message})`);
  }
  const header = records[0];
  if (!header)
    throw new AppError("VALIDATION_FAILED", `${file}: empty file; expected the header ${columns.join(",")}`);
  const index = new Map(header.map((h, i) => [h.toLowerCase(), i]));
  const missing = columns.filter((c) => !index.has(c));
  const unknown = header.filter((h) => !(columns as readonly string[]).includes(h.toLowerCase()));
  if (missing.length > 0 || unknown.length > 0) {
    throw new AppError(
      "VALIDATION_FAILED",
      `${file}:1: the header must name the outcomes columns ${columns.join(", ")}${missing.length ? `; missing ${missing.join(", ")}` : ""}${unknown.length ? `; unknown ${unknown.join(", ")}` : ""}`,
      { problems: [`${file}:1: header`] },
    );
  }
  const labels: OutcomeLabel[] = [];
  const keys = new Map<string, number>();
  records.slice(1).forEach((rec, n) => {
    const row = n + 2;
    if (rec.length !== header.length) {
      problems.push(`${file}:${row}: expected ${header.length} fields, found ${rec.length}`);
      return;
    }
    const get = (c: (typeof columns)[number]) => rec[index.get(c)!] ?? "";
    let ok = true;
    const bad = (c: string, value: string, why: string) => {
      problems.push(`${file}:${row}:${c}: ${why} (value "${value}")`);
      ok = false;
    };
    const reporter = get("reporter_code").toUpperCase();
    const inst = get("institution_code").toUpperCase();
    const period = get("period");
    const event = get("event");
    const date = get("event_date");
    if (!isValidCreditCode(reporter))
      bad("reporter_code", reporter, "not a valid 18-character credit code (GB 32100-2015)");
    if (!isValidCreditCode(inst))
      bad("institution_code", inst, "not a valid 18-character credit code (GB 32100-2015)");
    if (!periodPattern.test(period)) bad("period", period, "not a period (YYYY-MM or YYYY-Qn)");
    if (!(outcomeEvents as readonly string[]).includes(event))
      bad("event", event, `not one of ${outcomeEvents.join(", ")}`);
    if (!isRealDate(date)) bad("event_date", date, "not a date written YYYY-MM-DD");
    if (!ok) return;
    // The outcomes dataset's key: an event on a date. A terminal event ends the institution's history, so it is
    // given once whatever the date; a high-risk rating may recur.
    const terminal = (terminalEvents as readonly string[]).includes(event);
    const key = terminal ? `${reporter}|${inst}|${event}` : `${reporter}|${inst}|${event}|${date}`;
    const first = keys.get(key);
    if (first !== undefined) {
      problems.push(
        `${file}:${row}: duplicate of row ${first} (${terminal ? `the same reporter and institution: ${event} is given once` : "the same reporter, institution, event and date"})`,
      );
      return;
    }
    keys.set(key, row);
    labels.push({ reporter, period, institution: inst, event: event as OutcomeEvent, date });
  });
  if (problems.length > 0) {
    throw new AppError(
      "VALIDATION_FAILED",
      `${file}: ${problems.length} problem(s) in the labels:\n- ${problems.slice(0, 50).join("\n- ")}${problems.length > 50 ? `\n- ... and ${problems.length - 50} more` : ""}`,
      { problems },
    );
  }
  if (labels.length === 0) throw new AppError("VALIDATION_FAILED", `${file}: no labels after the header`);
  return labels;
}

/** Reads and validates a labels file. */
export function readLabelsFile(path: string): OutcomeLabel[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new AppError(
      "INVALID_INPUT",
      `cannot read the labels file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return parseLabels(text, path);
}

/** The labels of the `outcomes` dataset in the lake (current submissions). */
export async function labelsFromLake(db: Sql, dataDir: string): Promise<OutcomeLabel[]> {
  const duck = await openDuck({ memoryLimit: "512MB" });
  try {
    const ids = await registerDatasetView(duck, db, dataDir, "outcomes");
    if (ids.length === 0) return [];
    const rows = await duck.all<{ r: string; p: string; i: string; e: string; d: string }>(
      "SELECT reporter_code AS r, period AS p, institution_code AS i, event AS e, CAST(event_date AS VARCHAR) AS d FROM outcomes",
    );
    return rows.map((r) => ({
      reporter: r.r,
      period: r.p,
      institution: r.i,
      event: r.e as OutcomeEvent,
      date: r.d,
    }));
  } finally {
    duck.close();
  }
}
