package io.tokenlab.plugin.decoder.baseline;

import io.tokenlab.plugin.decoder.common.Sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/** One token from a row of log-probabilities under temperature, top-k and top-p. */
final class TokenChoice {
    private TokenChoice() {
    }

    static int choose(float[] logProbabilities, double temperature, int topK, double topP, SplittableRandom random) {
        if (temperature <= 0) {
            return Sampling.argmax(logProbabilities);
        }
        int v = logProbabilities.length;
        // order ids by probability (ties by id) once; top-k and top-p are both prefixes of this order
        // packed (negated log-probability bits, id): one primitive sort, no boxing; -log p >= 0 sorts by its bits
        long[] packed = new long[v];
        for (int i = 0; i < v; i++) {
            float negated = logProbabilities[i] == 0f ? 0f : -logProbabilities[i];
            packed[i] = ((long) Float.floatToIntBits(negated) << 32) | i;
        }
        Arrays.sort(packed);
        int[] order = new int[v];
        for (int i = 0; i < v; i++) {
            order[i] = (int) packed[i];
        }
        int keep = topK > 0 ? Math.min(topK, v) : v;
        double max = logProbabilities[order[0]] / temperature;
        double[] weights = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp(logProbabilities[order[i]] / temperature - max);
            total += weights[i];
        }
        if (topP < 1.0) {
            double cumulative = 0;
            int nucleus = 0;
            while (nucleus < keep) {
                cumulative += weights[nucleus] / total;
                nucleus++;
                if (cumulative >= topP) {
                    break;
                }
            }
            keep = nucleus;
        }
        return order[Sampling.draw(Arrays.copyOf(weights, keep), random)];
    }
}
