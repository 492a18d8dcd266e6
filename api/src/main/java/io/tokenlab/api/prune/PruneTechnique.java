package io.tokenlab.api.prune;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;

/**
 * The service a prune plugin provides: which tokens to keep.
 */
public interface PruneTechnique {
    /**
     * Exactly {@code keep} distinct indices into the token set, ascending (the order the tokens had).
     *
     * @throws IllegalArgumentException if keep is negative or larger than the set
     */
    int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context);
}
