package io.tokenlab.runtime.compute.scalar;

import io.tokenlab.api.compute.FloatMatrix;

/**
 * Cholesky factorisation and triangular solves. They are sequential and small in the techniques that
 * use them (OMP's Gram matrices have a few hundred rows at most), so every backend runs these loops.
 * Sums are accumulated in double: the factor feeds a second solve, and float sums lose too much there.
 */
public final class DenseSolvers {
    private DenseSolvers() {
    }

    public static FloatMatrix cholesky(FloatMatrix spd) {
        Shapes.checkSquare("cholesky", spd);
        int n = spd.rows();
        float[] a = spd.data();
        float[] l = new float[n * n];
        for (int j = 0; j < n; j++) {
            double diag = a[j * n + j];
            for (int k = 0; k < j; k++) {
                diag -= (double) l[j * n + k] * l[j * n + k];
            }
            if (!(diag > 0)) {
                throw new ArithmeticException("cholesky: matrix " + spd.shape() + " is not positive definite (pivot "
                        + j + " is " + diag + ")");
            }
            double ljj = Math.sqrt(diag);
            l[j * n + j] = (float) ljj;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= (double) l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = (float) (s / ljj);
            }
        }
        return new FloatMatrix(n, n, l);
    }

    public static FloatMatrix solveTriangular(FloatMatrix t, boolean lower, boolean transpose, FloatMatrix b) {
        Shapes.checkTriangularSolve(t, b);
        int n = t.rows();
        int m = b.cols();
        float[] td = t.data();
        float[] x = b.data().clone();
        // T^T of a lower matrix is upper and vice versa: solving forward means walking rows upwards in T.
        boolean forward = lower != transpose;
        for (int col = 0; col < m; col++) {
            for (int step = 0; step < n; step++) {
                int i = forward ? step : n - 1 - step;
                double s = x[i * m + col];
                if (forward) {
                    for (int k = 0; k < i; k++) {
                        s -= (double) element(td, n, i, k, transpose) * x[k * m + col];
                    }
                } else {
                    for (int k = i + 1; k < n; k++) {
                        s -= (double) element(td, n, i, k, transpose) * x[k * m + col];
                    }
                }
                x[i * m + col] = (float) (s / element(td, n, i, i, transpose));
            }
        }
        return new FloatMatrix(n, m, x);
    }

    private static float element(float[] t, int n, int i, int k, boolean transpose) {
        return transpose ? t[k * n + i] : t[i * n + k];
    }
}
