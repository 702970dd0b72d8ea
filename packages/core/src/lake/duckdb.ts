import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { intakeExtension } from "./intake-extension.ts";

/** A DuckDB connection with the two calls the engine needs. */
export interface Duck {
  run(sql: string, params?: DuckDBValue[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  close(): void;
  readonly connection: DuckDBConnection;
  /** Whether the beacon_intake extension's functions (beacon_hmac_sha256, beacon_parse_date, ...) are loaded. */
  readonly intakeExtension: boolean;
}

export interface DuckOptions {
  /** Folder for DuckDB's spill files; defaults to none (memory only). */
  tempDir?: string;
  memoryLimit?: string;
  threads?: number;
  /** Load the beacon_intake extension where it is built (intake, which checks and hashes millions of values). */
  intakeExtension?: boolean;
}

/** Opens an in-memory DuckDB: the lake's state lives in Parquet files and the Postgres manifest, not here. */
export async function openDuck(options: DuckOptions = {}): Promise<Duck> {
  const config: Record<string, string> = { memory_limit: options.memoryLimit ?? "3GB" };
  if (options.threads) config.threads = String(options.threads);
  if (options.tempDir) {
    mkdirSync(options.tempDir, { recursive: true });
    config.temp_directory = options.tempDir;
  }
  const extension = options.intakeExtension ? intakeExtension() : undefined;
  const extensionPath = extension && "path" in extension ? extension.path : undefined;
  // Only Beacon's own SQL runs on these instances, so allowing an unsigned extension admits only beacon_intake.
  if (extensionPath) config.allow_unsigned_extensions = "true";
  const instance = await DuckDBInstance.create(":memory:", config);
  const connection = await instance.connect();
  if (extensionPath) await connection.run(`LOAD ${literal(extensionPath)}`);
  return {
    connection,
    intakeExtension: extensionPath !== undefined,
    async run(sql, params) {
      await connection.run(sql, params);
    },
    async all<T>(sql: string, params?: DuckDBValue[]) {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as T[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * COPY options of lake files: zstd at level 1, which on the medium province's loans costs a fifth less CPU to write
 * than DuckDB's default level 3 and gives files no larger (hashed identifiers and amounts compress little at any
 * level).
 */
export const lakeParquet = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1";

/** Quotes an identifier for DuckDB (and PostgreSQL) SQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB SQL. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function lakeDir(dataDir: string): string {
  return join(dataDir, "lake");
}
