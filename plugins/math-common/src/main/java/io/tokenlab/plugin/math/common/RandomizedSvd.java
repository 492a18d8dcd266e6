package io.tokenlab.plugin.math.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Randomized range finding (Halko, Martinsson and Tropp 2011, "Finding structure with randomness"):
 * sketch the range of a matrix with a Gaussian test matrix, sharpen it with power iterations,
 * orthonormalise, then solve the small projected problem exactly with {@link SymmetricEigen}. Two
 * forms: {@link #leading} is the truncated SVD of any operator (algorithms 4.4 and 5.1, e.g. a sparse
 * PPMI matrix), {@link #symmetric} the leading eigenpairs of a dense positive semi-definite Gram matrix
 * (algorithm 5.3, Rayleigh-Ritz), optionally outside the span of directions already found. Every large
 * product goes through {@link Compute}.
 */
public final class RandomizedSvd {
    /**
     * A sketch column of {@link #leading} left with less than this share of its norm after projection
     * carries nothing new (a matrix of lower rank than the sketch) and is replaced by a fresh direction
     * orthogonal to the others; the near-parallel columns of power iterations stay far above it.
     */
    private static final double DROP_TOLERANCE = 1e-8;

    /** A matrix seen only through its products, so that a sparse one never has to be made dense. */
    public interface Operator {
        int rows();

        int cols();

        /** {@code A X} (rows x x.cols()). */
        FloatMatrix multiply(FloatMatrix x, Compute compute);

        /** {@code A^T Y} (cols x y.cols()). */
        FloatMatrix transposeMultiply(FloatMatrix y, Compute compute);
    }

    /** The leading left singular vectors (rows x rank, columns orthonormal) and singular values. */
    public record Result(FloatMatrix leftVectors, double[] singularValues) {
    }

    /** The leading eigenvectors as rows (k x d, orthonormal) and their eigenvalues, largest first. */
    public record Eigenpairs(FloatMatrix vectors, double[] values) {
    }

    private RandomizedSvd() {
    }

    /**
     * The leading {@code rank} left singular vectors and singular values of {@code a}; the sketches
     * (as tall as {@code a}, then as wide) are orthonormalised by {@link Orthonormal#gramSchmidt}. Left
     * vectors are defined up to sign; the largest entry of each column is made positive.
     */
    public static Result leading(Operator a, int rank, int oversampling, int powerIterations, long seed,
                                 Compute compute) {
        int sketch = Math.min(Math.min(a.rows(), a.cols()), rank + oversampling);
        int keep = Math.min(rank, sketch);
        float[] omega = new float[a.cols() * sketch];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < omega.length; i++) {
            omega[i] = (float) gaussian(random);
        }
        FloatMatrix q = Orthonormal.gramSchmidt(a.multiply(new FloatMatrix(a.cols(), sketch, omega), compute),
                DROP_TOLERANCE);
        for (int it = 0; it < powerIterations; it++) {
            FloatMatrix z = Orthonormal.gramSchmidt(a.transposeMultiply(q, compute), DROP_TOLERANCE);
            q = Orthonormal.gramSchmidt(a.multiply(z, compute), DROP_TOLERANCE);
        }
        // B = Q^T A is sketch x cols; its SVD comes from the eigenvectors of B B^T (sketch x sketch)
        FloatMatrix bt = a.transposeMultiply(q, compute);
        FloatMatrix bbt = FloatMatrix.zeros(sketch, sketch);
        compute.gemm(true, false, 1f, bt, bt, 0f, bbt);
        SymmetricEigen eig = SymmetricEigen.of(symmetrized(bbt));
        double[] values = eig.values();
        float[] ub = new float[sketch * keep];
        double[] sigma = new double[keep];
        for (int j = 0; j < keep; j++) {
            sigma[j] = Math.sqrt(Math.max(0, values[j]));
            double[] v = eig.vector(j);
            for (int i = 0; i < sketch; i++) {
                ub[i * keep + j] = (float) v[i];
            }
        }
        FloatMatrix u = compute.multiply(q, new FloatMatrix(sketch, keep, ub));
        fixSigns(u);
        return new Result(u, sigma);
    }

    /**
     * The leading {@code k} eigenpairs of the symmetric positive semi-definite {@code gram} (d x d)
     * among directions orthogonal to the orthonormal rows of {@code previous} (have x d; none for a
     * plain decomposition), from a sketch of {@code k + oversample} Gaussian columns drawn from
     * {@code random}. The d x l panels are orthonormalised by {@link Orthonormal#gramSchmidt} in double
     * with {@code dropTolerance}, which survives the near-parallel columns power iterations make.
     */
    public static Eigenpairs symmetric(Compute compute, FloatMatrix gram, FloatMatrix previous, int k, int oversample,
                                       int powerIterations, Random random, double dropTolerance) {
        int d = gram.cols();
        int l = Math.min(d - previous.rows(), k + Math.max(0, oversample));
        float[] omega = new float[d * l];
        for (int i = 0; i < omega.length; i++) {
            omega[i] = (float) random.nextGaussian();
        }
        FloatMatrix q = Orthonormal.gramSchmidt(compute, previous,
                compute.multiply(gram, new FloatMatrix(d, l, omega)), dropTolerance);
        for (int it = 0; it < powerIterations; it++) {
            q = Orthonormal.gramSchmidt(compute, previous, compute.multiply(gram, q), dropTolerance);
        }
        // B = Q^T G Q is the Gram matrix seen in the sketched subspace; its eigenvectors rotate Q onto
        // the principal directions
        FloatMatrix gq = compute.multiply(gram, q);
        FloatMatrix b = FloatMatrix.zeros(l, l);
        compute.gemm(true, false, 1f, q, gq, 0f, b);
        SymmetricEigen eigen = SymmetricEigen.of(symmetrized(b));
        float[] rotation = new float[k * l];
        for (int r = 0; r < k; r++) {
            double[] u = eigen.vector(r);
            for (int j = 0; j < l; j++) {
                rotation[r * l + j] = (float) u[j];
            }
        }
        FloatMatrix vectors = compute.multiplyTransposed(new FloatMatrix(k, l, rotation), q);
        return new Eigenpairs(vectors, Arrays.copyOf(eigen.values(), k));
    }

    /** The symmetric part of a float matrix, in double: float products leave it a rounding off symmetric. */
    private static double[][] symmetrized(FloatMatrix m) {
        int n = m.rows();
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = 0.5 * (m.get(i, j) + m.get(j, i));
            }
        }
        return s;
    }

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

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
