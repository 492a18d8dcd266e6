package io.tokenlab.api.image;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;

/** The service an image-tokenizer plugin provides. Opening may train or load a model. */
public interface ImageTechnique {
    ImageCodec open(Parameters parameters, RunContext context);
}
