import { AppError } from "../errors.ts";
import { type CapitalShock, initialLoss } from "./capital-shock.ts";
import type { Network } from "./network.ts";

export interface FurfineOptions {
  /** Share of an exposure a creditor recovers when its borrower defaults; default 0. */
  recoveryRate?: number;
  /** Capital buffers; default the network's. */
  capital?: Float64Array;
}

export interface FurfineResult {
  /** Capital - shock - (1 - recovery) x exposures to defaulted borrowers (negative: loss beyond capital). */
  equity: Float64Array;
  /** Equity right after the shock, before any default propagates. */
  initialEquity: Float64Array;
  /** Default: forced by the shock, or equity below zero. */
  defaulted: Uint8Array;
  /** 0 for defaults caused by the shock itself, k for the k-th wave of the cascade, -1 for survivors. */
  defaultRound: Int32Array;
  rounds: number;
}

/**
 * Furfine (2003) sequential default cascade: each default costs its creditors (1 - recovery) of their
 * exposure; a creditor whose equity falls below zero defaults in the next wave. Losses keep accruing
 * to banks that have already defaulted, so their final equity reports the full shortfall.
 */
export function furfineCascade(
  net: Network,
  shock: CapitalShock,
  options: FurfineOptions = {},
): FurfineResult {
  const n = net.size;
  const recovery = options.recoveryRate ?? 0;
  if (!Number.isFinite(recovery) || recovery < 0 || recovery > 1) {
    throw new AppError("INVALID_INPUT", `recovery rate must be between 0 and 1 (got ${recovery})`);
  }
  const capital = options.capital ?? net.capital;
  const loss = initialLoss(net, shock, capital);
  const equity = new Float64Array(n);
  const defaulted = new Uint8Array(n);
  const defaultRound = new Int32Array(n).fill(-1);
  let wave: number[] = [];
  for (let i = 0; i < n; i++) {
    equity[i] = capital[i]! - loss[i]!;
    if (shock.forced?.[i] || equity[i]! < 0) {
      defaulted[i] = 1;
      defaultRound[i] = 0;
      wave.push(i);
    }
  }
  const initialEquity = equity.slice();
  const lgd = 1 - recovery;
  let rounds = 0;
  while (wave.length > 0) {
    const next: number[] = [];
    for (const j of wave) {
      for (let k = net.debtStart[j]!; k < net.debtStart[j + 1]!; k++) {
        const i = net.debtLender[k]!;
        equity[i]! -= lgd * net.debtAmount[k]!;
      }
    }
    // Decide the next wave after all of this wave's losses have landed.
    for (const j of wave) {
      for (let k = net.debtStart[j]!; k < net.debtStart[j + 1]!; k++) {
        const i = net.debtLender[k]!;
        if (!defaulted[i] && equity[i]! < 0) {
          defaulted[i] = 1;
          defaultRound[i] = rounds + 1;
          next.push(i);
        }
      }
    }
    if (next.length > 0) rounds++;
    wave = next;
  }
  return { equity, initialEquity, defaulted, defaultRound, rounds };
}
