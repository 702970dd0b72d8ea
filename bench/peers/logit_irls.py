"""Peer for bench/warn.ts: L2-regularised logistic regression by IRLS (Newton), vectorised with numpy.

Written for the Beacon benchmark from the method's definition (not from any package's code). It minimises
  (1/n) sum(log(1 + exp(eta)) - y * eta) + (lambda / 2) * |w|^2,  eta = b + X w,  intercept b unpenalised,
the same objective as packages/core/src/calibration/logistic.ts.
Run as:  logit_irls.py <dir> <lambda> <runs>
  <dir>  holds x.f64 (row-major n x p), y.u8 and meta.json {"n", "p"}; receives coef.f64 (w then b)
Prints one JSON object with timings on stdout.
"""

import json
import os
import sys
import time

import numpy as np


def fit(x, y, lam, max_iter=50, tol=1e-9):
    n, p = x.shape
    xa = np.hstack([x, np.ones((n, 1))])
    rate = min(1 - 1e-6, max(1e-6, y.mean()))
    beta = np.zeros(p + 1)
    beta[p] = np.log(rate / (1 - rate))
    pen = np.full(p + 1, lam)
    pen[p] = 0.0

    def objective(b):
        eta = xa @ b
        return np.mean(np.logaddexp(0.0, eta) - y * eta) + 0.5 * lam * np.sum(b[:p] ** 2)

    loss = objective(beta)
    for it in range(max_iter):
        eta = xa @ beta
        mu = 1.0 / (1.0 + np.exp(-eta))
        v = np.maximum(mu * (1 - mu), 1e-10)
        g = xa.T @ (mu - y) / n + pen * beta
        h = (xa.T * v) @ xa / n + np.diag(pen)
        step = np.linalg.solve(h, g)
        t = 1.0
        for _ in range(30):
            nxt = beta - t * step
            nloss = objective(nxt)
            if nloss <= loss + 1e-15:
                break
            t /= 2
        change = np.max(np.abs(nxt - beta))
        improvement = loss - nloss
        beta, loss = nxt, nloss
        if change < tol or improvement < tol * 1e-3:
            return beta, it + 1
    return beta, max_iter


def main():
    directory, lam, runs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    meta = json.load(open(os.path.join(directory, "meta.json")))
    n, p = meta["n"], meta["p"]
    x = np.fromfile(os.path.join(directory, "x.f64"), dtype="<f8").reshape(n, p)
    y = np.fromfile(os.path.join(directory, "y.u8"), dtype=np.uint8).astype(np.float64)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        beta, iterations = fit(x, y, lam)
        times.append((time.perf_counter() - t0) * 1000)
    beta.astype("<f8").tofile(os.path.join(directory, "coef.f64"))
    print(json.dumps({"numpy": np.__version__, "ms": sorted(times)[len(times) // 2], "iterations": iterations}))


if __name__ == "__main__":
    main()
