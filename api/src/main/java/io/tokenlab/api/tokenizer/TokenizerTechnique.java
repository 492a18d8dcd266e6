package io.tokenlab.api.tokenizer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;

/**
 * The service a tokenizer plugin provides. It opens a {@link Tokenizer} for validated parameters
 * (e.g. which vocabulary); opening may load files, so callers keep the result for many calls.
 */
public interface TokenizerTechnique {
    Tokenizer open(Parameters parameters, RunContext context);
}
