package io.tokenlab.plugin.image.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Random;

/**
 * Trains an {@link OrderedBasis} from sample rows: randomized SVD (Halko, Martinsson and Tropp 2011,
 * "Finding structure with randomness") with power iterations, run on the d x d Gram matrix of the
 * centred samples so that every large product is one {@link Compute} call and only d x l panels are
 * orthonormalised on the CPU. {@link #exactPca} is the reference it is checked against.
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
        int d = samples.cols();
        requireShape(samples, k);
        float[] mean = compute.columnMeans(samples);
        FloatMatrix gram = gram(compute, samples, mean);
        int l = Math.min(d, k + Math.max(0, oversample));
        Random random = new Random(seed);
        float[] omega = new float[d * l];
        for (int i = 0; i < omega.length; i++) {
            omega[i] = (float) random.nextGaussian();
        }
        FloatMatrix sketch = compute.multiply(gram, new FloatMatrix(d, l, omega));
        for (int it = 0; it < powerIterations; it++) {
            sketch = compute.multiply(gram, orthonormalColumns(sketch));
        }
        FloatMatrix q = orthonormalColumns(sketch);
        // B = Q^T G Q is the Gram matrix seen in the sketched subspace; its eigenvectors rotate Q onto
        // the principal directions
        FloatMatrix gq = compute.multiply(gram, q);
        FloatMatrix b = FloatMatrix.zeros(l, l);
        compute.gemm(true, false, 1f, q, gq, 0f, b);
        double[][] small = new double[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                small[i][j] = 0.5 * (b.get(i, j) + b.get(j, i));
            }
        }
        SymmetricEigen eigen = SymmetricEigen.of(small);
        float[] rotation = new float[k * l];
        for (int r = 0; r < k; r++) {
            double[] u = eigen.vector(r);
            for (int j = 0; j < l; j++) {
                rotation[r * l + j] = (float) u[j];
            }
        }
        FloatMatrix components = compute.multiplyTransposed(new FloatMatrix(k, l, rotation), q);
        return new OrderedBasis(mean, renormalize(components), variances(eigen.values(), k, samples.rows()));
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

    /**
     * An orthonormal basis of the column space (d x l), by modified Gram-Schmidt in double with one
     * re-orthogonalisation pass: power iterations make the columns nearly parallel, which single-pass
     * Gram-Schmidt in float would not survive.
     */
    static FloatMatrix orthonormalColumns(FloatMatrix m) {
        return orthonormalColumns(m, 1e-10);
    }

    /**
     * As {@link #orthonormalColumns(FloatMatrix)}; a column whose norm falls below
     * {@code dropTolerance} times its norm before projection added nothing new and is replaced by a
     * random direction orthogonal to the others.
     */
    public static FloatMatrix orthonormalColumns(FloatMatrix m, double dropTolerance) {
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

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
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
