package io.tokenlab.plugin.prune.globalcom2;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

/**
 * GlobalCom²'s budgets: crop i, whose region of the thumbnail carries saliency S_i, keeps the fraction
 * {@code base * (1 + softmax(S / tau)_i - 1/n)} of its tokens, at most all of them. Without clipping
 * the fractions sum to {@code n * base}: the crops together keep what uniform pruning would, but the
 * salient ones keep more.
 */
public final class CropBudgets {
    private CropBudgets() {
    }

    /** The retention fraction of each crop, clipped to at most 1. */
    public static double[] retention(float[] cropSaliency, double base, double temperature, Compute compute) {
        int n = cropSaliency.length;
        if (n == 0) {
            return new double[0];
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature " + temperature + " must be positive");
        }
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (cropSaliency[i] / temperature);
        }
        float[] weights = compute.softmax(FloatMatrix.row(logits)).data();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(1.0, base * (1.0 + weights[i] - 1.0 / n));
        }
        return out;
    }
}
