package io.tokenlab.runtime.compute.vector;

import io.tokenlab.api.compute.Assignment;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import io.tokenlab.runtime.compute.scalar.DenseSolvers;
import io.tokenlab.runtime.compute.scalar.RowOrder;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import io.tokenlab.runtime.compute.scalar.Shapes;
import io.tokenlab.runtime.compute.scalar.Softmax;
import java.util.concurrent.ForkJoinPool;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Compute on the Vector API. The products (and everything built on them: similarity, distances,
 * nearest centroid) go through {@link PackedGemm}; row-wise operations are SIMD per row and split across
 * the pool by rows. Cholesky and triangular solves are sequential and small, and use the shared loops.
 *
 * <p>Without OSGi: {@code new VectorCompute()} then {@link #close()}; the constructor checks the module.
 */
@Component(service = Compute.class, property = {Compute.BACKEND + "=vector", "service.ranking:Integer=20"})
public final class VectorCompute implements Compute, AutoCloseable {
    public static final String NAME = "vector";
    /** Points per chunk in nearest-centroid: keeps the chunk's distance block in cache-sized memory. */
    private static final int CENTROID_CHUNK = 256;

    private final ForkJoinPool pool;
    private final PackedGemm packedGemm;
    private final RowRanges rows;

    /** Uses every available processor. */
    public VectorCompute() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public VectorCompute(int threads) {
        // fails with a message naming the missing JVM option; under OSGi SCR logs it as the activation error
        VectorModule.require();
        this.pool = new ForkJoinPool(Math.max(1, threads), pool -> {
            var worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            worker.setName("tokenlab-vector-" + worker.getPoolIndex());
            worker.setDaemon(true);
            return worker;
        }, null, false);
        this.packedGemm = new PackedGemm(pool);
        this.rows = new RowRanges(pool);
    }

    @Activate
    void activate() {
        System.getLogger(VectorCompute.class.getName()).log(System.Logger.Level.INFO, describe());
        // Interpreted, every vector operation allocates: a cold 256^3 product takes seconds instead of a
        // millisecond. A short product loop in the background lets the JIT compile the kernels before
        // the first real call.
        pool.execute(this::warmUp);
    }

    private void warmUp() {
        FloatMatrix a = FloatMatrix.zeros(96, 96);
        FloatMatrix c = FloatMatrix.zeros(96, 96);
        long end = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < end && !pool.isShutdown()) {
            gemm(false, true, 1f, a, a, 0f, c);
            rowNorms(a);
        }
    }

    @Deactivate
    @Override
    public void close() {
        pool.shutdown();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "vector: jdk.incubator.vector, " + Lanes.SPECIES.vectorBitSize() + "-bit (" + Lanes.WIDTH
                + " floats), " + pool.getParallelism() + " threads, micro-kernel " + PackedGemm.MR + "x" + PackedGemm.NR;
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, FloatMatrix a, FloatMatrix b, float beta,
                     FloatMatrix c) {
        packedGemm.gemm(transposeA, transposeB, alpha, a, b, beta, c);
    }

    @Override
    public float[] rowNorms(FloatMatrix a) {
        float[] norms = new float[a.rows()];
        int n = a.cols();
        rows.forEach(a.rows(), n, (from, to) -> {
            for (int i = from; i < to; i++) {
                norms[i] = (float) Math.sqrt(Lanes.sumOfSquares(a.data(), i * n, n));
            }
        });
        return norms;
    }

    @Override
    public FloatMatrix normalizeRows(FloatMatrix a) {
        float[] out = new float[a.data().length];
        int n = a.cols();
        rows.forEach(a.rows(), n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float norm = (float) Math.sqrt(Lanes.sumOfSquares(a.data(), i * n, n));
                Lanes.scale(a.data(), i * n, n, norm == 0f ? 0f : 1f / norm, out, i * n);
            }
        });
        return new FloatMatrix(a.rows(), n, out);
    }

    @Override
    public FloatMatrix cosineSimilarity(FloatMatrix a, FloatMatrix b) {
        Shapes.checkSameCols("cosineSimilarity", a, b);
        // unit rows first: one product then gives the cosines, and zero rows stay zero
        FloatMatrix unitA = normalizeRows(a);
        if (a == b) {
            // a set against itself (token pruning): the symmetric product computes half the cells
            FloatMatrix out = FloatMatrix.zeros(a.rows(), a.rows());
            packedGemm.gram(unitA, out);
            return out;
        }
        return multiplyTransposed(unitA, normalizeRows(b));
    }

    @Override
    public FloatMatrix squaredDistances(FloatMatrix a, FloatMatrix b) {
        Shapes.checkSameCols("squaredDistances", a, b);
        float[] na = squaredNorms(a);
        float[] nb = squaredNorms(b);
        FloatMatrix out = FloatMatrix.zeros(a.rows(), b.rows());
        // ||a||^2 + ||b||^2 - 2 a.b: the -2 rides on alpha, the norms are added afterwards
        gemm(false, true, -2f, a, b, 0f, out);
        float[] d = out.data();
        int n = b.rows();
        rows.forEach(a.rows(), n, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    d[i * n + j] = Math.max(0f, d[i * n + j] + na[i] + nb[j]);
                }
            }
        });
        return out;
    }

    private float[] squaredNorms(FloatMatrix a) {
        float[] s = new float[a.rows()];
        int n = a.cols();
        for (int i = 0; i < a.rows(); i++) {
            s[i] = Lanes.sumOfSquares(a.data(), i * n, n);
        }
        return s;
    }

    @Override
    public TopK topK(FloatMatrix a, int k) {
        Shapes.checkK(k);
        int kk = Math.min(k, a.cols());
        float[] values = new float[a.rows() * kk];
        int[] indices = new int[a.rows() * kk];
        int n = a.cols();
        rows.forEach(a.rows(), n, (from, to) -> {
            for (int i = from; i < to; i++) {
                RowOrder.topKOfRow(a.data(), i * n, n, kk, values, indices, i * kk);
            }
        });
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

    private FloatMatrix softmaxRows(FloatMatrix logits, Softmax.Output output) {
        int n = logits.cols();
        float[] out = new float[logits.data().length];
        // exp dominates and has no SIMD form in the JDK 17 incubator on every CPU; rows run in parallel
        rows.forEach(logits.rows(), n * 8L, (from, to) -> {
            for (int i = from; i < to; i++) {
                Softmax.row(logits.data(), i * n, n, output, out, i * n);
            }
        });
        return new FloatMatrix(logits.rows(), n, out);
    }

    @Override
    public float[] logSumExp(FloatMatrix logits) {
        int n = logits.cols();
        float[] out = new float[logits.rows()];
        rows.forEach(logits.rows(), n * 8L, (from, to) -> {
            for (int i = from; i < to; i++) {
                float m = Softmax.max(logits.data(), i * n, n);
                out[i] = Softmax.logSumExp(logits.data(), i * n, n, m);
            }
        });
        return out;
    }

    @Override
    public int[] argmax(FloatMatrix a) {
        int n = a.cols();
        int[] out = new int[a.rows()];
        rows.forEach(a.rows(), n, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = n == 0 ? -1 : argmaxRow(a.data(), i * n, n, null, false);
            }
        });
        return out;
    }

    private static int argmaxRow(float[] x, int from, int n, float[] bias, boolean negate) {
        int j = Lanes.argmaxOrNaN(x, from, n, bias, negate);
        if (j >= 0) {
            return j;
        }
        // a NaN in the row: the rare case takes the scalar rule (NaN never wins unless all are NaN)
        float[] row = new float[n];
        for (int p = 0; p < n; p++) {
            float v = x[from + p] + (bias == null ? 0f : bias[p]);
            row[p] = negate ? -v : v;
        }
        return RowOrder.argmax(row, 0, n);
    }

    @Override
    public Assignment nearestCentroid(FloatMatrix points, FloatMatrix centroids) {
        Shapes.checkSameCols("nearestCentroid", points, centroids);
        int count = points.rows();
        int k = centroids.rows();
        int d = points.cols();
        int[] best = new int[count];
        float[] distance = new float[count];
        if (k == 0) {
            java.util.Arrays.fill(best, -1);
            java.util.Arrays.fill(distance, Float.NaN);
            return new Assignment(best, distance);
        }
        float[] centroidNorms = squaredNorms(centroids);
        FloatMatrix block = FloatMatrix.zeros(Math.min(CENTROID_CHUNK, count), k);
        for (int start = 0; start < count; start += CENTROID_CHUNK) {
            int chunk = Math.min(CENTROID_CHUNK, count - start);
            FloatMatrix chunkPoints = new FloatMatrix(chunk, d,
                    java.util.Arrays.copyOfRange(points.data(), start * d, (start + chunk) * d));
            FloatMatrix dots = chunk == block.rows() ? block : FloatMatrix.zeros(chunk, k);
            // ||c||^2 - 2 x.c ranks centroids like the distance does; ||x||^2 is the same for all of them
            gemm(false, true, -2f, chunkPoints, centroids, 0f, dots);
            int offset = start;
            rows.forEach(chunk, k, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int j = argmaxRow(dots.data(), r * k, k, centroidNorms, true);
                    int i = offset + r;
                    best[i] = j;
                    distance[i] = ScalarCompute.squaredDistance(points.data(), i * d, centroids.data(), j * d, d);
                }
            });
        }
        return new Assignment(best, distance);
    }

    @Override
    public float[] columnMeans(FloatMatrix a) {
        int n = a.cols();
        float[] means = new float[n];
        if (a.rows() == 0) {
            return means;
        }
        double[] sums = new double[n];
        float[] partial = new float[n];
        // float vectors sum blocks of rows; the block sums go into doubles so long columns keep their precision
        int blockRows = 256;
        for (int start = 0; start < a.rows(); start += blockRows) {
            java.util.Arrays.fill(partial, 0f);
            int end = Math.min(a.rows(), start + blockRows);
            for (int i = start; i < end; i++) {
                Lanes.add(a.data(), i * n, n, partial);
            }
            for (int j = 0; j < n; j++) {
                sums[j] += partial[j];
            }
        }
        for (int j = 0; j < n; j++) {
            means[j] = (float) (sums[j] / a.rows());
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
