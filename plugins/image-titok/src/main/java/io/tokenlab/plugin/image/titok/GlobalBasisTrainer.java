package io.tokenlab.plugin.image.titok;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.plugin.image.common.OrderedBasis;
import io.tokenlab.plugin.math.common.RandomizedSvd;

import java.util.Random;

/**
 * An ordered basis with many components (a whole-image basis needs a thousand or more) trained chunk
 * by chunk: each chunk is a randomized eigen-decomposition of the Gram matrix restricted to the
 * complement of the directions already found, followed by deflation. A single randomized SVD of that
 * size would need a Jacobi eigen-solve of a thousand-square matrix, which is far too slow here;
 * chunks keep every dense eigen-solve small and every large product in {@link Compute}. Each chunk is
 * {@link RandomizedSvd#symmetric} told the directions already found.
 */
final class GlobalBasisTrainer {
    private GlobalBasisTrainer() {
    }

    static OrderedBasis train(Compute compute, FloatMatrix samples, int components, int chunk, int powerIterations,
                              long seed) {
        int n = samples.rows();
        int d = samples.cols();
        if (components < 1 || components > Math.min(d, n - 1)) {
            throw new IllegalArgumentException("cannot train " + components + " components from " + n
                    + " samples of dimension " + d);
        }
        float[] mean = compute.columnMeans(samples);
        float[] centred = samples.data().clone();
        for (int i = 0; i < centred.length; i++) {
            centred[i] -= mean[i % d];
        }
        FloatMatrix x = new FloatMatrix(n, d, centred);
        FloatMatrix gram = FloatMatrix.zeros(d, d);
        compute.gemm(true, false, 1f, x, x, 0f, gram);
        float[] found = new float[components * d];
        float[] variances = new float[components];
        int have = 0;
        Random random = new Random(seed);
        while (have < components) {
            int want = Math.min(chunk, components - have);
            int l = Math.min(d - have, want + Math.max(16, want / 4));
            FloatMatrix previous = new FloatMatrix(have, d, java.util.Arrays.copyOf(found, have * d));
            RandomizedSvd.Eigenpairs eigen = RandomizedSvd.symmetric(compute, gram, previous, want,
                    l - want, powerIterations, random, 1e-8);
            FloatMatrix u = eigen.vectors(); // want x d, orthonormal rows
            double[] values = eigen.values();
            FloatMatrix scaled = u.copy();
            for (int r = 0; r < want; r++) {
                for (int i = 0; i < d; i++) {
                    scaled.set(r, i, (float) (scaled.get(r, i) * Math.max(0, values[r])));
                }
            }
            // deflate: the next chunk then sees only what these directions leave unexplained
            compute.gemm(true, false, -1f, scaled, u, 1f, gram);
            System.arraycopy(u.data(), 0, found, have * d, want * d);
            for (int r = 0; r < want; r++) {
                variances[have + r] = (float) Math.max(0, values[r] / n);
            }
            have += want;
        }
        // chunk boundaries may leave the variances a hair out of order; the basis promises non-increasing order
        for (int i = 1; i < components; i++) {
            variances[i] = Math.min(variances[i], variances[i - 1]);
        }
        return new OrderedBasis(mean, new FloatMatrix(components, d, found), variances);
    }
}
