import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AppError } from "./errors.ts";

export interface Config {
  mode: "production" | "demo" | "development" | "test";
  dataDir: string;
  databaseUrl: string | undefined;
  port: number;
  /** HMAC-SHA-256 key for pseudonymising personal identifiers at intake. */
  pseudonymKey: Buffer;
  /** True when the key was generated for a demo rather than configured. */
  pseudonymKeyGenerated: boolean;
}

/**
 * Reads the environment once and lists every problem at start, rather than failing on the first.
 * Production refuses to start without a configured pseudonymisation key; other modes keep a generated
 * key in the data folder so the same person hashes the same way across runs.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const mode = env.BEACON_MODE ?? (env.NODE_ENV === "production" ? "production" : "demo");
  if (!["production", "demo", "development", "test"].includes(mode)) {
    problems.push(`BEACON_MODE must be production, demo, development or test (got "${mode}")`);
  }
  const dataDir = resolve(env.BEACON_DATA_DIR || "./beacon-data");
  const portText = env.PORT ?? "3000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
    problems.push(`PORT must be an integer 1-65535 (got "${portText}")`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL must start with postgres:// or postgresql://");
  }
  let pseudonymKey: Buffer | undefined;
  let generated = false;
  const keyText = env.BEACON_PSEUDONYM_KEY;
  if (keyText) {
    if (keyText.length < 32) problems.push("BEACON_PSEUDONYM_KEY must be at least 32 characters");
    else pseudonymKey = Buffer.from(keyText, "utf8");
  } else if (mode === "production") {
    problems.push("BEACON_PSEUDONYM_KEY is required in production (personal identifiers are hashed with it)");
  }
  if (problems.length > 0) {
    throw new AppError("CONFIG", `invalid configuration:\n- ${problems.join("\n- ")}`, { problems });
  }
  if (!pseudonymKey) {
    pseudonymKey = demoKey(dataDir);
    generated = true;
  }
  return {
    mode: mode as Config["mode"],
    dataDir,
    databaseUrl,
    port,
    pseudonymKey,
    pseudonymKeyGenerated: generated,
  };
}

function demoKey(dataDir: string): Buffer {
  const file = join(dataDir, "demo-pseudonym.key");
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString("hex"), { mode: 0o600 });
  return key;
}
