package io.tokenlab.plugin.decoder.common;

import java.util.SplittableRandom;

/** Small numeric helpers over log-probability rows, shared by the decoders so they break ties alike. */
public final class Sampling {
    private Sampling() {
    }

    /** The most likely token; the lowest id wins a tie, so every decoder's greedy choice is the same. */
    public static int argmax(float[] logProbabilities) {
        int best = 0;
        for (int i = 1; i < logProbabilities.length; i++) {
            if (logProbabilities[i] > logProbabilities[best]) {
                best = i;
            }
        }
        return best;
    }

    public static double logSumExp(float[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (float v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    public static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** A Gumbel(0, 1) draw: adding one to each log-probability and taking the argmax samples the distribution. */
    public static double gumbel(SplittableRandom random) {
        double u = random.nextDouble();
        while (u == 0.0) {
            u = random.nextDouble();
        }
        return -Math.log(-Math.log(u));
    }

    /** Draws an index from unnormalised probabilities. */
    public static int draw(double[] weights, SplittableRandom random) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        for (int i = weights.length - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
