import { AppError } from "../errors.ts";
import type { Network } from "./network.ts";

/** A shock expressed against capital: money each node loses before contagion, and nodes forced into default. */
export interface CapitalShock {
  loss: Float64Array;
  forced?: Uint8Array;
}

/** Checks a capital shock against the network and returns the loss vector with forced defaults wiping capital. */
export function initialLoss(net: Network, shock: CapitalShock, capital: Float64Array): Float64Array {
  const n = net.size;
  if (shock.loss.length !== n) {
    throw new AppError("INVALID_INPUT", `shock has ${shock.loss.length} entries, expected ${n}`);
  }
  if (shock.forced && shock.forced.length !== n) {
    throw new AppError("INVALID_INPUT", `forced defaults have ${shock.forced.length} entries, expected ${n}`);
  }
  const loss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = shock.loss[i]!;
    if (!Number.isFinite(x) || x < 0) {
      throw new AppError(
        "INVALID_INPUT",
        `shock loss for "${net.ids[i]}" must be a non-negative number (got ${x})`,
      );
    }
    // A forced default loses at least its whole capital, so its stress starts at 1.
    loss[i] = shock.forced?.[i] ? Math.max(x, capital[i]!, 0) : x;
  }
  return loss;
}
