package io.tokenlab.api.compute;

import java.util.Arrays;

/**
 * A dense row-major float matrix: element (i, j) is {@code data[i * cols + j]}. The array is shared,
 * not copied, so that large tables move between techniques and backends without copies.
 */
public final class FloatMatrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    public FloatMatrix(int rows, int cols, float[] data) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("shape " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " values, got " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    /** A 1 x n matrix over a vector (shares the array). */
    public static FloatMatrix row(float[] v) {
        return new FloatMatrix(1, v.length, v);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The backing array, row-major. */
    public float[] data() {
        return data;
    }

    public float get(int i, int j) {
        return data[i * cols + j];
    }

    public void set(int i, int j, float v) {
        data[i * cols + j] = v;
    }

    /** A copy of row i. */
    public float[] rowCopy(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    public FloatMatrix copy() {
        return new FloatMatrix(rows, cols, data.clone());
    }

    public FloatMatrix transpose() {
        float[] t = new float[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return new FloatMatrix(cols, rows, t);
    }

    /** Rows {@code indices} gathered into a new matrix, in the order given. */
    public FloatMatrix selectRows(int[] indices) {
        float[] out = new float[indices.length * cols];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(data, indices[r] * cols, out, r * cols, cols);
        }
        return new FloatMatrix(indices.length, cols, out);
    }

    public String shape() {
        return rows + "x" + cols;
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + shape() + "]";
    }
}
