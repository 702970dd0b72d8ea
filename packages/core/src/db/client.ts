import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export type Row = Record<string, unknown>;

/** The SQL surface every use case sees; the same on PGlite and on a PostgreSQL server. */
export interface Sql {
  query<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one or more statements without parameters (migrations, DDL). */
  exec(text: string): Promise<void>;
}

export interface Db extends Sql {
  readonly kind: "pglite" | "postgres";
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// int8 and numeric arrive as strings on both drivers: money and counts stay exact until a caller decides.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

/** Opens PGlite in `dataDir/pg` (or in memory when dataDir is undefined). */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  let path: string | undefined;
  if (dataDir) {
    path = join(dataDir, "pg");
    mkdirSync(path, { recursive: true });
  }
  const lite = await PGlite.create(path);
  const parse = { parsers: { 20: (v: string) => v, 1700: (v: string) => v } };
  const sqlOf = (q: Pick<PGlite, "query" | "exec">): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      const r = await q.query<T>(text, params as unknown[], parse);
      return r.rows;
    },
    async exec(text: string) {
      await q.exec(text);
    },
  });
  return {
    kind: "pglite",
    ...sqlOf(lite),
    transaction: (fn) => lite.transaction((tx) => fn(sqlOf(tx as unknown as PGlite))),
    close: () => lite.close(),
  };
}

/** Connects to a PostgreSQL server through a small pool. */
export async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  await pool.query("select 1");
  const sqlOf = (c: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      const r = await c.query(text, params as unknown[]);
      return r.rows as T[];
    },
    async exec(text: string) {
      await c.query(text);
    },
  });
  return {
    kind: "postgres",
    ...sqlOf(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await fn(sqlOf(client));
        await client.query("commit");
        return result;
      } catch (e) {
        await client.query("rollback").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
