package io.tokenlab.plugin.transplant.omp;

import io.tokenlab.api.compute.FloatMatrix;

/**
 * OMP as textbooks state it, for one target, in double precision and without any of BatchedOmp's
 * shortcuts: correlations from the residual, coefficients by solving the normal equations of the
 * chosen atoms from scratch at every step.
 */
final class TextbookOmp {
    record Result(int[] support, double[] coefficients) {
    }

    private TextbookOmp() {
    }

    static Result solve(FloatMatrix dictionary, float[] target, int k) {
        int n = dictionary.rows();
        int d = dictionary.cols();
        int[] support = new int[k];
        double[] residual = new double[d];
        for (int i = 0; i < d; i++) {
            residual[i] = target[i];
        }
        double[] gamma = new double[0];
        boolean[] used = new boolean[n];
        for (int s = 0; s < k; s++) {
            int best = -1;
            double bestValue = -1;
            for (int j = 0; j < n; j++) {
                double c = 0;
                for (int i = 0; i < d; i++) {
                    c += residual[i] * dictionary.get(j, i);
                }
                if (!used[j] && Math.abs(c) > bestValue) {
                    bestValue = Math.abs(c);
                    best = j;
                }
            }
            used[best] = true;
            support[s] = best;
            int m = s + 1;
            double[][] g = new double[m][m];
            double[] rhs = new double[m];
            for (int a = 0; a < m; a++) {
                for (int i = 0; i < d; i++) {
                    rhs[a] += dictionary.get(support[a], i) * (double) target[i];
                }
                for (int c = 0; c < m; c++) {
                    for (int i = 0; i < d; i++) {
                        g[a][c] += dictionary.get(support[a], i) * (double) dictionary.get(support[c], i);
                    }
                }
            }
            gamma = gauss(g, rhs);
            for (int i = 0; i < d; i++) {
                double v = target[i];
                for (int a = 0; a < m; a++) {
                    v -= gamma[a] * dictionary.get(support[a], i);
                }
                residual[i] = v;
            }
        }
        return new Result(support, gamma);
    }

    /** Gaussian elimination with partial pivoting. */
    private static double[] gauss(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        double[] x = b.clone();
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int p = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[p][col])) {
                    p = r;
                }
            }
            double[] t = m[col];
            m[col] = m[p];
            m[p] = t;
            double tx = x[col];
            x[col] = x[p];
            x[p] = tx;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c < n; c++) {
                    m[r][c] -= f * m[col][c];
                }
                x[r] -= f * x[col];
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            double v = x[r];
            for (int c = r + 1; c < n; c++) {
                v -= m[r][c] * x[c];
            }
            x[r] = v / m[r][r];
        }
        return x;
    }
}
