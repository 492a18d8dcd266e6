package io.tokenlab.plugin.lm.ngram;

/**
 * Counts the n-grams of a token stream in bounded memory, then estimates the model.
 *
 * <p>The n-grams form a trie: a k-gram is keyed by {@code parentNode * V + token} in the hash map
 * of order k, so a key fits in a long for any vocabulary and order. Orders below the top keep only
 * node numbers (their Kneser-Ney counts are continuation counts, computed at the end from the
 * order above); the top order keeps raw counts. When the maps reach {@code maxNgrams} entries, top-
 * order n-grams seen at most t times are dropped (t = 1, then 2, ...), as count pruning does in
 * other n-gram toolkits; lower orders are never pruned, so every suffix of a stored n-gram stays
 * stored, which the model's back-off walk relies on.
 */
final class NgramCounter {
    private final int order;
    private final int vocabularySize;
    private final long maxNgrams;
    private final LongIntHashMap[] maps;
    private final int[] history;
    private int historyLength;
    private long tokens;
    private long prunedNgrams;
    private int pruneThreshold;
    private boolean full;

    NgramCounter(int order, int vocabularySize, long maxNgrams) {
        if (order < 1) {
            throw new IllegalArgumentException("order must be at least 1, got " + order);
        }
        this.order = order;
        this.vocabularySize = vocabularySize;
        this.maxNgrams = maxNgrams;
        this.maps = new LongIntHashMap[order + 1];
        for (int k = 1; k <= order; k++) {
            maps[k] = new LongIntHashMap(1 << 12);
        }
        this.history = new int[Math.max(1, order - 1)];
    }

    long tokens() {
        return tokens;
    }

    long prunedNgrams() {
        return prunedNgrams;
    }

    /** True once lower orders alone filled the budget; later tokens were not counted. */
    boolean truncated() {
        return full;
    }

    long storedNgrams() {
        long n = 0;
        for (int k = 1; k <= order; k++) {
            n += maps[k].size();
        }
        return n;
    }

    /** Continues the stream with these tokens (streams join: n-grams span calls). */
    void accept(int[] ids) {
        for (int id : ids) {
            if (full) {
                return;
            }
            if (id < 0 || id >= vocabularySize) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocabularySize + ")");
            }
            count(id);
            tokens++;
            // a token adds at most one n-gram per order, so checking on every token keeps the bound exact
            if (storedNgrams() > maxNgrams - order) {
                enforceBudget();
            }
        }
    }

    private void count(int id) {
        int n = order - 1;
        if (historyLength < n) {
            // the stream's first tokens: only the prefixes exist, as lower-order nodes
            history[historyLength++] = id;
            insertPath(history, 0, historyLength);
            return;
        }
        int parent = 0;
        for (int k = 1; k < order; k++) {
            parent = node(k, parent, history[k - 1]);
        }
        maps[order].add((long) parent * vocabularySize + id, 1);
        if (n > 0) {
            System.arraycopy(history, 1, history, 0, n - 1);
            history[n - 1] = id;
        }
    }

    private int node(int k, int parent, int token) {
        LongIntHashMap map = maps[k];
        return map.putIfAbsent((long) parent * vocabularySize + token, map.size());
    }

    private void insertPath(int[] ids, int from, int to) {
        int parent = 0;
        for (int k = 1; k <= to - from && k < order; k++) {
            parent = node(k, parent, ids[from + k - 1]);
        }
    }

    private void enforceBudget() {
        long lower = storedNgrams() - maps[order].size();
        if (storedNgrams() > maxNgrams - order) {
            // drop the rarest top-order n-grams until the top order uses at most half of what is left
            long target = Math.max(0, (maxNgrams - lower) / 2);
            while (maps[order].size() > target) {
                pruneThreshold++;
                prunedNgrams += maps[order].removeValuesAtMost(pruneThreshold);
            }
        }
        if (order > 1 && lower >= maxNgrams * 9 / 10) {
            // lower orders are never pruned (the back-off walk needs every suffix): stop counting instead
            full = true;
        }
    }

    /**
     * Ends the stream: the suffixes of its last tokens are not prefixes of any counted window, so
     * they are inserted here to keep every suffix of a stored n-gram stored.
     */
    private void finishStream() {
        for (int s = 0; s < historyLength; s++) {
            insertPath(history, s, historyLength);
        }
    }

    /** Estimates the model; the counter is spent afterwards. */
    NgramModel build(String tokenizerId) {
        finishStream();
        final long v = vocabularySize;
        int[][] parents = new int[order + 1][];
        int[][] tokensOf = new int[order + 1][];
        int[][] offsets = new int[order + 1][];
        int[] topCounts = null;
        int[] remap = {0};
        int previousNodes = 1;
        for (int k = 1; k <= order; k++) {
            LongIntHashMap map = maps[k];
            int m = map.size();
            long[] keys = new long[m];
            int[] values = new int[m];
            map.drainTo(keys, values);
            map.clear();
            for (int i = 0; i < m; i++) {
                keys[i] = remap[(int) (keys[i] / v)] * v + keys[i] % v;
            }
            PairSort.sort(keys, values, 0, m);
            int[] parent = new int[m];
            int[] token = new int[m];
            int[] offset = new int[previousNodes + 1];
            for (int i = 0; i < m; i++) {
                parent[i] = (int) (keys[i] / v);
                token[i] = (int) (keys[i] % v);
                offset[parent[i] + 1]++;
            }
            for (int c = 0; c < previousNodes; c++) {
                offset[c + 1] += offset[c];
            }
            parents[k] = parent;
            tokensOf[k] = token;
            offsets[k] = offset;
            if (k < order) {
                remap = new int[m];
                for (int i = 0; i < m; i++) {
                    remap[values[i]] = i;
                }
            } else {
                topCounts = values;
            }
            previousNodes = m;
        }

        // continuation counts: a k-gram's count at a lower order is the number of distinct words seen before it
        int[][] valuesOf = new int[order + 1][];
        valuesOf[order] = topCounts;
        for (int k = 1; k < order; k++) {
            valuesOf[k] = new int[tokensOf[k].length];
        }
        int[] suffixPrevious = new int[tokensOf[1].length]; // level 1: every suffix is the root
        for (int k = 2; k <= order; k++) {
            int m = tokensOf[k].length;
            int[] suffix = new int[m];
            int[] lowerCounts = valuesOf[k - 1];
            for (int i = 0; i < m; i++) {
                int s = childOf(offsets[k - 1], tokensOf[k - 1], suffixPrevious[parents[k][i]], tokensOf[k][i]);
                suffix[i] = s;
                if (s >= 0) {
                    lowerCounts[s]++;
                }
            }
            suffixPrevious = suffix;
        }

        NgramModel.Level[] levels = new NgramModel.Level[order];
        for (int k = 1; k <= order; k++) {
            levels[k - 1] = estimate(offsets[k], tokensOf[k], valuesOf[k]);
            parents[k] = null;
            valuesOf[k] = null;
        }
        return new NgramModel(order, vocabularySize, tokens, tokenizerId, levels);
    }

    private static int childOf(int[] offsets, int[] tokens, int context, int token) {
        if (context < 0) {
            return -1;
        }
        int lo = offsets[context];
        int hi = offsets[context + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (tokens[mid] < token) {
                lo = mid + 1;
            } else if (tokens[mid] > token) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Modified Kneser-Ney discounts from the counts of counts (Chen and Goodman 1998, eq. 26). */
    static float[] discounts(int[] counts) {
        long n1 = 0;
        long n2 = 0;
        long n3 = 0;
        long n4 = 0;
        for (int c : counts) {
            switch (c) {
                case 1 -> n1++;
                case 2 -> n2++;
                case 3 -> n3++;
                case 4 -> n4++;
                default -> {
                }
            }
        }
        float[] d = {0.5f, 1.0f, 1.5f}; // for corpora too small (or pruned) to estimate from
        if (n1 > 0 && n2 > 0) {
            double y = n1 / (n1 + 2.0 * n2);
            double d1 = 1 - 2 * y * n2 / n1;
            double d2 = n3 > 0 ? 2 - 3 * y * n3 / n2 : d[1];
            double d3 = n3 > 0 && n4 > 0 ? 3 - 4 * y * n4 / n3 : d[2];
            d[0] = (float) clamp(d1, 0.05, 1.0);
            d[1] = (float) clamp(d2, 0.05, 2.0);
            d[2] = (float) clamp(d3, 0.05, 3.0);
        }
        return d;
    }

    private static double clamp(double x, double lo, double hi) {
        return Double.isNaN(x) ? lo : Math.max(lo, Math.min(hi, x));
    }

    private static NgramModel.Level estimate(int[] offsets, int[] tokens, int[] counts) {
        float[] d = discounts(counts);
        int contexts = offsets.length - 1;
        float[] probabilities = new float[tokens.length];
        float[] gammas = new float[contexts];
        for (int c = 0; c < contexts; c++) {
            int lo = offsets[c];
            int hi = offsets[c + 1];
            long total = 0;
            for (int i = lo; i < hi; i++) {
                total += counts[i];
            }
            if (total == 0) {
                gammas[c] = 1f;
                continue;
            }
            double discounted = 0;
            for (int i = lo; i < hi; i++) {
                int n = counts[i];
                double take = n == 0 ? 0 : Math.min(n, d[Math.min(n, 3) - 1]);
                discounted += take;
                probabilities[i] = (float) ((n - take) / total);
            }
            gammas[c] = (float) (discounted / total);
        }
        return new NgramModel.Level(d, offsets, tokens, probabilities, gammas);
    }
}
