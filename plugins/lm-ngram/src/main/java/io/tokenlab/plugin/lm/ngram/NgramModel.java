package io.tokenlab.plugin.lm.ngram;

import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.lm.TokenTree;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A trained interpolated modified Kneser-Ney model (Chen and Goodman 1998, "An empirical study of
 * smoothing techniques for language modeling"), frozen into sorted arrays: immutable, so safe for
 * any number of threads.
 *
 * <p>Level k (1..order) holds the k-grams in compressed-sparse-row form: the children of context
 * node c (a (k-1)-gram; level 1 has the single root context) are tokens {@code [offsets[c],
 * offsets[c+1])}, sorted, with their discounted probability; {@code gammas[c]} is the mass the
 * context passes down to its lower order. Node i of level k is context i of level k+1. The
 * distribution after a context is built from the uniform distribution upward:
 * {@code p_k(w) = probs_k(h w) + gamma_k(h) p_(k-1)(w)} for each context suffix h that was seen, so
 * every token keeps a non-zero probability and every row sums to 1.
 */
public final class NgramModel implements LanguageModel {
    private final int order;
    private final int vocabularySize;
    private final long trainingTokens;
    private final String tokenizerId;
    private final Level[] levels;

    /** One order's k-grams; arrays are owned, never changed after construction. */
    record Level(float[] discounts, int[] offsets, int[] tokens, float[] probabilities, float[] gammas) {
        int contexts() {
            return gammas.length;
        }

        int nodes() {
            return tokens.length;
        }

        /** The node of {@code token} under context {@code context}, or -1. */
        int child(int context, int token) {
            int lo = offsets[context];
            int hi = offsets[context + 1] - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int t = tokens[mid];
                if (t < token) {
                    lo = mid + 1;
                } else if (t > token) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -1;
        }
    }

    NgramModel(int order, int vocabularySize, long trainingTokens, String tokenizerId, Level[] levels) {
        if (levels.length != order) {
            throw new IllegalArgumentException("order " + order + " needs " + order + " levels, got " + levels.length);
        }
        this.order = order;
        this.vocabularySize = vocabularySize;
        this.trainingTokens = trainingTokens;
        this.tokenizerId = tokenizerId;
        this.levels = levels;
    }

    public int order() {
        return order;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    /** Tokens the model was trained on. */
    public long trainingTokens() {
        return trainingTokens;
    }

    /** The tokenizer whose ids this model speaks, as recorded at training (e.g. {@code tokenizer/bpe gpt2}). */
    public String tokenizerId() {
        return tokenizerId;
    }

    /** Stored n-grams of each order (index 0 is unigrams). */
    public long[] ngramCounts() {
        long[] out = new long[order];
        for (int k = 0; k < order; k++) {
            out[k] = levels[k].nodes();
        }
        return out;
    }

    /** The modified Kneser-Ney discounts D1, D2, D3+ of order k (1-based). */
    public float[] discounts(int k) {
        return levels[k - 1].discounts().clone();
    }

    Level level(int k) {
        return levels[k - 1];
    }

    /**
     * Context nodes for the last j tokens, j = 0..order-1 (-1 where that suffix was never seen). A
     * suffix of a seen n-gram was always seen, so the walk stops at the first miss.
     */
    private int[] contextNodes(int[] context) {
        int[] nodes = new int[order];
        Arrays.fill(nodes, -1);
        nodes[0] = 0;
        for (int j = 1; j < order && j <= context.length; j++) {
            int node = 0;
            for (int i = context.length - j; i < context.length && node >= 0; i++) {
                int level = i - (context.length - j) + 1;
                node = levels[level - 1].child(node, context[i]);
            }
            if (node < 0) {
                break;
            }
            nodes[j] = node;
        }
        return nodes;
    }

    /** Extends the context nodes of a path by one token, reusing the parent's walk. */
    private int[] extend(int[] parentNodes, int token) {
        int[] nodes = new int[order];
        Arrays.fill(nodes, -1);
        nodes[0] = 0;
        for (int j = 1; j < order; j++) {
            int parent = parentNodes[j - 1];
            if (parent < 0) {
                break;
            }
            int node = levels[j - 1].child(parent, token);
            if (node < 0) {
                break;
            }
            nodes[j] = node;
        }
        return nodes;
    }

    /**
     * The row after the context nodes. Every level multiplies the lower distribution by its gamma and
     * adds its children, so p(w) = scale · (1/V + q(w)) with q non-zero only for tokens some context
     * has seen: the multiplications fold into one scale and only seen tokens need their own log,
     * which keeps a row at O(V) stores plus O(children) logarithms.
     */
    private float[] distribution(int[] nodes) {
        double[] q = new double[vocabularySize];
        int[] touched = new int[64];
        int touchedCount = 0;
        double scale = 1.0;
        for (int k = 1; k <= order; k++) {
            int c = nodes[k - 1];
            if (c < 0) {
                break;
            }
            Level level = levels[k - 1];
            int lo = level.offsets()[c];
            int hi = level.offsets()[c + 1];
            if (lo == hi) {
                continue;
            }
            scale *= level.gammas()[c];
            int[] tokens = level.tokens();
            float[] probs = level.probabilities();
            for (int i = lo; i < hi; i++) {
                int t = tokens[i];
                if (q[t] == 0.0) {
                    if (touchedCount == touched.length) {
                        touched = Arrays.copyOf(touched, touchedCount * 2);
                    }
                    touched[touchedCount++] = t;
                }
                q[t] += probs[i] / scale;
            }
        }
        double uniform = 1.0 / vocabularySize;
        float[] out = new float[vocabularySize];
        Arrays.fill(out, (float) Math.log(scale * uniform));
        for (int i = 0; i < touchedCount; i++) {
            int t = touched[i];
            out[t] = (float) Math.log(scale * (uniform + q[t]));
        }
        return out;
    }

    @Override
    public float[] logProbabilities(int[] context) {
        return distribution(contextNodes(context));
    }

    /** The log-probability of one token, without building the whole row (perplexity, scoring). */
    public double logProbability(int[] context, int token) {
        int[] nodes = contextNodes(context);
        double p = 1.0 / vocabularySize;
        for (int k = 1; k <= order; k++) {
            int c = nodes[k - 1];
            if (c < 0) {
                break;
            }
            Level level = levels[k - 1];
            if (level.offsets()[c] == level.offsets()[c + 1]) {
                continue;
            }
            int child = level.child(c, token);
            p = level.gammas()[c] * p + (child < 0 ? 0.0 : level.probabilities()[child]);
        }
        return Math.log(p);
    }

    /**
     * Scores the tree with one context walk per node (extending its parent's) and one row per
     * distinct longest seen context: sibling branches that end in the same n-gram state share a row.
     */
    @Override
    public float[][] scoreTree(int[] context, TokenTree tree) {
        float[][] out = new float[tree.size() + 1][];
        int[][] nodes = new int[tree.size() + 1][];
        Map<Long, float[]> rowsByState = new HashMap<>();
        nodes[0] = contextNodes(context);
        out[0] = rowFor(nodes[0], rowsByState);
        for (int n = 0; n < tree.size(); n++) {
            int parent = tree.parents()[n];
            nodes[n + 1] = extend(nodes[parent + 1], tree.tokens()[n]);
            out[n + 1] = rowFor(nodes[n + 1], rowsByState);
        }
        return out;
    }

    private float[] rowFor(int[] nodes, Map<Long, float[]> rowsByState) {
        int deepest = 0;
        while (deepest + 1 < order && nodes[deepest + 1] >= 0) {
            deepest++;
        }
        // the row depends only on the longest seen suffix: its shorter suffixes are implied by it
        long state = ((long) deepest << 32) | nodes[deepest];
        float[] shared = rowsByState.get(state);
        if (shared != null) {
            return shared.clone(); // callers own their rows
        }
        float[] row = distribution(nodes);
        rowsByState.put(state, row);
        return row;
    }

    @Override
    public String toString() {
        return "NgramModel[order " + order + ", vocabulary " + vocabularySize + ", " + trainingTokens
                + " training tokens, n-grams " + Arrays.toString(ngramCounts()) + ", " + tokenizerId + "]";
    }
}
