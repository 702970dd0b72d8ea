"""Peer for bench/contagion.ts: the same contagion algorithms, vectorised with numpy.

Written for the Beacon benchmark from the algorithms' definitions (not from any package's code).
Run by the benchmark as:  debtrank_numpy.py <dir> <task> <runs>
  <dir>   holds the network the benchmark wrote (raw little-endian arrays) and receives results
  <task>  debtrank | eisenberg-noe
Prints one JSON object with timings on stdout; writes results to <dir> for the benchmark to compare.
"""

import json
import os
import sys
import time

import numpy as np


def load(directory, name, dtype):
    return np.fromfile(os.path.join(directory, name), dtype=dtype)


def debtrank_each(assets, inverse, capital, rule, tolerance, max_iterations):
    """Every single default at once: one row per scenario, synchronous rounds as NetworkRiskMeasures runs them.

    linear:      each node passes on the increase of min(1, h) since the previous round (Bardoscia et al. 2015)
    single-hit:  each node passes on min(1, h) once, the round after it first becomes distressed (Battiston 2012)
    Stop rule per scenario: no node passes anything on, or the norm of the round's stress change < tolerance.
    """
    n = capital.shape[0]
    loss = np.diag(np.maximum(capital, 0.0))  # scenario k: node k loses its whole capital (stress 1)
    pinned = inverse == 0.0  # nodes without capital sit at stress 1
    passed = np.zeros((n, n))
    running = np.ones(n, dtype=bool)
    iterations = np.zeros(n, dtype=np.int64)
    exposures_t = np.ascontiguousarray(assets.T)
    while True:
        rows = np.flatnonzero(running)
        if rows.size == 0:
            break
        h = loss[rows] * inverse
        h[:, pinned] = 1.0
        level = np.minimum(h, 1.0)
        if rule == "linear":
            delta = level - passed[rows]
            moved = delta > 0
            delta[~moved] = 0.0
            passed[rows] = np.where(moved, level, passed[rows])
        else:
            fresh = (passed[rows] == 0) & (h > 0)
            delta = np.where(fresh, level, 0.0)
            moved = fresh
            passed[rows] = np.where(fresh, 1.0, passed[rows])
        active = moved.any(axis=1)
        out_of_rounds = iterations[rows] >= max_iterations
        keep = active & ~out_of_rounds
        running[rows[~keep]] = False
        rows = rows[keep]
        if rows.size == 0:
            break
        delta = delta[keep]
        iterations[rows] += 1
        increment = delta @ exposures_t  # increment[s, i] = sum_j A[i, j] delta[s, j]
        loss[rows] += increment
        if tolerance > 0:
            change = np.sqrt(((increment * inverse) ** 2).sum(axis=1))
            running[rows[change < tolerance]] = False
    stress = loss * inverse
    stress[:, pinned] = 1.0
    return stress, iterations


def eisenberg_noe(lender, borrower, amount, external_assets, external_liabilities, tolerance, max_iterations):
    """Greatest clearing vector (pari passu) by Picard iteration from full payment, vectorised over exposures.

    r_i = min(1, max(0, (ea_i + sum_j A_ij r_j) / Lbar_i)), Lbar = interbank + external liabilities.
    Monotone from above, so it converges to the greatest clearing vector; stop when no r moves > tolerance.
    """
    n = external_assets.shape[0]
    interbank = np.bincount(borrower, weights=amount, minlength=n)
    nominal = interbank + external_liabilities
    has_debt = nominal > 0
    r = np.ones(n)
    sweeps = 0
    for sweeps in range(1, max_iterations + 1):
        received = np.bincount(lender, weights=amount * r[borrower], minlength=n)
        value = external_assets + received
        nxt = np.ones(n)
        nxt[has_debt] = np.minimum(1.0, np.maximum(0.0, value[has_debt] / nominal[has_debt]))
        change = np.max(np.abs(nxt - r)) if n else 0.0
        r = nxt
        if change <= tolerance:
            break
    received = np.bincount(lender, weights=amount * r[borrower], minlength=n)
    equity = external_assets + received - interbank - external_liabilities
    return r * nominal, equity, sweeps


def main():
    directory, task, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    meta = json.load(open(os.path.join(directory, "meta.json")))
    n = meta["nodes"]
    lender = load(directory, "lender.i32", np.int32).astype(np.int64)
    borrower = load(directory, "borrower.i32", np.int32).astype(np.int64)
    amount = load(directory, "amount.f64", np.float64)
    out = {"numpy": np.__version__, "task": task, "runs": []}
    if task == "debtrank":
        capital = load(directory, "capital.f64", np.float64)
        t0 = time.perf_counter()
        assets = np.zeros((n, n))
        np.add.at(assets, (lender, borrower), amount)
        inverse = np.where(capital > 0, 1.0 / np.where(capital > 0, capital, 1.0), 0.0)
        out["setupSeconds"] = time.perf_counter() - t0
        for rule in meta["rules"]:
            times = []
            cpu = []
            for _ in range(runs):
                t0 = time.perf_counter()
                c0 = time.process_time()
                stress, iterations = debtrank_each(
                    assets, inverse, capital, rule, meta["tolerance"], meta["maxIterations"]
                )
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            stress.astype(np.float64).tofile(os.path.join(directory, f"numpy-{rule}-stress.f64"))
            iterations.astype(np.int32).tofile(os.path.join(directory, f"numpy-{rule}-iterations.i32"))
            out["runs"].append(
                {"rule": rule, "seconds": times, "cpuSeconds": cpu, "meanIterations": float(iterations.mean())}
            )
    elif task == "eisenberg-noe":
        ea = load(directory, "shocked_external_assets.f64", np.float64)
        el = load(directory, "external_liabilities.f64", np.float64)
        times = []
        cpu = []
        for _ in range(runs):
            t0 = time.perf_counter()
            c0 = time.process_time()
            payments, equity, sweeps = eisenberg_noe(
                lender, borrower, amount, ea, el, meta["tolerance"], meta["maxIterations"]
            )
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        payments.tofile(os.path.join(directory, "numpy-payments.f64"))
        equity.tofile(os.path.join(directory, "numpy-equity.f64"))
        out["runs"].append({"seconds": times, "cpuSeconds": cpu, "sweeps": int(sweeps)})
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
