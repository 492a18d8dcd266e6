package io.tokenlab.plugin.transplant.focus;

import java.util.Arrays;

/**
 * Sparsemax (Martins and Astudillo 2016): the Euclidean projection of a score vector onto the simplex.
 * Unlike softmax it gives exact zeros to scores more than the threshold tau below the top ones.
 */
public final class Sparsemax {
    private Sparsemax() {
    }

    /**
     * Probabilities for scores sorted in descending order; the result has the same order. Returns the
     * support size in {@code supportOut[0]}.
     */
    public static double[] ofDescending(float[] sorted, int n, int[] supportOut) {
        double cumulative = 0;
        int support = 0;
        double supportSum = 0;
        for (int k = 1; k <= n; k++) {
            cumulative += sorted[k - 1];
            if (1 + k * (double) sorted[k - 1] > cumulative) {
                support = k;
                supportSum = cumulative;
            }
        }
        double tau = (supportSum - 1) / support;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.max(0, sorted[i] - tau);
        }
        supportOut[0] = support;
        return p;
    }

    /** Sparsemax of unsorted scores. */
    public static double[] of(float[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        float[] sorted = new float[scores.length];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = scores[order[i]];
        }
        double[] ps = ofDescending(sorted, sorted.length, new int[1]);
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) {
            p[order[i]] = ps[i];
        }
        return p;
    }
}
