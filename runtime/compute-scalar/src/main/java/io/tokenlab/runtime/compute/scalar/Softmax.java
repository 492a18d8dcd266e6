package io.tokenlab.runtime.compute.scalar;

/**
 * The row-wise softmax family with the special rows spelled out once, so that every backend agrees on
 * them: a row with NaN gives NaN everywhere; a row whose largest value is +inf has logsumexp +inf and
 * NaN probabilities; a row of only -inf (or an empty row) has logsumexp -inf and NaN probabilities.
 */
public final class Softmax {
    private Softmax() {
    }

    /** What to write for each element of a row. */
    public enum Output { PROBABILITIES, LOG_PROBABILITIES }

    /** Largest value of the row; NaN if any value is NaN; -inf for an empty row. */
    public static float max(float[] x, int from, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float v = x[from + j];
            if (Float.isNaN(v)) {
                return Float.NaN;
            }
            m = Math.max(m, v);
        }
        return m;
    }

    /** logsumexp of a row whose maximum {@code m} is already known. */
    public static float logSumExp(float[] x, int from, int n, float m) {
        if (Float.isNaN(m) || Float.isInfinite(m)) {
            return m;
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(x[from + j] - m);
        }
        return (float) (m + Math.log(s));
    }

    /** Writes the row's probabilities or log-probabilities into {@code out[to, to + n)}. */
    public static void row(float[] x, int from, int n, Output output, float[] out, int to) {
        float m = max(x, from, n);
        if (Float.isNaN(m) || Float.isInfinite(m)) {
            java.util.Arrays.fill(out, to, to + n, Float.NaN);
            return;
        }
        if (output == Output.PROBABILITIES) {
            // each exp once: kept in out while summing, then scaled (exp dominates a wide row's cost)
            double s = 0;
            for (int j = 0; j < n; j++) {
                double e = Math.exp(x[from + j] - m);
                out[to + j] = (float) e;
                s += e;
            }
            float inv = (float) (1.0 / s);
            for (int j = 0; j < n; j++) {
                out[to + j] *= inv;
            }
        } else {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += Math.exp(x[from + j] - m);
            }
            double shift = m + Math.log(s);
            for (int j = 0; j < n; j++) {
                out[to + j] = (float) (x[from + j] - shift);
            }
        }
    }
}
