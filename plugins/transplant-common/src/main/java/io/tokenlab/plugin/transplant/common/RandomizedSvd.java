package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.SplittableRandom;

/**
 * Truncated SVD by randomized range finding (Halko, Martinsson and Tropp 2011, algorithms 4.4 and 5.1):
 * sketch the range of A with a Gaussian test matrix, sharpen it with power iterations, orthonormalize
 * with Cholesky-QR (twice, which makes it as accurate as Householder QR on these well-scaled sketches),
 * then take the exact SVD of the small projected matrix. Every product with A and every Gram matrix goes
 * through {@link Compute}.
 */
public final class RandomizedSvd {
    /** The leading left singular vectors (rows x rank, columns orthonormal) and singular values. */
    public record Result(FloatMatrix leftVectors, double[] singularValues) {
    }

    private RandomizedSvd() {
    }

    public static Result leading(SparseRows a, int rank, int oversampling, int powerIterations, long seed,
                                 Compute compute) {
        int sketch = Math.min(Math.min(a.rows(), a.cols()), rank + oversampling);
        int keep = Math.min(rank, sketch);
        float[] omega = new float[a.cols() * sketch];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < omega.length; i++) {
            omega[i] = (float) gaussian(random);
        }
        FloatMatrix q = orthonormalColumns(a.multiply(new FloatMatrix(a.cols(), sketch, omega), compute), compute);
        for (int it = 0; it < powerIterations; it++) {
            FloatMatrix z = orthonormalColumns(a.transposeMultiply(q, compute), compute);
            q = orthonormalColumns(a.multiply(z, compute), compute);
        }
        // B = Q^T A is sketch x cols; its SVD comes from the eigenvectors of B B^T (sketch x sketch)
        FloatMatrix bt = a.transposeMultiply(q, compute);
        FloatMatrix bbt = FloatMatrix.zeros(sketch, sketch);
        compute.gemm(true, false, 1f, bt, bt, 0f, bbt);
        double[] gram = new double[sketch * sketch];
        for (int i = 0; i < gram.length; i++) {
            gram[i] = bbt.data()[i];
        }
        for (int i = 0; i < sketch; i++) { // symmetrize the float rounding
            for (int j = i + 1; j < sketch; j++) {
                double m = (gram[i * sketch + j] + gram[j * sketch + i]) / 2;
                gram[i * sketch + j] = m;
                gram[j * sketch + i] = m;
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(gram, sketch);
        float[] ub = new float[sketch * keep];
        double[] sigma = new double[keep];
        for (int j = 0; j < keep; j++) {
            sigma[j] = Math.sqrt(Math.max(0, eig.values[j]));
            for (int i = 0; i < sketch; i++) {
                ub[i * keep + j] = (float) eig.vectors[i * sketch + j];
            }
        }
        FloatMatrix u = compute.multiply(q, new FloatMatrix(sketch, keep, ub));
        fixSigns(u);
        return new Result(u, sigma);
    }

    /** Q with orthonormal columns spanning those of Y: Cholesky-QR applied twice. */
    static FloatMatrix orthonormalColumns(FloatMatrix y, Compute compute) {
        FloatMatrix q = y;
        for (int pass = 0; pass < 2; pass++) {
            FloatMatrix g = FloatMatrix.zeros(q.cols(), q.cols());
            compute.gemm(true, false, 1f, q, q, 0f, g);
            float ridge = 0f;
            for (int i = 0; i < g.rows(); i++) {
                ridge = Math.max(ridge, g.get(i, i));
            }
            // a ridge keeps Cholesky defined when the sketch has (numerically) dependent columns
            ridge = Math.max(ridge * 1e-6f, Float.MIN_NORMAL);
            for (int i = 0; i < g.rows(); i++) {
                g.set(i, i, g.get(i, i) + ridge);
            }
            FloatMatrix l = compute.cholesky(g);
            // Q = Y L^-T, i.e. Q^T = L^-1 Y^T
            q = compute.solveTriangular(l, true, false, q.transpose()).transpose();
        }
        return q;
    }

    /** Singular vectors are defined up to sign; make the largest entry of each column positive. */
    private static void fixSigns(FloatMatrix u) {
        for (int j = 0; j < u.cols(); j++) {
            int best = 0;
            for (int i = 1; i < u.rows(); i++) {
                if (Math.abs(u.get(i, j)) > Math.abs(u.get(best, j))) {
                    best = i;
                }
            }
            if (u.get(best, j) < 0) {
                for (int i = 0; i < u.rows(); i++) {
                    u.set(i, j, -u.get(i, j));
                }
            }
        }
    }

    static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
