package io.tokenlab.runtime.compute.scalar;

/**
 * The orders every backend ranks values by, in one place so that ties and NaN are treated alike:
 * larger first, NaN below every number, equal values by lower index.
 */
public final class RowOrder {
    private RowOrder() {
    }

    /** True when {@code v} at a higher index than {@code w} still ranks above it (strictly better). */
    public static boolean ranksAbove(float v, float w) {
        if (Float.isNaN(v)) {
            return false;
        }
        return Float.isNaN(w) || v > w;
    }

    /**
     * Top-k of {@code row[from, from + n)} into {@code values/indices[out, out + k)}, by insertion into a
     * sorted prefix. Most candidates of a long row fail the first comparison with the current k-th value,
     * so this is close to one pass over the row when k is small.
     */
    public static void topKOfRow(float[] row, int from, int n, int k, float[] values, int[] indices, int out) {
        int filled = 0;
        for (int j = 0; j < n; j++) {
            float v = row[from + j];
            if (filled == k) {
                if (k == 0 || !ranksAbove(v, values[out + k - 1])) {
                    continue;
                }
                filled--;
            }
            int pos = out + filled;
            while (pos > out && ranksAbove(v, values[pos - 1])) {
                values[pos] = values[pos - 1];
                indices[pos] = indices[pos - 1];
                pos--;
            }
            values[pos] = v;
            indices[pos] = j;
            filled++;
        }
    }

    /** Index of the largest value of {@code row[from, from + n)}; lowest on ties; NaN only if all are NaN; -1 if n is 0. */
    public static int argmax(float[] row, int from, int n) {
        if (n == 0) {
            return -1;
        }
        int best = 0;
        float bestValue = row[from];
        for (int j = 1; j < n; j++) {
            float v = row[from + j];
            if (ranksAbove(v, bestValue)) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }
}
