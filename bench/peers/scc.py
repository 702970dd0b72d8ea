#!/usr/bin/python3
"""Benchmark peer for bench/graph.ts: strongly connected components with networkx or python-igraph.

Reads the edge file written by bench/graph.ts (little-endian int32: node count, edge count,
then all sources, then all targets), builds the library's graph (timed separately), times only
the SCC call, and prints one JSON object on stdout. Progress goes to stderr.

Usage: /usr/bin/python3 bench/peers/scc.py --lib igraph|networkx [--runs N] EDGE_FILE
"""

import argparse
import json
import statistics
import sys
import time
from array import array


def log(message):
    print(f"[scc.py] {message}", file=sys.stderr, flush=True)


def read_edges(path):
    with open(path, "rb") as f:
        header = array("i")
        header.fromfile(f, 2)
        n, m = header
        src = array("i")
        src.fromfile(f, m)
        dst = array("i")
        dst.fromfile(f, m)
    if sys.byteorder != "little":
        for column in (src, dst):
            column.byteswap()
    return n, m, src, dst


def run_igraph(n, src, dst, runs):
    import igraph

    started = time.perf_counter()
    graph = igraph.Graph(n=n, edges=list(zip(src, dst)), directed=True)
    build_ms = (time.perf_counter() - started) * 1000
    log(f"igraph graph built in {build_ms:.0f} ms")
    timings = []
    count = largest = None
    for run in range(runs):
        started = time.perf_counter()
        clustering = graph.connected_components(mode="strong")
        timings.append((time.perf_counter() - started) * 1000)
        count, largest = len(clustering), max(clustering.sizes())
        log(f"igraph run {run + 1}/{runs}: {timings[-1]:.0f} ms")
    return igraph.__version__, build_ms, timings, count, largest


def run_networkx(n, src, dst, runs):
    import networkx

    started = time.perf_counter()
    graph = networkx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(src, dst))
    build_ms = (time.perf_counter() - started) * 1000
    log(f"networkx graph built in {build_ms:.0f} ms")
    timings = []
    count = largest = None
    for run in range(runs):
        started = time.perf_counter()
        count = largest = 0
        for component in networkx.strongly_connected_components(graph):
            count += 1
            largest = max(largest, len(component))
        timings.append((time.perf_counter() - started) * 1000)
        log(f"networkx run {run + 1}/{runs}: {timings[-1]:.0f} ms")
    return networkx.__version__, build_ms, timings, count, largest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", choices=["igraph", "networkx"], required=True)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("edge_file")
    args = parser.parse_args()

    started = time.perf_counter()
    n, m, src, dst = read_edges(args.edge_file)
    read_ms = (time.perf_counter() - started) * 1000
    log(f"read {n} nodes, {m} edges in {read_ms:.0f} ms")
    runner = run_igraph if args.lib == "igraph" else run_networkx
    version, build_ms, timings, count, largest = runner(n, src, dst, args.runs)
    print(
        json.dumps(
            {
                "library": args.lib,
                "version": version,
                "python": sys.version.split()[0],
                "nodes": n,
                "edges": m,
                "readMs": round(read_ms, 1),
                "buildMs": round(build_ms, 1),
                "sccMs": [round(t, 1) for t in timings],
                "sccMedianMs": round(statistics.median(timings), 1),
                "components": count,
                "largest": largest,
            }
        )
    )


if __name__ == "__main__":
    main()
