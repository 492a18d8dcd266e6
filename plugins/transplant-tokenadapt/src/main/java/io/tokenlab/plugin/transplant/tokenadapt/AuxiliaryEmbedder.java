package io.tokenlab.plugin.transplant.tokenadapt;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.util.List;

/**
 * TokenAdapt's external embedder f, made from the auxiliary table: it gives a vector to any string,
 * not only to the table's own tokens, so that the global search can run over the whole old vocabulary
 * as the paper's (which embeds every old token with a sentence embedder) does. A string the table has
 * is its unit row; any other is split by greedy longest match into table tokens and gets the
 * length-weighted mean of their unit rows, renormalised (the way subword models embed unseen words).
 */
final class AuxiliaryEmbedder {
    private static final int MAX_PIECE_CHARS = 64;
    private final EmbeddingTable table;
    private final FloatMatrix unit;

    AuxiliaryEmbedder(EmbeddingTable table, FloatMatrix unitRows) {
        this.table = table;
        this.unit = unitRows;
    }

    /** The unit vector of {@code s}, or null when no piece of it has a non-zero vector. */
    float[] embed(String s) {
        int d = unit.cols();
        int row = table.indexOf(s);
        if (row >= 0 && nonZero(row)) {
            return unit.rowCopy(row);
        }
        double[] sum = new double[d];
        boolean any = false;
        int i = 0;
        while (i < s.length()) {
            int found = -1;
            for (int j = Math.min(s.length(), i + MAX_PIECE_CHARS); j > i; j--) {
                int r = table.indexOf(s.substring(i, j));
                if (r >= 0 && nonZero(r)) {
                    float[] x = unit.data();
                    for (int k = 0; k < d; k++) {
                        sum[k] += (j - i) * x[r * d + k];
                    }
                    any = true;
                    found = j;
                    break;
                }
            }
            i = found < 0 ? i + 1 : found; // a character no auxiliary token covers adds nothing
        }
        if (!any) {
            return null;
        }
        double norm = 0;
        for (double v : sum) {
            norm += v * v;
        }
        if (!(norm > 0)) {
            return null;
        }
        float[] out = new float[d];
        double inv = 1 / Math.sqrt(norm);
        for (int k = 0; k < d; k++) {
            out[k] = (float) (sum[k] * inv);
        }
        return out;
    }

    /** Unit vectors of every string that has one, and which strings those are. */
    Embedded embedAll(List<String> strings) {
        int d = unit.cols();
        int[] rows = new int[strings.size()];
        float[] data = new float[strings.size() * d];
        int n = 0;
        for (int i = 0; i < strings.size(); i++) {
            float[] v = embed(strings.get(i));
            if (v != null) {
                System.arraycopy(v, 0, data, n * d, d);
                rows[n++] = i;
            }
        }
        return new Embedded(java.util.Arrays.copyOf(rows, n), new FloatMatrix(n, d, java.util.Arrays.copyOf(data, n * d)));
    }

    /** {@code vectors} row r is the unit vector of string {@code indices[r]}. */
    record Embedded(int[] indices, FloatMatrix vectors) {
    }

    private boolean nonZero(int row) {
        int d = unit.cols();
        float[] x = unit.data();
        for (int k = 0; k < d; k++) {
            if (x[row * d + k] != 0f) {
                return true;
            }
        }
        return false;
    }
}
