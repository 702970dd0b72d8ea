import { insurerRiskGrades, itemConsistencyChecks, itemDictionary } from "../contract/items.ts";
import { type Duck, literal } from "../lake/duckdb.ts";
import { valueSql } from "./checks.ts";
import type { Problem } from "./report.ts";
import { insertRows } from "./validate.ts";

/**
 * Checks of periodic returns beyond the row checks: item codes and units against the item dictionary, values against
 * their item (a grade item carries a grade, every other item a decimal), and the
 * cross-item consistency rules (e.g. the five loan categories sum to total loans within a tolerance).
 */
export async function returnsProblems(
  duck: Duck,
  staged: { table: string; file: string; rowOffset: number }[],
): Promise<{ problems: Problem[]; counts: Record<string, number> }> {
  await duck.run("CREATE OR REPLACE TABLE item_dictionary (code VARCHAR, unit VARCHAR)");
  await insertRows(
    duck,
    "item_dictionary",
    itemDictionary.map((i) => [i.code, i.unit]),
  );
  const union = staged
    .map(
      (s, f) =>
        `SELECT ${f} AS f, rowid AS r, upper(${valueSql("institution_code")}) AS inst, ${valueSql("period")} AS period, ${valueSql("item")} AS item, TRY_CAST(${valueSql("value")} AS DECIMAL(38, 6)) AS value, ${valueSql("value")} AS raw, ${valueSql("unit")} AS unit FROM ${s.table}`,
    )
    .join(" UNION ALL ");
  await duck.run(`CREATE OR REPLACE TABLE returns_all AS ${union}`);
  const problems: Problem[] = [];
  const counts: Record<string, number> = {};
  const where = (f: number, r: bigint) => ({ file: staged[f]!.file, row: Number(r) + staged[f]!.rowOffset });
  const unknown = await duck.all<{
    f: number;
    r: bigint;
    item: string;
    unit: string;
    expected: string | null;
    total: bigint;
  }>(
    `SELECT a.f, a.r, a.item, a.unit, d.unit AS expected, count(*) OVER () AS total FROM returns_all a LEFT JOIN item_dictionary d ON d.code = a.item
     WHERE d.code IS NULL OR d.unit <> a.unit ORDER BY a.f, a.r LIMIT 50`,
  );
  for (const u of unknown) {
    const known = u.expected !== null;
    counts[known ? "unit" : "unknown_item"] = (counts[known ? "unit" : "unknown_item"] ?? 0) + 1;
    problems.push({
      ...where(u.f, u.r),
      column: known ? "unit" : "item",
      value: known ? u.unit : u.item,
      rule: known ? "unit" : "unknown_item",
      message: known ? `must be ${u.expected} for item ${u.item}` : "is not an item of the item dictionary",
    });
  }
  // The row checks let `value` be a decimal or a grade; which one is right depends on the item's unit.
  const grades = insurerRiskGrades.map(literal).join(", ");
  const misvalued = await duck.all<{ f: number; r: bigint; item: string; raw: string; unit: string }>(
    `SELECT a.f, a.r, a.item, a.raw, d.unit FROM returns_all a JOIN item_dictionary d ON d.code = a.item
     WHERE CASE WHEN d.unit = 'grade' THEN a.raw NOT IN (${grades}) ELSE a.value IS NULL END ORDER BY a.f, a.r LIMIT 50`,
  );
  for (const m of misvalued) {
    counts.item_value = (counts.item_value ?? 0) + 1;
    problems.push({
      ...where(m.f, m.r),
      column: "value",
      value: m.raw,
      rule: "item_value",
      message:
        m.unit === "grade"
          ? `must be a grade (${insurerRiskGrades.join(", ")}) for item ${m.item}, whose unit is grade`
          : `must be a decimal number for item ${m.item}, whose unit is ${m.unit}; grades are only for items whose unit is grade`,
    });
  }
  for (const check of itemConsistencyChecks) {
    const lhs = check.lhs.map(literal).join(", ");
    const rows = await duck.all<{
      inst: string;
      period: string;
      total: string;
      expected: string;
      f: number;
      r: bigint;
      n: bigint;
    }>(
      `WITH g AS (
         SELECT inst, period, sum(value) FILTER (WHERE item IN (${lhs})) AS total, count(*) FILTER (WHERE item IN (${lhs})) AS parts,
                max(value) FILTER (WHERE item = ${literal(check.rhs)}) AS expected,
                min(f) FILTER (WHERE item = ${literal(check.rhs)}) AS f, min(r) FILTER (WHERE item = ${literal(check.rhs)}) AS r
         FROM returns_all GROUP BY inst, period)
       SELECT inst, period, CAST(total AS VARCHAR) AS total, CAST(expected AS VARCHAR) AS expected, f, r,
              count(*) OVER () AS n FROM g
       WHERE expected IS NOT NULL AND parts = ${check.lhs.length}
         AND ${check.relation === "eq" ? "abs(total - expected)" : "total - expected"} > greatest(${check.tolerance.absolute}, ${check.tolerance.relative} * abs(expected))
       ORDER BY f, r LIMIT 50`,
    );
    // Every failing (institution, period) counts; the first 50 are listed.
    if (rows.length > 0) counts.consistency = (counts.consistency ?? 0) + Number(rows[0]!.n);
    for (const row of rows) {
      problems.push({
        ...where(row.f, row.r),
        column: "value",
        value: row.expected,
        rule: "consistency",
        message: `${check.description} ${check.lhs.join(" + ")} = ${row.total} ${check.relation === "eq" ? "differs from" : "exceeds"} ${check.rhs} = ${row.expected} (${row.inst}, ${row.period})`,
      });
    }
  }
  return { problems, counts };
}
