package io.tokenlab.api.transplant;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;

/**
 * The service a transplant plugin provides: an embedding table for the target vocabulary, in the
 * target vocabulary's order.
 */
public interface TransplantTechnique {
    EmbeddingTable transplant(TransplantRequest request, Parameters parameters, RunContext context);
}
