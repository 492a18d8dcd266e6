package io.tokenlab.runtime.compute.opencl;

import io.tokenlab.api.compute.Assignment;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.ComputeBackendException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import io.tokenlab.runtime.compute.scalar.DenseSolvers;
import io.tokenlab.runtime.compute.scalar.Shapes;
import io.tokenlab.runtime.compute.scalar.Symmetric;
import java.util.Arrays;
import java.util.function.Supplier;
import org.jocl.CLException;
import org.jocl.Sizeof;
import org.jocl.cl_mem;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Compute on an OpenCL device through JOCL. Matrices are copied to reused device buffers, the kernels
 * of {@code gemm.cl} (GPUs) or {@code gemm_cpu.cl} (CPU drivers), {@code rows.cl} and {@code distances.cl}
 * run there, and results are copied back.
 * Cholesky and triangular solves are small and sequential and stay on the host.
 *
 * <p>Every failure is an {@link OpenClException}: permanent ones (no platform, kernel build error,
 * device error) close the device session and every later call fails fast with the same reason; a
 * buffer too large for the device fails only that call. The dispatcher falls back on either.
 */
@Component(service = Compute.class, property = {Compute.BACKEND + "=opencl", "service.ranking:Integer=30"})
public final class OpenClCompute implements Compute, AutoCloseable {
    public static final String NAME = "opencl";
    private static final int TILE = 64;
    private static final int GROUP = 16;
    /** The block of C one work-item of gemm_cpu computes. */
    private static final int CPU_ROWS = 4;
    private static final int CPU_COLUMNS = 16;
    /** Device memory one nearest-centroid chunk of distances may take. */
    private static final long CENTROID_CHUNK_BYTES = 64L << 20;

    private OpenClSettings settings;
    private final KernelSources sources;
    private OpenClSession session;
    private ComputeBackendException failure;

    /** For OSGi: the settings come from framework properties at activation. */
    public OpenClCompute() {
        this(OpenClSettings.from(System::getProperty), KernelSources.bundled());
    }

    public OpenClCompute(OpenClSettings settings) {
        this(settings, KernelSources.bundled());
    }

    /** Package-private so that tests can feed broken kernel sources. */
    OpenClCompute(OpenClSettings settings, KernelSources sources) {
        this.settings = settings;
        this.sources = sources;
    }

    @Activate
    void activate(BundleContext context) {
        // framework properties fall back to system properties in BundleContext.getProperty
        synchronized (this) {
            settings = OpenClSettings.from(context::getProperty);
        }
    }

    @Deactivate
    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized String describe() {
        try {
            OpenClSession s = session();
            return "opencl: " + s.device.describe(s.buffers.maxAlloc());
        } catch (ComputeBackendException e) {
            return "opencl: unavailable: " + e.getMessage();
        }
    }

    private OpenClSession session() {
        if (failure != null) {
            throw failure;
        }
        if (session == null) {
            try {
                session = OpenClSession.open(settings, sources);
            } catch (ComputeBackendException e) {
                failure = e;
                throw e;
            }
        }
        return session;
    }

    /** Runs one call on the device, turning every CL error into an OpenClException. */
    private synchronized <T> T onDevice(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (CLException e) {
            OpenClException mapped = OpenClException.fromCl(operation, e);
            if (mapped.isPermanent()) {
                disable(mapped);
            } else if (session != null) {
                session.buffers.releaseAll(); // give the memory back before the next call tries again
            }
            throw mapped;
        } catch (OpenClException e) {
            if (e.isPermanent()) {
                disable(e);
            }
            throw e;
        }
    }

    private void disable(ComputeBackendException e) {
        failure = e;
        if (session != null) {
            try {
                session.close();
            } catch (CLException ignored) {
                // the device already failed; what matters is that no call reaches it again
            }
            session = null;
        }
    }

    // ------------------------------------------------------------------ products

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, FloatMatrix a, FloatMatrix b, float beta,
                     FloatMatrix c) {
        Shapes.checkGemm(transposeA, transposeB, a, b, c);
        int m = c.rows();
        int n = c.cols();
        int k = Shapes.opCols(a, transposeA);
        if (m == 0 || n == 0) {
            return;
        }
        onDevice("gemm " + m + "x" + n + "x" + k, () -> {
            OpenClSession s = session();
            cl_mem ma = s.upload("a", a.data(), 0, a.data().length, "gemm");
            cl_mem mb = s.upload("b", b.data(), 0, b.data().length, "gemm");
            cl_mem mc = beta == 0f ? s.buffers.get("c", (long) m * n * Sizeof.cl_float, "gemm")
                    : s.upload("c", c.data(), 0, m * n, "gemm");
            product(s, m, n, k, alpha, ma, a.cols(), transposeA, mb, b.cols(), transposeB, beta, mc);
            s.download(mc, c.data(), m * n);
            return null;
        });
    }

    /**
     * op(A) op(B) on buffers already on the device; ld is the row length of the stored matrix. GPUs get
     * the local-memory tiled kernel, CPU devices the register-blocked one without barriers (unless
     * {@link OpenClSettings#GEMM_KERNEL} says otherwise).
     */
    private static void product(OpenClSession s, int m, int n, int k, float alpha, cl_mem a, int lda, boolean ta,
                                cl_mem b, int ldb, boolean tb, float beta, cl_mem c) {
        product(s, m, n, k, alpha, a, lda, ta, b, ldb, tb, beta, c, false);
    }

    /** With {@code upperOnly}, C = A A^T: only tiles on or above the diagonal are computed; the caller mirrors. */
    private static void product(OpenClSession s, int m, int n, int k, float alpha, cl_mem a, int lda, boolean ta,
                                cl_mem b, int ldb, boolean tb, float beta, cl_mem c, boolean upperOnly) {
        int upper = upperOnly ? 1 : 0;
        int sai = ta ? 1 : lda;
        int sap = ta ? lda : 1;
        int sbp = tb ? 1 : ldb;
        int sbj = tb ? ldb : 1;
        if (s.blockedGemm) {
            // op(B) in panels of 16 contiguous columns: in place, a power-of-two row length makes every
            // row of a work-item's strip hit the same cache set
            int panels = (n + CPU_COLUMNS - 1) / CPU_COLUMNS;
            cl_mem packed = s.buffers.get("packedB", (long) panels * CPU_COLUMNS * k * Sizeof.cl_float, "gemm");
            if (k > 0) {
                s.run("pack_b_panels", new long[] {(long) panels * CPU_COLUMNS, k}, null, k, n, b, sbp, sbj, packed);
            }
            long[] global = {(m + CPU_ROWS - 1) / CPU_ROWS, panels};
            s.run("gemm_cpu", global, null, m, n, k, alpha, a, sai, sap, packed, beta, c, upper);
            return;
        }
        long[] global = {(long) groups(n) * GROUP, (long) groups(m) * GROUP};
        s.run("gemm", global, new long[] {GROUP, GROUP}, m, n, k, alpha, a, sai, sap, b, sbp, sbj, beta, c, upper);
    }

    private static int groups(int size) {
        return (size + TILE - 1) / TILE;
    }

    private static long[] rowsGlobal(int rows) {
        return new long[] {rows};
    }

    @Override
    public float[] rowNorms(FloatMatrix a) {
        float[] out = new float[a.rows()];
        if (a.rows() == 0) {
            return out;
        }
        return onDevice("rowNorms", () -> {
            OpenClSession s = session();
            cl_mem x = s.upload("a", a.data(), 0, a.data().length, "rowNorms");
            cl_mem norms = s.buffers.get("rowsA", (long) a.rows() * Sizeof.cl_float, "rowNorms");
            s.run("row_norms", rowsGlobal(a.rows()), null, a.rows(), a.cols(), 0, x, norms);
            s.download(norms, out, out.length);
            return out;
        });
    }

    @Override
    public FloatMatrix normalizeRows(FloatMatrix a) {
        float[] out = new float[a.data().length];
        if (out.length == 0) {
            return new FloatMatrix(a.rows(), a.cols(), out);
        }
        return onDevice("normalizeRows", () -> {
            OpenClSession s = session();
            cl_mem x = s.upload("a", a.data(), 0, a.data().length, "normalizeRows");
            cl_mem y = s.buffers.get("c", (long) out.length * Sizeof.cl_float, "normalizeRows");
            s.run("normalize_rows", rowsGlobal(a.rows()), null, a.rows(), a.cols(), x, y);
            s.download(y, out, out.length);
            return new FloatMatrix(a.rows(), a.cols(), out);
        });
    }

    @Override
    public FloatMatrix cosineSimilarity(FloatMatrix a, FloatMatrix b) {
        Shapes.checkSameCols("cosineSimilarity", a, b);
        FloatMatrix out = FloatMatrix.zeros(a.rows(), b.rows());
        if (a.rows() == 0 || b.rows() == 0) {
            return out;
        }
        return onDevice("cosineSimilarity", () -> {
            OpenClSession s = session();
            int d = a.cols();
            // a set against itself (token pruning) is uploaded and normalised once
            boolean self = a == b;
            cl_mem ma = s.upload("a", a.data(), 0, a.data().length, "cosineSimilarity");
            cl_mem mb = self ? ma : s.upload("b", b.data(), 0, b.data().length, "cosineSimilarity");
            cl_mem ua = s.buffers.get("unitA", (long) a.data().length * Sizeof.cl_float, "cosineSimilarity");
            cl_mem ub = self ? ua : s.buffers.get("unitB", (long) b.data().length * Sizeof.cl_float, "cosineSimilarity");
            cl_mem mc = s.buffers.get("c", (long) a.rows() * b.rows() * Sizeof.cl_float, "cosineSimilarity");
            if (d > 0) {
                s.run("normalize_rows", rowsGlobal(a.rows()), null, a.rows(), d, ma, ua);
                if (!self) {
                    s.run("normalize_rows", rowsGlobal(b.rows()), null, b.rows(), d, mb, ub);
                }
            }
            // unit rows: their dot products are the cosines, and zero rows stay zero; against itself the
            // product is symmetric, so half of it is computed and the other half mirrored here
            product(s, a.rows(), b.rows(), d, 1f, ua, d, false, ub, d, true, 0f, mc, self);
            s.download(mc, out.data(), out.data().length);
            if (self) {
                Symmetric.mirrorUpperToLower(out.data(), a.rows());
            }
            return out;
        });
    }

    @Override
    public FloatMatrix squaredDistances(FloatMatrix a, FloatMatrix b) {
        Shapes.checkSameCols("squaredDistances", a, b);
        FloatMatrix out = FloatMatrix.zeros(a.rows(), b.rows());
        if (a.rows() == 0 || b.rows() == 0) {
            return out;
        }
        return onDevice("squaredDistances", () -> {
            OpenClSession s = session();
            int d = a.cols();
            cl_mem ma = s.upload("a", a.data(), 0, a.data().length, "squaredDistances");
            cl_mem mb = s.upload("b", b.data(), 0, b.data().length, "squaredDistances");
            cl_mem na = s.buffers.get("rowsA", (long) a.rows() * Sizeof.cl_float, "squaredDistances");
            cl_mem nb = s.buffers.get("rowsB", (long) b.rows() * Sizeof.cl_float, "squaredDistances");
            cl_mem mc = s.buffers.get("c", (long) a.rows() * b.rows() * Sizeof.cl_float, "squaredDistances");
            s.run("row_norms", rowsGlobal(a.rows()), null, a.rows(), d, 1, ma, na);
            s.run("row_norms", rowsGlobal(b.rows()), null, b.rows(), d, 1, mb, nb);
            product(s, a.rows(), b.rows(), d, -2f, ma, d, false, mb, d, true, 0f, mc);
            s.run("add_norms_clamp", new long[] {b.rows(), a.rows()}, null, a.rows(), b.rows(), mc, na, nb);
            s.download(mc, out.data(), out.data().length);
            return out;
        });
    }

    @Override
    public Assignment nearestCentroid(FloatMatrix points, FloatMatrix centroids) {
        Shapes.checkSameCols("nearestCentroid", points, centroids);
        int count = points.rows();
        int k = centroids.rows();
        int d = points.cols();
        int[] best = new int[count];
        float[] distance = new float[count];
        if (count == 0 || k == 0) {
            Arrays.fill(best, -1);
            Arrays.fill(distance, Float.NaN);
            return new Assignment(best, distance);
        }
        return onDevice("nearestCentroid", () -> {
            OpenClSession s = session();
            long budget = Math.min(CENTROID_CHUNK_BYTES, s.buffers.maxAlloc());
            int chunk = (int) Math.max(1, Math.min(count, budget / ((long) k * Sizeof.cl_float)));
            cl_mem mc = s.upload("b", centroids.data(), 0, centroids.data().length, "nearestCentroid");
            cl_mem norms = s.buffers.get("rowsB", (long) k * Sizeof.cl_float, "nearestCentroid");
            cl_mem outBest = s.buffers.get("indices", (long) count * Sizeof.cl_int, "nearestCentroid");
            cl_mem outDistance = s.buffers.get("values", (long) count * Sizeof.cl_float, "nearestCentroid");
            cl_mem dots = s.buffers.get("c", (long) chunk * k * Sizeof.cl_float, "nearestCentroid");
            s.run("row_norms", rowsGlobal(k), null, k, d, 1, mc, norms);
            for (int start = 0; start < count; start += chunk) {
                int rows = Math.min(chunk, count - start);
                cl_mem mp = s.upload("a", points.data(), start * d, rows * d, "nearestCentroid");
                // ||c||^2 - 2 x.c ranks the centroids of x like the distance does
                product(s, rows, k, d, -2f, mp, d, false, mc, d, true, 0f, dots);
                s.run("nearest_centroid", rowsGlobal(rows), null, rows, k, d, start, dots, norms, mp, mc, outBest,
                        outDistance);
            }
            s.download(outBest, best, count);
            s.download(outDistance, distance, count);
            return new Assignment(best, distance);
        });
    }

    // ------------------------------------------------------------------ row-wise

    @Override
    public TopK topK(FloatMatrix a, int k) {
        Shapes.checkK(k);
        int kk = Math.min(k, a.cols());
        float[] values = new float[a.rows() * kk];
        int[] indices = new int[a.rows() * kk];
        if (values.length == 0) {
            return new TopK(a.rows(), kk, values, indices);
        }
        return onDevice("topK", () -> {
            OpenClSession s = session();
            cl_mem x = s.upload("a", a.data(), 0, a.data().length, "topK");
            cl_mem v = s.buffers.get("values", (long) values.length * Sizeof.cl_float, "topK");
            cl_mem i = s.buffers.get("indices", (long) indices.length * Sizeof.cl_int, "topK");
            s.run("topk_rows", rowsGlobal(a.rows()), null, a.rows(), a.cols(), kk, x, v, i);
            s.download(v, values, values.length);
            s.download(i, indices, indices.length);
            return new TopK(a.rows(), kk, values, indices);
        });
    }

    @Override
    public FloatMatrix softmax(FloatMatrix logits) {
        return new FloatMatrix(logits.rows(), logits.cols(), softmaxFamily(logits, 0, logits.data().length));
    }

    @Override
    public FloatMatrix logSoftmax(FloatMatrix logits) {
        return new FloatMatrix(logits.rows(), logits.cols(), softmaxFamily(logits, 1, logits.data().length));
    }

    @Override
    public float[] logSumExp(FloatMatrix logits) {
        if (logits.cols() == 0) {
            float[] out = new float[logits.rows()];
            Arrays.fill(out, Float.NEGATIVE_INFINITY); // the sum of no terms is 0
            return out;
        }
        return softmaxFamily(logits, 2, logits.rows());
    }

    private float[] softmaxFamily(FloatMatrix logits, int mode, int outputs) {
        float[] out = new float[outputs];
        if (outputs == 0) {
            return out;
        }
        return onDevice("softmax", () -> {
            OpenClSession s = session();
            cl_mem x = s.upload("a", logits.data(), 0, logits.data().length, "softmax");
            cl_mem y = s.buffers.get("c", (long) outputs * Sizeof.cl_float, "softmax");
            s.run("softmax_rows", rowsGlobal(logits.rows()), null, logits.rows(), logits.cols(), mode, x, y);
            s.download(y, out, outputs);
            return out;
        });
    }

    @Override
    public int[] argmax(FloatMatrix a) {
        int[] out = new int[a.rows()];
        if (a.cols() == 0) {
            Arrays.fill(out, -1);
            return out;
        }
        if (out.length == 0) {
            return out;
        }
        return onDevice("argmax", () -> {
            OpenClSession s = session();
            cl_mem x = s.upload("a", a.data(), 0, a.data().length, "argmax");
            cl_mem y = s.buffers.get("indices", (long) out.length * Sizeof.cl_int, "argmax");
            s.run("argmax_rows", rowsGlobal(a.rows()), null, a.rows(), a.cols(), x, y);
            s.download(y, out, out.length);
            return out;
        });
    }

    @Override
    public float[] columnMeans(FloatMatrix a) {
        float[] out = new float[a.cols()];
        if (a.rows() == 0 || a.cols() == 0) {
            return out;
        }
        return onDevice("columnMeans", () -> {
            OpenClSession s = session();
            cl_mem x = s.upload("a", a.data(), 0, a.data().length, "columnMeans");
            cl_mem y = s.buffers.get("rowsA", (long) out.length * Sizeof.cl_float, "columnMeans");
            s.run("column_means", rowsGlobal(a.cols()), null, a.rows(), a.cols(), x, y);
            s.download(y, out, out.length);
            return out;
        });
    }

    // ------------------------------------------------------------------ host-side solves

    @Override
    public FloatMatrix cholesky(FloatMatrix spd) {
        return DenseSolvers.cholesky(spd);
    }

    @Override
    public FloatMatrix solveTriangular(FloatMatrix t, boolean lower, boolean transpose, FloatMatrix b) {
        return DenseSolvers.solveTriangular(t, lower, transpose, b);
    }
}
