package io.tokenlab.plugin.image.titok;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.plugin.image.common.BasisTrainer;
import io.tokenlab.plugin.image.common.OrderedBasis;
import io.tokenlab.plugin.image.common.SymmetricEigen;

import java.util.Random;

/**
 * An ordered basis with many components (a whole-image basis needs a thousand or more) trained chunk
 * by chunk: each chunk is a randomized eigen-decomposition of the Gram matrix restricted to the
 * complement of the directions already found, followed by deflation. A single randomized SVD of that
 * size would need a Jacobi eigen-solve of a thousand-square matrix, which is far too slow here;
 * chunks keep every dense eigen-solve small and every large product in {@link Compute}.
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
            float[] omega = new float[d * l];
            for (int i = 0; i < omega.length; i++) {
                omega[i] = (float) random.nextGaussian();
            }
            FloatMatrix previous = new FloatMatrix(have, d, java.util.Arrays.copyOf(found, have * d));
            FloatMatrix q = orthonormal(compute, previous, compute.multiply(gram, new FloatMatrix(d, l, omega)));
            for (int it = 0; it < powerIterations; it++) {
                q = orthonormal(compute, previous, compute.multiply(gram, q));
            }
            FloatMatrix gq = compute.multiply(gram, q);
            FloatMatrix small = FloatMatrix.zeros(l, l);
            compute.gemm(true, false, 1f, q, gq, 0f, small);
            double[][] b = new double[l][l];
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < l; j++) {
                    b[i][j] = 0.5 * (small.get(i, j) + small.get(j, i));
                }
            }
            SymmetricEigen eigen = SymmetricEigen.of(b);
            float[] w = new float[l * want];
            for (int r = 0; r < want; r++) {
                double[] v = eigen.vector(r);
                for (int j = 0; j < l; j++) {
                    w[j * want + r] = (float) v[j];
                }
            }
            FloatMatrix u = compute.multiply(q, new FloatMatrix(l, want, w)); // d x want, orthonormal columns
            double[] values = eigen.values();
            FloatMatrix scaled = u.copy();
            for (int i = 0; i < d; i++) {
                for (int r = 0; r < want; r++) {
                    scaled.set(i, r, (float) (scaled.get(i, r) * Math.max(0, values[r])));
                }
            }
            // deflate: the next chunk then sees only what these directions leave unexplained
            compute.gemm(false, true, -1f, scaled, u, 1f, gram);
            for (int r = 0; r < want; r++) {
                for (int i = 0; i < d; i++) {
                    found[(have + r) * d + i] = u.get(i, r);
                }
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

    /**
     * Orthonormal columns spanning {@code y} after removing the span of the rows of {@code previous}
     * (twice, because one float projection leaves a visible residue), by modified Gram-Schmidt in double.
     */
    private static FloatMatrix orthonormal(Compute compute, FloatMatrix previous, FloatMatrix y) {
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
        return BasisTrainer.orthonormalColumns(m, 1e-8);
    }
}
