package io.tokenlab.api.compute;

/**
 * Row-wise top-k: for row i, {@code values[i*k + r]} is the r-th largest value and {@code indices[i*k + r]}
 * its column; ties are broken by the lower column index. NaN ranks below every number.
 */
public record TopK(int rows, int k, float[] values, int[] indices) {
    public int index(int row, int rank) {
        return indices[row * k + rank];
    }

    public float value(int row, int rank) {
        return values[row * k + rank];
    }
}
