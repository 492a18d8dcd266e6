package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.Compute;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Lexinvariant language models (Huang et al. 2023, "Lexinvariant Language Models"): no fixed token
 * embeddings. Every sequence draws a fresh Gaussian table, one vector per token type, used for the
 * input and the tied output alike, so a token means nothing by its identity; the model can only
 * learn what a symbol stands for from how it is used in the context so far. Such a model is
 * invariant to any relabelling of the vocabulary (in distribution over the tables), so it reads a
 * substitution cipher exactly as it reads plain text, and its perplexity approaches a standard
 * model's as the context grows.
 */
final class Lexinvariance {
    /** Draws the embedding tables of one step's sequences (vocabulary x dimension each, row-major). */
    interface Tables {
        float[][] draw(int step, int sequences);
    }

    private Lexinvariance() {
    }

    /**
     * Tables of independent N(0, 1/dimension) entries, so a normalised state's logit against a random
     * vector has unit variance; the same seed, step and sequence give the same table.
     */
    static Tables gaussian(int vocabulary, int dimension, long seed) {
        double std = 1 / Math.sqrt(dimension);
        return (step, sequences) -> {
            float[][] out = new float[sequences][vocabulary * dimension];
            for (int s = 0; s < sequences; s++) {
                Random random = new Random(seed * 1_000_003L + (long) step * 4_099L + s);
                for (int i = 0; i < out[s].length; i++) {
                    out[s][i] = (float) (random.nextGaussian() * std);
                }
            }
            return out;
        };
    }

    /** Trains a lexinvariant model (its own embedding table goes unused). */
    static Trainer.Result train(Trainer trainer, TransformerConfig config, int[][] documents, Trainer.Settings settings,
                                Consumer<String> log) {
        return trainer.train(ModelWeights.initialise(config, settings.seed()), documents, settings, Progress.NONE, log,
                gaussian(config.vocabulary(), config.dimension(), settings.seed()));
    }

    /** Mean loss and next-token accuracy at each position of equal-length windows (length context + 1). */
    record ByPosition(double[] loss, double[] accuracy) {
        /** Means over positions {@code [from, to)}. */
        double meanLoss(int from, int to) {
            return Arrays.stream(loss, from, to).average().orElseThrow();
        }

        double meanAccuracy(int from, int to) {
            return Arrays.stream(accuracy, from, to).average().orElseThrow();
        }
    }

    /**
     * Scores {@code windows} position by position: with {@code tables} each window is scored under
     * {@code draws} fresh tables (a lexinvariant model's likelihood is an expectation over them),
     * without (null) by the model's own embeddings once.
     */
    static ByPosition byPosition(Compute compute, ModelWeights weights, int[][] windows, Tables tables, int draws) {
        int width = windows[0].length - 1;
        double[] loss = new double[width];
        double[] accuracy = new double[width];
        int rounds = tables == null ? 1 : draws;
        int batchSize = 8;
        int count = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < windows.length; i += batchSize) {
                int[][] part = Arrays.copyOfRange(windows, i, Math.min(windows.length, i + batchSize));
                Batch batch = Batch.ofWindows(part, weights.config().context());
                TrainingPass pass = new TrainingPass(compute, weights, batch,
                        tables == null ? null : tables.draw(-1 - round * 1_000 - i, part.length));
                pass.forward();
                float[] rowLoss = pass.rowLosses();
                int[] predicted = pass.rowPredictions();
                for (int s = 0; s < part.length; s++) {
                    for (int t = 0; t < width; t++) {
                        int row = s * batch.width() + t;
                        loss[t] += rowLoss[row];
                        accuracy[t] += predicted[row] == part[s][t + 1] ? 1 : 0;
                    }
                }
                count += part.length;
            }
        }
        for (int t = 0; t < width; t++) {
            loss[t] /= count;
            accuracy[t] /= count;
        }
        return new ByPosition(loss, accuracy);
    }

    /** {@code windows} with every id below {@code symbols} relabelled by one random permutation (a substitution cipher). */
    static int[][] encipher(int[][] windows, int symbols, long seed) {
        int[] key = new int[symbols];
        for (int i = 0; i < symbols; i++) {
            key[i] = i;
        }
        Random random = new Random(seed);
        for (int i = symbols - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = key[i];
            key[i] = key[j];
            key[j] = t;
        }
        int[][] out = new int[windows.length][];
        for (int w = 0; w < windows.length; w++) {
            out[w] = windows[w].clone();
            for (int i = 0; i < out[w].length; i++) {
                if (out[w][i] < symbols) {
                    out[w][i] = key[out[w][i]];
                }
            }
        }
        return out;
    }
}
