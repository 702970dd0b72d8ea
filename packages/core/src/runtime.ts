import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Config } from "./config.ts";
import { type Db, openPglite, openPostgres } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { AppError } from "./errors.ts";
import { lakeDir } from "./lake/duckdb.ts";
import { seedLpr } from "./rates/lpr.ts";

/** What every use case receives: the system of record, the data folder and the configuration. */
export interface Beacon {
  db: Db;
  config: Config;
  close(): Promise<void>;
}

/**
 * Opens the system of record (PGlite in the data folder, or the server at DATABASE_URL), applies migrations,
 * and removes whatever an interrupted intake left behind, so the next start is clean.
 */
export async function openBeacon(config: Config): Promise<Beacon> {
  mkdirSync(config.dataDir, { recursive: true });
  const release = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  try {
    const db = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(config.dataDir);
    await migrate(db);
    await seedLpr(db);
    await sweepLake(db, config.dataDir);
    return {
      db,
      config,
      async close() {
        await db.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** PGlite is one process's database: a second process on the same folder would corrupt it. */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, "beacon.lock");
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8"));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new AppError(
        "CONFLICT",
        `the data folder ${dataDir} is in use by process ${pid} (a running server?); stop it, or use the upload endpoint, or set DATABASE_URL`,
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (readFileSync(file, "utf8") === String(process.pid)) unlinkSync(file);
    } catch {}
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes staged files and any lake file without a committed manifest row (an intake killed mid-way). */
export async function sweepLake(db: Db, dataDir: string): Promise<number> {
  rmSync(join(dataDir, "tmp"), { recursive: true, force: true });
  const lake = lakeDir(dataDir);
  rmSync(join(lake, "_incoming"), { recursive: true, force: true });
  if (!existsSync(lake)) return 0;
  const known = new Set((await db.query<{ path: string }>("select path from lake_files")).map((r) => r.path));
  let removed = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!known.has(relative(lake, full))) {
        rmSync(full);
        removed++;
      }
    }
  };
  walk(lake);
  return removed;
}
