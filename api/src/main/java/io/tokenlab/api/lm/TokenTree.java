package io.tokenlab.api.lm;

import java.util.Arrays;

/**
 * A tree of candidate tokens in topological order: node n holds {@code tokens[n]} and its parent is
 * {@code parents[n]} (-1 for a child of the root, otherwise an earlier node).
 */
public record TokenTree(int[] tokens, int[] parents) {
    public TokenTree {
        if (tokens.length != parents.length) {
            throw new IllegalArgumentException("tokens and parents differ in length");
        }
        for (int n = 0; n < parents.length; n++) {
            if (parents[n] < -1 || parents[n] >= n) {
                throw new IllegalArgumentException("node " + n + " has parent " + parents[n]
                        + "; a parent must be -1 or an earlier node");
            }
        }
    }

    public int size() {
        return tokens.length;
    }

    /** Tokens from the root to node n, inclusive. */
    public int[] path(int n) {
        int depth = 0;
        for (int p = n; p >= 0; p = parents[p]) {
            depth++;
        }
        int[] out = new int[depth];
        for (int p = n, i = depth - 1; p >= 0; p = parents[p], i--) {
            out[i] = tokens[p];
        }
        return out;
    }

    @Override
    public String toString() {
        return "TokenTree" + Arrays.toString(tokens);
    }
}
