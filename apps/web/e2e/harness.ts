import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "@beacon/api";
import { loadConfig } from "@beacon/core/config";
import { type Beacon, openBeacon } from "@beacon/core/runtime";
import { serve } from "@hono/node-server";
import { type Browser, chromium } from "playwright-core";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
export const chromiumPath = process.env.BEACON_CHROMIUM ?? "/usr/bin/chromium";

/** Builds the console with Vite, as `npm run build:web` does. */
export function buildConsole(): void {
  execFileSync(
    join(repoRoot, "node_modules/.bin/vite"),
    ["build", "--config", "apps/web/vite.config.ts", "--logLevel", "warn"],
    {
      cwd: repoRoot,
      stdio: "inherit",
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
}

/** Opens a data folder and serves the API and console on a free port of 127.0.0.1. */
export async function startServer(
  dataDir: string,
  prepare?: (beacon: Beacon) => Promise<void>,
  mode = "test",
) {
  const beacon = await openBeacon(loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: mode }));
  if (prepare) await prepare(beacon);
  const app = createApp(beacon);
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    beacon,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await beacon.close();
    },
  };
}

export function haveChromium(): boolean {
  return existsSync(chromiumPath);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
