package io.tokenlab.api.decoder;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;

/**
 * The service a decoder plugin provides. Deterministic for a fixed seed.
 */
public interface DecoderTechnique {
    Generation generate(GenerationRequest request, Parameters parameters, RunContext context);
}
