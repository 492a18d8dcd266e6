package io.tokenlab.runtime.compute.scalar;

import io.tokenlab.api.compute.Assignment;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import org.osgi.service.component.annotations.Component;

/**
 * The reference backend: plain loops that say what each operation means, with no blocking, no SIMD and
 * no threads. Every other backend is tested against it. Usable without OSGi through the public
 * constructor.
 *
 * <p>Conventions shared by all backends: gemm does not read C when beta is 0 (as BLAS), distances are
 * clamped at 0, a zero row has cosine similarity 0, ties go to the lower index and NaN never wins a
 * comparison unless nothing else is left.
 */
@Component(service = Compute.class, property = {Compute.BACKEND + "=scalar", "service.ranking:Integer=10"})
public final class ScalarCompute implements Compute {
    public static final String NAME = "scalar";

    public ScalarCompute() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "scalar: plain Java loops, one thread (the reference)";
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, FloatMatrix a, FloatMatrix b, float beta,
                     FloatMatrix c) {
        Shapes.checkGemm(transposeA, transposeB, a, b, c);
        int m = c.rows();
        int n = c.cols();
        int k = Shapes.opCols(a, transposeA);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] cd = c.data();
        int lda = a.cols();
        int ldb = b.cols();
        float[] acc = new float[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(acc, 0f);
            if (transposeB) {
                // op(B) column j is row j of B: a dot product keeps both reads sequential.
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s += (transposeA ? ad[p * lda + i] : ad[i * lda + p]) * bd[j * ldb + p];
                    }
                    acc[j] = s;
                }
            } else {
                for (int p = 0; p < k; p++) {
                    float aip = transposeA ? ad[p * lda + i] : ad[i * lda + p];
                    int row = p * ldb;
                    for (int j = 0; j < n; j++) {
                        acc[j] += aip * bd[row + j];
                    }
                }
            }
            int out = i * n;
            for (int j = 0; j < n; j++) {
                cd[out + j] = beta == 0f ? alpha * acc[j] : alpha * acc[j] + beta * cd[out + j];
            }
        }
    }

    @Override
    public float[] rowNorms(FloatMatrix a) {
        int n = a.cols();
        float[] d = a.data();
        float[] norms = new float[a.rows()];
        for (int i = 0; i < a.rows(); i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                double v = d[i * n + j];
                s += v * v;
            }
            norms[i] = (float) Math.sqrt(s);
        }
        return norms;
    }

    @Override
    public FloatMatrix normalizeRows(FloatMatrix a) {
        float[] norms = rowNorms(a);
        int n = a.cols();
        float[] d = a.data();
        float[] out = new float[d.length];
        for (int i = 0; i < a.rows(); i++) {
            float inv = norms[i] == 0f ? 0f : 1f / norms[i];
            for (int j = 0; j < n; j++) {
                out[i * n + j] = d[i * n + j] * inv;
            }
        }
        return new FloatMatrix(a.rows(), n, out);
    }

    @Override
    public FloatMatrix cosineSimilarity(FloatMatrix a, FloatMatrix b) {
        Shapes.checkSameCols("cosineSimilarity", a, b);
        float[] na = rowNorms(a);
        float[] nb = rowNorms(b);
        FloatMatrix dots = multiplyTransposed(a, b);
        float[] s = dots.data();
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.rows(); j++) {
                float denominator = na[i] * nb[j];
                s[i * b.rows() + j] = denominator == 0f ? 0f : s[i * b.rows() + j] / denominator;
            }
        }
        return dots;
    }

    @Override
    public FloatMatrix squaredDistances(FloatMatrix a, FloatMatrix b) {
        Shapes.checkSameCols("squaredDistances", a, b);
        int d = a.cols();
        float[] out = new float[a.rows() * b.rows()];
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.rows(); j++) {
                out[i * b.rows() + j] = squaredDistance(a.data(), i * d, b.data(), j * d, d);
            }
        }
        return new FloatMatrix(a.rows(), b.rows(), out);
    }

    /** The exact squared distance; faster backends recompute the winner's distance with it. */
    public static float squaredDistance(float[] x, int xFrom, float[] y, int yFrom, int d) {
        float s = 0f;
        for (int p = 0; p < d; p++) {
            float diff = x[xFrom + p] - y[yFrom + p];
            s += diff * diff;
        }
        return s;
    }

    @Override
    public TopK topK(FloatMatrix a, int k) {
        Shapes.checkK(k);
        int kk = Math.min(k, a.cols());
        float[] values = new float[a.rows() * kk];
        int[] indices = new int[a.rows() * kk];
        for (int i = 0; i < a.rows(); i++) {
            RowOrder.topKOfRow(a.data(), i * a.cols(), a.cols(), kk, values, indices, i * kk);
        }
        return new TopK(a.rows(), kk, values, indices);
    }

    @Override
    public FloatMatrix softmax(FloatMatrix logits) {
        return softmaxRows(logits, Softmax.Output.PROBABILITIES);
    }

    @Override
    public FloatMatrix logSoftmax(FloatMatrix logits) {
        return softmaxRows(logits, Softmax.Output.LOG_PROBABILITIES);
    }

    private static FloatMatrix softmaxRows(FloatMatrix logits, Softmax.Output output) {
        int n = logits.cols();
        float[] out = new float[logits.data().length];
        for (int i = 0; i < logits.rows(); i++) {
            Softmax.row(logits.data(), i * n, n, output, out, i * n);
        }
        return new FloatMatrix(logits.rows(), n, out);
    }

    @Override
    public float[] logSumExp(FloatMatrix logits) {
        int n = logits.cols();
        float[] out = new float[logits.rows()];
        for (int i = 0; i < logits.rows(); i++) {
            float m = Softmax.max(logits.data(), i * n, n);
            out[i] = Softmax.logSumExp(logits.data(), i * n, n, m);
        }
        return out;
    }

    @Override
    public int[] argmax(FloatMatrix a) {
        int[] out = new int[a.rows()];
        for (int i = 0; i < a.rows(); i++) {
            out[i] = RowOrder.argmax(a.data(), i * a.cols(), a.cols());
        }
        return out;
    }

    @Override
    public Assignment nearestCentroid(FloatMatrix points, FloatMatrix centroids) {
        Shapes.checkSameCols("nearestCentroid", points, centroids);
        int d = points.cols();
        int[] best = new int[points.rows()];
        float[] distance = new float[points.rows()];
        for (int i = 0; i < points.rows(); i++) {
            int bestJ = centroids.rows() == 0 ? -1 : 0;
            float bestD = Float.NaN;
            for (int j = 0; j < centroids.rows(); j++) {
                float dist = squaredDistance(points.data(), i * d, centroids.data(), j * d, d);
                // smaller ranks above: compare negated distances under the shared order
                if (j == 0 || RowOrder.ranksAbove(-dist, -bestD)) {
                    bestJ = j;
                    bestD = dist;
                }
            }
            best[i] = bestJ;
            distance[i] = bestD;
        }
        return new Assignment(best, distance);
    }

    @Override
    public float[] columnMeans(FloatMatrix a) {
        int n = a.cols();
        double[] sums = new double[n];
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < n; j++) {
                sums[j] += a.data()[i * n + j];
            }
        }
        float[] means = new float[n];
        if (a.rows() > 0) {
            for (int j = 0; j < n; j++) {
                means[j] = (float) (sums[j] / a.rows());
            }
        }
        return means;
    }

    @Override
    public FloatMatrix cholesky(FloatMatrix spd) {
        return DenseSolvers.cholesky(spd);
    }

    @Override
    public FloatMatrix solveTriangular(FloatMatrix t, boolean lower, boolean transpose, FloatMatrix b) {
        return DenseSolvers.solveTriangular(t, lower, transpose, b);
    }
}
