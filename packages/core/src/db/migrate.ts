import { readdirSync, readFileSync } from "node:fs";
import type { Db } from "./client.ts";

const migrationsDir = new URL("./migrations/", import.meta.url);

/** Applies every migration file not yet applied, in name order, each in its own transaction. */
export async function migrate(db: Db): Promise<string[]> {
  await db.exec(
    "create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())",
  );
  const files = readdirSync(migrationsDir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const applied: string[] = [];
  for (const name of files) {
    const sql = readFileSync(new URL(name, migrationsDir), "utf8");
    await db.transaction(async (tx) => {
      // The advisory lock serialises concurrent starts against one server; PGlite has one connection anyway.
      await tx.query("select pg_advisory_xact_lock(4242)");
      const done = await tx.query("select 1 from schema_migrations where name = $1", [name]);
      if (done.length > 0) return;
      await tx.exec(sql);
      await tx.query("insert into schema_migrations (name) values ($1)", [name]);
      applied.push(name);
    });
  }
  return applied;
}
