package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.plugin.math.common.RandomizedSvd;

/**
 * A sparse matrix in compressed rows (CSR). Products with dense matrices densify a block of rows at
 * a time and hand the block to {@link Compute} when the matrix is dense enough for that to pay; a PPMI
 * matrix is typically 1-3% filled, and {@code Compute} has no sparse product, so below
 * {@link #DENSE_ENOUGH} the product runs directly on the nonzeros (in parallel over rows), which is
 * 30-100x less arithmetic than the densified blocks. It is the operator {@link RandomizedSvd} factors.
 */
public final class SparseRows implements RandomizedSvd.Operator {
    private static final int BLOCK_ELEMENTS = 8 << 20; // 32 MB of floats per densified block
    static final double DENSE_ENOUGH = 0.1;

    private final int rows;
    private final int cols;
    private final int[] rowStart;
    private final int[] colIndex;
    private final float[] values;

    public SparseRows(int rows, int cols, int[] rowStart, int[] colIndex, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowStart = rowStart;
        this.colIndex = colIndex;
        this.values = values;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    public int nonZeros() {
        return values.length;
    }

    private boolean denseEnough() {
        return values.length >= DENSE_ENOUGH * rows * (double) cols;
    }

    private volatile SparseRows transposed;

    /** The transpose in CSR (built once: products with the transpose then stream rows too). */
    public SparseRows transpose() {
        SparseRows t = transposed;
        if (t != null) {
            return t;
        }
        int[] start = new int[cols + 1];
        for (int c : colIndex) {
            start[c + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            start[c + 1] += start[c];
        }
        int[] fill = java.util.Arrays.copyOf(start, cols);
        int[] idx = new int[values.length];
        float[] val = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
                int at = fill[colIndex[p]]++;
                idx[at] = r;
                val[at] = values[p];
            }
        }
        t = new SparseRows(cols, rows, start, idx, val);
        transposed = t;
        return t;
    }

    private int blockRows() {
        return Math.max(1, Math.min(rows, BLOCK_ELEMENTS / Math.max(1, cols)));
    }

    private FloatMatrix dense(int from, int to) {
        float[] d = new float[(to - from) * cols];
        for (int r = from; r < to; r++) {
            int base = (r - from) * cols;
            for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
                d[base + colIndex[p]] = values[p];
            }
        }
        return new FloatMatrix(to - from, cols, d);
    }

    /** {@code this * x} (rows x x.cols). */
    @Override
    public FloatMatrix multiply(FloatMatrix x, Compute compute) {
        FloatMatrix out = FloatMatrix.zeros(rows, x.cols());
        if (!denseEnough()) {
            int n = x.cols();
            float[] xs = x.data();
            float[] o = out.data();
            java.util.stream.IntStream.range(0, rows).parallel().forEach(r -> {
                for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
                    float v = values[p];
                    int base = colIndex[p] * n;
                    for (int j = 0; j < n; j++) {
                        o[r * n + j] += v * xs[base + j];
                    }
                }
            });
            return out;
        }
        int step = blockRows();
        for (int from = 0; from < rows; from += step) {
            int to = Math.min(rows, from + step);
            FloatMatrix part = compute.multiply(dense(from, to), x);
            System.arraycopy(part.data(), 0, out.data(), from * x.cols(), part.data().length);
        }
        return out;
    }

    /** {@code this^T * y} (cols x y.cols), accumulated block by block. */
    @Override
    public FloatMatrix transposeMultiply(FloatMatrix y, Compute compute) {
        if (!denseEnough()) {
            return transpose().multiply(y, compute);
        }
        FloatMatrix out = FloatMatrix.zeros(cols, y.cols());
        int step = blockRows();
        for (int from = 0; from < rows; from += step) {
            int to = Math.min(rows, from + step);
            FloatMatrix yPart = new FloatMatrix(to - from, y.cols(),
                    java.util.Arrays.copyOfRange(y.data(), from * y.cols(), to * y.cols()));
            compute.gemm(true, false, 1f, dense(from, to), yPart, 1f, out);
        }
        return out;
    }
}
