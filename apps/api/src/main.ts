import { loadConfig } from "@beacon/core/config";
import { backgroundDb } from "@beacon/core/db/client";
import { loadDemoProvince } from "@beacon/core/demo";
import { createDemoUsers } from "@beacon/core/identity/create-demo-users";
import { openBeacon } from "@beacon/core/runtime";
import { scheduleOverdueScan } from "@beacon/core/workflow/overdue-scan";
import { chinaCatalog } from "@beacon/packs/china/catalog";
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";

const config = loadConfig();
// Overdue alerts (cases, rectifications, event reports, campaign targets) run at start, then every N minutes.
const minutesText = process.env.BEACON_OVERDUE_MINUTES ?? "15";
if (!/^[1-9][0-9]{0,4}$/.test(minutesText)) {
  console.error(`BEACON_OVERDUE_MINUTES must be a whole number of minutes, 1 or more (got "${minutesText}")`);
  process.exit(2);
}
const beacon = await openBeacon(config);
const log = (line: string) => console.error(line);
// The demo (the default mode) fills an empty store with the synthetic province and one user per role.
if (config.mode === "demo") {
  await loadDemoProvince(beacon, chinaCatalog, log);
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
// Background work lets requests run between its statements.
const stopScan = scheduleOverdueScan(backgroundDb(beacon.db), Number(minutesText), log);
const stop = async () => {
  stopScan();
  server.close();
  await beacon.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
