package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hyperfitting (Carlsson et al. 2024, "The Hyperfitting Phenomenon: Sharpening and Stabilizing LLMs
 * for Open-Ended Text Generation"): a trained model fine-tuned on a small set of sequences until its
 * training loss is near zero. The paper's finding is that such a model, far from only reciting its
 * set, decodes greedily into long text that repeats itself much less than the base model's greedy
 * output, while its predictions become very low in entropy. This class does the fine-tuning and
 * measures generations the way the paper compares them; decoding itself is any decoder's.
 */
public final class Hyperfitting {
    private Hyperfitting() {
    }

    /**
     * What a generation looks like.
     *
     * @param distinct       distinct n-grams / n-grams of the generated tokens (1: nothing repeats)
     * @param longestRepeat  the longest run of generated tokens that occurs twice in prompt + generation
     * @param entropy        mean entropy (nats) of the model's next-token distribution at each generated
     *                       position
     */
    public record Statistics(double distinct, double longestRepeat, double entropy) {
        /** The mean of several generations' statistics (a mean longest repeat may be fractional). */
        public static Statistics mean(java.util.Collection<Statistics> all) {
            double distinct = 0;
            double repeat = 0;
            double entropy = 0;
            for (Statistics s : all) {
                distinct += s.distinct;
                repeat += s.longestRepeat;
                entropy += s.entropy;
            }
            int n = all.size();
            return new Statistics(distinct / n, repeat / n, entropy / n);
        }
    }

    /**
     * Fine-tunes {@code base} on {@code set} (each a window of at most context + 1 ids led by the
     * start token) at a constant learning rate and no weight decay, the paper's recipe at this scale,
     * for {@code steps} steps of {@code batch} windows.
     */
    public static Trainer.Result hyperfit(Trainer trainer, ModelWeights base, int[][] set, int steps, int batch,
                                          double learningRate, long seed, Consumer<String> log) {
        Trainer.Settings settings = new Trainer.Settings(steps, batch, learningRate, learningRate, 0, 0.0, 1.0, seed);
        return trainer.train(base, set, settings, Progress.NONE, log);
    }

    /**
     * The statistics of {@code generated} after {@code prompt} under {@code model} (the entropies are
     * the model's own, so a base and a hyperfitted model are each judged on what they decoded).
     */
    public static Statistics statistics(TransformerLanguageModel model, int[] prompt, int[] generated, int n) {
        int[] all = Arrays.copyOf(prompt, prompt.length + generated.length);
        System.arraycopy(generated, 0, all, prompt.length, generated.length);
        if (all.length > model.contextLength()) {
            throw new IllegalArgumentException(all.length + " tokens exceed the model's context of " + model.contextLength());
        }
        double entropy = 0;
        if (generated.length > 0) {
            FloatMatrix logProbabilities = model.logProbabilitiesAll(all);
            for (int t = prompt.length - 1; t < all.length - 1; t++) {
                double h = 0;
                for (int v = 0; v < logProbabilities.cols(); v++) {
                    double lp = logProbabilities.get(t, v);
                    h -= Math.exp(lp) * lp;
                }
                entropy += h;
            }
            entropy /= generated.length;
        }
        return new Statistics(distinctNgrams(generated, n), longestRepeat(all, prompt.length), entropy);
    }

    /** Distinct n-grams over all n-grams of {@code tokens}; 1 for a sequence shorter than n. */
    public static double distinctNgrams(int[] tokens, int n) {
        if (tokens.length < n) {
            return 1.0;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i + n <= tokens.length; i++) {
            seen.add(Arrays.toString(Arrays.copyOfRange(tokens, i, i + n)));
        }
        return (double) seen.size() / (tokens.length - n + 1);
    }

    /**
     * The length of the longest run that starts at or after {@code from} and also occurs earlier in
     * {@code tokens} (overlapping allowed, as in a loop that repeats itself): how long a generation
     * copies, from its prompt or from itself.
     */
    public static int longestRepeat(int[] tokens, int from) {
        int best = 0;
        // match[i][j] = length of the common run ending at i and j (j < i), kept one row at a time
        int[] previous = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            int[] current = new int[tokens.length];
            for (int j = 0; j < i; j++) {
                if (tokens[i] == tokens[j]) {
                    current[j] = j > 0 ? previous[j - 1] + 1 : 1;
                    if (i >= from) {
                        best = Math.max(best, Math.min(current[j], i - from + 1));
                    }
                }
            }
            previous = current;
        }
        return best;
    }

    /**
     * The longest run of {@code generated} found in any of {@code set}: how much of a continuation is
     * recited from the sequences the model was hyperfitted on rather than composed.
     */
    public static int longestRunFrom(int[] generated, int[][] set) {
        int best = 0;
        for (int[] source : set) {
            int[] previous = new int[source.length + 1];
            for (int g : generated) {
                int[] current = new int[source.length + 1];
                for (int j = 0; j < source.length; j++) {
                    if (g == source[j]) {
                        current[j + 1] = previous[j] + 1;
                        best = Math.max(best, current[j + 1]);
                    }
                }
                previous = current;
            }
        }
        return best;
    }
}
