import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite, parse, protocol } from "@electric-sql/pglite";
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
  const options = { parsers: { 20: (v: string) => v, 1700: (v: string) => v } };
  const sqlOf = (q: Pick<PGlite, "query" | "exec">): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      const r = await q.query<T>(text, params as unknown[], options);
      return r.rows;
    },
    async exec(text: string) {
      await q.exec(text);
    },
  });
  const prepared = preparedStatements(lite, options);
  return {
    kind: "pglite",
    ...sqlOf(lite),
    query: prepared,
    transaction: (fn) => lite.transaction((tx) => fn(sqlOf(tx as unknown as PGlite))),
    close: () => lite.close(),
  };
}

/** Lets timers and I/O (requests) run before the caller goes on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The same database for background work (the report outcomes computed at start, the overdue scan): each statement
 * first lets the event loop run, so requests are served between the job's statements. On PGlite a query completes
 * on this thread and its promise resolves without returning to the event loop, so a job of many awaited statements
 * would otherwise hold every request until it ends (1.3 s for the medium province's report outcomes).
 */
export function backgroundDb(db: Db): Db {
  return {
    ...db,
    async query<T>(text: string, params?: readonly unknown[]) {
      await yieldToEventLoop();
      return db.query<T>(text, params);
    },
    async exec(text: string) {
      await yieldToEventLoop();
      await db.exec(text);
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>) {
      await yieldToEventLoop();
      return db.transaction(fn);
    },
  };
}

/** Distinct statement texts kept prepared per PGlite; beyond, a statement is parsed and planned on every call. */
const maxPrepared = 2000;

/**
 * Queries outside a transaction as named prepared statements, one per distinct text: PGlite runs on the server's
 * one thread, and parsing and planning cost it more than most executions do (a session lookup: 1.1 ms a call
 * through `PGlite.query`, 0.14 ms prepared), time no other request can use. Parameters are serialised and rows
 * parsed as `PGlite.query` does, waiting for any open transaction the same way.
 */
function preparedStatements(lite: PGlite, options: { parsers: Record<number, (v: string) => unknown> }) {
  const statements = new Map<string, { name: string; types: number[] }>();
  const join = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const { serialize } = protocol;
  return async function query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    if (!statements.has(text) && statements.size >= maxPrepared) {
      return (await lite.query<T>(text, params as unknown[], options)).rows;
    }
    await lite._checkReady();
    return lite._runExclusiveTransaction(() =>
      lite._runExclusiveQuery(async () => {
        let statement = statements.get(text);
        if (!statement) {
          const name = `beacon_${statements.size + 1}`;
          const described = await lite.execProtocol(
            join(serialize.parse({ name, text }), serialize.describe({ type: "S", name }), serialize.sync()),
          );
          statement = { name, types: parse.parseDescribeStatementResults(described.messages) };
          statements.set(text, statement);
        }
        const types = statement.types;
        const values = params.map((v, i) => {
          if (v === null || v === undefined) return null;
          const serializer = lite.serializers[types[i]!];
          return serializer ? serializer(v) : String(v);
        });
        const r = await lite.execProtocol(
          join(
            serialize.bind({ statement: statement.name, values }),
            serialize.describe({ type: "P" }),
            serialize.execute({}),
            serialize.sync(),
          ),
        );
        return parse.parseResults(r.messages, lite.parsers, options)[0]!.rows as T[];
      }),
    );
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
