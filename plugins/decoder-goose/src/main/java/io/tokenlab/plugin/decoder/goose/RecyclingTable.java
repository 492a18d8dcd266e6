package io.tokenlab.plugin.decoder.goose;

/**
 * Token recycling (Luo et al. 2024, "Turning trash into treasure"): the top candidates the model
 * gave after each token in earlier verification passes, kept per token and offered again as draft
 * branches the next time that token appears. Lives for one generation.
 */
final class RecyclingTable {
    private final int[][] successors;
    private final int width;

    RecyclingTable(int vocabularySize, int width) {
        this.successors = new int[vocabularySize][];
        this.width = width;
    }

    /** The recycled candidates after {@code token}, most likely first (empty if none yet). */
    int[] after(int token) {
        int[] s = successors[token];
        return s == null ? new int[0] : s;
    }

    /** Records the model's top candidates after {@code token} from one row of a verification pass. */
    void record(int token, float[] row) {
        successors[token] = topK(row, width);
    }

    static int[] topK(float[] row, int k) {
        k = Math.min(k, row.length);
        int[] best = new int[k];
        float[] value = new float[k];
        int filled = 0;
        for (int id = 0; id < row.length; id++) {
            float v = row[id];
            if (filled == k && v <= value[k - 1]) {
                continue;
            }
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && value[pos - 1] < v) {
                best[pos] = best[pos - 1];
                value[pos] = value[pos - 1];
                pos--;
            }
            best[pos] = id;
            value[pos] = v;
        }
        return best;
    }
}
