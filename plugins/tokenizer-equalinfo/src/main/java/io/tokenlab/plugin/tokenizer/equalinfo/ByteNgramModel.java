package io.tokenlab.plugin.tokenizer.equalinfo;

import java.util.HashMap;
import java.util.Map;

/**
 * A byte n-gram language model: the probability of the next byte given up to {@code order}
 * previous bytes, interpolated down to a uniform distribution. Each order k mixes its counts with
 * the order below as {@code p_k(x) = (c(ctx, x) + beta * p_{k-1}(x)) / (c(ctx) + beta)}, a
 * Dirichlet prior on the shorter context, so unseen bytes keep some probability.
 *
 * <p>Counts are stored sparsely per context (only the bytes seen after it), since most contexts
 * see few distinct successors. Immutable after training and safe for concurrent reads.
 */
public final class ByteNgramModel {
    private final int order;
    private final double beta;
    /** context key (length and bytes) to successor counts; index 256 holds the total. */
    private final Map<Long, int[]> counts = new HashMap<>();

    private ByteNgramModel(int order, double beta) {
        this.order = order;
        this.beta = beta;
    }

    /** Trains on the bytes; {@code order} is the longest context, 0 to 7 bytes. */
    public static ByteNgramModel train(byte[] text, int order, double beta) {
        if (order < 0 || order > 7) {
            throw new IllegalArgumentException("order must be 0..7, got " + order);
        }
        ByteNgramModel m = new ByteNgramModel(order, beta);
        for (int i = 0; i < text.length; i++) {
            int next = text[i] & 0xff;
            for (int k = 0; k <= order && k <= i; k++) {
                int[] c = m.counts.computeIfAbsent(key(text, i - k, k), x -> new int[257]);
                c[next]++;
                c[256]++;
            }
        }
        return m;
    }

    public int order() {
        return order;
    }

    /**
     * The next-byte distribution after {@code history[from, to)}, of which only the last
     * {@code order} bytes matter. Fills {@code p} (256 entries).
     */
    public void distribution(byte[] history, int from, int to, double[] p) {
        java.util.Arrays.fill(p, 1.0 / 256);
        int available = Math.min(order, to - from);
        for (int k = 0; k <= available; k++) {
            int[] c = counts.get(key(history, to - k, k));
            if (c == null) {
                break; // no longer context was seen either
            }
            double total = c[256];
            double keep = beta / (total + beta);
            for (int x = 0; x < 256; x++) {
                p[x] = keep * p[x] + c[x] / (total + beta);
            }
        }
    }

    /** Bits the model needs for the bytes, each predicted from the bytes before it (no reset). */
    public double bits(byte[] text) {
        double[] p = new double[256];
        double bits = 0;
        for (int i = 0; i < text.length; i++) {
            distribution(text, 0, i, p);
            bits -= Math.log(p[text[i] & 0xff]) / Math.log(2);
        }
        return bits;
    }

    private static long key(byte[] text, int start, int length) {
        long key = 0;
        for (int j = 0; j < length; j++) {
            key = (key << 8) | (text[start + j] & 0xff);
        }
        // the length sits above the bytes, so contexts of different lengths never collide
        return key | ((long) length << 60);
    }
}
