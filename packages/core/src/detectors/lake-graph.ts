/**
 * Graphs from the lake for the graph core: ids are mapped to dense integers inside DuckDB (DENSE_RANK), and only
 * two integer columns cross into JavaScript, where they become CSR arrays.
 */
import { buildCsr, type Csr } from "../graph/index.ts";
import type { Duck } from "../lake/duckdb.ts";

export interface LakeGraph {
  csr: Csr;
  /** Node index -> id. */
  ids: string[];
  /** Name of the temp table (idx INTEGER, id VARCHAR) holding the mapping, for joins back in SQL. */
  nodeTable: string;
}

async function columns(duck: Duck, sql: string): Promise<unknown[][]> {
  const reader = await duck.connection.runAndReadAll(sql);
  return reader.getColumnsJS() as unknown[][];
}

/**
 * Builds the directed graph of the distinct (src, dst) pairs selected by `edgesSql` (VARCHAR columns src and dst;
 * self-loops dropped). With `weighted`, the query also selects a numeric column w, summed per pair into the CSR
 * weights. The node mapping stays in DuckDB as `<name>_nodes`.
 */
export async function loadLakeGraph(
  duck: Duck,
  name: string,
  edgesSql: string,
  weighted = false,
): Promise<LakeGraph> {
  const edges = `${name}_edges`;
  const nodes = `${name}_nodes`;
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE ${edges} AS SELECT src, dst, ${weighted ? "CAST(sum(w) AS DOUBLE)" : "CAST(0 AS DOUBLE)"} AS w
     FROM (${edgesSql}) e WHERE src IS NOT NULL AND dst IS NOT NULL AND src <> dst GROUP BY src, dst`,
  );
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE ${nodes} AS SELECT id, CAST(dense_rank() OVER (ORDER BY id) - 1 AS INTEGER) AS idx
     FROM (SELECT src AS id FROM ${edges} UNION SELECT dst FROM ${edges}) n`,
  );
  const [idCol = []] = await columns(duck, `SELECT id FROM ${nodes} ORDER BY idx`);
  const [s = [], d = [], w = []] = await columns(
    duck,
    `SELECT a.idx AS s, b.idx AS d, e.w FROM ${edges} e JOIN ${nodes} a ON a.id = e.src JOIN ${nodes} b ON b.id = e.dst`,
  );
  const ids = idCol as string[];
  const csr = buildCsr(
    ids.length,
    Int32Array.from(s as number[]),
    Int32Array.from(d as number[]),
    weighted ? Float64Array.from(w as number[]) : undefined,
    { sortTargets: true },
  );
  return { csr, ids, nodeTable: nodes };
}

/** Writes (idx, group) pairs to a temp table `<name>` so SQL can join groups found in JavaScript back to the lake. */
export async function writeGroups(
  duck: Duck,
  name: string,
  groups: readonly (readonly string[])[],
): Promise<void> {
  await duck.run(`CREATE OR REPLACE TEMP TABLE ${name} (id VARCHAR, grp INTEGER)`);
  const values: string[] = [];
  groups.forEach((g, i) => {
    for (const id of g) values.push(`('${id.replaceAll("'", "''")}', ${i})`);
  });
  for (let i = 0; i < values.length; i += 1000) {
    await duck.run(`INSERT INTO ${name} VALUES ${values.slice(i, i + 1000).join(", ")}`);
  }
}
