package io.tokenlab.plugin.prune.common;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.TokenSet;

/** The input checks every prune stage makes before any math, so that bad input fails with a reason. */
public final class TokenChecks {
    private TokenChecks() {
    }

    /**
     * Refuses a keep count outside [0, N] (IllegalArgumentException, the kind's contract), a keep ratio
     * outside (0, 1], an empty set, and features that are not finite numbers.
     */
    public static void check(TokenSet tokens, int keep, Parameters parameters) {
        if (tokens == null) {
            throw new TechniqueException("no token set given; this criterion needs features N x D");
        }
        int n = tokens.size();
        if (keep < 0 || keep > n) {
            throw new IllegalArgumentException("keep " + keep + " is outside [0, " + n + "], the size of the token set");
        }
        if (parameters.has("keep.ratio")) {
            double ratio = parameters.real("keep.ratio", 1.0);
            if (!(ratio > 0.0 && ratio <= 1.0)) {
                throw new InvalidParameterException("keep.ratio", ratio + " is outside (0, 1]");
            }
        }
        if (n == 0) {
            throw new TechniqueException("the token set is empty (N = 0): there is nothing to choose from");
        }
        finite("feature", tokens.features());
    }

    /** Refuses a matrix with a zero dimension or a value that is not a finite number, naming the cell. */
    public static void finite(String what, FloatMatrix m) {
        if (m.cols() == 0) {
            throw new TechniqueException(what + "s are " + m.shape() + ": rows without a dimension");
        }
        float[] data = m.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new TechniqueException(what + " (" + i / m.cols() + ", " + i % m.cols() + ") is " + data[i]
                        + "; " + what + "s must be finite numbers");
            }
        }
    }
}
