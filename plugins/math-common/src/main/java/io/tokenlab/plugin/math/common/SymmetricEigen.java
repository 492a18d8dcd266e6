package io.tokenlab.plugin.math.common;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a small dense symmetric matrix by cyclic Jacobi rotations, in
 * double precision. Used on the l x l projections of {@link RandomizedSvd} (l a few hundred) and on
 * small Gram matrices (exact PCA of short vectors, polar factors), where Jacobi's accuracy on small
 * eigenvalues matters more than its O(n^3) per sweep.
 */
public final class SymmetricEigen {
    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Eigenvalues, largest first. */
    public double[] values() {
        return values.clone();
    }

    /** Eigenvector of the i-th largest eigenvalue (unit length). */
    public double[] vector(int i) {
        return vectors[i].clone();
    }

    /** Decomposes {@code symmetric} (n x n, not modified); only its symmetry is assumed, not checked. */
    public static SymmetricEigen of(double[][] symmetric) {
        int n = symmetric.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (symmetric[i].length != n) {
                throw new IllegalArgumentException("matrix is not square: row " + i + " has " + symmetric[i].length);
            }
            a[i] = symmetric[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        double scale = 0;
        for (double[] row : a) {
            for (double x : row) {
                scale += x * x;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * scale || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    rotate(a, v, p, q, c, s);
                }
            }
        }
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = a[i][i];
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -diag[i]).thenComparingInt(i -> i));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int r = 0; r < n; r++) {
            int i = order[r];
            values[r] = diag[i];
            for (int k = 0; k < n; k++) {
                vectors[r][k] = v[k][i];
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    // A <- P^T A P with P the rotation in the (p, q) plane; V <- V P
    private static void rotate(double[][] a, double[][] v, int p, int q, double c, double s) {
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        double[] rp = a[p];
        double[] rq = a[q];
        for (int k = 0; k < n; k++) {
            double apk = rp[k];
            double aqk = rq[k];
            rp[k] = c * apk - s * aqk;
            rq[k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }
}
