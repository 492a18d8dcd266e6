package io.tokenlab.plugin.image.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.plugin.math.common.RandomizedSvd;
import io.tokenlab.plugin.math.common.SymmetricEigen;

import java.util.Random;

/**
 * Trains an {@link OrderedBasis} from sample rows: randomized SVD (Halko, Martinsson and Tropp 2011,
 * "Finding structure with randomness") with power iterations, run on the d x d Gram matrix of the
 * centred samples ({@link RandomizedSvd#symmetric}), so that every large product is one {@link Compute}
 * call and only d x l panels are orthonormalised on the CPU. {@link #exactPca} is the reference it is
 * checked against.
 */
public final class BasisTrainer {
    private BasisTrainer() {
    }

    /**
     * The top {@code k} principal directions of the rows of {@code samples} (n x d).
     *
     * @param oversample      extra random directions beyond k (Halko et al. suggest 5-10; more helps the tail)
     * @param powerIterations passes of the Gram matrix that sharpen the spectrum of the sketch
     */
    public static OrderedBasis randomizedSvd(Compute compute, FloatMatrix samples, int k, int oversample,
                                             int powerIterations, long seed) {
        requireShape(samples, k);
        float[] mean = compute.columnMeans(samples);
        FloatMatrix gram = gram(compute, samples, mean);
        RandomizedSvd.Eigenpairs eigen = RandomizedSvd.symmetric(compute, gram,
                new FloatMatrix(0, samples.cols(), new float[0]), k, oversample, powerIterations, new Random(seed),
                1e-10);
        return new OrderedBasis(mean, renormalize(eigen.vectors()), variances(eigen.values(), k, samples.rows()));
    }

    /** The top {@code k} directions from a full eigendecomposition of the Gram matrix (small d only). */
    public static OrderedBasis exactPca(Compute compute, FloatMatrix samples, int k) {
        int d = samples.cols();
        requireShape(samples, k);
        float[] mean = compute.columnMeans(samples);
        FloatMatrix gram = gram(compute, samples, mean);
        double[][] full = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                full[i][j] = 0.5 * (gram.get(i, j) + gram.get(j, i));
            }
        }
        SymmetricEigen eigen = SymmetricEigen.of(full);
        float[] comps = new float[k * d];
        for (int r = 0; r < k; r++) {
            double[] v = eigen.vector(r);
            for (int j = 0; j < d; j++) {
                comps[r * d + j] = (float) v[j];
            }
        }
        return new OrderedBasis(mean, new FloatMatrix(k, d, comps), variances(eigen.values(), k, samples.rows()));
    }

    private static void requireShape(FloatMatrix samples, int k) {
        if (samples.rows() < 2) {
            throw new IllegalArgumentException("a basis needs at least 2 samples, got " + samples.rows());
        }
        if (k <= 0 || k > samples.cols()) {
            throw new IllegalArgumentException("cannot train " + k + " components in dimension " + samples.cols());
        }
    }

    private static FloatMatrix gram(Compute compute, FloatMatrix samples, float[] mean) {
        float[] centred = samples.data().clone();
        int d = samples.cols();
        for (int i = 0; i < centred.length; i++) {
            centred[i] -= mean[i % d];
        }
        FloatMatrix x = new FloatMatrix(samples.rows(), d, centred);
        FloatMatrix g = FloatMatrix.zeros(d, d);
        compute.gemm(true, false, 1f, x, x, 0f, g);
        return g;
    }

    private static float[] variances(double[] eigenvalues, int k, int n) {
        float[] v = new float[k];
        for (int i = 0; i < k; i++) {
            v[i] = (float) Math.max(0, eigenvalues[i] / n);
        }
        return v;
    }

    private static FloatMatrix renormalize(FloatMatrix rows) {
        float[] d = rows.data();
        for (int r = 0; r < rows.rows(); r++) {
            double s = 0;
            for (int j = 0; j < rows.cols(); j++) {
                s += (double) d[r * rows.cols() + j] * d[r * rows.cols() + j];
            }
            float inv = (float) (1 / Math.sqrt(Math.max(s, 1e-30)));
            for (int j = 0; j < rows.cols(); j++) {
                d[r * rows.cols() + j] *= inv;
            }
        }
        return rows;
    }
}
