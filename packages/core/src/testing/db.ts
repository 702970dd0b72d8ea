import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Db, openPglite, openPostgres } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";

/**
 * A migrated database for one test file: in-memory PGlite by default, or a fresh database on the server named
 * by TEST_DATABASE_URL (so CI runs the same storage tests against a real PostgreSQL). Closing drops it.
 */
export async function testDb(): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const db = await openPglite(undefined);
    await migrate(db);
    return db;
  }
  const name = `beacon_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openPostgres(target.toString());
  await migrate(db);
  return {
    ...db,
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
