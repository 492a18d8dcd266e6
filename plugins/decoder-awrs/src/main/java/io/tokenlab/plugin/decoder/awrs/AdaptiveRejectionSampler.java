package io.tokenlab.plugin.decoder.awrs;

import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Adaptive weighted rejection sampling (Lipkin et al. 2025, "Fast controlled generation from
 * language models with adaptive weighted rejection sampling"), in its recursive form (as in
 * genlm-control): draw tokens without replacement in Gumbel order, test the constraint only on the
 * drawn tokens, and drop rejected ones for good. The first accepted token x is returned with weight
 *
 * <pre>  w = Z_p · (1 − Σ_rejected p) · f,   f = 1 if the next drawn token is also accepted, else q_x</pre>
 *
 * where q_x = p_x / (1 − Σ_rejected p). Since E[f | x] equals the accepted mass of the remaining
 * distribution, (x, w) is properly weighted for p restricted to the constraint: E[w·g(x)] =
 * Σ_{a accepted} p_a g(a), so E[w] is the exact normaliser. The number of checks is what was drawn,
 * usually a handful, whatever the vocabulary size.
 */
final class AdaptiveRejectionSampler {
    /** One draw: the token (-1 if none is allowed), log w, and the constraint checks it cost. */
    record Draw(int token, double logWeight, int checks) {
    }

    private AdaptiveRejectionSampler() {
    }

    static Draw sample(float[] logProbabilities, IntPredicate allowed, SplittableRandom random) {
        int v = logProbabilities.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logProbabilities) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logProbabilities) {
            sum += Math.exp(x - max);
        }
        double logZ = max + Math.log(sum);
        double[] logp = new double[v];
        for (int i = 0; i < v; i++) {
            logp[i] = logProbabilities[i] - logZ;
        }
        GumbelOrder order = new GumbelOrder(logp, random);
        double rejectedMass = 0;
        int checks = 0;
        while (order.hasNext()) {
            int x = order.next();
            checks++;
            if (allowed.test(x)) {
                double remaining = Math.max(1e-300, 1 - rejectedMass);
                double f;
                if (!order.hasNext()) {
                    f = 1;
                } else {
                    int y = order.next();
                    checks++;
                    f = allowed.test(y) ? 1 : Math.min(1, Math.exp(logp[x]) / remaining);
                }
                return new Draw(x, logZ + Math.log(remaining) + Math.log(f), checks);
            }
            rejectedMass += Math.exp(logp[x]);
            if (rejectedMass >= 1 - 1e-12) {
                break;
            }
        }
        return new Draw(-1, Double.NEGATIVE_INFINITY, checks);
    }
}
