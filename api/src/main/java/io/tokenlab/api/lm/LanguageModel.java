package io.tokenlab.api.lm;

/**
 * A next-token model over the ids of some tokenizer. Implementations are safe for concurrent use.
 */
public interface LanguageModel {
    int vocabularySize();

    /** Natural-log probabilities of every next token after {@code context} (length {@link #vocabularySize()}). */
    float[] logProbabilities(int[] context);

    /** One row of log-probabilities per context. */
    default float[][] logProbabilities(int[][] contexts) {
        float[][] out = new float[contexts.length][];
        for (int i = 0; i < contexts.length; i++) {
            out[i] = logProbabilities(contexts[i]);
        }
        return out;
    }

    /**
     * Scores a tree of candidate continuations of {@code context} in one call (what speculative
     * decoding verifies). Row 0 of the result is the distribution after the context; row {@code n + 1}
     * is the distribution after the path from the root to node n.
     */
    default float[][] scoreTree(int[] context, TokenTree tree) {
        float[][] out = new float[tree.size() + 1][];
        out[0] = logProbabilities(context);
        for (int n = 0; n < tree.size(); n++) {
            int[] path = tree.path(n);
            int[] full = new int[context.length + path.length];
            System.arraycopy(context, 0, full, 0, context.length);
            System.arraycopy(path, 0, full, context.length, path.length);
            out[n + 1] = logProbabilities(full);
        }
        return out;
    }
}
