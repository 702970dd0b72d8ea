import type { Sql } from "../db/client.ts";
import type { ReadScope } from "./policy.ts";

/** Column expressions of a table that scoping reads; absent ones never match. */
export interface ScopeColumns {
  institution?: string;
  sector?: string;
  district?: string;
  ownerUnit?: string;
  /** A text[] column of units the row is shared with. */
  units?: string;
}

/**
 * The SQL condition that keeps only rows the scope may read, with values bound through `bind`: the list-side
 * mirror of `authorize`'s read check (same sectors, units, districts and institution).
 */
export function scopeSql(scope: ReadScope, cols: ScopeColumns, bind: (v: unknown) => string): string {
  if (scope.all) return "true";
  if (scope.institution !== null) {
    return cols.institution ? `trim(${cols.institution}) = ${bind(scope.institution)}` : "false";
  }
  const any: string[] = [];
  if (cols.sector && scope.sectors.length > 0)
    any.push(`${cols.sector} = any(${bind(scope.sectors)}::text[])`);
  if (scope.unit) {
    if (cols.ownerUnit) any.push(`${cols.ownerUnit} = ${bind(scope.unit)}`);
    if (cols.units) any.push(`${bind(scope.unit)} = any(${cols.units})`);
  }
  if (any.length === 0) return "false";
  const visible = `(${any.join(" or ")})`;
  if (!scope.districts || !cols.district) return visible;
  return `(${visible} and (${cols.district} is null or ${cols.district} = any(${bind(scope.districts)}::text[])))`;
}

/** A parameter list and its `bind`, as the list use cases build their queries. */
export function binder(): { params: unknown[]; bind: (v: unknown) => string } {
  const params: unknown[] = [];
  return {
    params,
    bind: (v) => {
      params.push(v);
      return `$${params.length}`;
    },
  };
}

/**
 * One page of rows with the total that matches, in one statement: the total is a scalar subquery over the same
 * FROM and WHERE (run once), so the page can stop at its last row, through an index when the order has one; a
 * window count (`count(*) over ()`) would read, join and sort every matching row whole (on 1,000 cases, ten times
 * the page's cost). Only a page past the end costs a second, counting query. `from` is the FROM and WHERE
 * clauses, `tail` the ORDER BY, LIMIT and OFFSET.
 */
export async function pageWithTotal(
  db: Sql,
  columns: string,
  from: string,
  tail: string,
  params: unknown[],
): Promise<{ rows: Record<string, unknown>[]; total: number }> {
  const rows = await db.query<Record<string, unknown>>(
    `select ${columns}, (select count(*) ${from})::text as total_matching ${from} ${tail}`,
    params,
  );
  if (rows.length > 0) return { rows, total: Number(rows[0]!.total_matching) };
  const [c] = await db.query<{ n: string }>(`select count(*)::text as n ${from}`, params);
  return { rows: [], total: Number(c?.n ?? 0) };
}

/**
 * The credit codes of the registered institutions a scope may read, or null for all of them: how a result that
 * spans institutions (check results, findings) is cut down to the caller's part.
 */
export async function visibleInstitutions(db: Sql, scope: ReadScope): Promise<Set<string> | null> {
  if (scope.all) return null;
  const { params, bind } = binder();
  const where = scopeSql(scope, { institution: "code", sector: "sector", district: "district" }, bind);
  const rows = await db.query<{ code: string }>(
    `select trim(code) as code from institutions where ${where}`,
    params,
  );
  return new Set(rows.map((r) => r.code));
}
