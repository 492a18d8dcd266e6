package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.lm.LanguageModel;

import java.util.Arrays;

/** Scores any language model on evaluation windows as the transformer is scored: each id given the ids before it in its window. */
final class PerplexityComparison {
    private PerplexityComparison() {
    }

    /** Mean negative log-likelihood in nats per predicted id. */
    static double meanLoss(LanguageModel model, int[][] windows) {
        double total = 0;
        long count = 0;
        for (int[] w : windows) {
            for (int i = 1; i < w.length; i++) {
                total -= model.logProbabilities(Arrays.copyOf(w, i))[w[i]];
                count++;
            }
        }
        return total / count;
    }
}
