#!/usr/bin/python3
"""Checks tokenlab's batched OMP against scikit-learn's orthogonal_mp on the same problem.

Usage: /usr/bin/python3 omp_vs_sklearn.py DIR K

DIR holds what the Java side wrote: dictionary.npy (atoms as rows, n x d), targets.npy (B x d),
java_support.npy (B x K atom indices in the order chosen, -1 unused), java_coefficients.npy (B x K) and
java_seconds.txt (the median wall time of the Java solves). scikit-learn solves y = X c with X = dictionary.T, in
float64 from the same float32 values. Prints the parity and the speed ratio; exits 1 when a support
differs or a coefficient differs by more than 1e-4.
"""
import sys
import time
import warnings

import numpy as np
from sklearn.linear_model import orthogonal_mp


def median_seconds(solve, runs=5):
    """Median wall time of `runs` calls after one warm-up call (BLAS threads started, pages touched)."""
    solve()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        solve()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    folder, k = sys.argv[1], int(sys.argv[2])
    dictionary = np.load(f"{folder}/dictionary.npy").astype(np.float64)
    targets = np.load(f"{folder}/targets.npy").astype(np.float64)
    java_support = np.load(f"{folder}/java_support.npy")
    java_coefficients = np.load(f"{folder}/java_coefficients.npy").astype(np.float64)
    java_seconds = float(open(f"{folder}/java_seconds.txt").read().strip())

    X = np.asfortranarray(dictionary.T)  # d x n: atoms are columns for scikit-learn
    Y = np.asfortranarray(targets.T)     # d x B
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # early-stop warnings are compared below, not printed
        coef = orthogonal_mp(X, Y, n_nonzero_coefs=k, precompute=False)
        sk_seconds = median_seconds(lambda: orthogonal_mp(X, Y, n_nonzero_coefs=k, precompute=False))
        sk_gram_seconds = median_seconds(lambda: orthogonal_mp(X, Y, n_nonzero_coefs=k, precompute=True))
    coef = coef.reshape(X.shape[1], -1)

    support_mismatch = 0
    worst = 0.0
    for b in range(targets.shape[0]):
        java_atoms = java_support[b][java_support[b] >= 0]
        java_values = np.zeros(X.shape[1])
        java_values[java_atoms] = java_coefficients[b][: len(java_atoms)]
        sk_atoms = np.flatnonzero(coef[:, b])
        if set(java_atoms.tolist()) != set(sk_atoms.tolist()):
            support_mismatch += 1
            continue
        worst = max(worst, float(np.max(np.abs(java_values - coef[:, b]))))
    n_targets = targets.shape[0]
    print(f"problem: {X.shape[1]} atoms x {X.shape[0]} dims, {n_targets} targets, k={k}")
    print(f"same support: {n_targets - support_mismatch}/{n_targets} targets")
    print(f"max |coefficient difference| on matching supports: {worst:.3e}")
    print(f"scikit-learn orthogonal_mp (precompute=False): {sk_seconds:.3f} s (median of 5 after a warm-up)")
    print(f"scikit-learn orthogonal_mp (precompute=True):  {sk_gram_seconds:.3f} s (median of 5 after a warm-up)")
    print(f"tokenlab BatchedOmp: {java_seconds:.3f} s (median of 5 after warm-up)")
    print(f"speed ratio vs default scikit-learn: {sk_seconds / java_seconds:.1f}x "
          f"(vs Gram-precomputed: {sk_gram_seconds / java_seconds:.1f}x)")
    if support_mismatch or worst > 1e-4:
        print("PARITY FAILED")
        sys.exit(1)
    print("PARITY OK")


if __name__ == "__main__":
    main()
