package io.tokenlab.api.transplant;

import io.tokenlab.api.compute.FloatMatrix;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedding table bound to a vocabulary: row i is the vector of {@code tokens.get(i)}.
 */
public final class EmbeddingTable {
    private final List<String> tokens;
    private final FloatMatrix vectors;
    private volatile Map<String, Integer> index;

    public EmbeddingTable(List<String> tokens, FloatMatrix vectors) {
        if (tokens.size() != vectors.rows()) {
            throw new IllegalArgumentException(tokens.size() + " tokens for " + vectors.rows() + " vectors");
        }
        this.tokens = List.copyOf(tokens);
        this.vectors = vectors;
    }

    public List<String> tokens() {
        return tokens;
    }

    public FloatMatrix vectors() {
        return vectors;
    }

    public int dimension() {
        return vectors.cols();
    }

    /** Row of a token, or -1. The first occurrence wins when a token is listed twice. */
    public int indexOf(String token) {
        Map<String, Integer> m = index;
        if (m == null) {
            m = new HashMap<>(tokens.size() * 2);
            for (int i = tokens.size() - 1; i >= 0; i--) {
                m.put(tokens.get(i), i);
            }
            index = m;
        }
        return m.getOrDefault(token, -1);
    }
}
