package io.tokenlab.plugin.lm.transformer;

import java.util.Arrays;

/**
 * Keys and values of every layer for the tokens seen so far (heads side by side, as the qkv
 * projection lays them out), so that each new token costs one row through the model instead of the
 * whole context. Remembers its tokens so a caller can keep the common prefix of a new context.
 */
final class KvCache {
    final float[][] keys;
    final float[][] values;
    final int[] tokens;
    int length;
    /** Logits after the last token, valid while {@code length > 0}. */
    float[] lastLogits;

    KvCache(TransformerConfig c) {
        keys = new float[c.layers()][c.context() * c.dimension()];
        values = new float[c.layers()][c.context() * c.dimension()];
        tokens = new int[c.context()];
    }

    /** Length of the prefix this cache shares with {@code context}. */
    int commonPrefix(int[] context) {
        int p = 0;
        int max = Math.min(length, context.length);
        while (p < max && tokens[p] == context[p]) {
            p++;
        }
        return p;
    }

    /** Forgets every token after the first {@code keep}. */
    void truncate(int keep) {
        length = Math.min(length, keep);
        if (length == 0) {
            lastLogits = null;
        }
    }

    @Override
    public String toString() {
        return "KvCache" + Arrays.toString(Arrays.copyOf(tokens, length));
    }
}
