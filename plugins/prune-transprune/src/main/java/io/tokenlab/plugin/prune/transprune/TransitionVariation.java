package io.tokenlab.plugin.prune.transprune;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

/**
 * TransPrune's token transition variation of one module (attention or FFN) over the tokens still
 * alive: {@code TTV = (||out|| / ||in||) * softmax_over_tokens(1 - cos(in, out))}, where {@code in}
 * is the module's input after its LayerNorm and {@code out} its output before the residual add.
 * A token that a module changes a lot, in size or in direction, is one the model is still working on.
 */
public final class TransitionVariation {
    private TransitionVariation() {
    }

    /**
     * @param in    the module inputs (N x D)
     * @param out   the module outputs (N x D)
     * @param alive the rows to score; the softmax runs over these only, as pruned tokens are gone
     * @return one value per alive token, in the order of {@code alive}
     */
    public static float[] of(FloatMatrix in, FloatMatrix out, int[] alive, Compute compute) {
        if (in.rows() != out.rows() || in.cols() != out.cols()) {
            throw new IllegalArgumentException("module input " + in.shape() + " and output " + out.shape() + " differ in shape");
        }
        FloatMatrix a = in.selectRows(alive);
        FloatMatrix b = out.selectRows(alive);
        float[] inNorms = compute.rowNorms(a);
        float[] outNorms = compute.rowNorms(b);
        float[] ua = compute.normalizeRows(a).data();
        float[] ub = compute.normalizeRows(b).data();
        int d = in.cols();
        float[] turn = new float[alive.length];
        for (int t = 0; t < alive.length; t++) {
            double cos = 0;
            for (int k = 0; k < d; k++) {
                cos += (double) ua[t * d + k] * ub[t * d + k];
            }
            turn[t] = (float) (1 - cos);
        }
        float[] weights = compute.softmax(FloatMatrix.row(turn)).data();
        float[] ttv = new float[alive.length];
        for (int t = 0; t < alive.length; t++) {
            ttv[t] = inNorms[t] == 0f ? 0f : outNorms[t] / inNorms[t] * weights[t];
        }
        return ttv;
    }
}
