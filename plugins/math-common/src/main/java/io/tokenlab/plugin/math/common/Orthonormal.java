package io.tokenlab.plugin.math.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Random;

/**
 * Orthonormal bases of the column space of a panel (rows x l, l at most a few hundred), the step
 * between the power iterations of a randomized SVD: modified Gram-Schmidt in double with one
 * re-orthogonalisation pass. It serves short dense panels (d x l, nearly parallel columns, possibly
 * rank-deficient data) and tall ones (a vocabulary's rows) alike: on a 50000 x 310 panel it costs
 * about what Cholesky-QR twice through the vectorised {@link Compute} does, and it stays orthonormal
 * where Cholesky-QR would need a ridge.
 */
public final class Orthonormal {
    private Orthonormal() {
    }

    /**
     * An orthonormal basis of the column space of {@code m} (d x l), by modified Gram-Schmidt in double
     * with one re-orthogonalisation pass: power iterations make the columns nearly parallel, which
     * single-pass Gram-Schmidt in float would not survive. A column whose norm falls below
     * {@code dropTolerance} times its norm before projection added nothing new and is replaced by a
     * random direction orthogonal to the others, so the result always has l orthonormal columns.
     */
    public static FloatMatrix gramSchmidt(FloatMatrix m, double dropTolerance) {
        int d = m.rows();
        int l = m.cols();
        double[][] cols = new double[l][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < l; j++) {
                cols[j][i] = m.get(i, j);
            }
        }
        Random fallback = new Random(l * 31L + d);
        for (int j = 0; j < l; j++) {
            double[] v = cols[j];
            double before = norm(v);
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    double[] u = cols[p];
                    for (int i = 0; i < d; i++) {
                        dot += u[i] * v[i];
                    }
                    for (int i = 0; i < d; i++) {
                        v[i] -= dot * u[i];
                    }
                }
            }
            double n = norm(v);
            if (n <= dropTolerance * Math.max(before, 1e-30)) {
                // the column added nothing new (rank-deficient data): any direction orthogonal to the rest will do
                for (int i = 0; i < d; i++) {
                    v[i] = fallback.nextGaussian();
                }
                j--;
                continue;
            }
            for (int i = 0; i < d; i++) {
                v[i] /= n;
            }
        }
        float[] out = new float[d * l];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < l; j++) {
                out[i * l + j] = (float) cols[j][i];
            }
        }
        return new FloatMatrix(d, l, out);
    }

    /**
     * As {@link #gramSchmidt(FloatMatrix, double)} after removing from {@code y} (d x l) the span of the
     * orthonormal rows of {@code previous} (have x d, possibly none), twice, because one float projection
     * leaves a visible residue; the projections go through {@link Compute}. The result is orthogonal to
     * {@code previous}: how a deflated solver looks for the directions it has not found yet.
     */
    public static FloatMatrix gramSchmidt(Compute compute, FloatMatrix previous, FloatMatrix y, double dropTolerance) {
        FloatMatrix m = y;
        if (previous.rows() > 0) {
            for (int pass = 0; pass < 2; pass++) {
                FloatMatrix coefficients = compute.multiply(previous, m); // have x l
                FloatMatrix back = FloatMatrix.zeros(m.rows(), m.cols());
                compute.gemm(true, false, 1f, previous, coefficients, 0f, back);
                float[] out = m.data().clone();
                for (int i = 0; i < out.length; i++) {
                    out[i] -= back.data()[i];
                }
                m = new FloatMatrix(m.rows(), m.cols(), out);
            }
        }
        return gramSchmidt(m, dropTolerance);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
