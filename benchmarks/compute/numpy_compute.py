"""Times the compute benchmark shapes in numpy (OpenBLAS) and prints them next to the JMH results.

Usage: numpy_compute.py JMH_RESULT.json
Each numpy figure is the median of repeated runs after a warm-up, in the same process as the table,
right after the JMH run, so both sides see the same machine state.
"""
import json
import sys
import time

import numpy as np


def median_seconds(fn, budget=2.0, at_least=3):
    fn()  # warm-up: OpenBLAS threads start, pages fault in
    times = []
    start = time.perf_counter()
    while len(times) < at_least or (time.perf_counter() - start < budget and len(times) < 50):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def numpy_gemm(n):
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    return median_seconds(lambda: a @ b)


def numpy_similarity_topk(n, d, k):
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (n, d)).astype(np.float32)

    def run():
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        unit = x / np.where(norms == 0, 1, norms)
        s = unit @ unit.T
        part = np.argpartition(-s, k - 1, axis=1)[:, :k]
        vals = np.take_along_axis(s, part, axis=1)
        order = np.argsort(-vals, axis=1, kind="stable")
        return np.take_along_axis(part, order, axis=1)

    return median_seconds(run, budget=3.0)


def numpy_nearest_centroid(points, dim, centroids, chunk=8192):
    rng = np.random.default_rng(4)
    x = rng.uniform(-1, 1, (points, dim)).astype(np.float32)
    c = rng.uniform(-1, 1, (centroids, dim)).astype(np.float32)

    def run():
        cn = (c * c).sum(axis=1)
        best = np.empty(points, dtype=np.int64)
        for s in range(0, points, chunk):
            d = cn - 2.0 * (x[s:s + chunk] @ c.T)
            best[s:s + chunk] = d.argmin(axis=1)
        diff = x - c[best]
        return best, (diff * diff).sum(axis=1)

    return median_seconds(run, budget=3.0)


def main(path):
    with open(path) as f:
        results = json.load(f)
    jmh = {}
    for r in results:
        name = r["benchmark"].rsplit(".", 2)[-2]
        params = r.get("params", {})
        seconds = r["primaryMetric"]["score"] / 1000.0  # ms/op
        jmh.setdefault(name, {}).setdefault(
            tuple(sorted((k, v) for k, v in params.items() if k != "backend")), {})[params["backend"]] = seconds

    print()
    print("numpy", np.__version__, "BLAS:", blas_name())
    print()
    if "GemmBenchmark" in jmh:
        print("GEMM, GFLOP/s (2 n^3 / time)")
        print(f"{'n':>6} {'scalar':>9} {'vector':>9} {'opencl':>9} {'numpy':>9} {'best/numpy':>11} {'vector/scalar':>14}")
        for key, by_backend in sorted(jmh["GemmBenchmark"].items(), key=lambda kv: int(dict(kv[0])["size"])):
            n = int(dict(key)["size"])
            flops = 2.0 * n ** 3
            g = {b: flops / s / 1e9 for b, s in by_backend.items()}
            npg = flops / numpy_gemm(n) / 1e9
            best = max(g.values())
            vs = g["vector"] / g["scalar"] if "vector" in g and "scalar" in g else float("nan")
            print(f"{n:>6} {g.get('scalar', float('nan')):>9.1f} {g.get('vector', float('nan')):>9.1f} "
                  f"{g.get('opencl', float('nan')):>9.1f} {npg:>9.1f} {best / npg:>11.2f} {vs:>14.1f}")
        print()
    if "SimilarityTopKBenchmark" in jmh:
        print("cosine similarity + top-k, ms per call")
        for key, by_backend in jmh["SimilarityTopKBenchmark"].items():
            p = dict(key)
            n, d, k = int(p["tokens"]), int(p["features"]), int(p["k"])
            npt = numpy_similarity_topk(n, d, k)
            row = "  ".join(f"{b} {s * 1e3:.0f} ({npt / s:.2f}x numpy)" for b, s in sorted(by_backend.items()))
            print(f"  N={n} D={d} k={k}: {row}  numpy {npt * 1e3:.0f}")
        print()
    if "NearestCentroidBenchmark" in jmh:
        print("nearest centroid, ms per call")
        for key, by_backend in jmh["NearestCentroidBenchmark"].items():
            p = dict(key)
            n, d, c = int(p["points"]), int(p["dimensions"]), int(p["centroids"])
            npt = numpy_nearest_centroid(n, d, c)
            row = "  ".join(f"{b} {s * 1e3:.0f} ({npt / s:.2f}x numpy)" for b, s in sorted(by_backend.items()))
            print(f"  {n}x{d} vs {c}: {row}  numpy {npt * 1e3:.0f}")
        print()
    print("(x numpy > 1 means faster than numpy)")


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        return cfg["Build Dependencies"]["blas"]["name"]
    except Exception:
        import glob
        libs = glob.glob("/usr/lib/x86_64-linux-gnu/libblas.so.3")
        import os
        return os.path.realpath(libs[0]) if libs else "unknown"


if __name__ == "__main__":
    main(sys.argv[1])
