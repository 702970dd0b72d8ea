import { loadConfig } from "@beacon/core/config";
import { type Beacon, openBeacon } from "@beacon/core/runtime";
import type { CommandContext } from "./command.ts";

/** Opens Beacon from the environment for one command and always closes it. */
export async function withBeacon<T>(ctx: CommandContext, fn: (beacon: Beacon) => Promise<T>): Promise<T> {
  const beacon = await openBeacon(loadConfig(ctx.env));
  try {
    return await fn(beacon);
  } finally {
    await beacon.close();
  }
}
