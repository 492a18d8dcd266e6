package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.FloatMatrix;

import java.util.Map;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Central finite differences, the check every hand-written backward pass of this module is held
 * to: the analytic gradient of one parameter against {@code (f(p + h) - f(p - h)) / 2h}.
 */
final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /** The numeric derivative of {@code f} in {@code p[i]} (restored afterwards). */
    static double numeric(float[] p, int i, float h, DoubleSupplier f) {
        float saved = p[i];
        p[i] = saved + h;
        double up = f.getAsDouble();
        p[i] = saved - h;
        double down = f.getAsDouble();
        p[i] = saved;
        return (up - down) / (2 * h);
    }

    /**
     * Asserts the analytic gradient agrees with the numeric one (step 1e-2) to {@code absolute +
     * relative * |numeric|}.
     */
    static void check(String what, float analytic, float[] p, int i, DoubleSupplier f, double absolute,
                      double relative) {
        double numeric = numeric(p, i, 1e-2f, f);
        assertThat(analytic).as(what).isCloseTo((float) numeric, within((float) (absolute + relative * Math.abs(numeric))));
    }

    /** As above at the tolerance most passes meet: 3e-3 + 3% of the derivative. */
    static void check(String what, float analytic, float[] p, int i, DoubleSupplier f) {
        check(what, analytic, p, i, f, 3e-3, 3e-2);
    }

    /**
     * Initial weights scaled up 25-fold (norm weights kept), so attention is far from uniform and
     * every path of the pass carries a gradient large enough to check.
     */
    static ModelWeights sharpened(TransformerConfig c, long seed) {
        ModelWeights w = ModelWeights.initialise(c, seed);
        sharpen(w.tensors());
        return w;
    }

    /** Scales every tensor but the norm weights 25-fold, in place. */
    static void sharpen(Map<String, FloatMatrix> tensors) {
        tensors.forEach((name, m) -> {
            float[] d = m.data();
            for (int i = 0; i < d.length; i++) {
                d[i] *= ModelWeights.isNorm(name) ? 1 : 25;
            }
        });
    }
}
