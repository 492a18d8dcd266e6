package io.tokenlab.plugin.tokenizer.analysis;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Plug-in entropy estimates of a token stream (information-theoretic view of tokenizers,
 * arXiv 2601.09039): unigram entropy H1, the conditional entropies H_k = Ĥ(k-grams) − Ĥ((k−1)-grams),
 * and Rényi entropy of order α. All in bits.
 */
final class StreamEntropy {
    private StreamEntropy() {
    }

    /** Shannon entropy of the empirical distribution of k-grams (sliding window over the stream). */
    static double blockEntropy(int[] stream, int k) {
        if (k == 0 || stream.length < k) {
            return 0;
        }
        Map<Object, long[]> counts = new HashMap<>();
        for (int i = 0; i + k <= stream.length; i++) {
            Object key = k == 1 ? (Object) stream[i] : k == 2 ? (Object) (((long) stream[i] << 32) | (stream[i + 1] & 0xffffffffL))
                    : new Gram(Arrays.copyOfRange(stream, i, i + k));
            counts.computeIfAbsent(key, x -> new long[1])[0]++;
        }
        return shannon(counts.values(), stream.length - k + 1);
    }

    /** H_k: the entropy of a token given the k−1 before it, as a difference of block entropies. */
    static double conditionalEntropy(int[] stream, int k) {
        return blockEntropy(stream, k) - blockEntropy(stream, k - 1);
    }

    /** Rényi entropy of order alpha (alpha != 1) of the unigram distribution. */
    static double renyi(int[] stream, double alpha) {
        Map<Integer, long[]> counts = new HashMap<>();
        for (int id : stream) {
            counts.computeIfAbsent(id, x -> new long[1])[0]++;
        }
        double sum = 0;
        for (long[] c : counts.values()) {
            sum += Math.pow((double) c[0] / stream.length, alpha);
        }
        return Math.log(sum) / Math.log(2) / (1 - alpha);
    }

    private static double shannon(Iterable<long[]> counts, long total) {
        double h = 0;
        for (long[] c : counts) {
            double p = (double) c[0] / total;
            h -= p * Math.log(p);
        }
        return h / Math.log(2);
    }

    private record Gram(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Gram && Arrays.equals(ids, ((Gram) o).ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }
}
