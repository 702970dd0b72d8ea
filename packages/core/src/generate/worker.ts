/**
 * Worker-thread entry: rebuilds the generation context from the seed once, then runs the tasks it is sent.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ScaleName } from "./scales.ts";
import { buildContext, runTask } from "./tasks.ts";

interface Init {
  seed: number;
  scale: ScaleName;
  endPeriod?: string;
}

const port = parentPort;
if (!port) throw new Error("worker.ts must run in a worker thread");
const init = workerData as Init;
const ctx = buildContext(init.seed, init.scale, init.endPeriod);
port.on("message", (msg: { task: string; out: string }) => {
  try {
    const files = runTask(ctx, msg.task, msg.out, (rows) => port.postMessage({ type: "progress", rows }));
    port.postMessage({ type: "done", task: msg.task, files });
  } catch (e) {
    const err = e as Error;
    port.postMessage({ type: "error", task: msg.task, message: err.stack ?? err.message });
  }
});
port.postMessage({ type: "ready" });
