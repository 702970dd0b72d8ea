import { loadConfig } from "@beacon/core/config";
import { loadDemoProvince } from "@beacon/core/demo";
import { createDemoUsers } from "@beacon/core/identity/create-demo-users";
import { openBeacon } from "@beacon/core/runtime";
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";

const config = loadConfig();
const beacon = await openBeacon(config);
const log = (line: string) => console.error(line);
// The demo (the default mode) fills an empty store with the synthetic province and one user per role.
if (config.mode === "demo") {
  await loadDemoProvince(beacon, log);
  await createDemoUsers(beacon.db, log);
}
const app = createApp(beacon);
const server = serve(
  { fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? "127.0.0.1" },
  (info) => {
    console.error(
      `Beacon serving on http://${info.address}:${info.port} (store: ${beacon.db.kind}, data: ${config.dataDir})`,
    );
  },
);
const stop = async () => {
  server.close();
  await beacon.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
