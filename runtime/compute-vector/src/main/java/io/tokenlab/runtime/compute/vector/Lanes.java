package io.tokenlab.runtime.compute.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Row primitives on the preferred species; the species is a constant so that C2 intrinsifies every call. */
final class Lanes {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int WIDTH = SPECIES.length();

    private Lanes() {
    }

    static float sumOfSquares(float[] x, int from, int n) {
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int j = 0;
        // two accumulators hide the latency of the dependent fused multiply-adds
        for (; j + 2 * WIDTH <= n; j += 2 * WIDTH) {
            FloatVector v0 = FloatVector.fromArray(SPECIES, x, from + j);
            FloatVector v1 = FloatVector.fromArray(SPECIES, x, from + j + WIDTH);
            acc0 = v0.fma(v0, acc0);
            acc1 = v1.fma(v1, acc1);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s += x[from + j] * x[from + j];
        }
        return s;
    }

    static void scale(float[] x, int from, int n, float factor, float[] out, int to) {
        int j = 0;
        for (; j < SPECIES.loopBound(n); j += WIDTH) {
            FloatVector.fromArray(SPECIES, x, from + j).mul(factor).intoArray(out, to + j);
        }
        for (; j < n; j++) {
            out[to + j] = x[from + j] * factor;
        }
    }

    /** {@code out[j] += x[j]}. */
    static void add(float[] x, int from, int n, float[] out) {
        int j = 0;
        for (; j < SPECIES.loopBound(n); j += WIDTH) {
            FloatVector.fromArray(SPECIES, x, from + j).add(FloatVector.fromArray(SPECIES, out, j)).intoArray(out, j);
        }
        for (; j < n; j++) {
            out[j] += x[from + j];
        }
    }

    /**
     * Index of the largest of {@code x[from + j] + bias[j]} (bias may be null), lowest index on ties, or -1
     * when the row contains NaN so that the caller applies the NaN rule in scalar code.
     */
    static int argmaxOrNaN(float[] x, int from, int n, float[] bias, boolean negate) {
        if (n == 0) {
            return -2;
        }
        int bound = SPECIES.loopBound(n);
        float best = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < bound; j += WIDTH) {
                max = max.max(value(x, from, j, bias, negate));
            }
            best = max.reduceLanes(VectorOperators.MAX);
        }
        for (int j = bound; j < n; j++) {
            best = Math.max(best, scalarValue(x, from, j, bias, negate));
        }
        if (Float.isNaN(best)) {
            return -1;
        }
        for (int j = 0; j < bound; j += WIDTH) {
            VectorMask<Float> hit = value(x, from, j, bias, negate).compare(VectorOperators.EQ, best);
            if (hit.anyTrue()) {
                return j + hit.firstTrue();
            }
        }
        for (int j = bound; j < n; j++) {
            if (scalarValue(x, from, j, bias, negate) == best) {
                return j;
            }
        }
        return -1;
    }

    private static FloatVector value(float[] x, int from, int j, float[] bias, boolean negate) {
        FloatVector v = FloatVector.fromArray(SPECIES, x, from + j);
        if (bias != null) {
            v = v.add(FloatVector.fromArray(SPECIES, bias, j));
        }
        return negate ? v.neg() : v;
    }

    private static float scalarValue(float[] x, int from, int j, float[] bias, boolean negate) {
        float v = x[from + j] + (bias == null ? 0f : bias[j]);
        return negate ? -v : v;
    }
}
